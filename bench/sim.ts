/**
 * Seeded simulation of the standard manifest (SPEC §5.1) through the real eval gates:
 * `thresholds`, `productionGap`, `slices` and `regression` from src/core/gates/eval, called on a
 * GateContext built the way the loader builds it (the manifest parsed from YAML, the built-in
 * policy, the bar from `barOf`). Only the eval results are synthetic: drawn from a known truth with
 * a seeded PRNG (mulberry32), in the shape the `lastmile` adapter produces.
 *
 * The standard manifest: two evals, `curated` (n = 1,000) and `production-sample` (n = 400, sliced
 * by `channel` into 4 slices of 40 / 30 / 20 / 10 % of the sample); 3 metrics on each, all in
 * [0, 1]: `accuracy` (a proportion, min 0.85), `hallucination_rate` (a proportion, max 0.08) and
 * `score` (a mean of per-sample scores in [0, 1] with its stderr, min 0.75). The built-in policy:
 * confidence 0.95, min_samples 100, max_gap 0.05, slices { min_samples 30, max_drop 0.10 },
 * regression { max_drop 0.02 }.
 *
 * Targets (SPEC §5.1): an unchanged model re-run is blocked by eval.regression in ≤ 5 % of runs; a
 * production gap of 2 × max_gap at production n = 100 passes eval.production-gap in ≤ 2.5 %; a
 * metric truly 0.01 on the wrong side of its bar at n = 1,000 passes eval.thresholds in ≤ 2.5 %.
 *
 * Also, for docs/statistics.md: the chance that a system that truly clears every bar passes every
 * eval gate, and that one truly missing one bar does, by production n (multiple comparisons); and
 * the samples needed for an 80 % chance to pass, computed exactly (binomial sums over the
 * outcomes, each outcome judged by the real gate).
 */
import { barOf } from '../src/core/bar';
import type { SystemBar } from '../src/core/bar';
import { productionGap } from '../src/core/gates/eval/production-gap';
import { regression } from '../src/core/gates/eval/regression';
import { slices } from '../src/core/gates/eval/slices';
import { thresholds } from '../src/core/gates/eval/thresholds';
import type { GateContext, Outcome } from '../src/core/types';
import type { EvalLoad, EvalResult, Metric, SliceMetrics } from '../src/evidence/evals/types';
import { incompleteBeta } from '../src/evidence/evals/stats';
import { parseManifest } from '../src/config/manifest/parse';
import { defaultPolicy } from '../src/config/policy/default';
import type { Policy } from '../src/config/policy/schema';
import { mulberry32 } from '../src/lib/random';

// ---------------------------------------------------------------------------------------------
// Seeded random numbers

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
function gamma(rng: () => number, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A per-sample score in [0, 1]: Beta(μκ, (1 − μ)κ), mean μ, κ = 6 (sd ≈ 0.13 at μ = 0.85). */
function score(rng: () => number, mean: number): number {
  const k = 6;
  const x = gamma(rng, mean * k);
  const y = gamma(rng, (1 - mean) * k);
  return x / (x + y);
}

// ---------------------------------------------------------------------------------------------
// The standard manifest and policy

export const BARS = { accuracy: 0.85, hallucination_rate: 0.08, score: 0.75 } as const;
export const CHANNELS = ['web', 'email', 'chat', 'phone'] as const;
export const SHARES = [0.4, 0.3, 0.2, 0.1] as const;
export const CURATED_N = 1000;
export const PRODUCTION_N = 400;

type MetricName = keyof typeof BARS;
const METRICS: readonly MetricName[] = ['accuracy', 'hallucination_rate', 'score'];
const DIRECTION: Record<MetricName, 'min' | 'max'> = { accuracy: 'min', hallucination_rate: 'max', score: 'min' };

function evalYaml(name: string, source: string, path: string, metrics: readonly MetricName[], sliced: boolean): string {
  const lines = [`  - name: ${name}`, `    source: ${source}`, `    path: ${path}`, '    format: lastmile'];
  if (metrics.length > 0) {
    lines.push('    metrics:');
    for (const m of metrics) lines.push(`      ${m}: { ${DIRECTION[m]}: ${BARS[m]} }`);
  }
  if (sliced) lines.push('    slices: [channel]');
  return lines.join('\n');
}

/** The manifest's YAML: the standard one by default; `curatedMetrics` / `productionMetrics` narrow what each eval declares. */
export function manifestYaml(curatedMetrics: readonly MetricName[] = METRICS, productionMetrics: readonly MetricName[] = METRICS): string {
  return [
    'version: 1',
    'system: sim',
    'model: { name: sim-model, version: "2026-11-01" }',
    'evals:',
    evalYaml('curated', 'curated', 'evals/curated.json', curatedMetrics, false),
    evalYaml('production-sample', 'production-sample', 'evals/prod-sample.json', productionMetrics, true),
    '',
  ].join('\n');
}

interface Setup {
  manifest: ReturnType<typeof parseManifest>;
  policy: Policy;
  /** The bar with and without a base (the same manifest), computed once. */
  bars: { base: SystemBar; none: SystemBar };
}

export function setup(yaml = manifestYaml(), edit?: (p: Policy) => void): Setup {
  const manifest = parseManifest(yaml, 'lastmile.yml');
  if (Object.keys(manifest.sectionErrors).length > 0) throw new Error(`simulated manifest is invalid: ${JSON.stringify(manifest.sectionErrors)}`);
  const policy = defaultPolicy('main');
  edit?.(policy);
  return { manifest, policy, bars: { base: barOf(manifest.manifest, manifest.manifest, policy), none: barOf(manifest.manifest, undefined, policy) } };
}

export function context(s: Setup, evals: Record<string, EvalLoad>, baseEvals?: Record<string, EvalLoad>): GateContext {
  const base = { file: s.manifest.file, manifest: s.manifest.manifest };
  return {
    system: { manifest: s.manifest, files: {}, evals, ...(baseEvals ? { baseEvals, base } : {}) },
    policy: s.policy,
    stage: 'production',
    now: new Date('2026-11-20T12:00:00Z'),
    trust: { mode: 'branch', baseManifests: {}, approvingReviewers: [], discountedReviews: [], memberships: {} },
    bar: baseEvals ? s.bars.base : s.bars.none,
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic eval results

/** What is true of one eval's population: the rates and mean score, per channel for accuracy. */
export interface Truth {
  accuracy: number;
  hallucination_rate: number;
  score: number;
  /** Accuracy per channel (CHANNELS order); default: `accuracy` in every channel. */
  channelAccuracy?: readonly number[];
}

function counts(n: number): number[] {
  // Fixed slice sizes (largest remainder), so that the simulation varies outcomes, not the mix.
  const raw = SHARES.map((s) => s * n);
  const out = raw.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) if (left-- > 0) out[i]!++;
  return out;
}

class Sums {
  n = 0;
  acc = 0;
  hal = 0;
  sum = 0;
  sumSq = 0;
  metrics(): Record<string, Metric> {
    const n = this.n;
    const mean = this.sum / n;
    const stderr = Math.sqrt(Math.max(0, this.sumSq - this.sum * mean) / (n - 1) / n);
    return {
      accuracy: { name: 'accuracy', value: this.acc / n, n, successes: this.acc, kind: 'proportion', range: [0, 1] },
      hallucination_rate: { name: 'hallucination_rate', value: this.hal / n, n, successes: this.hal, kind: 'proportion', range: [0, 1] },
      score: { name: 'score', value: Math.min(1, Math.max(0, mean)), n, stderr, kind: 'mean', range: [0, 1] },
    };
  }
}

export function result(file: string, metrics: Record<string, Metric>, sliceList: SliceMetrics[]): EvalLoad {
  const r: EvalResult = {
    format: 'lastmile',
    file,
    metrics,
    slices: sliceList,
    model: { name: 'sim-model', version: '2026-11-01' },
    createdAt: '2026-11-19T00:00:00Z',
    versionRecorded: true,
    timeRecorded: true,
    status: 'complete',
    warnings: [],
  };
  return { ok: true, result: r };
}

/** One run of an eval on n samples from `truth`; sliced by channel when `sliced`. */
export function draw(rng: () => number, truth: Truth, n: number, file: string, sliced: boolean): EvalLoad {
  const whole = new Sums();
  const parts: Sums[] = [];
  const sizes = counts(n);
  for (let c = 0; c < CHANNELS.length; c++) {
    const part = new Sums();
    const acc = truth.channelAccuracy?.[c] ?? truth.accuracy;
    for (let i = 0; i < sizes[c]!; i++) {
      const a = rng() < acc ? 1 : 0;
      const h = rng() < truth.hallucination_rate ? 1 : 0;
      const s = score(rng, truth.score);
      for (const g of [part, whole]) {
        g.n++;
        g.acc += a;
        g.hal += h;
        g.sum += s;
        g.sumSq += s * s;
      }
    }
    parts.push(part);
  }
  const sliceList: SliceMetrics[] = sliced ? parts.map((p, c) => ({ field: 'channel', value: CHANNELS[c]!, count: p.n, metrics: p.metrics() })) : [];
  return result(file, whole.metrics(), sliceList);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

export interface Scenario {
  name: string;
  curated: Truth;
  production: Truth;
  /** The base branch's truth (eval.regression); default: the same as the head (an unchanged model). */
  baseCurated?: Truth;
  baseProduction?: Truth;
  curatedN?: number;
  productionN?: number;
}

type GateName = 'thresholds' | 'production-gap' | 'slices' | 'regression';
const GATES: readonly GateName[] = ['thresholds', 'production-gap', 'slices', 'regression'];

export interface ScenarioResult {
  replicates: number;
  /** Share of replicates whose gate passed, per gate. */
  pass: Record<GateName, number>;
  /** Share of replicates in which every eval gate above passed. */
  all: number;
  /** Share of replicates whose gate blocked (fail or inconclusive, or threw), per gate. */
  block: Record<GateName, number>;
  /** Replicates in which the gate threw instead of returning a verdict, per gate (a gate bug). */
  threw: Record<GateName, number>;
  /** The first exception's message, where a gate threw. */
  firstError?: string;
}

/** Runs `replicates` seeded replicates of a scenario through the four statistical eval gates. */
export function runOne(sc: Scenario, replicates: number, seed: number, s: Setup = setup(), gates: readonly GateName[] = GATES): ScenarioResult {
  const rng = mulberry32(seed);
  const nc = sc.curatedN ?? CURATED_N;
  const np = sc.productionN ?? PRODUCTION_N;
  const pass = Object.fromEntries(GATES.map((g) => [g, 0])) as Record<GateName, number>;
  const block = Object.fromEntries(GATES.map((g) => [g, 0])) as Record<GateName, number>;
  const threw = Object.fromEntries(GATES.map((g) => [g, 0])) as Record<GateName, number>;
  let firstError: string | undefined;
  let all = 0;
  for (let r = 0; r < replicates; r++) {
    const evals = { curated: draw(rng, sc.curated, nc, 'evals/curated.json', false), 'production-sample': draw(rng, sc.production, np, 'evals/prod-sample.json', true) };
    const needBase = gates.includes('regression');
    const baseEvals = needBase
      ? { curated: draw(rng, sc.baseCurated ?? sc.curated, nc, 'evals/curated.json', false), 'production-sample': draw(rng, sc.baseProduction ?? sc.production, np, 'evals/prod-sample.json', true) }
      : undefined;
    const ctx = context(s, evals, baseEvals);
    let ok = true;
    for (const g of gates) {
      let o: Outcome | 'threw';
      try {
        o = (g === 'thresholds' ? thresholds(ctx) : g === 'production-gap' ? productionGap(ctx).gate : g === 'slices' ? slices(ctx) : regression(ctx)).outcome;
      } catch (e) {
        // A gate that throws gives no verdict; the action's check run fails, so it blocks.
        o = 'threw';
        threw[g]++;
        block[g]++;
        firstError ??= `eval.${g}: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (o === 'pass') pass[g]++;
      else ok = false;
      if (o === 'fail' || o === 'inconclusive') block[g]++;
    }
    if (ok) all++;
  }
  const share = (x: number): number => x / replicates;
  return {
    replicates,
    pass: Object.fromEntries(GATES.map((g) => [g, share(pass[g])])) as Record<GateName, number>,
    block: Object.fromEntries(GATES.map((g) => [g, share(block[g])])) as Record<GateName, number>,
    threw,
    ...(firstError !== undefined ? { firstError } : {}),
    all: share(all),
  };
}

/** A system that clears every bar comfortably: the same on both evals, on every channel and on the base. */
export const CLEARS: Truth = { accuracy: 0.92, hallucination_rate: 0.03, score: 0.85 };

/**
 * A system that clears every bar by 0.03: production accuracy 0.88 (min 0.85), hallucination rate
 * 0.05 (max 0.08), score 0.78 (min 0.75); curated 0.02 better on each (a gap 0.03 under max_gap).
 */
export const CLEARS_TIGHT = { curated: { accuracy: 0.9, hallucination_rate: 0.03, score: 0.8 }, production: { accuracy: 0.88, hallucination_rate: 0.05, score: 0.78 } };

/** Channel accuracies with overall 0.92 and `chat` (20 %) `drop` below the whole. */
export function chatDrop(drop: number, overall = 0.92): number[] {
  const w = SHARES[2];
  const gap = drop / (1 - w); // rest − chat
  const rest = overall + w * gap;
  return [rest, rest, rest - gap, rest];
}

/** The table of docs/statistics.md: each scenario at production n = 100, 400, 1,000 (curated n = 1,000). */
export function tableScenarios(): { key: string; what: string; scenario: Omit<Scenario, 'productionN'> }[] {
  return [
    { key: 'clears', what: 'clears every bar comfortably (accuracy 0.92, hallucination 0.03, score 0.85 on both evals; no gap, no slice drop, unchanged from the base)', scenario: { name: 'clears', curated: CLEARS, production: CLEARS } },
    { key: 'clears_by_0.03', what: 'clears every bar by 0.03 (production 0.88 / 0.05 / 0.78; curated 0.02 better: gap 0.02; no slice drop; unchanged)', scenario: { name: 'clears by 0.03', ...CLEARS_TIGHT } },
    { key: 'misses_threshold', what: 'misses one threshold by 0.01 (accuracy 0.84 on both evals, min 0.85)', scenario: { name: 'misses threshold', curated: { ...CLEARS, accuracy: 0.84 }, production: { ...CLEARS, accuracy: 0.84 } } },
    { key: 'misses_gap', what: 'misses max_gap by 0.01 (accuracy curated 0.98, production 0.92: gap 0.06)', scenario: { name: 'misses gap', curated: { ...CLEARS, accuracy: 0.98 }, production: CLEARS } },
    { key: 'misses_slice', what: 'misses slices.max_drop by 0.01 (chat, 20 % of the sample, 0.11 below the whole 0.92)', scenario: { name: 'misses slice', curated: CLEARS, production: { ...CLEARS, channelAccuracy: chatDrop(0.11) } } },
    { key: 'misses_regression', what: 'misses regression max_drop by 0.01 (accuracy 0.95 on the base, 0.92 on the head, both evals)', scenario: { name: 'misses regression', curated: CLEARS, production: CLEARS, baseCurated: { ...CLEARS, accuracy: 0.95 }, baseProduction: { ...CLEARS, accuracy: 0.95 } } },
  ];
}

// ---------------------------------------------------------------------------------------------
// Exact power: samples needed for an 80 % chance to pass

/** P(X ≥ k) for X ~ Binomial(n, p). */
function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return incompleteBeta(p, k, n - k + 1);
}

/** P(X = k) for X ~ Binomial(n, p), in log space. */
function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const lfCache: number[] = [0];
function logFactorial(n: number): number {
  for (let i = lfCache.length; i <= n; i++) lfCache[i] = lfCache[i - 1]! + Math.log(i);
  return lfCache[n]!;
}

export function accuracyLoad(k: number, n: number, file: string): EvalLoad {
  return result(file, { accuracy: { name: 'accuracy', value: k / n, n, successes: k, kind: 'proportion', range: [0, 1] } }, []);
}

/** Smallest k in [lo, hi] with ok(k) (ok monotone, true at hi), or hi + 1 when none. */
function smallestK(lo: number, hi: number, ok: (k: number) => boolean): number {
  if (!ok(hi)) return hi + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface SampleSize {
  /** Smallest n at which the chance to pass reaches 80 %. */
  first: number | undefined;
  /** Smallest n from which the chance stays ≥ 80 % (the chance saw-tooths with n for a proportion). */
  stays: number | undefined;
}

/**
 * eval.thresholds, accuracy with `min: bar`, true accuracy `bar + margin`: the chance to pass at
 * n is P(K ≥ k*(n)), k*(n) the fewest successes with which the real gate passes.
 */
export function thresholdSampleSize(bar: number, margin: number, maxN = 200_000): SampleSize {
  const s = setup(`version: 1\nsystem: sim\nevals:\n  - name: curated\n    source: curated\n    path: evals/curated.json\n    format: lastmile\n    metrics:\n      accuracy: { min: ${bar} }\n`);
  const p = bar + margin;
  const passes = (k: number, n: number): boolean => thresholds(context(s, { curated: accuracyLoad(k, n, 'evals/curated.json') })).outcome === 'pass';
  let k = -1;
  let first: number | undefined;
  let lastBelow = 0;
  for (let n = 1; n <= maxN; n++) {
    if (k < 0) {
      k = smallestK(0, n, (x) => passes(x, n));
    } else {
      // k*(n) moves by at most one step: check downwards, then upwards.
      while (k > 0 && passes(k - 1, n)) k--;
      while (k <= n && !passes(k, n)) k++;
    }
    const power = k > n ? 0 : binomialTail(k, n, p);
    if (power >= 0.8) {
      first ??= n;
      if (n >= 2 * first && n > lastBelow * 1.5) break;
    } else {
      lastBelow = n;
    }
  }
  return { first, stays: first === undefined ? undefined : lastBelow + 1 };
}

/**
 * eval.production-gap, accuracy, curated truly `pc`, production `pc − gap`: the chance to pass
 * with curated n `nc` and production n `np`, summed exactly over the curated outcomes (within 6 sd),
 * each with the fewest production successes at which the real gate passes.
 */
export function gapPassChance(pc: number, gap: number, nc: number, np: number, s: Setup): number {
  const pp = pc - gap;
  const sd = Math.sqrt(nc * pc * (1 - pc));
  const lo = Math.max(0, Math.floor(nc * pc - 6 * sd));
  const hi = Math.min(nc, Math.ceil(nc * pc + 6 * sd));
  let total = 0;
  let kp = np + 1; // the fewest production successes that pass; it falls as kc falls (a smaller gap)
  for (let kc = hi; kc >= lo; kc--) {
    const w = binomialPmf(kc, nc, pc);
    const ok = (x: number): boolean =>
      productionGap(context(s, { curated: accuracyLoad(kc, nc, 'evals/curated.json'), 'production-sample': accuracyLoad(x, np, 'evals/prod-sample.json') })).gate.outcome === 'pass';
    if (kp > np) {
      kp = smallestK(0, np, ok);
    } else {
      // Gallop down from the previous threshold, then bisect.
      let step = 1;
      let top = kp;
      while (top - step >= 0 && ok(top - step)) {
        top -= step;
        step *= 2;
      }
      kp = smallestK(Math.max(0, top - step + 1), top, ok);
    }
    if (kp <= np) total += w * binomialTail(kp, np, pp);
  }
  return total;
}

/**
 * The production n (curated n fixed at `nc`, or equal to it when `nc` is 'equal') at which the gap
 * gate's chance to pass reaches 80 %, by bisection (the chance rises with n but for the saw-tooth
 * of discrete counts); undefined when even 200,000 (100,000 each when equal) do not reach it.
 */
export function gapSampleSize(pc: number, gap: number, nc: number | 'equal'): number | undefined {
  const s = setup(manifestYaml(['accuracy'], ['accuracy']).replace('    slices: [channel]\n', ''));
  const chance = (n: number): number => gapPassChance(pc, gap, nc === 'equal' ? n : nc, n, s);
  const cap = nc === 'equal' ? 100_000 : 200_000;
  if (chance(cap) < 0.8) return undefined;
  let lo = 100;
  let hi = cap;
  if (chance(lo) >= 0.8) return lo;
  while (hi - lo > Math.max(1, Math.floor(lo / 200))) {
    const mid = Math.floor(Math.sqrt(lo * hi));
    const m = mid <= lo ? lo + 1 : mid >= hi ? hi - 1 : mid;
    if (chance(m) >= 0.8) hi = m;
    else lo = m;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------------
// The benchmark's figures

export interface SimReport {
  sim_replicates: number;
  sim_seed: number;
  sim_regression_false_block: number;
  sim_gap2x_false_pass: number;
  sim_gap2x_false_pass_all_metrics: number;
  sim_threshold_false_pass: number;
  sim_threshold_false_pass_accuracy: number;
  sim_threshold_false_pass_hallucination_rate: number;
  sim_threshold_false_pass_score: number;
  /** sim_regression_false_block without the replicates in which the gate threw. */
  sim_regression_false_block_verdicts: number;
  /** Gate calls, over every scenario, that threw instead of returning a verdict (should be 0). */
  sim_gate_exceptions: number;
  sim_targets_met: boolean;
  sim_seconds: number;
}

export const TARGETS = { sim_regression_false_block: 0.05, sim_gap2x_false_pass: 0.025, sim_threshold_false_pass: 0.025 } as const;

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/**
 * Runs the three target measurements, and with `table` the multiple-comparisons table and the
 * sample sizes of docs/statistics.md. Logs human lines through `log`; returns the JSON figures.
 */
export function runSimulation(replicates: number, seed: number, table: boolean, log: (line: string) => void): SimReport {
  const t0 = process.hrtime.bigint();
  // Gate exceptions across every scenario: a gate must return a verdict, never throw.
  const exceptions: Record<string, number> = {};
  const errorsSeen: string[] = [];
  const runScenario = (...a: Parameters<typeof runOne>): ScenarioResult => {
    const r = runOne(...a);
    for (const [g, k] of Object.entries(r.threw)) if (k > 0) exceptions[g] = (exceptions[g] ?? 0) + k;
    if (r.firstError !== undefined && !errorsSeen.includes(r.firstError)) errorsSeen.push(r.firstError);
    return r;
  };
  // 1. An unchanged model re-run: base and head are two independent runs of the same model.
  const unchanged = runScenario({ name: 'unchanged re-run', curated: CLEARS, production: CLEARS }, replicates, seed + 1, setup(), ['regression']);
  const regressionBlock = unchanged.block.regression;
  const regressionFail = unchanged.block.regression - unchanged.threw.regression / replicates;

  // 2. A production gap of 2 × max_gap (0.10) at production n = 100, curated n = 1,000. The gate
  // passes only if every gated metric does; to measure the one metric's false pass, the policy
  // gates accuracy alone (max_gap as a per-metric map); with the scalar max_gap every metric
  // has the gap.
  const gapTruth = { curated: { ...CLEARS, accuracy: 0.92 }, production: { ...CLEARS, accuracy: 0.82 } };
  const gapOne = runScenario({ name: 'gap 2x', ...gapTruth, productionN: 100 }, replicates, seed + 2, setup(manifestYaml(), (p) => (p.evals.max_gap = { accuracy: 0.05 })), ['production-gap']);
  const gapAll = runScenario(
    { name: 'gap 2x, every metric', curated: CLEARS, production: { accuracy: 0.82, hallucination_rate: 0.13, score: 0.75 }, productionN: 100 },
    replicates,
    seed + 3,
    setup(),
    ['production-gap'],
  );

  // 3. A metric truly 0.01 on the wrong side of its bar, n = 1,000 (the curated eval declares
  // only that metric, so that the gate's verdict is that metric's).
  const missBy = 0.01;
  const threshold: Record<MetricName, number> = { accuracy: 0, hallucination_rate: 0, score: 0 };
  METRICS.forEach((m, i) => {
    const truth: Truth = { ...CLEARS, [m]: DIRECTION[m] === 'min' ? BARS[m] - missBy : BARS[m] + missBy };
    threshold[m] = runScenario({ name: `${m} 0.01 off`, curated: truth, production: CLEARS, curatedN: 1000 }, replicates, seed + 10 + i, setup(manifestYaml([m], [])), ['thresholds']).pass.thresholds;
  });
  const thresholdWorst = Math.max(...Object.values(threshold));

  const figures = {
    sim_regression_false_block: round(regressionBlock),
    sim_gap2x_false_pass: round(gapOne.pass['production-gap']),
    sim_threshold_false_pass: round(thresholdWorst),
  };
  const verdict = (k: keyof typeof TARGETS): string => `${figures[k]} (target ≤ ${TARGETS[k]}) ${figures[k] <= TARGETS[k] ? 'PASS' : 'FAIL'}`;
  log(`simulation (${replicates} replicates each, seed ${seed}, standard manifest: curated n = ${CURATED_N}, production n = ${PRODUCTION_N}, 3 metrics, 4 slices):`);
  log(`  sim_regression_false_block: ${verdict('sim_regression_false_block')}  (unchanged model re-run; v1: 0.41${unchanged.threw.regression > 0 ? `; of which the gate threw in ${round(unchanged.threw.regression / replicates)}, returned fail/inconclusive in ${round(regressionFail)}` : ''})`);
  log(`  sim_gap2x_false_pass:       ${verdict('sim_gap2x_false_pass')}  (true gap 0.10 = 2 × max_gap on accuracy, production n = 100; every metric 2 × max_gap: ${round(gapAll.pass['production-gap'])})`);
  log(`  sim_threshold_false_pass:   ${verdict('sim_threshold_false_pass')}  (worst of accuracy ${round(threshold.accuracy)}, hallucination_rate ${round(threshold.hallucination_rate)}, score ${round(threshold.score)}; each 0.01 on the wrong side, n = 1000)`);

  if (table) {
    log('');
    log('chance of passing every statistical eval gate (thresholds, production-gap, slices, regression), curated n = 1000:');
    const ns = [100, 400, 1000];
    log(`  ${'scenario'.padEnd(20)} ${ns.map((n) => `production n = ${n}`.padEnd(22)).join('')}`);
    tableScenarios().forEach(({ key, scenario }, i) => {
      const cells = ns.map((n, j) => {
        const r = runScenario({ ...scenario, productionN: n }, replicates, seed + 100 + 10 * i + j);
        const per = GATES.map((g) => `${g.slice(0, 1)}${Math.round(r.pass[g] * 100)}`).join(' ');
        return `${pct(r.all)} (${per})`.padEnd(22);
      });
      log(`  ${key.padEnd(20)} ${cells.join('')}`);
    });
    log('  (in brackets: % passing each gate: t thresholds, p production-gap, s slices, r regression)');
    for (const { key, what } of tableScenarios()) log(`  ${key}: ${what}`);

    log('');
    log('samples for an 80 % chance to pass eval.thresholds (accuracy, min: bar, true accuracy bar + margin; exact binomial, real gate):');
    for (const bar of [0.7, 0.8, 0.85, 0.9]) {
      const cells = [0.02, 0.03, 0.05].map((m) => {
        const r = thresholdSampleSize(bar, m);
        return `+${m}: n ≥ ${r.first} (stays from ${r.stays})`;
      });
      log(`  min ${bar}: ${cells.join('; ')}`);
    }
    log('samples for an 80 % chance to pass eval.production-gap (accuracy, curated truly 0.90, max_gap 0.05, true gap 0.05 − margin; exact, real gate):');
    for (const m of [0.02, 0.03, 0.05]) {
      const fixed = gapSampleSize(0.9, 0.05 - m, 1000);
      const equal = gapSampleSize(0.9, 0.05 - m, 'equal');
      log(`  margin ${m} (gap ${round(0.05 - m)}): production n ≈ ${fixed ?? 'never'} with curated n = 1000; n ≈ ${equal ?? '> 100000'} on each side`);
    }
  }

  const thrown = Object.values(exceptions).reduce((a, b) => a + b, 0);
  if (thrown > 0) {
    log('');
    log(`WARNING: the eval gates threw instead of returning a verdict ${thrown} times (${Object.entries(exceptions).map(([g, k]) => `eval.${g}: ${k}`).join(', ')}); counted as blocking:`);
    for (const e of errorsSeen) log(`  ${e}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    sim_replicates: replicates,
    sim_seed: seed,
    ...figures,
    sim_gap2x_false_pass_all_metrics: round(gapAll.pass['production-gap']),
    sim_threshold_false_pass_accuracy: round(threshold.accuracy),
    sim_threshold_false_pass_hallucination_rate: round(threshold.hallucination_rate),
    sim_threshold_false_pass_score: round(threshold.score),
    sim_regression_false_block_verdicts: round(regressionFail),
    sim_gate_exceptions: thrown,
    sim_targets_met: (Object.keys(TARGETS) as (keyof typeof TARGETS)[]).every((k) => figures[k] <= TARGETS[k]),
    sim_seconds: Math.round(seconds * 10) / 10,
  };
}
