// The bar merge (SPEC §6): every value that sets how hard a gate is, in both directions, and the
// direction of "worse" from the metric, never from the pull request.
import { describe, expect, it } from 'vitest';
import { barOf, directionOf, requiredKindsFor, stricter, whenHolds } from '../../src/core/bar';
import { parseManifest } from '../../src/config/manifest/parse';
import type { Manifest } from '../../src/config/manifest/schema';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';
import { makeContext, policyFrom } from '../helpers/context';
import { goodEvals, okLoad, prop, slice } from '../helpers/evals';
import { thresholds } from '../../src/core/gates/eval/thresholds';
import { productionGap } from '../../src/core/gates/eval/production-gap';
import { slices } from '../../src/core/gates/eval/slices';
import { signoffs } from '../../src/core/gates/signoffs';
import { evaluateSystem } from '../../src/core/gates/index';
import { defaultPolicy } from '../../src/config/policy/default';

type Edit = Parameters<typeof editYaml>[1];
const manifest = (edit?: Edit): Partial<Manifest> => parseManifest(edit ? editYaml(FULL_MANIFEST, edit) : FULL_MANIFEST, 'lastmile.yml').manifest;
const yaml = (edit: Edit): string => editYaml(FULL_MANIFEST, edit);
const policy = policyFrom('version: 1\n');

describe('stricter', () => {
  it('takes the higher min and the lower max, and keeps a bound only one side has', () => {
    expect(stricter({ min: 0.9 }, { min: 0.8 })).toEqual({ min: 0.9 });
    expect(stricter({ min: 0.5 }, { min: 0.8 })).toEqual({ min: 0.8 });
    expect(stricter({ max: 200 }, { max: 100 })).toEqual({ max: 100 });
    expect(stricter({ max: 1 }, { min: 0.9 })).toEqual({ min: 0.9, max: 1 });
    expect(stricter({}, {})).toEqual({});
  });
});

describe('barOf: thresholds', () => {
  it('a head that lowers a min keeps the base min, and says so in one line', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 0, 'metrics', 'accuracy', 'min'], 0)), manifest(), policy);
    expect(bar.evals[0]!.metrics.accuracy).toEqual({ min: 0.9 });
    expect(bar.kept).toEqual(["eval `curated` accuracy: the base's `min: 0.9` applies until merge (this pull request writes `min: 0`)"]);
  });

  it('a head that raises a min is judged on the head min, with nothing kept', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 0, 'metrics', 'accuracy', 'min'], 0.95)), manifest(), policy);
    expect(bar.evals[0]!.metrics.accuracy).toEqual({ min: 0.95 });
    expect(bar.kept).toEqual([]);
  });

  it('a head that flips min to max keeps the base min as well', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 0, 'metrics', 'accuracy'], d.createNode({ max: 1 }))), manifest(), policy);
    expect(bar.evals[0]!.metrics.accuracy).toEqual({ min: 0.9, max: 1 });
    expect(bar.kept[0]).toContain("the base's `min: 0.9` applies until merge (this pull request writes `max: 1`)");
  });

  it('a head that raises a max keeps the base max; lowering it is stricter', () => {
    const withMax = (v: number): Edit => (d) => d.setIn(['evals', 1, 'metrics', 'latency_p95_ms'], d.createNode({ max: v }));
    expect(barOf(manifest(withMax(5000)), manifest(withMax(2000)), policy).evals[1]!.metrics.latency_p95_ms).toEqual({ max: 2000 });
    expect(barOf(manifest(withMax(1000)), manifest(withMax(2000)), policy).evals[1]!.metrics.latency_p95_ms).toEqual({ max: 1000 });
  });

  it('a metric the head drops from an eval is still gated at the base value', () => {
    const bar = barOf(manifest((d) => d.deleteIn(['evals', 0, 'metrics'])), manifest(), policy);
    expect(bar.evals[0]!.metrics.accuracy).toEqual({ min: 0.9 });
    expect(bar.kept).toHaveLength(1);
  });

  it('policy floors raise a manifest value, with a note; a new system is judged on its head values and the floors', () => {
    const floored = policyFrom('version: 1\nevals: { thresholds: { accuracy: { min: 0.95 } } }\n');
    const bar = barOf(manifest(), null, floored);
    expect(bar.evals[0]!.metrics.accuracy).toEqual({ min: 0.95 });
    expect(bar.kept).toContain('eval `curated` accuracy: `min: 0.9` raised to the policy floor `min: 0.95`');
    // aliases: pass_rate is accuracy
    const alias = barOf(manifest((d) => d.setIn(['evals', 0, 'metrics'], d.createNode({ pass_rate: { min: 0.5 } }))), null, floored);
    expect(alias.evals[0]!.metrics.pass_rate).toEqual({ min: 0.95 });
  });

  it('no base (a branch run, a local check): the head values alone', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 0, 'metrics', 'accuracy', 'min'], 0.5)), undefined, policy);
    expect(bar.evals[0]!.metrics.accuracy).toEqual({ min: 0.5 });
    expect(bar.kept).toEqual([]);
    expect(bar.facts).toHaveLength(1);
  });
});

describe('barOf: evals, sources and slices', () => {
  it('an eval the head removes or renames is listed as removed', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 0, 'name'], 'curated-v2')), manifest(), policy);
    expect(bar.removedEvals).toEqual([{ name: 'curated', source: 'curated', path: 'evals/curated.json' }]);
    expect(bar.kept.some((k) => k.includes('`curated` (`curated`) is on the base but not in this pull request'))).toBe(true);
  });

  it('the base source of an eval of the same name applies', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 1, 'source'], 'shadow')), manifest(), policy);
    expect(bar.evals[1]!.source).toBe('production-sample');
    expect(bar.kept).toEqual(['eval `production-sample`: source `production-sample` kept from the base (this pull request writes `shadow`)']);
  });

  it('slices the head drops are listed as removed', () => {
    const bar = barOf(manifest((d) => d.setIn(['evals', 1, 'slices'], d.createNode(['channel']))), manifest(), policy);
    expect(bar.evals[1]!.removedSlices).toEqual(['language']);
    const none = barOf(manifest((d) => d.deleteIn(['evals', 1, 'slices'])), manifest(), policy);
    expect(none.evals[1]!.removedSlices).toEqual(['language', 'channel']);
  });
});

describe('barOf: facts that decide sign-offs', () => {
  const tiered = (tier: string): Edit => (d) => d.setIn(['compliance', 'risk_tier'], tier);
  it('lowering compliance.risk_tier keeps the base tier and its sign-offs', () => {
    const p = policyFrom('version: 1\nsignoffs: { compliance: { approvers: [carol], when: { risk_tier: [limited, high] } } }\n');
    const bar = barOf(manifest(tiered('minimal')), manifest(tiered('high')), p);
    expect(requiredKindsFor(p, bar).map(([k]) => k)).toEqual(['compliance']);
    expect(bar.kept).toEqual(["`compliance.risk_tier`: the base's `high` applies until merge (this pull request writes `minimal`): the sign-offs it requires stay required"]);
    // raising the tier needs nothing from the base
    expect(barOf(manifest(tiered('high')), manifest(tiered('minimal')), p).kept).toEqual([]);
  });

  it('lowering data.classification or dropping data.pii keeps the base value', () => {
    const p = policyFrom('version: 1\nsignoffs: { dpo: { approvers: [dana], when: { pii: true } }, ciso: { approvers: [alice], when: { classification: [restricted] } } }\n');
    const head = manifest((d) => {
      d.setIn(['data', 'pii'], false);
      d.setIn(['data', 'classification'], 'internal');
    });
    const base = manifest((d) => d.setIn(['data', 'classification'], 'restricted'));
    const bar = barOf(head, base, p);
    expect(requiredKindsFor(p, bar).map(([k]) => k).sort()).toEqual(['ciso', 'dpo']);
    expect(bar.kept).toHaveLength(2);
    expect(requiredKindsFor(p, barOf(head, undefined, p))).toEqual([]);
  });

  it('whenHolds: every key must match; an undeclared fact requires the kind (fail closed)', () => {
    expect(whenHolds({ risk_tier: ['high'] }, { risk_tier: 'minimal' })).toBe(false);
    expect(whenHolds({ risk_tier: ['high'] }, {})).toBe(true);
    expect(whenHolds({ risk_tier: ['high'], pii: true }, { risk_tier: 'high', pii: false })).toBe(false);
    expect(whenHolds({ classification: ['restricted'] }, { classification: 'restricted' })).toBe(true);
    expect(whenHolds(undefined, {})).toBe(true);
  });
});

describe('directionOf', () => {
  const bars = (base?: Partial<Manifest>) => barOf(manifest((d) => d.setIn(['evals', 0, 'metrics'], d.createNode({ helpfulness_idx: { max: 5 } }))), base ?? null, policy).evals;
  it('comes from the catalogue first, whatever the pull request declares', () => {
    expect(directionOf('accuracy', bars(), policy)).toBe('min');
    expect(directionOf('latency_p95_ms', bars(), policy)).toBe('max');
    expect(directionOf('arc_easy/acc_norm,none', bars(), policy)).toBe('min');
  });
  it('then from the base threshold, then from the policy floor; the head threshold never decides', () => {
    expect(directionOf('helpfulness_idx', bars(), policy)).toBeUndefined();
    const base = manifest((d) => d.setIn(['evals', 0, 'metrics'], d.createNode({ helpfulness_idx: { min: 3 } })));
    expect(directionOf('helpfulness_idx', bars(base), policy)).toBe('min');
    expect(directionOf('helpfulness_idx', bars(), policyFrom('version: 1\nevals: { thresholds: { helpfulness_idx: { max: 9 } } }\n'))).toBe('max');
  });
  it('DeepEval metrics are pass shares: better high', () => {
    expect(directionOf('Toxicity', bars(), policy, 'deepeval')).toBe('min');
    expect(directionOf('Toxicity', bars(), policy)).toBe('max');
  });
});

describe('the gates judge by the bar', () => {
  const flip = yaml((d) => {
    d.setIn(['evals', 0, 'metrics', 'accuracy'], d.createNode({ max: 1 }));
    d.setIn(['evals', 1, 'metrics', 'accuracy'], d.createNode({ max: 1 }));
  });
  const trap = { ...goodEvals(), 'production-sample': okLoad({ metrics: { accuracy: prop(70, 1000) } }) };

  it('flipping min to max does not hide the benchmark trap (thresholds and gap fail)', () => {
    const ctx = makeContext({ manifestYaml: flip, baseManifestYaml: FULL_MANIFEST, evals: trap });
    expect(thresholds(ctx).outcome).toBe('fail');
    const gap = productionGap(ctx).gate;
    expect(gap.outcome).toBe('fail');
    expect(gap.reason).toContain('gap 0.870 [0.846, 0.889] (max 0.05)');
  });

  it('min: 0 does not let 0.50 pass', () => {
    const low = { ...goodEvals(), 'production-sample': okLoad({ metrics: { accuracy: prop(500, 1000) } }) };
    const ctx = makeContext({ manifestYaml: yaml((d) => d.setIn(['evals', 1, 'metrics', 'accuracy', 'min'], 0)), baseManifestYaml: FULL_MANIFEST, evals: low });
    const r = thresholds(ctx);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('production-sample accuracy = 0.500 [0.469, 0.531] n=1000, needs ≥ 0.85');
  });

  it('deleting slices does not hide a slice 43 points below the whole: eval.slices is inconclusive, naming the slice', () => {
    const ctx = makeContext({ manifestYaml: yaml((d) => d.deleteIn(['evals', 1, 'slices'])), baseManifestYaml: FULL_MANIFEST });
    const r = slices(ctx);
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toBe("production-sample: slice `language` is on the base but not in this pull request (removed or renamed): the base's bar applies until merge");
  });

  it('a slice drop is gated only where the direction is known', () => {
    const evals = {
      ...goodEvals(),
      'production-sample': okLoad({ metrics: { accuracy: prop(920, 1000), mystery: prop(900, 1000, 'mystery') }, slices: [slice('language', 'pt', 100, { accuracy: prop(90, 100), mystery: prop(10, 100, 'mystery') }), slice('channel', 'web', 900, { accuracy: prop(830, 900) })] }),
    };
    const m = yaml((d) => d.setIn(['evals', 1, 'metrics', 'mystery'], d.createNode({ max: 1 })));
    const r = slices(makeContext({ manifestYaml: m, evals, baseManifestYaml: null }));
    expect(r.outcome).toBe('pass');
    expect(r.details?.some((x) => x.includes('mystery') && x.includes('not gated'))).toBe(true);
  });

  it('lowering the risk tier does not drop a compliance sign-off that is only requested', () => {
    const p = policyFrom('version: 1\nsignoffs: { compliance: { approvers: [carol], when: { risk_tier: [limited, high] } } }\n');
    const base = yaml((d) => d.setIn(['signoffs'], d.createNode([{ kind: 'compliance', status: 'requested', ticket: 'CMP-1', requested_on: '2026-11-02' }])));
    const head = editYaml(base, (d) => d.setIn(['compliance', 'risk_tier'], 'minimal'));
    const r = signoffs(makeContext({ manifestYaml: head, baseManifestYaml: base, policy: p }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('compliance: requested (CMP-1)');
    expect(signoffs(makeContext({ manifestYaml: head, baseManifestYaml: null, policy: p })).outcome).toBe('pass');
  });

  it('evaluateSystem reports each kept value in keptFromBase', () => {
    const s = evaluateSystem({ ...makeContext({ manifestYaml: flip, baseManifestYaml: FULL_MANIFEST, evals: trap, policy: defaultPolicy('main') }), stage: 'production' });
    expect(s.keptFromBase).toHaveLength(2);
    expect(s.keptFromBase![0]).toContain("eval `curated` accuracy: the base's `min: 0.9` applies until merge");
  });
});
