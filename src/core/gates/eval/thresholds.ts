// eval.thresholds: each metric meets its min/max on the confidence bound, not the point estimate.
import { at, result } from '../result';
import type { GateResult, SystemContext } from '../../types';
import { defineGate } from '../define';
import { foldErrors, isInconclusive, judge as judgeInterval, meets, metricInterval, samplesToMeet } from '../../../evidence/evals/stats';
import type { Direction } from '../../../evidence/evals/stats';
import { formatInterval, formatMetric } from '../../../evidence/evals/display';
import { evalsProblem, fmt, loadedEvals, loadProblem, usable } from './common';
import { directionOf, floorFor } from '../../bar';
import type { Metric } from '../../../evidence/evals/types';

const gate = defineGate({ id: 'eval.thresholds', scope: 'system', requires: 'evals', run: (ctx) => evalsProblem(ctx, 'eval.thresholds') ?? check(ctx) });
export default gate;
/** The gate run alone, on a context with or without its bar (tests, the bench). */
export const thresholds = gate.run;

type Line = { outcome: 'pass' | 'fail' | 'inconclusive'; text: string; index: number };

function check(ctx: SystemContext): GateResult {
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
        const worse = directionOf(name, [e.bar], ctx.policy, r.format) ?? dir;
        lines.push({ ...judge(label, m, dir, target, worse, r.file, r.status === 'partial' ? ` [partial run: ${r.statusReason ?? 'incomplete'}]` : '', confidence, min_samples), index: e.index });
      }
    }
  }
  for (const removed of ctx.bar.removedEvals) {
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

/**
 * One bound of one metric (SPEC §5, §5.1): the point estimate must meet the limit (else fail), and
 * its interval must too (else inconclusive, with the samples that would settle it). Errored
 * results count as the worse outcome; a percentile is compared as a point estimate and says so.
 */
function judge(label: string, m0: Metric, dir: Direction, target: number, worse: Direction, file: string, partial: string, confidence: number, min_samples: number): Omit<Line, 'index'> {
  const pct = `${Math.round(confidence * 100)} %`;
  const m = foldErrors(m0, worse);
  const op = dir === 'min' ? '≥' : '≤';
  const shown = formatInterval(m0, metricInterval(m0, confidence, worse), worse);
  if (!Number.isFinite(m.value)) return { outcome: 'fail', text: `${label}: value is ${m.value} in ${file}` };
  const meetsPoint = meets(m.value, target, dir);
  if (m.n === undefined && m.stderr === undefined) {
    return { outcome: 'inconclusive', text: `${label} = ${formatMetric(m.value)} (${op} ${fmt(target)}): ${file} records neither n nor stderr, so min_samples cannot be checked${partial}` };
  }
  if (m.n === undefined && m.nAtMost !== undefined && m.nAtMost < min_samples) {
    return { outcome: meetsPoint ? 'inconclusive' : 'fail', text: `${label} = ${shown}: at most ${m.nAtMost} samples (the run's limit), fewer than min_samples ${min_samples}${partial}` };
  }
  if (m.n !== undefined && m.n < min_samples) {
    return { outcome: meetsPoint ? 'inconclusive' : 'fail', text: `${label} = ${shown}: fewer than min_samples ${min_samples}${meetsPoint ? '' : `, and ${dir === 'min' ? 'below' : 'above'} ${fmt(target)}`}${partial}` };
  }
  if (!meetsPoint) return { outcome: 'fail', text: `${label} = ${shown}, needs ${op} ${fmt(target)}${partial}` };
  if (m.kind === 'percentile') return { outcome: 'pass', text: `${label} = ${shown} ${op} ${fmt(target)} (a percentile: compared as a point estimate)${partial}` };
  const iv = metricInterval(m0, confidence, worse);
  if (isInconclusive(iv)) return { outcome: 'inconclusive', text: `${label} = ${formatMetric(m.value)} ${op} ${fmt(target)}, but no ${pct} interval can be given: ${iv.inconclusive}${partial}` };
  if (judgeInterval(iv, target, dir) === 'pass') return { outcome: 'pass', text: `${label} = ${shown} ${op} ${fmt(target)} at ${pct} confidence${partial}` };
  const need = samplesToMeet(m, target, confidence, dir);
  const more = need !== undefined ? `; about ${need} samples at this rate would settle it` : '; more samples would narrow it';
  return { outcome: 'inconclusive', text: `${label} = ${shown}: the ${dir === 'min' ? 'lower' : 'upper'} bound of its ${pct} interval is ${dir === 'min' ? 'below' : 'above'} ${fmt(target)}${more}${partial}` };
}
