// eval.production-gap (the benchmark trap, SPEC §5): the required sources are present with at
// least min_samples each, and for every metric both share, the gap (in the direction of worse) is
// judged on its confidence interval (§5.1): upper bound ≤ max_gap passes, lower bound > max_gap
// fails, otherwise inconclusive with the production samples that would settle it.
import { at, result } from '../result';
import type { GateContext, GateResult, SystemContext } from '../../types';
import { defineGate, withBar } from '../define';
import { differenceInterval, foldErrors, isInconclusive, judge, meets, metricInterval, samplesToSettleDifference } from '../../../evidence/evals/stats';
import type { Direction } from '../../../evidence/evals/stats';
import { formatInterval, formatMetric } from '../../../evidence/evals/display';
import { isUnitBounded } from '../../../evidence/evals/metrics';
import type { EvalResult, Metric } from '../../../evidence/evals/types';
import type { MetricRow } from '../../../model/report';
import { directionOf, NO_DIRECTION_NOTE } from '../../bar';
import { evalsProblem, fmt, loadedEvals, loadProblem, usable } from './common';

const gate = defineGate({ id: 'eval.production-gap', scope: 'system', requires: 'evals', run: (ctx) => gapOf(ctx).gate });
export default gate;

export interface GapOutcome {
  gate: GateResult;
  /** The curated / production-sample comparison the report shows (SystemReport.evalTable). */
  table?: MetricRow[];
}

/** The gate run alone with the table it judged, on a context with or without its bar (tests, the bench). */
export function productionGap(ctx: GateContext): GapOutcome {
  return gapOf(withBar(ctx));
}

/** The gate's result and table: a missing or invalid `evals:` section gives no table. */
export function gapOf(ctx: SystemContext): GapOutcome {
  const problem = evalsProblem(ctx, 'eval.production-gap');
  return problem ? { gate: problem } : judgeSources(ctx);
}

type Verdict = 'pass' | 'fail' | 'inconclusive';

function judgeSources(ctx: SystemContext): GapOutcome {
  const evals = loadedEvals(ctx);
  const { require_sources, max_gap, confidence, min_samples } = ctx.policy.evals;
  const missing = require_sources.filter((s) => !evals.some((e) => e.bar.source === s));
  if (missing.length > 0) {
    return {
      gate: result('eval.production-gap', 'fail', `missing eval source${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`, {
        fix: `Add an eval with \`source: ${missing[0]}\` to the manifest${missing.includes('production-sample') ? ': score the model on a sample of real production inputs, not only on a curated set' : ''}.`,
        location: at(ctx, ['evals']),
      }),
    };
  }
  for (const source of require_sources) {
    const e = evals.find((x) => x.bar.source === source)!;
    const p = loadProblem(e);
    if (p) return { gate: result('eval.production-gap', 'fail', `${e.entry.name}: ${p}`, { location: at(ctx, ['evals', e.index]) }) };
    const r = usable(e)!;
    if (r.status === 'inconclusive') {
      return { gate: result('eval.production-gap', 'inconclusive', `${e.entry.name}: ${r.statusReason ?? 'no usable result'}`, { location: at(ctx, ['evals', e.index]) }) };
    }
    // SPEC §5: every required source needs min_samples, whether or not it declares thresholds.
    const small = sampleShortfall(r, min_samples);
    if (small) {
      return {
        gate: result('eval.production-gap', 'inconclusive', `${e.entry.name} (${source}): ${small}`, {
          fix: `Evaluate the ${source} set on at least ${min_samples} samples.`,
          location: at(ctx, ['evals', e.index]),
        }),
      };
    }
  }
  // Sources as the base names them: a pull request cannot relabel its curated set as production.
  const curated = evals.find((e) => e.bar.source === 'curated');
  const prod = evals.find((e) => e.bar.source === 'production-sample');
  if (!curated || !prod) {
    return { gate: result('eval.production-gap', 'pass', 'the policy requires no curated/production-sample comparison', { location: at(ctx, ['evals']) }) };
  }
  for (const e of [curated, prod]) {
    const p = loadProblem(e);
    if (p) return { gate: result('eval.production-gap', 'fail', `${e.entry.name}: ${p}`, { location: at(ctx, ['evals', e.index]) }) };
  }
  const c = usable(curated)!;
  const p = usable(prod)!;
  for (const [e, r] of [[curated, c], [prod, p]] as const) {
    if (r.status === 'inconclusive') {
      return { gate: result('eval.production-gap', 'inconclusive', `${e.entry.name}: ${r.statusReason ?? 'no usable result'}`, { location: at(ctx, ['evals', e.index]) }) };
    }
  }
  const shared = Object.keys(c.metrics).filter((n) => p.metrics[n]);
  if (shared.length === 0) {
    return {
      gate: result('eval.production-gap', 'inconclusive', `${curated.entry.name} and ${prod.entry.name} share no metric to compare`, {
        fix: 'Score both evals with the same metric (e.g. `accuracy`) so the gap can be measured.',
        location: at(ctx, ['evals', prod.index]),
      }),
    };
  }
  const table: MetricRow[] = [];
  const lines: { verdict: Verdict; text: string }[] = [];
  const notGated: string[] = [];
  for (const name of shared) {
    const cm = c.metrics[name]!;
    const pm = p.metrics[name]!;
    const dir = directionOf(name, [curated.bar, prod.bar], ctx.policy, c.format === p.format ? c.format : undefined);
    const limit = limitFor(name, cm, pm, max_gap);
    if (!dir || limit === undefined) {
      notGated.push(`${name}: curated ${formatMetric(cm.value)}, production-sample ${formatMetric(pm.value)}: ${!dir ? NO_DIRECTION_NOTE : 'not bounded in [0, 1] and the policy names no max_gap for it: shown, not gated'}`);
      continue;
    }
    const j = judgeGap(name, cm, pm, dir, limit, confidence);
    lines.push(j);
    table.push(row(name, cm, pm, dir, limit, confidence, j.interval));
  }
  const details = [...lines.map((l) => `${l.verdict}: ${l.text}`), ...notGated.map((n) => `not gated: ${n}`)];
  const where = at(ctx, ['evals', prod.index]);
  if (lines.length === 0) {
    return {
      gate: result('eval.production-gap', 'inconclusive', `no metric that ${curated.entry.name} and ${prod.entry.name} share can be gated (${shared.join(', ')})`, {
        fix: 'Give the metric a direction (a `min:` or `max:` threshold on the base, or a floor in the policy\'s `evals.thresholds`), and a per-metric `max_gap` for unbounded metrics.',
        location: where,
        details,
      }),
    };
  }
  const failing = lines.find((l) => l.verdict === 'fail');
  if (failing) {
    return {
      gate: result('eval.production-gap', 'fail', `the model does worse on production data: ${failing.text}`, {
        fix: 'Find where production inputs differ from the curated set (slices, languages, channels) and close the gap before release.',
        location: where,
        details,
      }),
      table,
    };
  }
  const unsettled = lines.find((l) => l.verdict === 'inconclusive');
  if (unsettled) {
    return {
      gate: result('eval.production-gap', 'inconclusive', unsettled.text, { fix: 'Score more production samples until the interval of the gap settles.', location: where, details }),
      table,
    };
  }
  return { gate: result('eval.production-gap', 'pass', `curated and production-sample within max_gap on ${table.map((t) => t.metric).join(', ')} at ${Math.round(confidence * 100)} % confidence`, { location: where, details }), table };
}

/** A reason when a required source's metrics rest on fewer than min_samples (by each metric's own n). */
function sampleShortfall(r: EvalResult, minSamples: number): string | undefined {
  const ns = Object.values(r.metrics)
    .filter((m) => m.kind !== 'percentile' || m.n !== undefined)
    .map((m) => m.n)
    .filter((n): n is number => n !== undefined);
  if (ns.length === 0) return Object.keys(r.metrics).length > 0 ? `${r.file} records no sample count, so min_samples ${minSamples} cannot be checked` : undefined;
  const n = Math.max(...ns);
  return n < minSamples ? `${n} samples, fewer than min_samples ${minSamples}` : undefined;
}

/** SPEC §5.1: a scalar max_gap applies to metrics in [0, 1]; others only where the map names them. */
function limitFor(name: string, cm: Metric, pm: Metric, maxGap: number | Record<string, number>): number | undefined {
  if (typeof maxGap !== 'number') return maxGap[name];
  return isUnitBounded(name, cm) && isUnitBounded(name, pm) ? maxGap : undefined;
}

interface GapLine {
  verdict: Verdict;
  text: string;
  interval?: { lower: number; upper: number; estimate: number };
}

function judgeGap(name: string, cm: Metric, pm: Metric, dir: Direction, limit: number, confidence: number): GapLine {
  const pct = `${Math.round(confidence * 100)} %`;
  for (const [side, m] of [['curated', cm], ['production-sample', pm]] as const) {
    if (!Number.isFinite(m.value)) return { verdict: 'fail', text: `${name}: the ${side} value is ${m.value}` };
  }
  if (cm.kind === 'percentile' || pm.kind === 'percentile') {
    // SPEC §4: percentiles are compared as point estimates, and the report says so.
    const point = dir === 'min' ? cm.value - pm.value : pm.value - cm.value;
    const text = `${name}: curated ${formatMetric(cm.value)}, production-sample ${formatMetric(pm.value)}, gap ${formatMetric(point)} (max ${fmt(limit)}; percentiles compared as point estimates)`;
    return { verdict: meets(point, limit, 'max') ? 'pass' : 'fail', text, interval: { lower: point, upper: point, estimate: point } };
  }
  const both = `curated ${formatInterval(cm, metricInterval(cm, confidence, dir), dir)}, production-sample ${formatInterval(pm, metricInterval(pm, confidence, dir), dir)}`;
  // Oriented so that positive is worse: curated − production for `min`, production − curated for `max`.
  const [a, b] = dir === 'min' ? [cm, pm] : [pm, cm];
  const iv = differenceInterval(a, b, confidence, dir);
  if (isInconclusive(iv)) {
    const why = iv.inconclusive.replace(/^a: /, dir === 'min' ? 'curated: ' : 'production-sample: ').replace(/^b: /, dir === 'min' ? 'production-sample: ' : 'curated: ');
    return { verdict: 'inconclusive', text: `${name}: ${both}; no ${pct} interval of the gap: ${why}` };
  }
  const gap = `gap ${formatMetric(iv.estimate)} [${formatMetric(iv.lower)}, ${formatMetric(iv.upper)}] (max ${fmt(limit)})`;
  const verdict = judge(iv, limit, 'max');
  if (verdict === 'pass') return { verdict: 'pass', text: `${name}: ${both}, ${gap}`, interval: iv };
  if (verdict === 'fail') return { verdict: 'fail', text: `${name}: ${both}, ${gap}`, interval: iv };
  const fa = foldErrors(a, dir);
  const fb = foldErrors(b, dir);
  const need = samplesToSettleDifference(fa, fb, limit, confidence, dir === 'min' ? 'b' : 'a');
  const more = need !== undefined ? `; about ${need} production samples at these rates would settle it` : '; the curated sample is too small for production samples alone to settle it: more samples on both would';
  return { verdict: 'inconclusive', text: `${name}: ${both}, ${gap}: the ${pct} interval of the gap contains max_gap${more}`, interval: iv };
}

function row(name: string, cm: Metric, pm: Metric, dir: Direction, limit: number, confidence: number, gap: GapLine['interval']): MetricRow {
  return {
    metric: name,
    direction: dir,
    curated: cell(cm, confidence, dir),
    production: cell(pm, confidence, dir),
    ...(gap ? { gap: gap.estimate, gapLower: gap.lower, gapUpper: gap.upper } : {}),
    maxGap: limit,
  };
}

function cell(m0: Metric, confidence: number, dir: Direction): NonNullable<MetricRow['curated']> {
  const m = foldErrors(m0, dir);
  const b = metricInterval(m0, confidence, dir);
  return {
    value: m.value,
    ...(!isInconclusive(b) ? { lower: b.lower, upper: b.upper } : {}),
    ...(m.n !== undefined ? { n: m.n } : {}),
    ...((m.errors ?? 0) > 0 ? { errors: m.errors } : {}),
  };
}


