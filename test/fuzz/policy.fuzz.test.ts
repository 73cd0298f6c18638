// Fuzz: the policy parser, and the evaluation core under mutated policies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleFor } from '../../src/config/policy/branches';
import { parsePolicy } from '../../src/config/policy/parse';
import type { PolicyParse } from '../../src/config/policy/parse';
import { evaluate } from '../../src/core/evaluate';
import { SPEC_POLICY } from '../helpers/fixtures';
import { makeInput } from '../helpers/report';
import { params, timeout, yamlMutants } from './fuzz';
import { expectStructured, READY } from './subjects';

const FILE = '.github/lastmile-policy.yml';

function expectWellFormed(p: PolicyParse, text: string): void {
  if (!p.ok) {
    expect(p.errors.length).toBeGreaterThan(0);
    for (const e of p.errors) expectStructured(e, FILE, text);
    return;
  }
  // An accepted policy holds only values the gates can compute with.
  const { evals, waivers, branches, stages, signoffs } = p.policy;
  expect(evals.confidence).toBeGreaterThan(0.5);
  expect(evals.confidence).toBeLessThan(1);
  expect(Number.isInteger(evals.min_samples) && evals.min_samples >= 0).toBe(true);
  expect(Number.isInteger(evals.max_age_days) && evals.max_age_days > 0).toBe(true);
  const gaps = typeof evals.max_gap === 'number' ? [evals.max_gap] : Object.values(evals.max_gap);
  for (const g of [...gaps, evals.slices.max_drop, evals.regression.max_drop]) expect(Number.isFinite(g) && g >= 0, String(g)).toBe(true);
  expect(Number.isInteger(evals.slices.min_samples) && evals.slices.min_samples >= 0).toBe(true);
  expect(Number.isInteger(waivers.max_days) && waivers.max_days > 0).toBe(true);
  expect(waivers.approvers.length).toBeGreaterThan(0);
  expect(branches.length).toBeGreaterThan(0);
  for (const b of branches) {
    expect(stages[b.stage], `stage ${b.stage}`).toBeDefined();
    expect(['block', 'warn']).toContain(b.enforce);
  }
  for (const rule of Object.values(signoffs)) expect(rule.approvers.length).toBeGreaterThan(0);
}

describe('fuzz: policy parser', () => {
  it('the unmutated policy parses', () => {
    expect(parsePolicy(SPEC_POLICY, FILE, 'main').ok).toBe(true);
  });

  it(
    'never throws on a mutated policy; a rejection names the file and a line; an acceptance holds usable values',
    () => {
      fc.assert(
        fc.property(yamlMutants(SPEC_POLICY), (mut) => {
          expectWellFormed(parsePolicy(mut.text, FILE, 'main'), mut.text);
        }),
        params(200),
      );
    },
    timeout(),
  );

  it(
    'never throws on the policy truncated at sampled offsets (it is 1.6 KB)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: SPEC_POLICY.length }), (at) => {
          const text = SPEC_POLICY.slice(0, at);
          expectWellFormed(parsePolicy(text, FILE, 'main'), text);
        }),
        params(300),
      );
    },
    timeout(),
  );
});

describe('fuzz: evaluation core under mutated policies', () => {
  it(
    'never throws; a rejected policy never yields pass, and fails where the policy (or the default) blocks',
    () => {
      let rejected = 0;
      fc.assert(
        fc.property(yamlMutants(SPEC_POLICY), fc.constantFrom('release/1.0', 'main', 'feature/x'), (mut, branch) => {
          const policyParse = parsePolicy(mut.text, FILE, 'main');
          const r = evaluate(makeInput({ policyYaml: mut.text, branch, systems: [{ manifestYaml: READY }] }));
          expect(['pass', 'fail', 'warn']).toContain(r.verdict);
          const all = [...r.repositoryGates, ...r.systems.flatMap((s) => s.gates)];
          expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(all.length);
          if (policyParse.ok) return;
          rejected++;
          expect(r.verdict, mut.how).not.toBe('pass');
          expect(r.repositoryGates.find((g) => g.id === 'policy.integrity')?.outcome).toBe('fail');
          expect(r.errors.join('\n')).toContain(FILE);
          // Where the valid part of the policy (or, without one, the default) blocks, the check fails.
          const rules = policyParse.partial?.branches ?? [{ pattern: 'release/**', stage: 'production', enforce: 'block' as const }];
          if (ruleFor(rules, branch)?.enforce === 'block') expect(r.verdict, mut.how).toBe('fail');
        }),
        params(150),
      );
      expect(rejected).toBeGreaterThan(0);
    },
    timeout(),
  );
});
