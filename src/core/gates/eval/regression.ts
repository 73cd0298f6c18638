// eval.regression: no metric drops more than max_drop against the same eval on the base,
// matched by eval name (SPEC §5): moving results to a new file does not escape the comparison,
// and an eval the base has that the head dropped or renamed is inconclusive.
import { at, result } from '../result';
import type { GateResult, SystemContext } from '../../types';
import { defineGate } from '../define';
import { directionOf, NO_DIRECTION_NOTE } from '../../bar';
import { evalsProblem, fmt, loadedEvals, loadProblem, usable } from './common';
import { differenceInterval, foldErrors, isInconclusive, judge, meets, metricInterval, samplesToSettleDifference } from '../../../evidence/evals/stats';
import { formatInterval, formatMetric } from '../../../evidence/evals/display';
import { isUnitBounded } from '../../../evidence/evals/metrics';

const gate = defineGate({ id: 'eval.regression', scope: 'system', requires: 'evals', run: (ctx) => evalsProblem(ctx, 'eval.regression') ?? check(ctx) });
export default gate;
/** The gate run alone, on a context with or without its bar (tests, the bench). */
export const regression = gate.run;

function check(ctx: SystemContext): GateResult {
  const base = ctx.system.baseEvals;
  if (!base || Object.keys(base).length === 0) return result('eval.regression', 'skipped', 'the base has no eval results to compare with');
  const { max_drop } = ctx.policy.evals.regression;
  const drops: { text: string; index: number }[] = [];
  const unsettled: { text: string; index: number }[] = [];
  const details: string[] = [];
  const notes: string[] = [];
  const { confidence } = ctx.policy.evals;
  const pct = `${Math.round(confidence * 100)} %`;
  const head = new Map(loadedEvals(ctx).map((e) => [e.entry.name, e]));
  let compared = 0;
  for (const [name, before] of Object.entries(base)) {
    if (!before) continue;
    const e = head.get(name);
    if (!e) {
      const removed = ctx.bar.removedEvals.find((r) => r.name === name);
      unsettled.push({ text: `eval \`${name}\`${removed ? ` (${removed.source})` : ''} is on the base but not in this pull request (removed or renamed): the base's bar applies until merge`, index: -1 });
      continue;
    }
    if (!before.ok) {
      details.push(`${name}: the base's results could not be read (${before.error.message}); not compared`);
      continue;
    }
    const p = loadProblem(e);
    if (p) {
      drops.push({ text: `${name}: ${p}`, index: e.index });
      continue;
    }
    const now = usable(e)!;
    for (const metric of Object.keys(e.bar.metrics)) {
      const a = before.result.metrics[metric];
      const b = now.metrics[metric];
      if (!a || !Number.isFinite(a.value)) continue;
      if (!b) {
        drops.push({ text: `${name} ${metric}: on the base (${formatMetric(a.value)}) but not in ${now.file}`, index: e.index });
        continue;
      }
      const dir = directionOf(metric, [e.bar], ctx.policy, now.format);
      if (!dir) {
        details.push(`${name} ${metric}: ${formatMetric(a.value)} on base → ${formatMetric(b.value)}: ${NO_DIRECTION_NOTE}`);
        continue;
      }
      if (!isUnitBounded(metric, a) || !isUnitBounded(metric, b)) {
        // SPEC §5.1: a scalar max_drop applies to metrics in [0, 1]; latencies are shown.
        details.push(`${name} ${metric}: ${formatMetric(a.value)} on base → ${formatMetric(b.value)}: not bounded in [0, 1], shown, not gated`);
        continue;
      }
      compared++;
      if (!Number.isFinite(b.value)) {
        drops.push({ text: `${name} ${metric}: ${formatMetric(a.value)} on base → ${b.value}`, index: e.index });
        continue;
      }
      // Oriented so that positive is worse: base − head for `min`, head − base for `max`.
      const [x, y] = dir === 'min' ? [a, b] : [b, a];
      const iv = differenceInterval(x, y, confidence, dir);
      const head = `${name} ${metric}: ${formatInterval(a, metricInterval(a, confidence, dir), dir)} on base → ${formatInterval(b, metricInterval(b, confidence, dir), dir)}`;
      if (isInconclusive(iv)) {
        unsettled.push({ text: `${head}: no ${pct} interval of the drop: ${iv.inconclusive.replace(/^a: /, dir === 'min' ? 'base: ' : 'head: ').replace(/^b: /, dir === 'min' ? 'head: ' : 'base: ')}`, index: e.index });
        continue;
      }
      const drop = `drop ${formatMetric(iv.estimate)} [${formatMetric(iv.lower)}, ${formatMetric(iv.upper)}] (max_drop ${fmt(max_drop)})`;
      const verdict = judge(iv, max_drop, 'max');
      const line = `${head}, ${drop}`;
      if (verdict === 'fail') {
        drops.push({ text: line, index: e.index });
      } else if (verdict === 'unsettled' && !meets(iv.estimate, max_drop, 'max')) {
        // SPEC §5: a larger point drop that the evidence does not settle passes, with a note.
        const need = samplesToSettleDifference(foldErrors(x, dir), foldErrors(y, dir), max_drop, confidence, dir === 'min' ? 'b' : 'a');
        const settle = need !== undefined ? `about ${need} samples on the head at these rates would settle it` : 'the base\'s own sample is too small for the head alone to settle it: more samples on both would';
        notes.push(`${line}: the point drop exceeds max_drop but its ${pct} interval does not show it; ${settle}`);
      } else {
        details.push(line);
      }
    }
  }
  const where = (index: number) => (index >= 0 ? at(ctx, ['evals', index]) : at(ctx, ['evals']));
  if (drops.length > 0) {
    return result('eval.regression', 'fail', `regression against the base: ${drops[0]!.text}`, { location: where(drops[0]!.index), details: [...drops.slice(1).map((d) => d.text), ...details] });
  }
  if (unsettled.length > 0) {
    return result('eval.regression', 'inconclusive', unsettled[0]!.text, {
      fix: 'Keep the eval under its base name until this merges (a removal or rename applies after merge), or have the gate waived with a reason.',
      location: where(unsettled[0]!.index),
      details: [...unsettled.slice(1).map((u) => u.text), ...details],
    });
  }
  if (compared === 0) return result('eval.regression', 'skipped', 'the base has no results for the metrics these evals gate', { details });
  if (notes.length > 0) {
    return result('eval.regression', 'pass', `no drop beyond max_drop that the evidence shows (${notes.length} unsettled): ${notes[0]}`, { location: at(ctx, ['evals']), details: [...notes, ...details] });
  }
  return result('eval.regression', 'pass', `${compared} metric${compared === 1 ? '' : 's'} no worse than on the base beyond max_drop at ${pct} confidence`, { location: at(ctx, ['evals']), details });
}
