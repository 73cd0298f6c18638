import { describe, expect, it } from 'vitest';
import { slices } from '../../../src/gates/eval/slices';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, okLoad, prop, slice } from '../../helpers/evals';
import { FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad, SliceMetrics } from '../../../src/evals/types';

function run(sl: SliceMetrics[], extra: Partial<Parameters<typeof okLoad>[0]> = {}, manifestYaml = FULL_MANIFEST, policyYaml?: string) {
  const production: EvalLoad = okLoad({ metrics: { accuracy: prop(920, 1000) }, slices: sl, ...extra });
  return slices(makeContext({ manifestYaml, evals: { ...goodEvals(), 'production-sample': production }, ...(policyYaml ? { policy: policyFrom(policyYaml) } : {}) }));
}

const fine = [slice('language', 'en', 700, { accuracy: prop(651, 700) }), slice('channel', 'email', 500, { accuracy: prop(460, 500) })];

describe('eval.slices', () => {
  it('passes when every slice is big enough and close to the whole', () => {
    expect(run(fine)).toMatchObject({ outcome: 'pass', reason: '2 slices within 0.1 of the whole' });
  });

  it('fails on a slice more than max_drop below the whole, listing the worst first', () => {
    const r = run([
      ...fine,
      slice('language', 'pt', 100, { accuracy: prop(70, 100) }),
      slice('language', 'de', 100, { accuracy: prop(80, 100) }),
    ]);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('2 slices more than 0.1 below the whole; worst: production-sample language=pt: accuracy 0.7 vs 0.92 overall (0.22 worse, max 0.1; 100 samples)');
    expect(r.details).toEqual([
      'worse: production-sample language=pt: accuracy 0.7 vs 0.92 overall (0.22 worse, max 0.1; 100 samples)',
      'worse: production-sample language=de: accuracy 0.8 vs 0.92 overall (0.12 worse, max 0.1; 100 samples)',
    ]);
    expect(r.location).toMatchObject({ file: 'lastmile.yml', line: 64 });
  });

  it('is inconclusive on a slice with fewer than min_samples', () => {
    const r = run([...fine, slice('channel', 'phone', 12, { accuracy: prop(12, 12) })]);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toBe('1 slice with fewer than 30 samples: production-sample channel=phone: 12 samples (min_samples 30)');
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

  it('a latency slice may be at most max_drop (as a share) above the whole', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.85 }', '      latency_p95_ms: { max: 2000 }');
    const whole = { latency_p95_ms: latency(1000, 1000) };
    const ok = run([slice('language', 'en', 500, { latency_p95_ms: latency(1050, 500) }), slice('channel', 'chat', 500, { latency_p95_ms: latency(1000, 500) })], { metrics: whole }, yaml);
    expect(ok.outcome).toBe('pass');
    const slow = run([slice('language', 'en', 500, { latency_p95_ms: latency(1200, 500) }), slice('channel', 'chat', 500, { latency_p95_ms: latency(1000, 500) })], { metrics: whole }, yaml);
    expect(slow.outcome).toBe('fail');
    expect(slow.reason).toContain('latency_p95_ms 1200 vs 1000 overall (200 worse, max 100');
  });

  it('passes with nothing to check when no eval declares slices', () => {
    const yaml = FULL_MANIFEST.replace('    slices: [language, channel]   # per-slice results for the long tail\n', '');
    expect(slices(makeContext({ manifestYaml: yaml })).reason).toBe('no slices declared');
  });
});
