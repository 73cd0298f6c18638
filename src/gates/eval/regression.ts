// eval.regression: no metric drops more than max_drop against the same eval on the base,
// matched by eval name (SPEC §5): moving results to a new file does not escape the comparison,
// and an eval the base has that the head dropped or renamed is inconclusive.
import { at, result } from '../result';
import type { GateContext, GateResult } from '../types';
import { directionOf, NO_DIRECTION_NOTE } from '../bar';
import { barFor, fmt, loadedEvals, loadProblem, usable } from './common';

export function regression(ctx: GateContext): GateResult {
  const base = ctx.system.baseEvals;
  if (!base || Object.keys(base).length === 0) return result('eval.regression', 'skipped', 'the base has no eval results to compare with');
  const { max_drop } = ctx.policy.evals.regression;
  const drops: { text: string; index: number }[] = [];
  const unsettled: { text: string; index: number }[] = [];
  const details: string[] = [];
  const head = new Map(loadedEvals(ctx).map((e) => [e.entry.name, e]));
  let compared = 0;
  for (const [name, before] of Object.entries(base)) {
    if (!before) continue;
    const e = head.get(name);
    if (!e) {
      const removed = barFor(ctx).removedEvals.find((r) => r.name === name);
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
        drops.push({ text: `${name} ${metric}: on the base (${fmt(a.value)}) but not in ${now.file}`, index: e.index });
        continue;
      }
      const dir = directionOf(metric, [e.bar], ctx.policy, now.format);
      if (!dir) {
        details.push(`${name} ${metric}: ${fmt(a.value)} on base → ${fmt(b.value)}: ${NO_DIRECTION_NOTE}`);
        continue;
      }
      compared++;
      const drop = dir === 'min' ? a.value - b.value : b.value - a.value;
      const line = `${name} ${metric}: ${fmt(a.value)} on base → ${fmt(b.value)} (${drop > 0 ? `${fmt(drop)} worse` : 'no worse'}; max_drop ${fmt(max_drop)})`;
      details.push(line);
      if (!Number.isFinite(drop) || drop > max_drop) drops.push({ text: line, index: e.index });
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
  return result('eval.regression', 'pass', `${compared} metric${compared === 1 ? '' : 's'} no worse than on the base`, { location: at(ctx, ['evals']), details });
}
