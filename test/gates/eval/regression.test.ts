import { describe, expect, it } from 'vitest';
import { regression } from '../../../src/core/gates/eval/regression';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, okLoad, prop } from '../../helpers/evals';
import { FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad } from '../../../src/evidence/evals/types';

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
    // 950/1000 → 920/1000: a point drop of 0.03 whose interval [0.008, 0.052] does not show more than 0.02.
    expect(r.outcome).toBe('pass');
    expect(r.reason).toMatch(/^no drop beyond max_drop that the evidence shows \(1 unsettled\): production-sample accuracy: 0\.950 \[[\d.]+, [\d.]+\] n=1000 on base → 0\.920 \[[\d.]+, [\d.]+\] n=1000, drop 0\.0300 \[0\.00\d+, 0\.05\d+\] \(max_drop 0\.02\): the point drop exceeds max_drop but its 95 % interval does not show it; the base's own sample is too small for the head alone to settle it: more samples on both would$/);
  });

  it('fails when the lower bound of the drop exceeds max_drop, naming eval, metric and both values', () => {
    const r = regression(makeContext({ baseEvals: base(0.99) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^regression against the base: production-sample accuracy: 0\.990 \[[\d.]+, [\d.]+\] n=1000 on base → 0\.920 \[[\d.]+, [\d.]+\] n=1000, drop 0\.0700 \[0\.05\d+, 0\.08\d+\] \(max_drop 0\.02\)$/);
    expect(r.location).toMatchObject({ line: 58 });
  });

  it('passes a drop within max_drop or an improvement', () => {
    expect(regression(makeContext({ baseEvals: base(0.93) }))).toMatchObject({ outcome: 'pass', reason: '1 metric no worse than on the base beyond max_drop at 95 % confidence' });
    const better = regression(makeContext({ baseEvals: base(0.9) }));
    expect(better.outcome).toBe('pass');
    expect(better.details).toHaveLength(1);
    expect(better.details![0]).toMatch(/^production-sample accuracy: 0\.900 .* on base → 0\.920 .*, drop -0\.0200 \[/);
  });

  it('92/100 → 90/100 is not "0.02 worse" by rounding: a drop at max_drop is not a regression', () => {
    const now = { ...goodEvals(), 'production-sample': okLoad({ metrics: { accuracy: prop(90, 100) } }) };
    const r = regression(makeContext({ evals: now, baseEvals: { 'production-sample': okLoad({ metrics: { accuracy: prop(92, 100) } }) } }));
    expect(r.outcome).toBe('pass');
  });

  it('uses the policy’s max_drop', () => {
    expect(regression(makeContext({ baseEvals: base(0.95), policy: policyFrom('version: 1\nevals: { regression: { max_drop: 0.05 } }\n') })).outcome).toBe('pass');
  });

  it('a max metric regresses upwards (error rate), and a latency is shown, not gated (SPEC §5.1)', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.85 }', '      error_rate: { max: 0.5 }\n      latency_p95_ms: { max: 2000 }');
    const now = { ...goodEvals(), 'production-sample': okLoad({ metrics: { error_rate: prop(100, 1000, 'error_rate'), latency_p95_ms: latency(1500, 1000) } }) };
    const r = regression(makeContext({ manifestYaml: yaml, evals: now, baseEvals: { 'production-sample': okLoad({ metrics: { error_rate: prop(20, 1000, 'error_rate'), latency_p95_ms: latency(1000, 1000) } }) } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('drop 0.0800 [');
    expect(r.details).toContain('production-sample latency_p95_ms: 1000 on base → 1500: not bounded in [0, 1], shown, not gated');
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
