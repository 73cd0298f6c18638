import { describe, expect, it } from 'vitest';
import { rollout } from '../../src/core/gates/rollout';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

describe('rollout', () => {
  it('passes with a plan and a comms file that exists', () => {
    expect(rollout(makeContext())).toMatchObject({ outcome: 'pass', reason: 'plan: canary 5% -> 25% -> 100% over 2 weeks', location: { line: 43 } });
  });

  it('passes without comms (optional)', () => {
    expect(rollout(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.deleteIn(['rollout', 'comms'])), files: { 'docs/rollout-comms.md': null } })).outcome).toBe('pass');
  });

  it('fails when the comms file it names does not exist', () => {
    const r = rollout(makeContext({ files: { 'docs/rollout-comms.md': { path: 'docs/rollout-comms.md', exists: false } } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('comms docs/rollout-comms.md does not exist (looked for docs/rollout-comms.md)');
    expect(r.location?.line).toBe(44);
  });

  it('fails when the comms file is a symlink out of the workspace', () => {
    const r = rollout(makeContext({ files: { 'docs/rollout-comms.md': { path: 'docs/rollout-comms.md', exists: true, problem: 'is a symlink that resolves outside the workspace' } } }));
    expect(r).toMatchObject({ outcome: 'fail', reason: 'comms docs/rollout-comms.md: is a symlink that resolves outside the workspace' });
  });

  it('fails without a plan or a section', () => {
    expect(rollout(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.deleteIn(['rollout', 'plan'])) }))).toMatchObject({ outcome: 'fail', reason: 'missing: rollout.plan' });
    expect(rollout(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('rollout')) }))).toMatchObject({ outcome: 'fail', reason: 'missing: the manifest has no `rollout:` section' });
  });
});
