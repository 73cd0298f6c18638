import { describe, expect, it } from 'vitest';
import { thresholds } from '../../../src/core/gates/eval/thresholds';
import { samplesNeeded } from '../../../src/evidence/evals/stats';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, mean, okLoad, prop } from '../../helpers/evals';
import { FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad } from '../../../src/evidence/evals/types';

const policy = (minSamples: number) => policyFrom(`version: 1\nevals: { min_samples: ${minSamples} }\n`);

/** SPEC §2's manifest with the curated result replaced. */
function curated(load: EvalLoad, minSamples = 30, manifestYaml = FULL_MANIFEST) {
  return thresholds(makeContext({ manifestYaml, policy: policy(minSamples), evals: { ...goodEvals(), curated: load } }));
}

describe('eval.thresholds', () => {
  it('47/50 vs min 0.90 is inconclusive (bound [0.838, 0.979]) with the samples needed', () => {
    const r = curated(okLoad({ file: 'evals/curated.json', metrics: { accuracy: prop(47, 50) } }));
    expect(r.outcome).toBe('inconclusive');
    const need = samplesNeeded(0.94, 0.9, 0.95, 'min');
    expect(need).toBe(217);
    expect(r.reason).toBe(`curated accuracy = 0.940 [0.838, 0.979] n=50: the lower bound of its 95 % interval is below 0.9; about ${need} samples at this rate would settle it`);
    expect(r.location).toMatchObject({ file: 'lastmile.yml', line: 52 });
    expect(r.fix).toContain('more samples');
  });

  it('940/1000 vs min 0.90 passes on the lower bound', () => {
    const r = curated(okLoad({ metrics: { accuracy: prop(940, 1000) } }));
    expect(r.outcome).toBe('pass');
    expect(r.reason).toBe('2 metrics meet their thresholds at 95 % confidence');
    expect(r.details![0]).toMatch(/^pass: curated accuracy = 0\.940 \[0\.92\d, 0\.95\d\] n=1000 ≥ 0\.9 at 95 % confidence$/);
  });

  it('n below min_samples: inconclusive when the point estimate meets the threshold, fail when it does not', () => {
    const r = curated(okLoad({ metrics: { accuracy: prop(200, 200) } }), 300);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toMatch(/^curated accuracy = 1 \[0\.98\d, 1\] n=200: fewer than min_samples 300$/);
    const low = curated(okLoad({ metrics: { accuracy: prop(100, 200) } }), 300);
    expect(low.outcome).toBe('fail');
    expect(low.reason).toMatch(/^curated accuracy = 0\.500 \[0\.43\d, 0\.56\d\] n=200: fewer than min_samples 300, and below 0\.9$/);
  });

  it('a point estimate below the threshold fails, naming the metric', () => {
    const r = curated(okLoad({ metrics: { accuracy: prop(800, 1000) } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^curated accuracy = 0\.800 \[0\.77\d, 0\.82\d\] n=1000, needs ≥ 0\.9$/);
  });

  it('a missing metric fails, listing what the file has', () => {
    const r = curated(okLoad({ file: 'evals/curated.json', metrics: { pass_rate_x: prop(950, 1000, 'pass_rate_x') } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('curated accuracy: no such metric in evals/curated.json (it has: pass_rate_x)');
  });

  it('a NaN value fails closed', () => {
    const r = curated(okLoad({ file: 'evals/curated.json', metrics: { accuracy: { ...prop(950, 1000), value: Number.NaN } } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('curated accuracy: value is NaN in evals/curated.json');
  });

  it('an unreadable result file fails, naming file and line', () => {
    const r = curated(errLoad('evals/curated.json', 'unexpected end of JSON', 12));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('curated: cannot read evals/curated.json:12: unexpected end of JSON');
  });

  it('a run whose results all errored is inconclusive, never a score of 0', () => {
    const r = curated(okLoad({ file: 'evals/curated.json', status: 'inconclusive', statusReason: 'every test errored', metrics: {} }));
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toBe('curated: every test errored (evals/curated.json)');
  });

  it('a value with neither n nor stderr is inconclusive (min_samples cannot be checked)', () => {
    const r = curated(okLoad({ file: 'evals/curated.json', metrics: { accuracy: mean(0.95, {}, 'accuracy') } }));
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('records neither n nor stderr');
  });

  it('a mean with stderr is judged on the normal interval', () => {
    const pass = curated(okLoad({ metrics: { accuracy: mean(0.95, { stderr: 0.01, n: 500, range: [0, 1] }, 'accuracy') } }));
    expect(pass.outcome).toBe('pass');
    const wide = curated(okLoad({ metrics: { accuracy: mean(0.93, { stderr: 0.05, n: 500, range: [0, 1] }, 'accuracy') } }));
    expect(wide.outcome).toBe('inconclusive');
    expect(wide.reason).toMatch(/^curated accuracy = 0\.930 \[0\.83\d, 1\] n=500: the lower bound of its 95 % interval is below 0\.9; about \d+ samples at this rate would settle it$/);
  });

  it('a max threshold (latency) compares the percentile as a point estimate', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.90 }', '      accuracy: { min: 0.90 }\n      latency_p95_ms: { max: 2000 }');
    const ok = curated(okLoad({ metrics: { accuracy: prop(950, 1000), latency_p95_ms: latency(1500, 1000) } }), 30, yaml);
    expect(ok.outcome).toBe('pass');
    expect(ok.details).toContain('pass: curated latency_p95_ms = 1500 (point estimate) n=1000 ≤ 2000 (a percentile: compared as a point estimate)');
    const slow = curated(okLoad({ metrics: { accuracy: prop(950, 1000), latency_p95_ms: latency(2500, 1000) } }), 30, yaml);
    expect(slow.outcome).toBe('fail');
    expect(slow.reason).toBe('curated latency_p95_ms = 2500 (point estimate) n=1000, needs ≤ 2000');
  });

  it('a max threshold on a proportion uses the upper bound', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.90 }', '      error_rate: { max: 0.05 }');
    const r = curated(okLoad({ metrics: { error_rate: prop(2, 50, 'error_rate') } }), 30, yaml);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('upper bound');
    expect(r.reason).toContain('above 0.05');
  });

  it('the worst outcome leads and counts the others', () => {
    const r = thresholds(
      makeContext({
        policy: policy(30),
        evals: { curated: okLoad({ metrics: { accuracy: prop(47, 50) } }), 'production-sample': okLoad({ metrics: { accuracy: prop(10, 1000) } }) },
      }),
    );
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^production-sample accuracy = 0\.0100 \[0\.00\d+, 0\.01\d+\] n=1000, needs ≥ 0\.85 \(and 1 more\)$/);
    expect(r.location?.line).toBe(58);
  });

  it('fails when no eval declares a threshold', () => {
    const yaml = FULL_MANIFEST.replace(/ {4}metrics:\n {6}accuracy: \{ min: 0\.[0-9]+ \}\n/g, '');
    const r = thresholds(makeContext({ manifestYaml: yaml, policy: 'default' }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^no metric thresholds declared/);
  });

  it('a value exactly at the limit meets it (SPEC §5.1, tolerance 1e-9)', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.90 }', '      latency_p95_ms: { max: 2000 }');
    const r = curated(okLoad({ metrics: { latency_p95_ms: latency(2000 + 1e-10, 1000) } }), 30, yaml);
    expect(r.details?.[0]).toMatch(/^pass: curated latency_p95_ms = 2000 /);
  });

  it('400 passes and 600 errored results are 0.400 [0.370, 0.431] and never pass min 0.9 (SPEC §5.1)', () => {
    const m = { ...prop(400, 1000), errors: 600 };
    const r = curated(okLoad({ metrics: { accuracy: m } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('curated accuracy = 0.400 [0.370, 0.431] n=1000, 600 errored, needs ≥ 0.9');
  });

  it('a score of 1 on every line with stderr 0 is judged on Wilson, never a zero-width interval', () => {
    const r = curated(okLoad({ metrics: { accuracy: mean(1, { stderr: 0, n: 30, range: [0, 1] }, 'accuracy') } }));
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toMatch(/^curated accuracy = 1 \[0\.88\d, 1\] n=30: the lower bound/);
  });

  it('{ value: 0.91, n: 100 } with no successes or stderr is judged on Wilson, not on the point estimate', () => {
    const r = curated(okLoad({ metrics: { accuracy: mean(0.91, { n: 100, range: [0, 1] }, 'accuracy') } }));
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toMatch(/^curated accuracy = 0\.910 \[0\.83\d, 0\.95\d\] n=100: the lower bound of its 95 % interval is below 0\.9/);
  });

  it('an unbounded mean with n but no stderr is inconclusive', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.90 }', '      tokens_per_sec: { min: 10 }');
    const r = curated(okLoad({ metrics: { tokens_per_sec: mean(40, { n: 100 }, 'tokens_per_sec') } }), 30, yaml);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('no 95 % interval can be given: n = 100 but no stderr, and the metric is not bounded in [0, 1]');
  });

  it('a stderr-only metric whose run was limited below min_samples is not a pass (lm-eval 0.3 `config.limit`)', () => {
    // 19 of 20 correct: acc 0.95, stderr 0.05, no n. On z the bound is 0.852 and would pass 0.85.
    const m = mean(0.95, { stderr: 0.05, nAtMost: 20, range: [0, 1] }, 'accuracy');
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.90 }', '      accuracy: { min: 0.85 }');
    const r = curated(okLoad({ metrics: { accuracy: m } }), 30, yaml);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain("at most 20 samples (the run's limit), fewer than min_samples 30");
    // Under a lower min_samples it is judged on t with 19 degrees of freedom: 0.95 − 2.093·0.05 = 0.845 < 0.85.
    const t = curated(okLoad({ metrics: { accuracy: m } }), 10, yaml);
    expect(t.outcome).toBe('inconclusive');
    expect(t.reason).toMatch(/^curated accuracy = 0\.950 \[0\.845, 1\]/);
  });

  it('judges a metric the manifest does not name on the policy floor (SPEC §6)', () => {
    const yaml = FULL_MANIFEST.replace(/ {4}metrics:\n {6}accuracy: \{ min: 0\.[0-9]+ \}\n/g, '');
    const low = { ...goodEvals(), 'production-sample': okLoad({ metrics: { accuracy: prop(700, 1000) } }) };
    const r = thresholds(makeContext({ manifestYaml: yaml, evals: low }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^production-sample accuracy = 0\.700 \[0\.67\d, 0\.72\d\] n=1000, needs ≥ 0\.8$/);
  });
});
