import { describe, expect, it } from 'vitest';
import { productionGap } from '../../../src/core/gates/eval/production-gap';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, okLoad, prop } from '../../helpers/evals';
import { editYaml, FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad } from '../../../src/evidence/evals/types';

function gap(curated: EvalLoad, production: EvalLoad, policyYaml?: string, manifestYaml?: string) {
  return productionGap(
    makeContext({ ...(policyYaml ? { policy: policyFrom(policyYaml) } : {}), ...(manifestYaml ? { manifestYaml } : {}), evals: { curated, 'production-sample': production } }),
  );
}

describe('eval.production-gap (the benchmark trap)', () => {
  it('curated 0.94 vs production 0.07 fails, naming both values and the gap', () => {
    const { gate, table } = gap(okLoad({ metrics: { accuracy: prop(940, 1000) } }), okLoad({ metrics: { accuracy: prop(70, 1000) } }));
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe('the model does worse on production data: accuracy: curated 0.940 [0.924, 0.953] n=1000, production-sample 0.0700 [0.0558, 0.0875] n=1000, gap 0.870 [0.846, 0.889] (max 0.05)');
    expect(gate.location).toMatchObject({ file: 'lastmile.yml', line: 58 });
    expect(table).toHaveLength(1);
    expect(table![0]).toMatchObject({ metric: 'accuracy', direction: 'min', maxGap: 0.05, curated: { value: 0.94, n: 1000 }, production: { value: 0.07, n: 1000 } });
    expect(table![0]!.gap).toBeCloseTo(0.87, 10);
    expect(table![0]!.curated!.lower).toBeLessThan(0.94);
  });

  it('passes within max_gap', () => {
    const { gate } = gap(okLoad({ metrics: { accuracy: prop(950, 1000) } }), okLoad({ metrics: { accuracy: prop(940, 1000) } }));
    expect(gate).toMatchObject({ outcome: 'pass', reason: 'curated and production-sample within max_gap on accuracy at 95 % confidence' });
  });

  it('a point gap within max_gap whose interval reaches past it is inconclusive, with the production samples that would settle it', () => {
    const { gate } = gap(okLoad({ metrics: { accuracy: prop(950, 1000) } }), okLoad({ metrics: { accuracy: prop(920, 1000) } }));
    expect(gate.outcome).toBe('inconclusive');
    expect(gate.reason).toMatch(/gap 0\.0300 \[0\.00\d+, 0\.05\d+\] \(max 0\.05\): the 95 % interval of the gap contains max_gap; about \d+ production samples at these rates would settle it$/);
  });

  it('a gap of twice max_gap on 3 production samples is not a pass: min_samples applies to every required source', () => {
    const { gate } = gap(okLoad({ metrics: { accuracy: prop(940, 1000) } }), okLoad({ metrics: { accuracy: prop(3, 3) } }));
    expect(gate.outcome).toBe('inconclusive');
    expect(gate.reason).toBe('production-sample (production-sample): 3 samples, fewer than min_samples 300');
  });

  it('production better than curated is no gap', () => {
    expect(gap(okLoad({ metrics: { accuracy: prop(800, 1000) } }), okLoad({ metrics: { accuracy: prop(900, 1000) } })).gate.outcome).toBe('pass');
  });

  it('fails when the production-sample source is missing', () => {
    const yaml = editYaml(FULL_MANIFEST, (d) => d.deleteIn(['evals', 1]));
    const { gate } = productionGap(makeContext({ manifestYaml: yaml }));
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe('missing eval source: production-sample');
    expect(gate.fix).toContain('real production inputs');
  });

  it('a production-sample result that cannot be read fails, naming the file', () => {
    const { gate } = gap(goodEvals().curated!, errLoad('evals/prod-sample.jsonl', 'invalid JSON', 3));
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe('production-sample: cannot read evals/prod-sample.jsonl:3: invalid JSON');
  });

  it('is inconclusive when a side has no usable result', () => {
    const { gate } = gap(okLoad({ status: 'inconclusive', statusReason: 'all 40 tests errored', metrics: {} }), goodEvals()['production-sample']!);
    expect(gate).toMatchObject({ outcome: 'inconclusive', reason: 'curated: all 40 tests errored' });
  });

  it('is inconclusive when the two share no metric', () => {
    const { gate } = gap(okLoad({ metrics: { f1: prop(900, 1000, 'f1') } }), okLoad({ metrics: { accuracy: prop(900, 1000) } }), 'version: 1\nevals: { max_gap: 0.05 }\n');
    expect(gate.outcome).toBe('inconclusive');
    expect(gate.reason).toBe('curated and production-sample share no metric to compare');
  });

  it('a single-number max_gap compares every shared rate but not latencies', () => {
    const policy = 'version: 1\nevals: { max_gap: 0.05 }\n';
    const { gate, table } = gap(
      okLoad({ metrics: { accuracy: prop(950, 1000), f1: prop(900, 1000, 'f1'), latency_p95_ms: latency(100, 1000) } }),
      okLoad({ metrics: { accuracy: prop(930, 1000), f1: prop(800, 1000, 'f1'), latency_p95_ms: latency(900, 1000) } }),
      policy,
    );
    expect(table!.map((r) => r.metric)).toEqual(['accuracy', 'f1']);
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toMatch(/f1: curated 0\.900 \[[\d.]+, [\d.]+\] n=1000, production-sample 0\.800 \[[\d.]+, [\d.]+\] n=1000, gap 0\.100 \[0\.0[67]\d+, 0\.1[23]\d\] \(max 0\.05\)/);
  });

  it('a max metric is measured production − curated (the direction of worse)', () => {
    const yaml = FULL_MANIFEST.replace('      accuracy: { min: 0.90 }', '      accuracy: { min: 0.90 }\n      latency_p95_ms: { max: 2000 }');
    const policy = 'version: 1\nevals: { max_gap: { accuracy: 0.05, latency_p95_ms: 200 } }\n';
    const worse = gap(
      okLoad({ metrics: { accuracy: prop(950, 1000), latency_p95_ms: latency(800, 1000) } }),
      okLoad({ metrics: { accuracy: prop(940, 1000), latency_p95_ms: latency(1100, 1000) } }),
      policy,
      yaml,
    );
    expect(worse.gate.outcome).toBe('fail');
    expect(worse.gate.reason).toContain('latency_p95_ms: curated 800, production-sample 1100, gap 300 (max 200; percentiles compared as point estimates)');
    expect(worse.table!.find((r) => r.metric === 'latency_p95_ms')).toMatchObject({ direction: 'max', gap: 300, maxGap: 200 });
    const faster = gap(
      okLoad({ metrics: { accuracy: prop(950, 1000), latency_p95_ms: latency(1100, 1000) } }),
      okLoad({ metrics: { accuracy: prop(940, 1000), latency_p95_ms: latency(800, 1000) } }),
      policy,
      yaml,
    );
    expect(faster.gate.outcome).toBe('pass');
  });

  it('a NaN on either side fails closed', () => {
    const { gate } = gap(okLoad({ metrics: { accuracy: prop(950, 1000) } }), okLoad({ metrics: { accuracy: { ...prop(920, 1000), value: Number.NaN } } }));
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe('the model does worse on production data: accuracy: the production-sample value is NaN');
  });

  it('600 errored of 1,000 production results count as failures: 0.400 [0.370, 0.431] and the gap fails', () => {
    const { gate, table } = gap(okLoad({ metrics: { accuracy: prop(940, 1000) } }), okLoad({ metrics: { accuracy: { ...prop(400, 1000), errors: 600 } } }));
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toContain('production-sample 0.400 [0.370, 0.431] n=1000, 600 errored');
    expect(table![0]!.production).toMatchObject({ value: 0.4, n: 1000, errors: 600 });
  });

  it('a metric with no known direction is shown, not gated, and alone makes the gate inconclusive', () => {
    const policy = 'version: 1\nevals: { max_gap: 0.05 }\n';
    const { gate } = gap(okLoad({ metrics: { mystery: prop(900, 1000, 'mystery') } }), okLoad({ metrics: { mystery: prop(100, 1000, 'mystery') } }), policy, FULL_MANIFEST.replace(/accuracy: \{ min: 0\.\d+ \}/g, 'mystery: { max: 1 }'));
    expect(gate.outcome).toBe('inconclusive');
    expect(gate.details?.[0]).toContain('no known direction');
  });

  it('passes when the policy requires no sources and the manifest has no pair', () => {
    const yaml = editYaml(FULL_MANIFEST, (d) => d.deleteIn(['evals', 1]));
    const { gate } = productionGap(makeContext({ manifestYaml: yaml, policy: policyFrom('version: 1\nevals: { require_sources: [] }\n') }));
    expect(gate.outcome).toBe('pass');
  });
});
