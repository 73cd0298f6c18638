/**
 * How a metric and its interval read in the report (SPEC §5.1: "the report shows the count of
 * errored results next to the estimate"): `0.912 [0.894, 0.928] n=1000, 3 errored`.
 *
 * Why significant digits rather than fixed decimals: a fixed 3 decimals shows an error rate of
 * 0.0004 as `0`, which reads as "no errors"; 3 significant digits show `0.000400`. Counts and other
 * whole numbers print as integers; values that would round to a whole number they are not (0.9996
 * → `1.00`) get more digits, so that "1" is only ever shown for exactly 1.
 */
import { foldErrors, isInconclusive, metricInterval } from './intervals';
import type { IntervalResult } from './intervals';
import type { Direction } from './metrics';
import type { Metric } from './types';

const SIGNIFICANT = 3;
const MAX_SIGNIFICANT = 6;

/**
 * A number for the report: integers as integers (`1000`, `0`, `1`); |x| ≥ 100 rounded to an
 * integer (`412` ms); otherwise 3 significant digits (`0.912`, `0.0400`, `0.000400`, `12.3`),
 * more (up to 6) where 3 would round to a whole number that x is not (`0.9996`). NaN and ±Infinity
 * as JavaScript writes them.
 */
export function formatMetric(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 99.5) return String(Math.round(x));
  let digits = SIGNIFICANT;
  let s = x.toPrecision(digits);
  while (digits < MAX_SIGNIFICANT && Number.isInteger(Number(s))) s = x.toPrecision(++digits);
  return s;
}

/**
 * A metric with its interval for the report: `0.912 [0.894, 0.928] n=1000`, with `, 3 errored`
 * where errored results are counted in it (`Metric.errors`, plus any `unfoldedErrors`). Takes the
 * interval the gate judged on, or computes {@link metricInterval} at `confidence` (default 0.95).
 * A percentile reads `812 (point estimate) n=50`; an inconclusive one `0.705 (no interval: …)`.
 */
export function formatInterval(metric: Metric, interval: IntervalResult | number = 0.95, direction?: Direction): string {
  const iv = typeof interval === 'number' ? metricInterval(metric, interval, direction) : interval;
  // n and the errored count as the interval counted them
  const m = direction !== undefined ? foldErrors(metric, direction) : metric;
  let text: string;
  if (m.kind === 'percentile') text = `${formatMetric(m.value)} (point estimate)`;
  else if (isInconclusive(iv)) text = `${formatMetric(m.value)} (no interval: ${iv.inconclusive})`;
  else text = `${formatMetric(iv.estimate)} [${formatMetric(iv.lower)}, ${formatMetric(iv.upper)}]`;
  const tail: string[] = [];
  if (m.n !== undefined) tail.push(`n=${formatMetric(m.n)}`);
  const errors = (m.errors ?? 0) + (m.unfoldedErrors ?? 0);
  if (errors > 0) tail.push(`${formatMetric(errors)} errored`);
  return tail.length > 0 ? `${text} ${tail.join(', ')}` : text;
}
