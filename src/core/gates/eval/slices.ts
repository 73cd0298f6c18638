// eval.slices: every slice has enough samples and is at most max_drop below the whole.
import { at, result } from '../result';
import type { GateResult, SystemContext } from '../../types';
import { defineGate } from '../define';
import { evalsProblem, fmt, loadedEvals, loadProblem, usable } from './common';
import { directionOf, NO_DIRECTION_NOTE } from '../../bar';
import { foldErrors, isInconclusive, judge, meets, metricInterval, samplesToSettleSlice, sliceDropInterval } from '../../../evidence/evals/stats';
import { formatInterval, formatMetric } from '../../../evidence/evals/display';
import { isUnitBounded } from '../../../evidence/evals/metrics';

const gate = defineGate({ id: 'eval.slices', scope: 'system', requires: 'evals', run: (ctx) => evalsProblem(ctx, 'eval.slices') ?? check(ctx) });
export default gate;
/** The gate run alone, on a context with or without its bar (tests, the bench). */
export const slices = gate.run;

const WORST_SHOWN = 5;

function check(ctx: SystemContext): GateResult {
  const { min_samples, max_drop } = ctx.policy.evals.slices;
  const { confidence } = ctx.policy.evals;
  const pct = `${Math.round(confidence * 100)} %`;
  const fails: { drop: number; text: string; index: number }[] = [];
  const small: { text: string; index: number }[] = [];
  const problems: { text: string; index: number }[] = [];
  const removed: { text: string; index: number }[] = [];
  const notes = new Set<string>();
  let checked = 0;
  for (const e of loadedEvals(ctx)) {
    for (const field of e.bar.removedSlices) {
      removed.push({ text: `${e.entry.name}: slice \`${field}\` is on the base but not in this pull request (removed or renamed): the base's bar applies until merge`, index: e.index });
    }
    const fields = e.entry.slices ?? [];
    if (fields.length === 0) continue;
    const p = loadProblem(e);
    if (p) {
      problems.push({ text: `${e.entry.name}: ${p}`, index: e.index });
      continue;
    }
    const r = usable(e)!;
    const metrics = Object.keys(e.bar.metrics).filter((m) => r.metrics[m]);
    for (const field of fields) {
      const ss = r.slices.filter((s) => s.field === field);
      if (ss.length === 0) {
        problems.push({ text: `${e.entry.name}: no slice field "${field}" in ${r.file}${r.format !== 'samples' && r.format !== 'lastmile' ? ` (${r.format} results carry no slices)` : ''}`, index: e.index });
        continue;
      }
      if (r.truncatedSliceFields?.includes(field)) problems.push({ text: `${e.entry.name}: "${field}" has too many distinct values; not every slice was computed`, index: e.index });
      for (const s of ss) {
        checked++;
        if (metrics.length === 0 && s.count < min_samples) {
          small.push({ text: `${e.entry.name} ${field}=${s.value}: ${s.count} samples (min_samples ${min_samples})`, index: e.index });
          continue;
        }
        for (const name of metrics) {
          const whole = r.metrics[name]!;
          const part = s.metrics[name];
          const label = `${e.entry.name} ${field}=${s.value}: ${name}`;
          const dir = directionOf(name, [e.bar], ctx.policy, r.format);
          if (!dir) {
            notes.add(`${e.entry.name} ${name}: ${NO_DIRECTION_NOTE}`);
            continue;
          }
          if (!isUnitBounded(name, whole)) {
            notes.add(`${e.entry.name} ${name}: not bounded in [0, 1] (slices.max_drop applies to rates and scores): shown, not gated`);
            continue;
          }
          if (!part) {
            // Every result of the slice errored, or the metric is missing there: no estimate.
            small.push({ text: `${label}: no estimate in this slice (${s.count} lines)`, index: e.index });
            continue;
          }
          // SPEC §5: min_samples counts the metric's own n in the slice, not lines.
          const n = part.n ?? s.count;
          if (n < min_samples) {
            small.push({ text: `${label}: n = ${n} (min_samples ${min_samples})`, index: e.index });
            continue;
          }
          const iv = sliceDropInterval(whole, part, confidence, dir);
          const shown = `${formatInterval(part, metricInterval(part, confidence, dir), dir)} vs ${formatMetric(foldErrors(whole, dir).value)} overall`;
          if (isInconclusive(iv)) {
            small.push({ text: `${label} ${shown}: no ${pct} interval of the drop: ${iv.inconclusive}`, index: e.index });
            continue;
          }
          const drop = `${formatMetric(iv.estimate)} worse [${formatMetric(iv.lower)}, ${formatMetric(iv.upper)}], max ${fmt(max_drop)}`;
          const verdict = judge(iv, max_drop, 'max');
          if (verdict === 'fail') {
            fails.push({ drop: iv.estimate, text: `${label} ${shown} (${drop})`, index: e.index });
          } else if (verdict === 'unsettled' && !meets(iv.estimate, max_drop, 'max')) {
            const need = samplesToSettleSlice(whole, part, max_drop, confidence, dir);
            notes.add(`${label} ${shown} (${drop}): the point drop exceeds max_drop but its ${pct} interval does not show it; ${need !== undefined ? `about ${need} samples in the slice would settle it` : 'more samples would settle it'}`);
          }
        }
      }
    }
  }
  if (checked === 0 && problems.length === 0 && removed.length === 0) {
    return result('eval.slices', 'pass', 'no slices declared', { fix: 'Declare `slices: [field, ...]` on an eval to check the long tail.', location: at(ctx, ['evals']) });
  }
  fails.sort((a, b) => b.drop - a.drop);
  const details = [
    ...problems.map((x) => `problem: ${x.text}`),
    ...fails.map((f) => `worse: ${f.text}`),
    ...removed.map((x) => `removed: ${x.text}`),
    ...small.map((s) => `too small: ${s.text}`),
    ...[...notes].map((n) => `note: ${n}`),
  ];
  if (problems.length > 0) return result('eval.slices', 'fail', problems[0]!.text, { location: at(ctx, ['evals', problems[0]!.index, 'slices']), details });
  if (fails.length > 0) {
    return result('eval.slices', 'fail', `${fails.length} slice${fails.length === 1 ? '' : 's'} more than ${fmt(max_drop)} below the whole; worst: ${fails[0]!.text}`, {
      location: at(ctx, ['evals', fails[0]!.index, 'slices']),
      details: [...details.slice(0, problems.length + Math.min(fails.length, WORST_SHOWN)), ...details.slice(problems.length + fails.length)],
    });
  }
  if (removed.length > 0) {
    return result('eval.slices', 'inconclusive', removed[0]!.text, {
      fix: 'Keep the base\'s slices until this merges (a removal applies after merge), or have the gate waived with a reason.',
      location: at(ctx, ['evals', removed[0]!.index]),
      details,
    });
  }
  if (small.length > 0) {
    return result('eval.slices', 'inconclusive', `${small.length} slice${small.length === 1 ? '' : 's'} without enough evidence (min_samples ${min_samples}): ${small[0]!.text}`, {
      fix: `Collect at least ${min_samples} samples per slice, or waive the gate with a reason.`,
      location: at(ctx, ['evals', small[0]!.index, 'slices']),
      details,
    });
  }
  const unsettled = [...notes].filter((n) => n.includes('does not show it')).length;
  return result('eval.slices', 'pass', `${checked} slices: none shown more than ${fmt(max_drop)} below the whole at ${pct} confidence${unsettled > 0 ? ` (${unsettled} larger point drop${unsettled === 1 ? '' : 's'} not settled: see details)` : ''}`, {
    location: at(ctx, ['evals']),
    ...(notes.size > 0 ? { details } : {}),
  });
}
