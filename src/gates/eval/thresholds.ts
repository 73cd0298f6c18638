// eval.thresholds: each metric meets its min/max on the confidence bound, not the point estimate.
import { at, result } from '../result';
import type { GateContext, GateResult } from '../types';
import { interval, samplesNeeded } from '../../evals/stats';
import { describeN, fmt, loadedEvals, loadProblem, usable } from './common';

type Line = { outcome: 'pass' | 'fail' | 'inconclusive'; text: string; index: number };

export function thresholds(ctx: GateContext): GateResult {
  const { confidence, min_samples } = ctx.policy.evals;
  const lines: Line[] = [];
  const pct = `${Math.round(confidence * 100)} %`;
  for (const e of loadedEvals(ctx)) {
    const metrics = Object.entries(e.entry.metrics ?? {});
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
    for (const [name, t] of metrics) {
      const label = `${e.entry.name} ${name}`;
      const m = r.metrics[name];
      const dir: 'min' | 'max' = 'max' in t ? 'max' : 'min';
      const target = 'max' in t ? t.max : t.min;
      if (!m) {
        const have = Object.keys(r.metrics).slice(0, 8).join(', ');
        lines.push({ outcome: 'fail', text: `${label}: no such metric in ${r.file} (it has: ${have || 'none'})`, index: e.index });
        continue;
      }
      if (!Number.isFinite(m.value)) {
        lines.push({ outcome: 'fail', text: `${label}: value is ${m.value} in ${r.file}`, index: e.index });
        continue;
      }
      const partial = r.status === 'partial' ? ` [partial run: ${r.statusReason ?? 'incomplete'}]` : '';
      const meetsPoint = dir === 'min' ? m.value >= target : m.value <= target;
      const op = dir === 'min' ? '≥' : '≤';
      if (m.n === undefined && m.stderr === undefined) {
        lines.push({ outcome: 'inconclusive', text: `${label} = ${fmt(m.value)} (${op} ${fmt(target)}): ${r.file} records neither n nor stderr, so min_samples cannot be checked${partial}`, index: e.index });
        continue;
      }
      if (m.n !== undefined && m.n < min_samples) {
        lines.push({ outcome: meetsPoint ? 'inconclusive' : 'fail', text: `${label} = ${fmt(m.value)} on ${describeN(m)}: fewer than min_samples ${min_samples}${meetsPoint ? '' : `, and below ${fmt(target)}`}${partial}`, index: e.index });
        continue;
      }
      if (!meetsPoint) {
        lines.push({ outcome: 'fail', text: `${label} = ${fmt(m.value)} (${describeN(m)}), needs ${op} ${fmt(target)}${partial}`, index: e.index });
        continue;
      }
      const b = interval(m, confidence);
      if (!b) {
        lines.push({ outcome: 'pass', text: `${label} = ${fmt(m.value)} (${describeN(m)}) ${op} ${fmt(target)} (point estimate${m.kind === 'percentile' ? ', percentile' : ''})${partial}`, index: e.index });
        continue;
      }
      const bound = dir === 'min' ? b.lower : b.upper;
      const ci = `${pct} CI [${fmt(b.lower)}, ${fmt(b.upper)}]`;
      if (dir === 'min' ? bound >= target : bound <= target) {
        lines.push({ outcome: 'pass', text: `${label} = ${fmt(m.value)} (${describeN(m)}, ${ci}) ${op} ${fmt(target)}${partial}`, index: e.index });
      } else {
        const need = m.kind === 'proportion' ? samplesNeeded(m.value, target, confidence, dir) : undefined;
        const more = need !== undefined ? `; about ${need} samples at this rate would settle it` : '; more samples would narrow it';
        lines.push({ outcome: 'inconclusive', text: `${label} = ${fmt(m.value)} (${describeN(m)}) but the ${dir === 'min' ? 'lower' : 'upper'} bound of its ${ci} is ${dir === 'min' ? 'below' : 'above'} ${fmt(target)}${more}${partial}`, index: e.index });
      }
    }
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
    location: at(ctx, ['evals', worst.index]),
    details,
  });
}
