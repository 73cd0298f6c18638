import { describe, expect, it } from 'vitest';
import { rollback } from '../../src/core/gates/rollback';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

describe('rollback', () => {
  it('passes with a strategy and a runbook that exists', () => {
    expect(rollback(makeContext())).toMatchObject({ outcome: 'pass', reason: 'feature-flag, runbook docs/runbook.md', location: { line: 40 } });
  });

  it('fails when the runbook does not exist, pointing at the key', () => {
    const r = rollback(makeContext({ files: { 'docs/runbook.md': { path: 'services/x/docs/runbook.md', exists: false } } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('runbook docs/runbook.md does not exist (looked for services/x/docs/runbook.md)');
    expect(r.location).toEqual({ file: 'lastmile.yml', line: 41, column: 12 });
  });

  it('fails when the runbook resolves outside the workspace', () => {
    const r = rollback(makeContext({ files: { 'docs/runbook.md': { path: '../etc/passwd', exists: true, problem: 'resolves outside the workspace' } } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('runbook docs/runbook.md: resolves outside the workspace');
  });

  it('fails when the runbook was never resolved', () => {
    expect(rollback(makeContext({ files: { 'docs/runbook.md': null } })).reason).toBe('runbook docs/runbook.md was not resolved');
  });

  it('names missing keys and a missing section', () => {
    expect(rollback(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.deleteIn(['rollback', 'runbook'])) })).reason).toBe('missing: rollback.runbook');
    expect(rollback(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('rollback')) })).reason).toBe('missing: the manifest has no `rollback:` section');
  });

  it('fails "invalid" on an unknown strategy', () => {
    const r = rollback(makeContext({ manifestYaml: FULL_MANIFEST.replace('strategy: feature-flag', 'strategy: pray') }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('rollback.strategy');
    expect(r.location?.line).toBe(40);
  });
});
