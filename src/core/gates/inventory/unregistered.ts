// inventory.unregistered: AI in the repository that no manifest covers.
import { defineGate } from '../define';
import { result } from '../result';
import type { GateResult, RepositoryContext } from '../../types';
import type { InventoryFinding } from '../../../evidence/inventory/types';
import type { Policy } from '../../../config/policy/schema';

// Besides a stage's `require:`, the production stage always runs it and the policy can turn it off.
const gate = defineGate({ id: 'inventory.unregistered', scope: 'repository', requires: 'inventory', skip: inventorySkip, run: check });
export default gate;

/** Whether the scan is needed at all (the entry points skip it otherwise). */
export function inventoryRuns(policy: Policy, stage: string): boolean {
  if (policy.inventory.require_manifest === false) return false;
  const require = policy.stages[stage]?.require ?? [];
  return stage === 'production' || require.includes('inventory') || require.includes('inventory.unregistered');
}

/** Why the gate does not run at this stage; undefined when it does. */
function inventorySkip(policy: Policy, stage: string): string | undefined {
  if (inventoryRuns(policy, stage)) return undefined;
  return policy.inventory.require_manifest === false ? 'the policy sets inventory.require_manifest: false' : `not required at the ${stage} stage`;
}

/** The gate as the evaluation runs it, from the pieces at hand (tests). */
export function inventoryGate(policy: Policy, stage: string, findings: InventoryFinding[] | undefined, error?: string): GateResult {
  const skip = inventorySkip(policy, stage);
  if (skip !== undefined) return result('inventory.unregistered', 'skipped', skip);
  return check({ ...(findings ? { inventory: findings } : {}), ...(error !== undefined ? { inventoryError: error } : {}) });
}

function check(ctx: Pick<RepositoryContext, 'inventory' | 'inventoryError'>): GateResult {
  const findings = ctx.inventory;
  const error = ctx.inventoryError;
  if (findings === undefined) {
    return result('inventory.unregistered', 'inconclusive', `the repository could not be scanned${error ? `: ${error}` : ''}`, {
      fix: 'Check out the repository (actions/checkout) before running Last Mile, so its tracked files can be scanned.',
    });
  }
  if (findings.length === 0) return result('inventory.unregistered', 'pass', 'every model SDK dependency and model file lies in a folder with a manifest');
  const uses = findings.filter((f) => f.kind !== 'unparsable');
  const unread = findings.filter((f) => f.kind === 'unparsable');
  const details = findings.map((f) => `${f.file}:${f.line} ${f.detail}`);
  // A dependency file that cannot be parsed may hide an AI use: not a pass, and not counted as one.
  if (uses.length === 0) {
    const first = unread[0]!;
    return result('inventory.unregistered', 'inconclusive', `${unread.length} dependency file${unread.length === 1 ? '' : 's'} could not be read: ${first.file}:${first.line} ${first.detail}`, {
      fix: 'Correct the file named (it must parse for its dependencies to be checked), or list it under `inventory.ignore` in the policy.',
      location: { file: first.file, line: first.line },
      details,
    });
  }
  const first = uses[0]!;
  const alsoUnread = unread.length > 0 ? `; ${unread.length} dependency file${unread.length === 1 ? '' : 's'} could not be read` : '';
  return result('inventory.unregistered', 'fail', `${uses.length} AI use${uses.length === 1 ? '' : 's'} outside every manifest's folder: ${first.file}:${first.line} ${first.detail}${alsoUnread}`, {
    location: { file: first.file, line: first.line },
    details,
  });
}
