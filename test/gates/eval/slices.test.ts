import { describe, expect, it } from 'vitest';
import { slices } from '../../../src/core/gates/eval/slices';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, okLoad, prop, slice } from '../../helpers/evals';
import { FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad, SliceMetrics } from '../../../src/evidence/evals/types';

function run(sl: SliceMetrics[], extra: Partial<Parameters<typeof okLoad>[0]> = {}, manifestYaml = FULL_MANIFEST, policyYaml?: string) {
  const production: EvalLoad = okLoad({ metrics: { accuracy: prop(920, 1000) }, slices: sl, ...extra });
  return slices(makeContext({ manifestYaml, evals: { ...goodEvals(), 'production-sample': production }, ...(policyYaml ? { policy: policyFrom(policyYaml) } : {}) }));
}

const fine = [slice('language', 'en', 700, { accuracy: prop(651, 700) }), slice('channel', 'email', 500, { accuracy: prop(460, 500) })];

describe('eval.slices', () => {
  it('passes when every slice is big enough and close to the whole', () => {
    expect(run(fine)).toMatchObject({ outcome: 'pass', reason: '2 slices: none shown more than 0.1 below the whole at 95 % confidence' });
  });

  it('fails on a slice more than max_drop below the whole, listing the worst first', () => {
    const r = run([
      ...fine,
      slice('language', 'pt', 100, { accuracy: prop(70, 100) }),
      slice('language', 'de', 100, { accuracy: prop(80, 100) }),
    ]);
    // pt: 0.22 below, and its interval lies above max_drop: fails. de: 0.12 below on 100
    // samples, but the interval of its drop reaches below 0.1: not shown, so a note, not a fail.
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^1 slice more than 0\.1 below the whole; worst: production-sample language=pt: accuracy 0\.700 \[0\.60\d, 0\.78\d\] n=100 vs 0\.920 overall \(0\.220 worse \[0\.1[3-5]\d*, 0\.3\d*\], max 0\.1\)$/);
    expect(r.details).toHaveLength(2);
    expect(r.details![1]).toMatch(/^note: production-sample language=de: accuracy 0\.800 .* \(0\.120 worse \[0\.0\d+, 0\.2\d*\], max 0\.1\): the point drop exceeds max_drop but its 95 % interval does not show it; about \d+ samples in the slice would settle it$/);
    expect(r.location).toMatchObject({ file: 'lastmile.yml', line: 64 });
  });

  it('is inconclusive on a slice with fewer than min_samples', () => {
    const r = run([...fine, slice('channel', 'phone', 12, { accuracy: prop(12, 12) })]);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toBe('1 slice without enough evidence (min_samples 30): production-sample channel=phone: accuracy: n = 12 (min_samples 30)');
  });

  it('uses the policy’s min_samples and max_drop', () => {
    const sl = [...fine, slice('language', 'pt', 100, { accuracy: prop(80, 100) })];
    expect(run(sl, {}, FULL_MANIFEST, 'version: 1\nevals: { slices: { max_drop: 0.2 } }\n').outcome).toBe('pass');
    expect(run([slice('language', 'en', 20, { accuracy: prop(19, 20) }), slice('channel', 'c', 20, { accuracy: prop(19, 20) })], {}, FULL_MANIFEST, 'version: 1\nevals: { slices: { min_samples: 10 } }\n').outcome).toBe('pass');
  });

  it('fails when a declared slice field is absent from the results', () => {
    const r = run([slice('language', 'en', 700, { accuracy: prop(651, 700) })]);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('production-sample: no slice field "channel" in evals/prod-sample.jsonl');
  });

  it('says when the format carries no slices', () => {
    const r = run([], { format: 'promptfoo', file: 'evals/p.json' });
    expect(r.reason).toBe('production-sample: no slice field "language" in evals/p.json (promptfoo results carry no slices)');
  });

  it('fails when a slice field had too many values to compute', () => {
    const r = run(fine, { truncatedSliceFields: ['language'] });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('"language" has too many distinct values');
  });

  it('fails when the result file cannot be read', () => {
    const r = slices(makeContext({ evals: { ...goodEvals(), 'production-sample': errLoad('evals/prod-sample.jsonl', 'line is not JSON', 17) } }));
    expect(r).toMatchObject({ outcome: 'fail', reason: 'production-sample: cannot read evals/prod-sample.jsonl:17: line is not JSON' });
  });

  it('a latency slice is shown, not gated: slices.max_drop applies to rates and scores in [0, 1] (SPEC §5.1)', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.85 }', '      latency_p95_ms: { max: 2000 }');
    const whole = { latency_p95_ms: latency(1000, 1000) };
    const slow = run([slice('language', 'en', 500, { latency_p95_ms: latency(1900, 500) }), slice('channel', 'chat', 500, { latency_p95_ms: latency(1000, 500) })], { metrics: whole }, yaml);
    expect(slow.outcome).toBe('pass');
    expect(slow.details).toContain('note: production-sample latency_p95_ms: not bounded in [0, 1] (slices.max_drop applies to rates and scores): shown, not gated');
  });

  it('min_samples counts the metric\'s own n in the slice, not its lines (errored lines are counted as failures)', () => {
    const sl = [slice('language', 'en', 700, { accuracy: prop(651, 700) }), slice('channel', 'email', 500, { accuracy: prop(20, 25) })];
    const r = run(sl);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('channel=email: accuracy: n = 25 (min_samples 30)');
  });

  it('a slice whose every result errored has no estimate: inconclusive, never skipped', () => {
    const r = run([slice('language', 'en', 700, { accuracy: prop(651, 700) }), slice('channel', 'email', 40, {})]);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('channel=email: accuracy: no estimate in this slice (40 lines)');
  });

  it('passes with nothing to check when no eval declares slices', () => {
    const yaml = FULL_MANIFEST.replace('    slices: [language, channel]   # per-slice results for the long tail\n', '');
    expect(slices(makeContext({ manifestYaml: yaml })).reason).toBe('no slices declared');
  });
});
