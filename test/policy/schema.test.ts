import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_YAML, DEFAULT_STAGES, defaultPolicy } from '../../src/config/policy/default';
import { parsePolicy, resolvePolicy } from '../../src/config/policy/parse';
import type { PolicyParse } from '../../src/config/policy/parse';
import type { Policy } from '../../src/config/policy/schema';
import type { ConfigError } from '../../src/config/yaml';
import { SPEC_DEFAULT_POLICY, SPEC_POLICY } from '../helpers/fixtures';

const FILE = '.github/lastmile-policy.yml';

function ok(p: PolicyParse): Policy {
  if (!p.ok) throw new Error(`expected a valid policy, got ${JSON.stringify(p.errors)}`);
  return p.policy;
}

function errors(p: PolicyParse): ConfigError[] {
  if (p.ok) throw new Error('expected errors, the policy parsed');
  return p.errors;
}

describe('the SPEC §3 example policy', () => {
  const policy = ok(parsePolicy(SPEC_POLICY, FILE, 'main'));

  it('parses with every value as written', () => {
    expect(policy.branches).toEqual([
      { pattern: 'release/**', stage: 'production', enforce: 'block' },
      { pattern: 'main', stage: 'staging', enforce: 'warn' },
    ]);
    expect(policy.stages.production?.require).toEqual(['ownership', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'evals']);
    expect(policy.signoffs).toEqual({
      security: { approvers: ['alice', '@acme/security'], max_age_days: 180, sla_days: 10, escalate: '@acme/security-leads' },
      'data-governance': { approvers: ['@acme/data-gov'] },
      compliance: { approvers: ['carol'], when: { risk_tier: ['limited', 'high'] } },
      identity: { approvers: ['@acme/iam'] },
      'business-owner': { approvers: ['dana'] },
    });
    expect(policy.evals).toEqual({
      confidence: 0.95,
      min_samples: 300,
      max_age_days: 30,
      require_sources: ['curated', 'production-sample'],
      max_gap: { accuracy: 0.05 },
      slices: { min_samples: 30, max_drop: 0.1 },
      regression: { max_drop: 0.02 },
      thresholds: { accuracy: { min: 0.8 } },
    });
    expect(policy.waivers).toEqual({ approvers: ['erin', '@acme/release-managers'], max_days: 90 });
    expect(policy.monitoring).toEqual({ verify_alerts: true });
    expect(policy.inventory).toEqual({ require_manifest: true, ignore: ['examples/**', 'notebooks/**'], packages: { pypi: ['our-internal-llm-client'] } });
  });

  it('has the same stages as the built-in default ("as in the example above")', () => {
    expect(policy.stages).toEqual(DEFAULT_STAGES);
  });
});

describe('the built-in default policy', () => {
  it('equals SPEC §3 exactly: branches, stages, signoffs, evals, waivers', () => {
    const d = defaultPolicy('main');
    expect(d.branches).toEqual([
      { pattern: 'release/**', stage: 'production', enforce: 'block' },
      { pattern: 'main', stage: 'staging', enforce: 'warn' },
      { pattern: '**', stage: 'pilot', enforce: 'warn' },
    ]);
    expect(d.stages).toEqual({
      pilot: { require: ['ownership'] },
      staging: { require: ['ownership', 'evals', 'monitoring'] },
      production: { require: ['ownership', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'evals'] },
    });
    expect(d.signoffs).toEqual({
      security: { approvers: ['@write'] },
      'data-governance': { approvers: ['@write'] },
      'business-owner': { approvers: ['@write'] },
      compliance: { approvers: ['@write'], when: { risk_tier: ['limited', 'high'] } },
    });
    expect(d.evals).toEqual({
      confidence: 0.95,
      min_samples: 100,
      max_age_days: 30,
      require_sources: ['curated', 'production-sample'],
      max_gap: 0.05,
      slices: { min_samples: 30, max_drop: 0.1 },
      regression: { max_drop: 0.02 },
      thresholds: {},
    });
    expect(d.waivers).toEqual({ approvers: ['@maintain'], max_days: 90 });
  });

  it('equals the SPEC text parsed as a policy file', () => {
    expect(ok(parsePolicy(SPEC_DEFAULT_POLICY, FILE, 'main'))).toEqual(defaultPolicy('main'));
  });

  it('equals its own YAML (shown in the README and written by init)', () => {
    expect(ok(parsePolicy(DEFAULT_POLICY_YAML, FILE, 'main'))).toEqual(defaultPolicy('main'));
  });

  it("uses the repository's default branch for the staging rule", () => {
    expect(defaultPolicy('trunk').branches[1]).toEqual({ pattern: 'trunk', stage: 'staging', enforce: 'warn' });
  });

  it('hands out independent copies', () => {
    const a = defaultPolicy('main');
    a.stages.pilot!.require.push('evals');
    expect(defaultPolicy('main').stages.pilot!.require).toEqual(['ownership']);
  });
});

describe('defaults for omitted sections', () => {
  it('version: 1 alone is the built-in default', () => {
    expect(ok(parsePolicy('version: 1\n', FILE, 'develop'))).toEqual(defaultPolicy('develop'));
  });

  it('fills each omitted key of a partial section', () => {
    const p = ok(parsePolicy('version: 1\nevals: { min_samples: 500, slices: { max_drop: 0.2 } }\nwaivers: { max_days: 30 }\n', FILE, 'main'));
    const d = defaultPolicy('main');
    expect(p.evals).toEqual({ ...d.evals, min_samples: 500, slices: { min_samples: 30, max_drop: 0.2 } });
    expect(p.waivers).toEqual({ approvers: ['@maintain'], max_days: 30 });
    expect(p.branches).toEqual(d.branches);
    expect(p.signoffs).toEqual(d.signoffs);
    expect(p.monitoring).toEqual({ verify_alerts: true });
    expect(p.inventory).toEqual({ require_manifest: undefined, ignore: [], packages: {} });
  });

  it('a policy that lists signoffs replaces the default kinds', () => {
    const p = ok(parsePolicy('version: 1\nsignoffs:\n  security: { approvers: [alice] }\n', FILE, 'main'));
    expect(p.signoffs).toEqual({ security: { approvers: ['alice'] } });
  });

  it('accepts max_gap as one number or a map per metric', () => {
    expect(ok(parsePolicy('version: 1\nevals: { max_gap: 0.1 }\n', FILE, 'main')).evals.max_gap).toBe(0.1);
    expect(ok(parsePolicy('version: 1\nevals: { max_gap: { accuracy: 0.05, latency_p95_ms: 200 } }\n', FILE, 'main')).evals.max_gap).toEqual({ accuracy: 0.05, latency_p95_ms: 200 });
  });

  it('resolvePolicy keeps stages the document adds or overrides', () => {
    const p = resolvePolicy({ version: 1, stages: { canary: { require: ['ownership', 'evals'] }, pilot: { require: [] } } }, 'main');
    expect(p.stages.canary).toEqual({ require: ['ownership', 'evals'] });
    expect(p.stages.pilot).toEqual({ require: [] });
    expect(p.stages.production).toEqual(DEFAULT_STAGES.production);
  });
});

describe('policy errors', () => {
  it('an unknown stage in branches is an error with its line', () => {
    const text = 'version: 1\nbranches:\n  - pattern: "release/**"\n    stage: prod\n    enforce: block\n';
    const errs = errors(parsePolicy(text, FILE, 'main'));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ file: FILE, line: 4, column: 12, path: 'branches[0].stage', found: '"prod"' });
    expect(errs[0]!.expected).toContain('production');
  });

  it('keeps the branch rules of a policy with an unknown stage, so it still fails closed', () => {
    const text = 'version: 1\nbranches:\n  - { pattern: "release/**", stage: prod, enforce: block }\n';
    const p = parsePolicy(text, FILE, 'main');
    expect(p.ok).toBe(false);
    expect(!p.ok && p.partial?.branches).toEqual([{ pattern: 'release/**', stage: 'prod', enforce: 'block' }]);
  });

  it('a stage the policy defines itself is known', () => {
    const text = 'version: 1\nbranches:\n  - { pattern: "release/**", stage: prod, enforce: block }\nstages:\n  prod: { require: [ownership] }\n';
    expect(ok(parsePolicy(text, FILE, 'main')).stages.prod).toEqual({ require: ['ownership'] });
  });

  it.each([
    ['alice bob', 'a space'],
    ['@acme/', 'an empty team'],
    ['-alice', 'a leading dash'],
    ['', 'an empty string'],
  ])('an invalid approver (%j: %s) is an error at its line', (approver) => {
    const text = `version: 1\nsignoffs:\n  security:\n    approvers: [alice, ${JSON.stringify(approver)}]\n`;
    const errs = errors(parsePolicy(text, FILE, 'main'));
    expect(errs).toEqual([expect.objectContaining({ line: 4, path: 'signoffs.security.approvers[1]', found: JSON.stringify(approver) })]);
    expect(errs[0]!.expected).toMatch(/user|team|permission/);
  });

  it('accepts users, teams and permission levels as approvers', () => {
    const p = ok(parsePolicy('version: 1\nwaivers: { approvers: [erin, "@erin", "@acme/release-managers", "@write", "@maintain", "@admin"] }\n', FILE, 'main'));
    expect(p.waivers.approvers).toHaveLength(6);
  });

  it('an unknown key is an error at the key, top-level and nested', () => {
    const errs = errors(parsePolicy('version: 1\nevals:\n  min_sample: 300\nwaiver: {}\n', FILE, 'main'));
    expect(errs.map((e) => [e.path, e.line, e.column, e.found])).toEqual([
      ['evals.min_sample', 3, 3, 'unknown key "min_sample"'],
      ['waiver', 4, 1, 'unknown key "waiver"'],
    ]);
  });

  it('an unknown area in a stage is an error', () => {
    const errs = errors(parsePolicy('version: 1\nstages:\n  pilot: { require: [ownership, monitorng] }\n', FILE, 'main'));
    expect(errs).toEqual([expect.objectContaining({ path: 'stages.pilot.require[1]', line: 3, found: '"monitorng"' })]);
  });

  it.each([
    ['evals: { confidence: 95 }', 'evals.confidence'],
    ['evals: { max_gap: 1.5 }', 'evals.max_gap'],
    ['evals: { max_age_days: 0 }', 'evals.max_age_days'],
    ['evals: { require_sources: [curated, production] }', 'evals.require_sources[1]'],
    ['branches: [{ pattern: main, stage: staging, enforce: fail }]', 'branches[0].enforce'],
    ['branches: []', 'branches'],
    ['signoffs: { security: { approvers: [] } }', 'signoffs.security.approvers'],
    ['signoffs: { compliance: { approvers: [carol], when: { risk_tier: [severe] } } }', 'signoffs.compliance.when.risk_tier[0]'],
    ['signoffs: { security: { approvers: [alice], sla_days: 0 } }', 'signoffs.security.sla_days'],
    ['signoffs: { security: { approvers: [alice], sla_days: 2.5 } }', 'signoffs.security.sla_days'],
    ['signoffs: { security: { approvers: [alice], escalate: "@write" } }', 'signoffs.security.escalate'],
    ['signoffs: { security: { approvers: [alice], escalate: "not a user!" } }', 'signoffs.security.escalate'],
  ])('%s is an error at %s', (line, path) => {
    const errs = errors(parsePolicy(`version: 1\n${line}\n`, FILE, 'main'));
    expect(errs.map((e) => e.path)).toEqual([path]);
    expect(errs[0]!.line).toBe(2);
  });

  it('a malformed max_gap says what it may be', () => {
    const big = errors(parsePolicy('version: 1\nevals: { max_gap: 1.5 }\n', FILE, 'main'));
    expect(big).toEqual([expect.objectContaining({ path: 'evals.max_gap', expected: 'a value of at most 1', found: 'number 1.5' })]);
    const text = errors(parsePolicy('version: 1\nevals: { max_gap: small }\n', FILE, 'main'));
    expect(text).toEqual([expect.objectContaining({ path: 'evals.max_gap', expected: 'a number from 0 to 1, or a map of metric name to number', found: '"small"' })]);
  });

  it('version: 2, an empty file and a YAML error are errors', () => {
    expect(errors(parsePolicy('version: 2\n', FILE, 'main'))).toEqual([expect.objectContaining({ path: 'version', line: 1 })]);
    expect(errors(parsePolicy('', FILE, 'main'))).toEqual([expect.objectContaining({ line: 1, found: 'an empty document' })]);
    const yamlErr = errors(parsePolicy('version: 1\nbranches: [\n', FILE, 'main'));
    expect(yamlErr[0]).toMatchObject({ file: FILE, expected: 'valid YAML' });
  });

  it('an invalid policy keeps its valid branch rules to fail closed on', () => {
    const p = parsePolicy('version: 1\nbranches:\n  - { pattern: "release/**", stage: production, enforce: block }\nevals: { confidence: 2 }\n', FILE, 'main');
    expect(p.ok).toBe(false);
    expect(!p.ok && p.partial?.branches).toEqual([{ pattern: 'release/**', stage: 'production', enforce: 'block' }]);
  });
});
