// eval.regression: no metric drops more than max_drop against the same eval on the base.
import { at, result } from '../result';
import type { GateContext, GateResult } from '../types';
import { direction, fmt, loadedEvals, loadProblem, usable } from './common';

export function regression(ctx: GateContext): GateResult {
  const base = ctx.system.baseEvals;
  if (!base) return result('eval.regression', 'skipped', 'no base branch results to compare with');
  const { max_drop } = ctx.policy.evals.regression;
  const drops: { text: string; index: number }[] = [];
  const details: string[] = [];
  let compared = 0;
  for (const e of loadedEvals(ctx)) {
    const before = base[e.entry.name];
    if (!before) continue;
    if (!before.ok) {
      details.push(`${e.entry.name}: the base's results could not be read (${before.error.message}); not compared`);
      continue;
    }
    const p = loadProblem(e);
    if (p) {
      drops.push({ text: `${e.entry.name}: ${p}`, index: e.index });
      continue;
    }
    const now = usable(e)!;
    for (const [name, t] of Object.entries(e.entry.metrics ?? {})) {
      const a = before.result.metrics[name];
      const b = now.metrics[name];
      if (!a || !b || !Number.isFinite(a.value)) continue;
      compared++;
      const dir = direction(t, b);
      const drop = dir === 'min' ? a.value - b.value : b.value - a.value;
      const line = `${e.entry.name} ${name}: ${fmt(a.value)} on base → ${fmt(b.value)} (${drop > 0 ? `${fmt(drop)} worse` : 'no worse'}; max_drop ${fmt(max_drop)})`;
      details.push(line);
      if (!Number.isFinite(drop) || drop > max_drop) drops.push({ text: line, index: e.index });
    }
  }
  if (drops.length > 0) {
    return result('eval.regression', 'fail', `regression against the base: ${drops[0]!.text}`, { location: at(ctx, ['evals', drops[0]!.index]), details });
  }
  if (compared === 0) return result('eval.regression', 'skipped', 'the base branch has no results for these evals', { details });
  return result('eval.regression', 'pass', `${compared} metric${compared === 1 ? '' : 's'} no worse than on the base`, { location: at(ctx, ['evals']), details });
}
