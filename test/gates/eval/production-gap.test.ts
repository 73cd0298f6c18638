import { describe, expect, it } from 'vitest';
import { productionGap } from '../../../src/gates/eval/production-gap';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, latency, okLoad, prop } from '../../helpers/evals';
import { editYaml, FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad } from '../../../src/evals/types';

function gap(curated: EvalLoad, production: EvalLoad, policyYaml?: string, manifestYaml?: string) {
  return productionGap(
    makeContext({ ...(policyYaml ? { policy: policyFrom(policyYaml) } : {}), ...(manifestYaml ? { manifestYaml } : {}), evals: { curated, 'production-sample': production } }),
  );
}

describe('eval.production-gap (the benchmark trap)', () => {
  it('curated 0.94 vs production 0.07 fails, naming both values and the gap', () => {
    const { gate, table } = gap(okLoad({ metrics: { accuracy: prop(940, 1000) } }), okLoad({ metrics: { accuracy: prop(70, 1000) } }));
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toBe('the model does worse on production data: accuracy: curated 0.94, production-sample 0.07, gap 0.87 (max 0.05)');
    expect(gate.location).toMatchObject({ file: 'lastmile.yml', line: 58 });
    expect(table).toHaveLength(1);
    expect(table![0]).toMatchObject({ metric: 'accuracy', direction: 'min', maxGap: 0.05, curated: { value: 0.94, n: 1000 }, production: { value: 0.07, n: 1000 } });
    expect(table![0]!.gap).toBeCloseTo(0.87, 10);
    expect(table![0]!.curated!.lower).toBeLessThan(0.94);
  });

  it('passes within max_gap', () => {
    const { gate } = gap(okLoad({ metrics: { accuracy: prop(950, 1000) } }), okLoad({ metrics: { accuracy: prop(920, 1000) } }));
    expect(gate).toMatchObject({ outcome: 'pass', reason: 'curated and production-sample within max_gap on accuracy' });
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
    const { gate } = gap(okLoad({ metrics: { f1: prop(9, 10, 'f1') } }), okLoad({ metrics: { accuracy: prop(9, 10) } }), 'version: 1\nevals: { max_gap: 0.05 }\n');
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
    expect(gate.reason).toContain('f1: curated 0.9, production-sample 0.8, gap 0.1 (max 0.05)');
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
    expect(worse.gate.reason).toContain('latency_p95_ms: curated 800, production-sample 1100, gap 300 (max 200)');
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
  });

  it('passes when the policy requires no sources and the manifest has no pair', () => {
    const yaml = editYaml(FULL_MANIFEST, (d) => d.deleteIn(['evals', 1]));
    const { gate } = productionGap(makeContext({ manifestYaml: yaml, policy: policyFrom('version: 1\nevals: { require_sources: [] }\n') }));
    expect(gate.outcome).toBe('pass');
  });
});
