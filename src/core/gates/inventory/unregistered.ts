// inventory.unregistered: AI in the repository that no manifest covers.
import { result } from '../result';
import type { GateResult } from '../../types';
import type { InventoryFinding } from '../../../evidence/inventory/types';
import type { Policy } from '../../../config/policy/schema';

export function inventoryRuns(policy: Policy, stage: string): boolean {
  if (policy.inventory.require_manifest === false) return false;
  const require = policy.stages[stage]?.require ?? [];
  return stage === 'production' || require.includes('inventory') || require.includes('inventory.unregistered');
}

export function inventoryGate(policy: Policy, stage: string, findings: InventoryFinding[] | undefined, error?: string): GateResult {
  if (!inventoryRuns(policy, stage)) {
    return result('inventory.unregistered', 'skipped', policy.inventory.require_manifest === false ? 'the policy sets inventory.require_manifest: false' : `not required at the ${stage} stage`);
  }
  if (findings === undefined) {
    return result('inventory.unregistered', 'inconclusive', `the repository could not be scanned${error ? `: ${error}` : ''}`, {
      fix: 'Check out the repository (actions/checkout) before running Last Mile, so its tracked files can be scanned.',
    });
  }
  if (findings.length === 0) return result('inventory.unregistered', 'pass', 'every model SDK dependency and model file lies in a folder with a manifest');
  const first = findings[0]!;
  return result('inventory.unregistered', 'fail', `${findings.length} AI use${findings.length === 1 ? '' : 's'} outside every manifest's folder: ${first.file}:${first.line} ${first.detail}`, {
    location: { file: first.file, line: first.line },
    details: findings.map((f) => `${f.file}:${f.line} ${f.detail}`),
  });
}
