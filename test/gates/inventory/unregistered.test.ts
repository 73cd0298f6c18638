import { describe, expect, it } from 'vitest';
import { inventoryGate, inventoryRuns } from '../../../src/core/gates/inventory/unregistered';
import type { InventoryFinding } from '../../../src/evidence/inventory/types';
import { defaultPolicy } from '../../../src/config/policy/default';
import { policyFrom, specPolicy } from '../../helpers/context';

const findings: InventoryFinding[] = [
  { file: 'services/chat/package.json', line: 12, kind: 'dependency', ecosystem: 'npm', package: 'openai', detail: 'npm package "openai" in dependencies (OpenAI API client)' },
  { file: 'models/ranker.onnx', line: 1, kind: 'model-file', detail: 'model file (.onnx)' },
];

describe('inventory.unregistered', () => {
  it('runs on the production stage by default, and not on others', () => {
    expect(inventoryRuns(defaultPolicy('main'), 'production')).toBe(true);
    expect(inventoryRuns(defaultPolicy('main'), 'staging')).toBe(false);
    expect(inventoryGate(defaultPolicy('main'), 'staging', findings)).toMatchObject({ outcome: 'skipped', reason: 'not required at the staging stage' });
  });

  it('runs where a stage requires inventory', () => {
    const p = policyFrom('version: 1\nstages:\n  staging: { require: [ownership, inventory] }\n');
    expect(inventoryRuns(p, 'staging')).toBe(true);
  });

  it('is skipped when the policy sets require_manifest: false', () => {
    const p = policyFrom('version: 1\ninventory: { require_manifest: false }\n');
    expect(inventoryGate(p, 'production', findings)).toMatchObject({ outcome: 'skipped', reason: 'the policy sets inventory.require_manifest: false' });
  });

  it('fails listing each finding with file:line', () => {
    const r = inventoryGate(specPolicy(), 'production', findings);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe("2 AI uses outside every manifest's folder: services/chat/package.json:12 npm package \"openai\" in dependencies (OpenAI API client)");
    expect(r.location).toEqual({ file: 'services/chat/package.json', line: 12 });
    expect(r.details).toEqual(['services/chat/package.json:12 npm package "openai" in dependencies (OpenAI API client)', 'models/ranker.onnx:1 model file (.onnx)']);
    expect(r.fix).toContain('inventory.ignore');
  });

  it('passes with no findings', () => {
    expect(inventoryGate(specPolicy(), 'production', []).outcome).toBe('pass');
  });

  it('is inconclusive when the repository could not be scanned', () => {
    const r = inventoryGate(specPolicy(), 'production', undefined, 'git ls-files failed');
    expect(r).toMatchObject({ outcome: 'inconclusive', reason: 'the repository could not be scanned: git ls-files failed' });
  });

  const unparsable: InventoryFinding = { file: 'svc/pyproject.toml', line: 5, kind: 'unparsable', detail: 'not valid TOML (line 5, column 3: …): its dependencies could not be checked' };

  it('is inconclusive, not a pass and not an AI use, when a dependency file could not be parsed', () => {
    const r = inventoryGate(specPolicy(), 'production', [unparsable]);
    expect(r).toMatchObject({ outcome: 'inconclusive', location: { file: 'svc/pyproject.toml', line: 5 } });
    expect(r.reason).toBe('1 dependency file could not be read: svc/pyproject.toml:5 not valid TOML (line 5, column 3: …): its dependencies could not be checked');
    expect(r.reason).not.toMatch(/AI use/);
  });

  it('fails on AI uses and counts only them, saying how many files could not be read', () => {
    const r = inventoryGate(specPolicy(), 'production', [...findings, unparsable]);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^2 AI uses outside every manifest's folder: services\/chat\/package\.json:12 .*; 1 dependency file could not be read$/);
    expect(r.details).toHaveLength(3);
  });
});
