import { describe, expect, it } from 'vitest';
import { regression } from '../../../src/gates/eval/regression';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, okLoad, prop } from '../../helpers/evals';
import { FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad } from '../../../src/evals/types';

const base = (accuracy: number): Record<string, EvalLoad | undefined> => ({ 'production-sample': okLoad({ metrics: { accuracy: prop(accuracy * 1000, 1000) } }) });

describe('eval.regression', () => {
  it('is skipped without a base to compare with', () => {
    expect(regression(makeContext())).toMatchObject({ outcome: 'skipped', reason: 'the base has no eval results to compare with' });
  });

  it('is skipped when the base has none of these evals', () => {
    expect(regression(makeContext({ baseEvals: {} }))).toMatchObject({ outcome: 'skipped', reason: 'the base has no eval results to compare with' });
  });

  it('fails a drop beyond max_drop, naming eval, metric and both values', () => {
    const r = regression(makeContext({ baseEvals: base(0.95) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('regression against the base: production-sample accuracy: 0.95 on base → 0.92 (0.03 worse; max_drop 0.02)');
    expect(r.location).toMatchObject({ line: 58 });
  });

  it('passes a drop within max_drop or an improvement', () => {
    expect(regression(makeContext({ baseEvals: base(0.93) }))).toMatchObject({ outcome: 'pass', reason: '1 metric no worse than on the base' });
    const better = regression(makeContext({ baseEvals: base(0.9) }));
    expect(better.outcome).toBe('pass');
    expect(better.details).toEqual(['production-sample accuracy: 0.9 on base → 0.92 (no worse; max_drop 0.02)']);
  });

  it('uses the policy’s max_drop', () => {
    expect(regression(makeContext({ baseEvals: base(0.95), policy: policyFrom('version: 1\nevals: { regression: { max_drop: 0.05 } }\n') })).outcome).toBe('pass');
  });

  it('a max metric regresses upwards', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.85 }', '      latency_p95_ms: { max: 2000 }');
    const now = { ...goodEvals(), 'production-sample': okLoad({ metrics: { latency_p95_ms: latency(1500, 1000) } }) };
    const r = regression(makeContext({ manifestYaml: yaml, evals: now, baseEvals: { 'production-sample': okLoad({ metrics: { latency_p95_ms: latency(1000, 1000) } }) } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('500 worse');
  });

  it('an unreadable base result is noted, not compared', () => {
    const r = regression(makeContext({ baseEvals: { 'production-sample': errLoad('evals/prod-sample.jsonl@base', 'not JSON') } }));
    expect(r.outcome).toBe('skipped');
    expect(r.details).toEqual(["production-sample: the base's results could not be read (not JSON); not compared"]);
  });

  it('a head result that cannot be read fails when the base has one', () => {
    const r = regression(makeContext({ evals: { ...goodEvals(), 'production-sample': errLoad('evals/prod-sample.jsonl', 'truncated', 4) }, baseEvals: base(0.9) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('regression against the base: production-sample: cannot read evals/prod-sample.jsonl:4: truncated');
  });

  it('a NaN now, against a number on the base, fails closed', () => {
    const now = { ...goodEvals(), 'production-sample': okLoad({ metrics: { accuracy: { ...prop(920, 1000), value: Number.NaN } } }) };
    expect(regression(makeContext({ evals: now, baseEvals: base(0.9) })).outcome).toBe('fail');
  });
});
