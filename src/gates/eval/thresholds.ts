// eval.thresholds: each metric meets its min/max on the confidence bound, not the point estimate.
import { at, result } from '../result';
import type { GateContext, GateResult } from '../types';
import { interval, samplesNeeded } from '../../evals/stats';
import { barFor, describeN, fmt, loadedEvals, loadProblem, usable } from './common';
import { floorFor } from '../bar';
import type { Metric } from '../../evals/types';

type Line = { outcome: 'pass' | 'fail' | 'inconclusive'; text: string; index: number };

export function thresholds(ctx: GateContext): GateResult {
  const { confidence, min_samples } = ctx.policy.evals;
  const lines: Line[] = [];
  const pct = `${Math.round(confidence * 100)} %`;
  for (const e of loadedEvals(ctx)) {
    const r0 = usable(e);
    // Policy floors also hold for metrics the result reports that the manifest does not name.
    const floors = Object.keys(r0?.metrics ?? {})
      .filter((name) => !(name in e.bar.metrics))
      .map((name) => [name, floorFor(ctx.policy, name)] as const)
      .filter(([, f]) => f.min !== undefined || f.max !== undefined);
    const metrics = [...Object.entries(e.bar.metrics), ...floors];
    if (metrics.length === 0) continue;
    const problem = loadProblem(e);
    if (problem) {
      lines.push({ outcome: 'fail', text: `${e.entry.name}: ${problem}`, index: e.index });
      continue;
    }
    const r = usable(e)!;
    if (r.status === 'inconclusive') {
      lines.push({ outcome: 'inconclusive', text: `${e.entry.name}: ${r.statusReason ?? 'no usable result'} (${r.file})`, index: e.index });
      continue;
    }
    for (const [name, bar] of metrics) {
      const label = `${e.entry.name} ${name}`;
      const m = r.metrics[name];
      if (!m) {
        const have = Object.keys(r.metrics).slice(0, 8).join(', ');
        lines.push({ outcome: 'fail', text: `${label}: no such metric in ${r.file} (it has: ${have || 'none'})`, index: e.index });
        continue;
      }
      // The base's `min` survives a head that writes `max`: each bound is judged on its own.
      for (const [dir, target] of [['min', bar.min], ['max', bar.max]] as const) {
        if (target === undefined) continue;
        lines.push({ ...judge(label, m, dir, target, r.file, r.status === 'partial' ? ` [partial run: ${r.statusReason ?? 'incomplete'}]` : '', confidence, min_samples), index: e.index });
      }
    }
  }
  for (const removed of barFor(ctx).removedEvals) {
    lines.push({ outcome: 'inconclusive', text: `eval \`${removed.name}\` (${removed.source}) is on the base but not in this pull request (removed or renamed): the base's bar applies until merge`, index: -1 });
  }
  if (lines.length === 0) {
    return result('eval.thresholds', 'fail', 'no metric thresholds declared: nothing shows the model is good enough', {
      fix: 'Declare `metrics: { <name>: { min: <x> } }` on each eval in the manifest.',
      location: at(ctx, ['evals']),
    });
  }
  const worst = lines.find((l) => l.outcome === 'fail') ?? lines.find((l) => l.outcome === 'inconclusive');
  const details = lines.map((l) => `${l.outcome}: ${l.text}`);
  if (!worst) return result('eval.thresholds', 'pass', `${lines.length === 1 ? '1 metric meets its threshold' : `${lines.length} metrics meet their thresholds`} at ${pct} confidence`, { location: at(ctx, ['evals']), details });
  const others = lines.filter((l) => l.outcome !== 'pass').length - 1;
  return result('eval.thresholds', worst.outcome, `${worst.text}${others > 0 ? ` (and ${others} more)` : ''}`, {
    ...(worst.outcome === 'inconclusive' ? { fix: 'Evaluate on more samples until the confidence bound clears the threshold.' } : {}),
    location: worst.index >= 0 ? at(ctx, ['evals', worst.index]) : at(ctx, ['evals']),
    details,
  });
}

/** One bound of one metric: on its confidence bound where n or stderr is known (SPEC §5). */
function judge(label: string, m: Metric, dir: 'min' | 'max', target: number, file: string, partial: string, confidence: number, min_samples: number): Omit<Line, 'index'> {
  const pct = `${Math.round(confidence * 100)} %`;
  if (!Number.isFinite(m.value)) return { outcome: 'fail', text: `${label}: value is ${m.value} in ${file}` };
  const meetsPoint = dir === 'min' ? m.value >= target : m.value <= target;
  const op = dir === 'min' ? '≥' : '≤';
  if (m.n === undefined && m.stderr === undefined) {
    return { outcome: 'inconclusive', text: `${label} = ${fmt(m.value)} (${op} ${fmt(target)}): ${file} records neither n nor stderr, so min_samples cannot be checked${partial}` };
  }
  if (m.n !== undefined && m.n < min_samples) {
    return { outcome: meetsPoint ? 'inconclusive' : 'fail', text: `${label} = ${fmt(m.value)} on ${describeN(m)}: fewer than min_samples ${min_samples}${meetsPoint ? '' : `, and ${dir === 'min' ? 'below' : 'above'} ${fmt(target)}`}${partial}` };
  }
  if (!meetsPoint) return { outcome: 'fail', text: `${label} = ${fmt(m.value)} (${describeN(m)}), needs ${op} ${fmt(target)}${partial}` };
  const b = interval(m, confidence);
  if (!b) return { outcome: 'pass', text: `${label} = ${fmt(m.value)} (${describeN(m)}) ${op} ${fmt(target)} (point estimate${m.kind === 'percentile' ? ', percentile' : ''})${partial}` };
  const bound = dir === 'min' ? b.lower : b.upper;
  const ci = `${pct} CI [${fmt(b.lower)}, ${fmt(b.upper)}]`;
  if (dir === 'min' ? bound >= target : bound <= target) return { outcome: 'pass', text: `${label} = ${fmt(m.value)} (${describeN(m)}, ${ci}) ${op} ${fmt(target)}${partial}` };
  const need = m.kind === 'proportion' ? samplesNeeded(m.value, target, confidence, dir) : undefined;
  const more = need !== undefined ? `; about ${need} samples at this rate would settle it` : '; more samples would narrow it';
  return { outcome: 'inconclusive', text: `${label} = ${fmt(m.value)} (${describeN(m)}) but the ${dir === 'min' ? 'lower' : 'upper'} bound of its ${ci} is ${dir === 'min' ? 'below' : 'above'} ${fmt(target)}${more}${partial}` };
}
