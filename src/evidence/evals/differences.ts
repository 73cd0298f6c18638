/**
 * The confidence interval of a difference of two eval metrics (SPEC §5.1): the production gap and
 * the regression drop (two independent metrics), and a slice's drop below the whole it is part of.
 * Pure functions, no I/O.
 *
 * Why these rules: Newcombe's hybrid score interval (method 10 of Newcombe 1998) for two
 * proportions; from stderrs the normal interval (t with Welch–Satterthwaite df when an n < 30);
 * otherwise Newcombe's construction (MOVER) from each side's own interval. A slice is not
 * independent of its whole: its drop is computed from the rest of the whole without it.
 */
import { checkConfidence, criticalValue, zFor } from './distributions';
import { clip, foldErrors, inconclusive, isInconclusive, metricInterval, positiveStderr, rangeOf, validN, wilsonRate } from './intervals';
import type { Bounds, Inconclusive, Interval, IntervalResult } from './intervals';
import { isUnitBounded } from './metrics';
import type { Direction } from './metrics';
import type { Metric } from './types';

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
export function restOf(whole: Metric, slice: Metric): Metric | Inconclusive {
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
