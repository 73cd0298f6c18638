// eval.production-gap (the benchmark trap): required sources present; curated − production
// within max_gap, measured in the direction of worse.
import { at, result } from '../result';
import type { GateContext, GateResult } from '../types';
import { interval } from '../../evals/stats';
import type { Metric } from '../../evals/types';
import type { MetricRow } from '../../report/types';
import { fmt, loadedEvals, loadProblem, usable } from './common';
import { directionOf, NO_DIRECTION_NOTE } from '../bar';

export interface GapOutcome {
  gate: GateResult;
  table?: MetricRow[];
}

export function productionGap(ctx: GateContext): GapOutcome {
  const evals = loadedEvals(ctx);
  const { require_sources, max_gap, confidence } = ctx.policy.evals;
  const missing = require_sources.filter((s) => !evals.some((e) => e.bar.source === s));
  if (missing.length > 0) {
    return {
      gate: result('eval.production-gap', 'fail', `missing eval source${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`, {
        fix: `Add an eval with \`source: ${missing[0]}\` to the manifest${missing.includes('production-sample') ? ': score the model on a sample of real production inputs, not only on a curated set' : ''}.`,
        location: at(ctx, ['evals']),
      }),
    };
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
  const names = sharedMetrics(c.metrics, p.metrics, max_gap);
  if (names.length === 0) {
    return {
      gate: result('eval.production-gap', 'inconclusive', `${curated.entry.name} and ${prod.entry.name} share no metric to compare`, {
        fix: 'Score both evals with the same metric (e.g. `accuracy`) so the gap can be measured.',
        location: at(ctx, ['evals', prod.index]),
      }),
    };
  }
  const table: MetricRow[] = [];
  const over: string[] = [];
  const details: string[] = [];
  const undirected: string[] = [];
  for (const name of names) {
    const cm = c.metrics[name]!;
    const pm = p.metrics[name]!;
    const dir = directionOf(name, [curated.bar, prod.bar], ctx.policy, c.format === p.format ? c.format : undefined);
    if (!dir) {
      undirected.push(name);
      details.push(`${name}: curated ${fmt(cm.value)}, production-sample ${fmt(pm.value)}: ${NO_DIRECTION_NOTE}`);
      continue;
    }
    const limit = typeof max_gap === 'number' ? max_gap : max_gap[name]!;
    const gap = dir === 'min' ? cm.value - pm.value : pm.value - cm.value;
    table.push({ metric: name, direction: dir, curated: cell(cm, confidence), production: cell(pm, confidence), gap, maxGap: limit });
    const line = `${name}: curated ${fmt(cm.value)}, production-sample ${fmt(pm.value)}, gap ${fmt(gap)} (max ${fmt(limit)})`;
    details.push(line);
    if (!Number.isFinite(gap) || gap > limit) over.push(line);
  }
  if (over.length > 0) {
    return {
      gate: result('eval.production-gap', 'fail', `the model does worse on production data: ${over[0]}`, {
        fix: 'Find where production inputs differ from the curated set (slices, languages, channels) and close the gap before release.',
        location: at(ctx, ['evals', prod.index]),
        details,
      }),
      table,
    };
  }
  if (table.length === 0) {
    return {
      gate: result('eval.production-gap', 'inconclusive', `no metric that ${curated.entry.name} and ${prod.entry.name} share has a known direction (${undirected.join(', ')})`, {
        fix: 'Declare the metric\'s threshold (`min:` or `max:`) on the base, or set a floor for it in the policy\'s `evals.thresholds`, so that "worse" has a direction.',
        location: at(ctx, ['evals', prod.index]),
        details,
      }),
    };
  }
  const gated = table.map((t) => t.metric);
  return { gate: result('eval.production-gap', 'pass', `curated and production-sample within max_gap on ${gated.join(', ')}`, { location: at(ctx, ['evals', prod.index]), details }), table };
}

function sharedMetrics(cm: Record<string, Metric>, pm: Record<string, Metric>, maxGap: number | Record<string, number>): string[] {
  if (typeof maxGap !== 'number') return Object.keys(maxGap).filter((n) => cm[n] && pm[n]);
  // A single number compares rates and scores; latencies in ms need a map entry of their own.
  return Object.keys(cm).filter((n) => pm[n] && cm[n]!.kind !== 'percentile');
}

function cell(m: Metric, confidence: number): NonNullable<MetricRow['curated']> {
  const b = interval(m, confidence);
  return { value: m.value, ...(b ? { lower: b.lower, upper: b.upper } : {}), ...(m.n !== undefined ? { n: m.n } : {}) };
}
