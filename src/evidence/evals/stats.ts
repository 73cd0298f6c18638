/**
 * Judging eval evidence (SPEC §5, §5.1): the one comparison with a limit (`meets`) that every gate
 * uses, the verdict of an interval against a limit (`judge`), and how many samples would settle a
 * comparison that the interval leaves unsettled. The intervals themselves are computed in
 * intervals.ts (one metric) and differences.ts (two); this module also exports the ones the gates
 * judge on, so that a gate reads the statistics from one place. Pure functions, no I/O.
 *
 * Why these rules (SPEC §5.1, "a release manager must be able to defend every green and every red
 * in front of a statistician"): every interval is two-sided at `confidence`, so a gate that needs
 * the whole interval beyond its limit errs at most (1 − confidence) / 2; a limit that lies inside
 * the interval is unsettled, never a pass or a fail on the point estimate; and the number of
 * samples that would settle it is what the report offers instead.
 */
import { differenceInterval, restOf } from './differences';
import { checkConfidence, zFor } from './distributions';
import { foldErrors, isInconclusive, metricInterval, validN, wilsonRate } from './intervals';
import type { Bounds, IntervalResult } from './intervals';
import type { Direction } from './metrics';
import type { Metric } from './types';

// The statistics the gates (src/core/gates/eval), `init` and the benchmarks read from here.
export { differenceInterval, sliceDropInterval } from './differences';
export { incompleteBeta } from './distributions';
export { foldErrors, isInconclusive, metricInterval } from './intervals';
export type { Direction } from './metrics';
export { percentile } from './quantiles';

/** The tolerance of every comparison with a limit (SPEC §5.1: at the limit passes). */
export const TOLERANCE = 1e-9;

/**
 * Whether `value` meets `limit` as a minimum (`'min'`: value ≥ limit) or a maximum (`'max'`:
 * value ≤ limit), with a tolerance of 1e-9 (relative for limits beyond ±1), so that a value at the
 * limit passes and floating-point rounding never flips a verdict (0.92 − 0.90 meets max 0.02).
 * NaN never meets.
 */
export function meets(value: number, limit: number, kind: Direction): boolean {
  if (Number.isNaN(value) || Number.isNaN(limit)) return false;
  const tol = TOLERANCE * Math.max(1, Number.isFinite(limit) ? Math.abs(limit) : 1);
  return kind === 'min' ? value >= limit - tol : value <= limit + tol;
}

/**
 * Judges an interval against a limit: `'pass'` when the whole interval meets it (the lower bound
 * for `'min'`, the upper bound for `'max'`), `'fail'` when none of it does, `'unsettled'` when the
 * limit lies inside (the gate then says `inconclusive`, or passes with a note for regression and
 * slices, SPEC §5). For a gap or a drop, the limit is `max_gap` / `max_drop` with kind `'max'`.
 */
export function judge(iv: Bounds, limit: number, kind: Direction): 'pass' | 'fail' | 'unsettled' {
  if (kind === 'min') {
    if (meets(iv.lower, limit, 'min')) return 'pass';
    if (!meets(iv.upper, limit, 'min')) return 'fail';
  } else {
    if (meets(iv.upper, limit, 'max')) return 'pass';
    if (!meets(iv.lower, limit, 'max')) return 'fail';
  }
  return 'unsettled';
}

// ---------------------------------------------------------------------------------------------
// Samples that would settle a comparison

const MAX_SAMPLES = 1e9;

/** The metric with `n` samples at the same point value: successes scale, stderr shrinks as 1/√n. */
export function atSampleSize(m: Metric, n: number): Metric {
  const out: Metric = { ...m, n };
  delete out.errors;
  const n0 = validN(m.n);
  if (m.successes !== undefined) out.successes = Number.isFinite(m.value) ? m.value * n : m.successes;
  if (m.stderr !== undefined && n0 !== undefined) out.stderr = m.stderr * Math.sqrt(n0 / n);
  return out;
}

/** The smallest n in [1, 1e9] for which `ok(n)` holds, assuming it is monotone; undefined if none. */
function smallestN(ok: (n: number) => boolean): number | undefined {
  if (ok(1)) return 1;
  let lo = 1;
  let hi = 2;
  while (!ok(hi)) {
    lo = hi;
    if (hi >= MAX_SAMPLES) return undefined;
    hi = Math.min(hi * 2, MAX_SAMPLES);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

const settles = (r: IntervalResult, limit: number, kind: Direction): boolean => !isInconclusive(r) && judge(r, limit, kind) !== 'unsettled';

/**
 * eval.thresholds: the smallest total n at which the metric, at the same point value, would meet
 * `limit` on its {@link metricInterval} (lower bound ≥ min, upper bound ≤ max). Undefined when the
 * point value does not meet the limit, sits on it, or no n up to 1e9 would do.
 * 0.94 against min 0.9 at 0.95 (Wilson) → 217.
 */
export function samplesToMeet(metric: Metric, limit: number, confidence: number, direction: Direction): number | undefined {
  const m = foldErrors(metric, direction);
  if (!Number.isFinite(m.value) || !meets(m.value, limit, direction) || Math.abs(m.value - limit) <= TOLERANCE) return undefined;
  return smallestN((n) => {
    const r = metricInterval(atSampleSize(m, n), confidence, direction);
    return !isInconclusive(r) && judge(r, limit, direction) === 'pass';
  });
}

/**
 * eval.production-gap and eval.regression: the smallest n on `side` ('a' or 'b' of a − b; the
 * other side as it is) at which the interval of a − b, at the same point values, would exclude
 * `limit` (`max_gap` / `max_drop`): its upper bound ≤ limit, or its lower bound > limit.
 * Undefined where a − b sits on the limit or the other side's own uncertainty alone keeps the
 * limit inside (no n up to 1e9 settles it). Production gap: side 'b' (production samples);
 * regression: side 'b' (the head's samples).
 */
export function samplesToSettleDifference(
  a: Metric,
  b: Metric,
  limit: number,
  confidence: number,
  side: 'a' | 'b',
  direction?: Direction,
): number | undefined {
  const fa = direction !== undefined ? foldErrors(a, direction) : a;
  const fb = direction !== undefined ? foldErrors(b, direction) : b;
  const d = fa.value - fb.value;
  if (!Number.isFinite(d) || Math.abs(d - limit) <= TOLERANCE) return undefined;
  return smallestN((n) => {
    const r = side === 'a' ? differenceInterval(atSampleSize(fa, n), fb, confidence) : differenceInterval(fa, atSampleSize(fb, n), confidence);
    return settles(r, limit, 'max');
  });
}

/**
 * eval.slices: the smallest n in the slice at which the interval of the slice's drop
 * ({@link sliceDropInterval}, oriented by `direction`) would exclude `limit` (`max_drop`), at the
 * same point values and the same mix: the rest of the whole grows in proportion (a slice that is
 * 10 % of the eval stays 10 %), so the point drop is unchanged.
 * Undefined where the drop sits on the limit or no n up to 1e9 settles it.
 */
export function samplesToSettleSlice(whole: Metric, slice: Metric, limit: number, confidence: number, direction?: Direction): number | undefined {
  const w = direction !== undefined ? foldErrors(whole, direction) : whole;
  const s = direction !== undefined ? foldErrors(slice, direction) : slice;
  const rest = restOf(w, s);
  if ('inconclusive' in rest || !((rest.n ?? 0) > 0)) return undefined;
  const nr = rest.n as number;
  const sign = direction === 'max' ? -1 : 1;
  const drop = sign * (w.value - s.value);
  if (!Number.isFinite(drop) || Math.abs(drop - limit) <= TOLERANCE) return undefined;
  const ratio = nr / (s.n as number);
  const f = nr / (w.n as number);
  return smallestN((n) => {
    const diff = differenceInterval(atSampleSize(rest, n * ratio), atSampleSize(s, n), confidence);
    if (isInconclusive(diff)) return false;
    const b = sign > 0 ? { lower: diff.lower * f, upper: diff.upper * f } : { lower: -diff.upper * f, upper: -diff.lower * f };
    return judge(b, limit, 'max') !== 'unsettled';
  });
}

/**
 * The smallest number of samples n at which the Wilson bound, at the same observed rate `p`,
 * would meet `threshold`: the lower bound ≥ threshold for direction `min`, the upper bound ≤
 * threshold for `max`. Undefined when `p` itself does not meet the threshold, or when no n up to
 * 10⁹ would (e.g. p = threshold). Kept for existing callers; {@link samplesToMeet} takes a metric.
 *
 * Example: p = 0.94, threshold 0.9, confidence 0.95 → 217 (47/50 is not enough).
 */
export function samplesNeeded(p: number, threshold: number, confidence: number, direction: 'min' | 'max'): number | undefined {
  checkConfidence(confidence);
  if (!Number.isFinite(p) || !Number.isFinite(threshold) || p < 0 || p > 1) return undefined;
  // Reduce `max` to `min` by symmetry: upper(p) ≤ t ⇔ lower(1 − p) ≥ 1 − t.
  const rate = direction === 'min' ? p : 1 - p;
  const target = direction === 'min' ? threshold : 1 - threshold;
  if (rate < target) return undefined;
  const z = zFor(confidence);
  return smallestN((n) => wilsonRate(rate, n, z).lower >= target);
}
