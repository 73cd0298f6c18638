/**
 * The confidence interval of one eval metric (SPEC §5.1) and the counting of errored results as
 * the worse outcome that comes before it. Pure functions, no I/O.
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
 */
import { checkConfidence, tQuantile, zFor } from './distributions';
import { isUnitBounded } from './metrics';
import type { Direction } from './metrics';
import type { Metric } from './types';

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

/** Whether an interval result is inconclusive (no interval) rather than an interval. */
export function isInconclusive(r: IntervalResult): r is Inconclusive {
  return 'inconclusive' in r;
}

/** An inconclusive result with its reason. */
export const inconclusive = (reason: string): Inconclusive => ({ inconclusive: reason });

/** The Wilson score bounds of a rate `p` over `n` samples at critical value `z`. */
export function wilsonRate(p: number, n: number, z: number): Bounds {
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

/** `b` clipped to `range`, when given. */
export function clip(b: Bounds, range: readonly [number, number] | undefined): Bounds {
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

/** A usable sample size (finite, ≥ 1), else undefined. */
export const validN = (n: number | undefined): number | undefined => (n !== undefined && Number.isFinite(n) && n >= 1 ? n : undefined);
/** A usable stderr (finite, > 0), else undefined. */
export const positiveStderr = (se: number | undefined): number | undefined => (se !== undefined && Number.isFinite(se) && se > 0 ? se : undefined);

/** The metric's range: the declared one, else [0, 1] where it is bounded in [0, 1], else none. */
export function rangeOf(m: Metric): readonly [number, number] | undefined {
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
