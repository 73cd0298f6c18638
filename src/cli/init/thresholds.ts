// The metric thresholds `last-mile init` writes (SPEC §9): the policy's floor where it sets one,
// else what the evidence it found clears at the policy's confidence: the lower bound of the
// interval for a higher-is-better metric rounded down, the upper bound for a lower-is-better one
// rounded up, a percentile's value (a point estimate, SPEC §4) rounded up. Why: a starter bar at
// the observed value (or rounded to the nearest 0.05) fails or is inconclusive on the very
// evidence that suggested it; a bound rounded in the safe direction passes eval.thresholds on that
// evidence, and a clearly worse result does not. Each is marked for the team to review: it says
// what the model did, not what the business needs.
import { formatInterval, formatMetric } from '../../evidence/evals/display';
import { catalogueDirection, isUnitBounded, metricDirection } from '../../evidence/evals/metrics';
import type { Direction } from '../../evidence/evals/metrics';
import { foldErrors, isInconclusive, meets, metricInterval } from '../../evidence/evals/stats';
import type { EvalResult, Metric } from '../../evidence/evals/types';
import { floorFor } from '../../core/bar';
import type { Policy } from '../../config/policy/schema';

export const MAX_METRICS = 10;
const STAT_NAMES = new Set(['stderr', 'std', 'var', 'variance']);

/** The policy whose floors and confidence apply, and where it came from (for comments). */
export interface PolicySource {
  policy: Policy;
  /** `.github/lastmile-policy.yml`, or "the built-in default policy". */
  from: string;
}

/** One metric of one eval, as init declares it. */
export interface MetricPick {
  name: string;
  /** The eval file the evidence is in. */
  file: string;
  /** The threshold written; undefined where none can be defended (`how` says why). */
  bar?: { dir: Direction; value: number; origin: 'floor' | 'bound' | 'point' };
  /** What was found: `0.912 [0.894, 0.928] n=1000` (or the point value where there is no interval). */
  evidence: string;
  /** How the number was chosen ("lower bound at 95 %, rounded down"), or why there is none. */
  how: string;
  /** What the team should know about the gate on this evidence (e.g. n under min_samples). */
  notes: string[];
}

/** The YAML comment on a metric's line (or, without a threshold, the comment line in its place). */
export function pickComment(p: MetricPick): string {
  const notes = p.notes.map((n) => `; ${n}`).join('');
  if (!p.bar) return `no threshold for ${p.name}: ${p.how}; found ${p.evidence} in ${p.file}`;
  if (p.bar.origin === 'floor') return `${p.how}; found ${p.evidence} in ${p.file}${notes}; review`;
  return `from ${p.file}: ${p.evidence} — ${p.how}${notes}; review`;
}

/** One line of init's output for a metric (the file is named on the line above). */
export function pickSummary(p: MetricPick): string {
  const notes = p.notes.map((n) => `; ${n}`).join('');
  if (!p.bar) return `${p.name}: no threshold: ${p.how}; found ${p.evidence}`;
  const bar = `${p.name} ${p.bar.dir === 'min' ? '≥' : '≤'} ${p.bar.value}`;
  if (p.bar.origin === 'floor') return `${bar}: ${p.how}; found ${p.evidence}${notes}`;
  return `${bar}: ${p.evidence} — ${p.how}${notes}`;
}

/**
 * The main metrics of a result, as a manifest names them (SPEC §4): the ones a team most likely
 * gates on (the pass share, a single task's metrics, the first metric of each task).
 */
export function mainMetricNames(r: EvalResult): string[] {
  const m = r.metrics;
  const names = Object.keys(m);
  switch (r.format) {
    case 'promptfoo':
    case 'deepeval':
      return names.includes('accuracy') ? ['accuracy'] : names.slice(0, 1);
    case 'samples': {
      const picked = ['accuracy', 'score'].filter((n) => n in m);
      return picked.length > 0 ? picked : names.filter((n) => !n.startsWith('latency')).slice(0, 1);
    }
    case 'inspect': {
      const first = names.filter((n) => !n.includes('/') && !STAT_NAMES.has(n));
      const picked = first.includes('accuracy') ? ['accuracy'] : first.slice(0, 1);
      return picked.length > 0 ? picked : names.filter((n) => !STAT_NAMES.has(n.split('/').pop() ?? '')).slice(0, 1);
    }
    case 'lm-eval': {
      const plain = names.filter((n) => !n.includes(',') && !n.endsWith('_stderr'));
      const bare = plain.filter((n) => !n.includes('/'));
      if (bare.length > 0) return bare; // a single task: its metrics by bare name
      // several tasks: the first metric of each (lm-eval lists a task's primary metric first)
      const seen = new Set<string>();
      return plain.filter((n) => {
        const task = n.slice(0, n.indexOf('/'));
        if (seen.has(task)) return false;
        seen.add(task);
        return true;
      });
    }
    case 'lastmile':
    default:
      return names;
  }
}

/**
 * The direction of worse as eval.thresholds will see it (gates/bar.ts `directionOf`): DeepEval
 * metrics are pass shares; then the catalogue; then what the file records (lm-eval
 * `higher_is_better`), a percentile being a latency; then the policy's floor.
 */
export function directionFor(name: string, metric: Metric, format: EvalResult['format'], policy: Policy): Direction | undefined {
  if (format === 'deepeval') return 'min';
  const d = catalogueDirection(name) ?? metricDirection(name, metric);
  if (d !== undefined) return d;
  const floor = floorFor(policy, name);
  return floor.min !== undefined ? 'min' : floor.max !== undefined ? 'max' : undefined;
}

/**
 * `v` rounded in the safe direction (down for `'min'`, up for `'max'`): to 2 decimals for a
 * metric in [0, 1], else to 3 significant digits (21.87 → 21.8 down; 1234.5 ms → 1240 up). The
 * 1e-9 slack keeps a bound already on the grid (0.89) where it is, rather than a step below; it is
 * within the gate's tolerance of 1e-9 (stats.ts `meets`).
 */
export function roundSafe(v: number, dir: Direction, unit: boolean): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const exp = unit ? -2 : Math.floor(Math.log10(Math.abs(v))) - 2;
  const step = 10 ** exp;
  const k = dir === 'min' ? Math.floor(v / step + 1e-9) : Math.ceil(v / step - 1e-9);
  return Number((k * step).toFixed(Math.max(0, -exp)));
}

/** One metric's threshold (or the reason for none), from the policy and the evidence in `file`. */
export function pickThreshold(name: string, metric: Metric, r: EvalResult, file: string, src: PolicySource): MetricPick {
  const { confidence, min_samples } = src.policy.evals;
  const pct = `${Math.round(confidence * 1000) / 10} %`;
  const dir = directionFor(name, metric, r.format, src.policy);
  const iv = metricInterval(metric, confidence, dir);
  // n and errored results as the gate counts them (errors folded in the direction of worse)
  const m = dir !== undefined ? foldErrors(metric, dir) : metric;
  const evidence = isInconclusive(iv) && m.kind !== 'percentile' ? pointOf(m) : formatInterval(metric, iv, dir);
  const pick = (how: string, bar?: MetricPick['bar'], notes: string[] = []): MetricPick => ({ name, file, ...(bar ? { bar } : {}), evidence, how, notes });
  const notes: string[] = [];
  if (m.n !== undefined && m.n < min_samples) notes.push(`n=${m.n} is under the policy's min_samples ${min_samples}: eval.thresholds stays inconclusive until there are more`);
  else if (m.n === undefined && m.stderr === undefined) notes.push('the file records neither n nor stderr: eval.thresholds stays inconclusive');
  if (r.status === 'partial') notes.push(`a partial run (${oneLine(r.statusReason ?? 'incomplete')})`);

  const floor = floorFor(src.policy, name);
  const floorDir: Direction | undefined = floor.min !== undefined ? 'min' : floor.max !== undefined ? 'max' : undefined;
  if (floorDir !== undefined) {
    const value = (floorDir === 'min' ? floor.min : floor.max) as number;
    const clears = m.kind === 'percentile' ? meets(m.value, value, floorDir) : !isInconclusive(iv) && meets(floorDir === 'min' ? iv.lower : iv.upper, value, floorDir);
    if (!clears) notes.push(`the evidence does not clear it at ${pct} yet`);
    return pick(`the policy's floor (${src.from} evals.thresholds)`, { dir: floorDir, value, origin: 'floor' }, notes);
  }
  if (r.status === 'inconclusive') return pick(`the run is inconclusive (${oneLine(r.statusReason ?? 'nothing usable was scored')})`);
  if (dir === undefined) return pick('nothing says whether higher or lower is better (not in the metric catalogue, and the file does not say); add { min: <x> } or { max: <x> } if it matters');
  const unit = isUnitBounded(name, m);
  const rounded = dir === 'min' ? 'rounded down' : 'rounded up';
  if (m.kind === 'percentile') {
    return pick(`a percentile, compared as a point estimate: the value found, ${rounded}`, { dir, value: clipTo(roundSafe(m.value, dir, unit), m, unit), origin: 'point' }, notes);
  }
  if (isInconclusive(iv)) return pick(`no ${pct} interval can be given (${iv.inconclusive})`);
  const bound = dir === 'min' ? iv.lower : iv.upper;
  // The bound itself to 4 digits: the interval shown has 3, which can read as if rounding skipped a step.
  return pick(`${dir === 'min' ? 'lower' : 'upper'} bound ${String(Number(bound.toPrecision(4)))} at ${pct}, ${rounded}`, { dir, value: clipTo(roundSafe(bound, dir, unit), m, unit), origin: 'bound' }, notes);
}

/** A value without an interval, with its n and errored count: `0.5 n=1043`. */
function pointOf(m: Metric): string {
  const errors = (m.errors ?? 0) + (m.unfoldedErrors ?? 0);
  return `${formatMetric(m.value)}${m.n !== undefined ? ` n=${m.n}` : ''}${errors > 0 ? `, ${errors} errored` : ''}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function clipTo(v: number, m: Metric, unit: boolean): number {
  const range = m.range ?? (unit ? ([0, 1] as const) : undefined);
  return range ? Math.min(Math.max(v, range[0]), range[1]) : v;
}

/** The picks for an eval's main metrics (at most MAX_METRICS), and what was left out. */
export function pickThresholds(r: EvalResult, file: string, src: PolicySource): { picks: MetricPick[]; skipped: string[]; more: number } {
  const picks: MetricPick[] = [];
  const skipped: string[] = [];
  for (const name of mainMetricNames(r)) {
    const metric = r.metrics[name];
    if (!metric) continue;
    if (!Number.isFinite(metric.value)) {
      skipped.push(`${name} (the file records ${String(metric.value)})`);
      continue;
    }
    picks.push(pickThreshold(name, metric, r, file, src));
  }
  const more = Math.max(0, picks.length - MAX_METRICS);
  return { picks: picks.slice(0, MAX_METRICS), skipped, more };
}
