/**
 * Statistics for the eval gates (SPEC §5 `eval.thresholds`): confidence bounds of a metric and the
 * number of samples that would be needed to meet a threshold. Pure functions, no I/O.
 *
 * Every interval is two-sided at `confidence` (e.g. 0.95 → z = 1.95996): the lower bound of a 95 %
 * interval is a 97.5 % one-sided lower bound.
 */
import type { Metric } from './types';

export interface Bounds {
  lower: number;
  upper: number;
}

export type IntervalMethod = 'wilson' | 'normal';

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}

// Acklam's rational approximation of the inverse normal CDF (relative error < 1.15e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * The inverse of the standard normal CDF at probability `p` in (0, 1), by Acklam's algorithm
 * (relative error below 1.2e-9). `normalQuantile(0.975)` ≈ 1.959964.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/**
 * The two-sided critical value z for `confidence` in (0, 1): Φ⁻¹(1 − (1 − confidence) / 2).
 * `zFor(0.95)` ≈ 1.95996, `zFor(0.9)` ≈ 1.64485, `zFor(0.99)` ≈ 2.57583. Throws a RangeError
 * outside (0, 1) (the policy schema validates `confidence` before it gets here).
 */
export function zFor(confidence: number): number {
  checkConfidence(confidence);
  return normalQuantile(1 - (1 - confidence) / 2);
}

function wilsonRate(p: number, n: number, z: number): Bounds {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    lower: p <= 0 ? 0 : Math.max(0, center - half),
    upper: p >= 1 ? 1 : Math.min(1, center + half),
  };
}

/**
 * The Wilson score interval of a proportion, two-sided at `confidence`.
 * `wilson(47, 50, 0.95)` ≈ { lower: 0.838, upper: 0.979 }. With `n` = 0 there is no evidence:
 * { lower: 0, upper: 1 }. `successes` is clamped to [0, n]; it may be fractional (a rate × n).
 */
export function wilson(successes: number, n: number, confidence: number): Bounds {
  checkConfidence(confidence);
  if (!(n > 0) || !Number.isFinite(n) || !Number.isFinite(successes)) return { lower: 0, upper: 1 };
  const k = Math.min(Math.max(successes, 0), n);
  return wilsonRate(k / n, n, zFor(confidence));
}

/**
 * The normal (Wald) interval `value ± z·stderr`, two-sided at `confidence`, clamped to `range`
 * when given. A non-finite value or stderr gives non-finite bounds (the caller fails closed).
 */
export function normalBounds(value: number, stderr: number, confidence: number, range?: readonly [number, number]): Bounds {
  const half = zFor(confidence) * stderr;
  let lower = value - half;
  let upper = value + half;
  if (range) {
    const [min, max] = range;
    lower = Math.min(Math.max(lower, min), max);
    upper = Math.min(Math.max(upper, min), max);
  }
  return { lower, upper };
}

const MAX_SAMPLES = 1e9;

/**
 * The smallest number of samples n at which the Wilson bound, at the same observed rate `p`,
 * would meet `threshold`: the lower bound ≥ threshold for direction `min`, the upper bound ≤
 * threshold for `max`. Undefined when `p` itself does not meet the threshold, or when no n up to
 * 10⁹ would (e.g. p = threshold). Binary search; the Wilson bound at fixed p tightens as n grows.
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
  const meets = (n: number): boolean => wilsonRate(rate, n, z).lower >= target;
  if (meets(1)) return 1;
  let lo = 1; // does not meet
  let hi = 2;
  while (!meets(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_SAMPLES) return meets(MAX_SAMPLES) ? binary(lo, MAX_SAMPLES) : undefined;
  }
  return binary(lo, hi);

  function binary(a: number, b: number): number {
    // invariant: !meets(a), meets(b)
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (meets(mid)) b = mid;
      else a = mid;
    }
    return b;
  }
}

/**
 * The q-quantile (q in [0, 1]) of ascending `sortedValues`, by linear interpolation between the
 * closest ranks (numpy's default, "type 7"). Undefined for an empty array.
 */
export function percentile(sortedValues: ArrayLike<number>, q: number): number | undefined {
  const n = sortedValues.length;
  if (n === 0) return undefined;
  const qq = Math.min(Math.max(q, 0), 1);
  const h = (n - 1) * qq;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sortedValues[lo] as number;
  const b = sortedValues[hi] as number;
  return a + (h - lo) * (b - a);
}

export interface MetricInterval extends Bounds {
  method: IntervalMethod;
}

/**
 * The confidence bounds of a metric, two-sided at `confidence`:
 * - Wilson, for a `proportion` with `n` > 0 and `successes`;
 * - normal, from a finite `stderr` (clamped to the metric's `range`, or [0, 1] for proportions);
 * - undefined for percentiles, for a metric without n/successes or stderr (the gate then compares
 *   the point estimate), and for a non-finite value (the gate must fail closed on it).
 */
export function interval(metric: Metric, confidence: number): MetricInterval | undefined {
  if (!Number.isFinite(metric.value) || metric.kind === 'percentile') return undefined;
  if (metric.kind === 'proportion' && metric.n !== undefined && metric.n > 0 && metric.successes !== undefined) {
    return { ...wilson(metric.successes, metric.n, confidence), method: 'wilson' };
  }
  if (metric.stderr !== undefined && Number.isFinite(metric.stderr) && metric.stderr >= 0) {
    const range = metric.range ?? (metric.kind === 'proportion' ? ([0, 1] as const) : undefined);
    return { ...normalBounds(metric.value, metric.stderr, confidence, range), method: 'normal' };
  }
  return undefined;
}
