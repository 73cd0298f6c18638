/**
 * Statistics for the eval gates (SPEC §5, §5.1): the confidence interval of a metric, of a
 * difference of two metrics (production gap, regression) and of a slice's drop below its whole;
 * how many samples would settle an unsettled comparison; and the one comparison with a limit
 * (`meets`) that every gate uses. Pure functions, no I/O.
 *
 * Why these rules (SPEC §5.1, "a release manager must be able to defend every green and every red
 * in front of a statistician"):
 * - Every interval is two-sided at `confidence`; the lower bound of a 95 % interval is a 97.5 %
 *   one-sided lower bound, so a gate that needs the bound beyond its limit errs at most 2.5 %.
 * - Proportions use Wilson's score interval (good coverage at small n and near 0 or 1, never
 *   zero-width, never outside [0, 1]); a metric bounded in [0, 1] with a known n is never judged on
 *   a narrower interval than the Wilson interval of its mean and n, so `stderr: 0` (every score 1)
 *   cannot make a zero-width interval.
 * - From a stderr: the t quantile with n − 1 degrees of freedom when n < 30 (the stderr was
 *   estimated from those n), else z. Intervals are clipped to the metric's range.
 * - Anything that is not evidence (NaN, no n and no positive stderr, a non-[0, 1] metric with n but
 *   no stderr, errored results whose worse outcome is unknown) is `{ inconclusive: reason }`, never
 *   a point estimate presented as a bound.
 * - Differences: Newcombe's hybrid score interval (method 10 of Newcombe 1998) for two
 *   proportions; from stderrs the normal interval (t with Welch–Satterthwaite df when an n < 30);
 *   otherwise Newcombe's construction (MOVER) from each side's own interval.
 */
import { isUnitBounded } from './metrics';
import type { Direction } from './metrics';
import type { Metric } from './types';

export type { Direction } from './metrics';

export interface Bounds {
  lower: number;
  upper: number;
}

/**
 * How an interval was computed: `wilson` (score interval of a proportion or of a [0, 1] mean),
 * `normal` (value ± z·stderr), `t` (value ± t(n−1)·stderr), `newcombe` (hybrid score interval of a
 * difference of two proportions), `mover` (Newcombe's construction from each side's interval),
 * `exact` (a difference that is 0 by construction: a slice that is the whole).
 */
export type IntervalMethod = 'wilson' | 'normal' | 't' | 'newcombe' | 'mover' | 'exact';

/** A two-sided confidence interval with the estimate it brackets. */
export interface Interval extends Bounds {
  /** The point estimate (the metric's value, or the difference of the two values). */
  estimate: number;
  method: IntervalMethod;
  /** Why the method is not the obvious one (e.g. "stderr 0: the Wilson interval of the mean"). */
  note?: string;
}

/** No interval can be defended; `inconclusive` says why, in words for the report. */
export interface Inconclusive {
  inconclusive: string;
}

export type IntervalResult = Interval | Inconclusive;

export function isInconclusive(r: IntervalResult): r is Inconclusive {
  return 'inconclusive' in r;
}

const inconclusive = (reason: string): Inconclusive => ({ inconclusive: reason });

// ---------------------------------------------------------------------------------------------
// Limits

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
// Quantiles of the normal and t distributions

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

// Lanczos approximation of ln Γ(x) (g = 7, 9 terms; relative error ~1e-15 for x > 0).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

// Continued fraction of the regularized incomplete beta (modified Lentz; Numerical Recipes §6.4).
function betaContinuedFraction(a: number, b: number, x: number): number {
  const FPMIN = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for Student's t with `df` degrees of freedom, t ≥ 0: ½·I_{df/(df+t²)}(df/2, ½). */
function tUpperTail(t: number, df: number): number {
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

const tCache = new Map<string, number>();

/**
 * The p-quantile of Student's t distribution with `df` > 0 degrees of freedom (not necessarily an
 * integer: Welch–Satterthwaite df are not). Inverts the CDF, computed through the regularized
 * incomplete beta, by bisection to 1e-12; checked against printed tables to 1e-6 (tests).
 * `tQuantile(0.975, 4)` ≈ 2.776445. Beyond 1e7 df it is the normal quantile.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`df must be > 0, got ${df}`);
  if (df > 1e7) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  const key = `${p}:${df}`;
  const hit = tCache.get(key);
  if (hit !== undefined) return hit;
  const tail = 1 - p;
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (tUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) break;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (tUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  if (tCache.size > 1000) tCache.clear();
  tCache.set(key, t);
  return t;
}

/** The two-sided critical value for `confidence`: t with `df` degrees of freedom, or z without. */
export function criticalValue(confidence: number, df?: number): number {
  checkConfidence(confidence);
  return df === undefined ? zFor(confidence) : tQuantile(1 - (1 - confidence) / 2, df);
}

// ---------------------------------------------------------------------------------------------
// Intervals of one metric

function wilsonRate(p: number, n: number, z: number): Bounds {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    lower: p <= 0 ? 0 : Math.min(p, Math.max(0, center - half)),
    upper: p >= 1 ? 1 : Math.max(p, Math.min(1, center + half)),
  };
}

/**
 * The Wilson score interval of a proportion, two-sided at `confidence`.
 * `wilson(47, 50, 0.95)` ≈ { lower: 0.838, upper: 0.979 }. With `n` = 0 there is no evidence:
 * { lower: 0, upper: 1 }. `successes` is clamped to [0, n]; it may be fractional (a mean × n: the
 * Wilson interval of a [0, 1] mean).
 */
export function wilson(successes: number, n: number, confidence: number): Bounds {
  checkConfidence(confidence);
  if (!(n > 0) || !Number.isFinite(n) || !Number.isFinite(successes)) return { lower: 0, upper: 1 };
  const k = Math.min(Math.max(successes, 0), n);
  return wilsonRate(k / n, n, zFor(confidence));
}

function clip(b: Bounds, range: readonly [number, number] | undefined): Bounds {
  if (!range) return b;
  const [min, max] = range;
  return { lower: Math.min(Math.max(b.lower, min), max), upper: Math.min(Math.max(b.upper, min), max) };
}

/**
 * The normal (Wald) interval `value ± z·stderr`, two-sided at `confidence`, clamped to `range`
 * when given. A non-finite value or stderr gives non-finite bounds (the caller fails closed).
 * Kept for callers that want exactly this; the gates should use {@link metricInterval}.
 */
export function normalBounds(value: number, stderr: number, confidence: number, range?: readonly [number, number]): Bounds {
  const half = zFor(confidence) * stderr;
  return clip({ lower: value - half, upper: value + half }, range);
}

const validN = (n: number | undefined): number | undefined => (n !== undefined && Number.isFinite(n) && n >= 1 ? n : undefined);
const positiveStderr = (se: number | undefined): number | undefined => (se !== undefined && Number.isFinite(se) && se > 0 ? se : undefined);

/** The metric's range: the declared one, else [0, 1] where it is bounded in [0, 1], else none. */
function rangeOf(m: Metric): readonly [number, number] | undefined {
  return m.range ?? (isUnitBounded(m.name, m) ? [0, 1] : undefined);
}

/** Degrees of freedom for a stderr estimated from n samples: n − 1 when n < 30, else z (undefined). */
function dfFor(n: number | undefined): number | undefined {
  return n !== undefined && n < 30 ? n - 1 : undefined;
}

/**
 * Counts `errors` errored results in a metric as the worse outcome (SPEC §5.1): a failure for
 * `'min'` (higher is better), a hit for `'max'`, i.e. the range's low or high end. For a
 * proportion, n and (for `'max'`) successes grow; for a mean bounded in [0, 1] the errored results
 * join the sample at the worst value, and the stderr is recomputed from the sample's sums of
 * squares (stderr = sd/√n with the n − 1 sd, as lm-eval, inspect and our adapters compute it).
 * `errors` is incremented for display. Where there is no worst value (an unbounded metric) or no
 * n, the results are added to `unfoldedErrors` instead, and {@link metricInterval} is inconclusive.
 */
export function addErrored(m: Metric, errors: number, direction: Direction): Metric {
  if (!(errors > 0)) return m;
  const n = validN(m.n);
  const range = rangeOf(m);
  const unit = range !== undefined && isUnitBounded(m.name, m);
  if (n === undefined || !unit || !Number.isFinite(m.value)) {
    return { ...m, unfoldedErrors: (m.unfoldedErrors ?? 0) + errors };
  }
  const total = n + errors;
  const out: Metric = { ...m, n: total, errors: (m.errors ?? 0) + errors };
  if (m.kind === 'proportion' && m.successes !== undefined) {
    out.successes = m.successes + (direction === 'max' ? errors : 0);
    out.value = out.successes / total;
    return out;
  }
  const worst = direction === 'min' ? range[0] : range[1];
  const value = (m.value * n + worst * errors) / total;
  out.value = value;
  if (m.successes !== undefined) out.successes = m.successes + (direction === 'max' ? errors : 0);
  if (m.stderr !== undefined && Number.isFinite(m.stderr) && n >= 2) {
    const sumSq = (n - 1) * m.stderr * m.stderr * n + n * m.value * m.value + errors * worst * worst;
    const variance = Math.max(0, (sumSq - total * value * value) / (total - 1));
    out.stderr = Math.sqrt(variance / total);
  } else {
    delete out.stderr;
  }
  return out;
}

/**
 * Counts a metric's `unfoldedErrors` (errored results the adapter could not place because it did
 * not know the direction) as the worse outcome in `direction`. Returns the metric unchanged when
 * it has none; with `unfoldedErrors` still set where there is no worst value.
 */
export function foldErrors(m: Metric, direction: Direction): Metric {
  const e = m.unfoldedErrors ?? 0;
  if (e <= 0) return m;
  const rest: Metric = { ...m };
  delete rest.unfoldedErrors;
  return addErrored(rest, e, direction);
}

/**
 * THE interval of a metric that the gates judge on (SPEC §5.1), two-sided at `confidence`:
 * - a proportion with n and successes: Wilson;
 * - a positive stderr: value ± q·stderr, q = t(n − 1) when n < 30, else z; for a metric bounded in
 *   [0, 1] with known n, widened to at least the Wilson interval of the same mean and n;
 * - n without a positive stderr (stderr 0 or missing): Wilson of the mean where bounded in [0, 1];
 * - clipped to the metric's range (declared, else [0, 1] where bounded in [0, 1]).
 * Inconclusive (with a reason) for: a non-finite value or one outside its range; a percentile (a
 * point estimate, SPEC §4: the gate compares its value and says so); errored results not yet
 * counted (`unfoldedErrors`) when `direction` is not given or the metric has no worst value; n but
 * no stderr on a metric not bounded in [0, 1]; neither n nor a positive stderr. Never zero-width.
 *
 * `direction`: the metric's direction of worse (`metricDirection` in metrics.ts, else the
 * manifest's threshold); needed only to count `unfoldedErrors`.
 */
export function metricInterval(metric: Metric, confidence: number, direction?: Direction): IntervalResult {
  checkConfidence(confidence);
  if (!Number.isFinite(metric.value)) return inconclusive(`the value is ${metric.value}`);
  if (metric.kind === 'percentile') return inconclusive('a percentile is a point estimate (no interval)');
  let m = metric;
  if ((m.unfoldedErrors ?? 0) > 0) {
    if (direction === undefined) return inconclusive(`${m.unfoldedErrors} errored results, and the direction of worse is not known`);
    m = foldErrors(m, direction);
    if ((m.unfoldedErrors ?? 0) > 0) return inconclusive(`${m.unfoldedErrors} errored results on a metric with no worst value (not bounded)`);
  }
  const v = m.value;
  const range = rangeOf(m);
  if (range && (v < range[0] || v > range[1])) return inconclusive(`the value ${v} is outside its range [${range[0]}, ${range[1]}]`);
  const unit = isUnitBounded(m.name, m);
  const n = validN(m.n);
  const z = zFor(confidence);
  if (m.kind === 'proportion' && n !== undefined && m.successes !== undefined && Number.isFinite(m.successes)) {
    const k = Math.min(Math.max(m.successes, 0), n);
    return { ...wilsonRate(k / n, n, z), estimate: v, method: 'wilson' };
  }
  const se = positiveStderr(m.stderr);
  if (se !== undefined && (n === undefined || n >= 2)) {
    // An unknown n bounded by nAtMost: its df bound gives the wider (t) interval.
    const df = dfFor(n ?? validN(m.nAtMost));
    const q = df === undefined ? z : tQuantile(1 - (1 - confidence) / 2, df);
    let b: Bounds = { lower: v - q * se, upper: v + q * se };
    let note: string | undefined;
    if (unit && n !== undefined) {
      const w = wilsonRate(v, n, z);
      if (w.lower < b.lower || w.upper > b.upper) {
        b = { lower: Math.min(b.lower, w.lower), upper: Math.max(b.upper, w.upper) };
        note = 'widened to the Wilson interval of the same mean and n';
      }
    }
    const out: Interval = { ...clip(b, range), estimate: v, method: df === undefined ? 'normal' : 't' };
    if (note !== undefined) out.note = note;
    return out;
  }
  if (n !== undefined) {
    if (unit) {
      const why = se === undefined && m.stderr === 0 ? 'stderr 0' : 'no stderr';
      return { ...wilsonRate(v, n, z), estimate: v, method: 'wilson', note: `${why}: the Wilson interval of the mean and n` };
    }
    return inconclusive(`n = ${n} but no stderr, and the metric is not bounded in [0, 1]`);
  }
  return inconclusive('neither n nor a positive stderr');
}

export interface MetricInterval extends Bounds {
  method: IntervalMethod;
}

/**
 * The bounds of {@link metricInterval}, or undefined where it is inconclusive. Kept for callers
 * written before `metricInterval`; undefined no longer means "compare the point estimate": a gate
 * must treat it as inconclusive (except for percentiles, which are point estimates).
 */
export function interval(metric: Metric, confidence: number): MetricInterval | undefined {
  const r = metricInterval(metric, confidence);
  return isInconclusive(r) ? undefined : { lower: r.lower, upper: r.upper, method: r.method };
}

// ---------------------------------------------------------------------------------------------
// Differences

interface Side {
  m: Metric;
  n: number | undefined;
  se: number | undefined;
  iv: Interval;
  range: readonly [number, number] | undefined;
}

function side(label: string, metric: Metric, confidence: number, direction: Direction | undefined): Side | Inconclusive {
  const iv = metricInterval(metric, confidence, direction);
  if (isInconclusive(iv)) return inconclusive(`${label}: ${iv.inconclusive}`);
  const m = direction !== undefined ? foldErrors(metric, direction) : metric;
  return { m, n: validN(m.n), se: positiveStderr(m.stderr), iv, range: rangeOf(m) };
}

const isProportion = (s: Side): boolean => s.m.kind === 'proportion' && s.n !== undefined && s.m.successes !== undefined;

/** Newcombe's construction (MOVER) of a − b from each side's interval around its estimate. */
function mover(a: Bounds & { estimate: number }, b: Bounds & { estimate: number }): Bounds {
  const d = a.estimate - b.estimate;
  return {
    lower: d - Math.hypot(a.estimate - a.lower, b.upper - b.estimate),
    upper: d + Math.hypot(a.upper - a.estimate, b.estimate - b.lower),
  };
}

/**
 * The interval of the difference a − b of two independent metrics, two-sided at `confidence`
 * (SPEC §5.1). The gates orient it so that positive is worse: for a `min` metric the production
 * gap is curated − production and the regression drop is base − head; for a `max` metric swap
 * the arguments.
 * - two proportions (n, successes): Newcombe's hybrid score interval (method 10 of Newcombe 1998),
 *   from the two Wilson intervals: 56/70 − 48/80 = 0.175 [0.0214, 0.3242];
 * - both with a positive stderr: (a − b) ± q·√(se_a² + se_b²), q = t with Welch–Satterthwaite df
 *   when an n is under 30 (n − 1 when only one n is known), else z; for two [0, 1] metrics with
 *   known n, widened to at least Newcombe's interval of the two means (the rule of no interval
 *   narrower than Wilson);
 * - otherwise Newcombe's construction (MOVER) from each side's {@link metricInterval}.
 * Clipped to [a_min − b_max, a_max − b_min] where both ranges are known. Inconclusive where either
 * side is (the reason names the side: "a: …" or "b: …"). `direction` counts `unfoldedErrors`.
 */
export function differenceInterval(a: Metric, b: Metric, confidence: number, direction?: Direction): IntervalResult {
  checkConfidence(confidence);
  const sa = side('a', a, confidence, direction);
  if ('inconclusive' in sa) return sa;
  const sb = side('b', b, confidence, direction);
  if ('inconclusive' in sb) return sb;
  const d = sa.m.value - sb.m.value;
  const range: [number, number] | undefined = sa.range && sb.range ? [sa.range[0] - sb.range[1], sa.range[1] - sb.range[0]] : undefined;
  if (isProportion(sa) && isProportion(sb)) {
    return { ...clip(mover(sa.iv, sb.iv), range), estimate: d, method: 'newcombe' };
  }
  // A stderr from fewer than 2 samples has no degrees of freedom: use each side's own interval.
  const dfOk = (x: Side): boolean => x.n === undefined || x.n >= 2;
  if (sa.se !== undefined && sb.se !== undefined && dfOk(sa) && dfOk(sb)) {
    const va = sa.se * sa.se;
    const vb = sb.se * sb.se;
    const se = Math.sqrt(va + vb);
    let df: number | undefined;
    const small = (sa.n !== undefined && sa.n < 30) || (sb.n !== undefined && sb.n < 30);
    if (small) {
      if (sa.n !== undefined && sb.n !== undefined) df = ((va + vb) * (va + vb)) / ((va * va) / (sa.n - 1) + (vb * vb) / (sb.n - 1));
      else df = ((sa.n ?? sb.n) as number) - 1;
    }
    const q = criticalValue(confidence, df);
    let bounds: Bounds = { lower: d - q * se, upper: d + q * se };
    let note: string | undefined;
    if (sa.n !== undefined && sb.n !== undefined && isUnitBounded(sa.m.name, sa.m) && isUnitBounded(sb.m.name, sb.m)) {
      const z = zFor(confidence);
      const w = mover(
        { ...wilsonRate(sa.m.value, sa.n, z), estimate: sa.m.value },
        { ...wilsonRate(sb.m.value, sb.n, z), estimate: sb.m.value },
      );
      if (w.lower < bounds.lower || w.upper > bounds.upper) {
        bounds = { lower: Math.min(bounds.lower, w.lower), upper: Math.max(bounds.upper, w.upper) };
        note = "widened to Newcombe's interval of the two means";
      }
    }
    const out: Interval = { ...clip(bounds, range), estimate: d, method: df === undefined ? 'normal' : 't' };
    if (note !== undefined) out.note = note;
    return out;
  }
  return { ...clip(mover(sa.iv, sb.iv), range), estimate: d, method: 'mover' };
}

/**
 * The rest of a whole once a slice is taken out: for proportions successes and n subtract; for
 * means, value and (where both are known) stderr from the sums and sums of squares. Undefined
 * (with a reason) where n is missing or the numbers are inconsistent.
 */
function restOf(whole: Metric, slice: Metric): Metric | Inconclusive {
  const nw = validN(whole.n);
  const ns = validN(slice.n);
  if (nw === undefined || ns === undefined) return inconclusive('the whole and the slice need n to be compared');
  const nr = nw - ns;
  if (nr < 0) return inconclusive(`the slice (n = ${ns}) is larger than the whole (n = ${nw})`);
  const rest: Metric = { name: whole.name, value: NaN, n: nr, kind: whole.kind };
  if (whole.range) rest.range = whole.range;
  if (whole.higherIsBetter !== undefined) rest.higherIsBetter = whole.higherIsBetter;
  const errors = (whole.errors ?? 0) - (slice.errors ?? 0);
  if (errors > 0) rest.errors = errors;
  if (nr === 0) return rest;
  if (whole.kind === 'proportion' && whole.successes !== undefined && slice.successes !== undefined) {
    const k = whole.successes - slice.successes;
    if (k < -1e-9 || k > nr + 1e-9) return inconclusive(`the slice's ${slice.successes} successes do not fit in the whole's ${whole.successes} of ${nw}`);
    rest.successes = Math.min(Math.max(k, 0), nr);
    rest.value = rest.successes / nr;
    return rest;
  }
  if (rest.kind === 'proportion') rest.kind = 'mean';
  let value = (whole.value * nw - slice.value * ns) / nr;
  const range = rangeOf(whole);
  if (range) {
    const slack = 1e-9 * Math.max(1, range[1] - range[0]);
    if (value < range[0] - slack || value > range[1] + slack) return inconclusive(`the slice does not fit in the whole (the rest would be ${value})`);
    value = Math.min(Math.max(value, range[0]), range[1]);
  }
  rest.value = value;
  if (whole.stderr !== undefined && slice.stderr !== undefined && Number.isFinite(whole.stderr) && Number.isFinite(slice.stderr) && nw >= 2 && ns >= 2 && nr >= 2) {
    const sumSq = (m: Metric, n: number): number => (n - 1) * (m.stderr as number) ** 2 * n + n * m.value * m.value;
    const ss = sumSq(whole, nw) - sumSq(slice, ns);
    const variance = Math.max(0, (ss - nr * value * value) / (nr - 1));
    rest.stderr = Math.sqrt(variance / nr);
  }
  return rest;
}

/**
 * The interval of the slice's drop below its whole in the direction of worse (positive = the
 * slice is worse): whole − slice for `direction` `'min'` (the default) or undefined, slice − whole
 * for `'max'` (error rates, latencies). A slice is part of its whole, so
 * the two are not independent: whole − slice = (rest − slice) × n_rest / n, with rest = the whole
 * without the slice (SPEC §5.1), and the interval is that of rest − slice by
 * {@link differenceInterval}, scaled. A slice that is the whole has drop exactly 0 (`exact`).
 * Needs n on both; inconclusive otherwise.
 */
export function sliceDropInterval(whole: Metric, slice: Metric, confidence: number, direction?: Direction): IntervalResult {
  checkConfidence(confidence);
  const w = direction !== undefined ? foldErrors(whole, direction) : whole;
  const s = direction !== undefined ? foldErrors(slice, direction) : slice;
  if (!Number.isFinite(w.value) || !Number.isFinite(s.value)) return inconclusive(`the value is ${Number.isFinite(w.value) ? s.value : w.value}`);
  const rest = restOf(w, s);
  if ('inconclusive' in rest) return rest;
  const nw = w.n as number;
  const nr = rest.n as number;
  const estimate = w.value - s.value;
  if (nr === 0) return { lower: 0, upper: 0, estimate: 0, method: 'exact', note: 'the slice is the whole' };
  const d = differenceInterval(rest, s, confidence, direction);
  if (isInconclusive(d)) return inconclusive(d.inconclusive.replace(/^a: /, 'the rest of the whole: ').replace(/^b: /, 'the slice: '));
  const f = nr / nw;
  const out: Interval =
    direction === 'max'
      ? { lower: -d.upper * f, upper: -d.lower * f, estimate: -estimate, method: d.method, note: 'slice − whole = (slice − rest) × n_rest / n' }
      : { lower: d.lower * f, upper: d.upper * f, estimate, method: d.method, note: 'whole − slice = (rest − slice) × n_rest / n' };
  if (d.note !== undefined) out.note = `${out.note}; ${d.note}`;
  return out;
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

// ---------------------------------------------------------------------------------------------
// Percentiles

/**
 * The q-quantile (q in [0, 1]) of ascending `sortedValues`, by linear interpolation between the
 * closest ranks: h = (n − 1)·q, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (Hyndman & Fan type 7,
 * numpy's and R's default). The one percentile definition of Last Mile: `QuantileSketch` targets
 * it above its exact-storage cap too. A percentile is a point estimate: the gates compare it
 * without an interval and say so (SPEC §4). Undefined for an empty array.
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
