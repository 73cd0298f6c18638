import { describe, expect, it } from 'vitest';
import { evaluate, NO_MANIFEST_HINT } from '../../src/core/evaluate';
import { goodEvals, okLoad, prop } from '../helpers/evals';
import { FULL_MANIFEST, SPEC_POLICY } from '../helpers/fixtures';
import { makeInput, policyInput } from '../helpers/report';

/** SPEC §2's manifest with every sign-off SPEC §3's policy requires, approved. */
const READY = FULL_MANIFEST.replace(
  /signoffs:[^]*?(?=monitoring:)/,
  `signoffs:
  - { kind: security, status: approved, approved_by: alice, approved_on: 2026-10-02, expires_on: 2027-04-01 }
  - { kind: data-governance, status: approved, approved_on: 2026-11-03 }
  - { kind: compliance, status: approved, approved_on: 2026-11-03 }
  - { kind: identity, status: approved, approved_on: 2026-11-03 }
  - { kind: business-owner, status: approved, approved_on: 2026-11-03 }
`,
);

const failingEvals = () => ({ ...goodEvals(), 'production-sample': okLoad({ metrics: { accuracy: prop(70, 1000) } }) });

describe('evaluate: verdicts', () => {
  it('pass: every gate passes on a block branch', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [{ manifestYaml: READY }] }));
    expect(r.verdict).toBe('pass');
    expect(r).toMatchObject({ stage: 'production', enforce: 'block', branch: 'release/1.0', failed: 0, errors: [] });
    expect(r.systems).toHaveLength(1);
    expect(r.systems[0]!.status).toBe('pass');
    expect(r.repositoryGates.map((g) => [g.id, g.outcome])).toEqual([
      ['policy.integrity', 'pass'],
      ['inventory.unregistered', 'pass'],
    ]);
  });

  it('fail: a failing gate on a block branch', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY }));
    expect(r.verdict).toBe('fail');
    expect(r.failed).toBe(1);
    expect(r.systems[0]!.gates.filter((g) => g.outcome === 'fail').map((g) => g.id)).toEqual(['signoffs']);
  });

  it('warn: a failing gate on a warn branch', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'main', systems: [{ manifestYaml: READY, evals: failingEvals(), stage: 'staging' }] }));
    expect(r).toMatchObject({ verdict: 'warn', stage: 'staging', enforce: 'warn' });
    expect(r.failed).toBeGreaterThan(0);
  });

  it('an inconclusive gate blocks like a failing one', () => {
    const evals = { ...goodEvals(), curated: okLoad({ metrics: { accuracy: prop(47, 50) } }) };
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY.replace('min_samples: 300', 'min_samples: 30'), systems: [{ manifestYaml: READY, evals }] }));
    // 47/50 settles neither the threshold nor the gap to production (n = 50 is too few for either).
    expect(r.counts.inconclusive).toBe(2);
    expect(r.counts.fail).toBe(0);
    expect(r.systems[0]!.gates.filter((g) => g.outcome === 'inconclusive').map((g) => g.id)).toEqual(['eval.thresholds', 'eval.production-gap']);
    expect(r.verdict).toBe('fail');
  });

  it('counts every gate by outcome, repository gates included', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [{ manifestYaml: READY }, {}] }));
    const all = [...r.repositoryGates, ...r.systems.flatMap((s) => s.gates)];
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(r.counts.fail).toBe(all.filter((g) => g.outcome === 'fail').length);
  });

  it('skips the gates the stage does not require', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'main' }));
    const skipped = r.systems[0]!.gates.filter((g) => g.outcome === 'skipped').map((g) => g.id);
    // eval.regression is required at staging but skipped for want of base results
    expect(skipped).toEqual(['identity', 'data', 'compliance', 'signoffs', 'rollback', 'rollout', 'integrations', 'eval.regression']);
    expect(r.systems[0]!.gates.find((g) => g.id === 'signoffs')!.reason).toBe('not required at the staging stage');
    expect(r.repositoryGates.find((g) => g.id === 'inventory.unregistered')?.outcome).toBe('skipped');
    expect(r.verdict).toBe('pass');
    expect(r.counts.skipped).toBe(9);
  });

  it('unregistered AI fails the production stage', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [{ manifestYaml: READY }], inventory: [{ file: 'svc/x/requirements.txt', line: 3, kind: 'dependency', detail: 'PyPI package "openai"' }] }));
    expect(r.verdict).toBe('fail');
    expect(r.repositoryGates.find((g) => g.id === 'inventory.unregistered')).toMatchObject({ outcome: 'fail', location: { file: 'svc/x/requirements.txt', line: 3 } });
  });

  it('a load error passed in as fatal fails closed on a block branch', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [{ manifestYaml: READY }], fatal: ['could not read the base: timeout'] }));
    expect(r.verdict).toBe('fail');
    expect(r.errors).toEqual(['could not read the base: timeout']);
  });
});

describe('evaluate: no manifest', () => {
  it('on a block branch: a fatal error with the init hint, verdict fail', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [] }));
    expect(r.verdict).toBe('fail');
    expect(r.errors).toEqual([`No readiness manifest found. ${NO_MANIFEST_HINT}`]);
    expect(r.errors[0]).toContain('npx last-mile init');
    expect(r.systems).toEqual([]);
  });

  it('on a warn branch: verdict warn', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'main', systems: [] }));
    expect(r.verdict).toBe('warn');
    expect(r.errors[0]).toContain('last-mile init');
  });

  it('with the built-in policy the same holds', () => {
    expect(evaluate(makeInput({ systems: [] })).verdict).toBe('fail');
    expect(evaluate(makeInput({ systems: [], branch: 'feature/x' })).verdict).toBe('warn');
  });
});

describe('evaluate: an invalid policy', () => {
  const invalid = SPEC_POLICY.replace('min_samples: 300', 'min_sample: 300');

  it('fails policy.integrity and the verdict on release/**, with the errors shown', () => {
    const r = evaluate(makeInput({ policyYaml: invalid }));
    expect(r.verdict).toBe('fail');
    expect(r.enforce).toBe('block');
    expect(r.repositoryGates[0]).toMatchObject({ id: 'policy.integrity', outcome: 'fail', location: { file: '.github/lastmile-policy.yml', line: 23, column: 3 } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain('The policy .github/lastmile-policy.yml@base is invalid:\n.github/lastmile-policy.yml:23:3: evals.min_sample: expected');
    expect(r.systems).toEqual([]);
  });

  it('with invalid branch rules too, falls back to the default rules: still blocks release/**', () => {
    const r = evaluate(makeInput({ policyYaml: 'version: 1\nbranches: [{ pattern: "release/**", stage: production, enforce: always }]\n' }));
    expect(r).toMatchObject({ verdict: 'fail', enforce: 'block', stage: 'production' });
  });

  it('warns (does not fail) on a warn branch', () => {
    const r = evaluate(makeInput({ policyYaml: invalid, branch: 'main' }));
    expect(r.verdict).toBe('warn');
    expect(r.repositoryGates[0]!.outcome).toBe('fail');
  });

  it('a policy change in the pull request is only noted', () => {
    const r = evaluate(makeInput({ policy: policyInput(SPEC_POLICY, { changedInHead: true }), systems: [{ manifestYaml: READY }] }));
    expect(r.verdict).toBe('pass');
    expect(r.policy.changedInHead).toBe(true);
    expect(r.repositoryGates[0]!.reason).toContain('changes the policy file');
  });
});

describe('evaluate: no branch rule', () => {
  it('notes that nothing is enforced and does not block', () => {
    const policy = 'version: 1\nbranches:\n  - { pattern: "release/**", stage: production, enforce: block }\n';
    const r = evaluate(makeInput({ policyYaml: policy, branch: 'feature/x' }));
    expect(r).toMatchObject({ verdict: 'pass', stage: 'none', enforce: 'warn', systems: [] });
    expect(r.notes).toEqual(['No branch rule of the policy matches `feature/x`: nothing is enforced on it.']);
    expect(r.repositoryGates.map((g) => [g.id, g.outcome])).toEqual([
      ['policy.integrity', 'pass'],
      ['inventory.unregistered', 'skipped'],
    ]);
  });
});
