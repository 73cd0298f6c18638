// eval.slices: every slice has enough samples and is at most max_drop below the whole.
import { at, result } from '../result';
import type { GateContext, GateResult } from '../types';
import { fmt, loadedEvals, loadProblem, usable } from './common';
import { directionOf, NO_DIRECTION_NOTE } from '../bar';

const WORST_SHOWN = 5;

export function slices(ctx: GateContext): GateResult {
  const { min_samples, max_drop } = ctx.policy.evals.slices;
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
        if (s.count < min_samples) {
          small.push({ text: `${e.entry.name} ${field}=${s.value}: ${s.count} samples (min_samples ${min_samples})`, index: e.index });
          continue;
        }
        for (const name of metrics) {
          const whole = r.metrics[name]!;
          const part = s.metrics[name];
          if (!part) continue;
          const dir = directionOf(name, [e.bar], ctx.policy, r.format);
          if (!dir) {
            notes.add(`${e.entry.name} ${name}: ${NO_DIRECTION_NOTE}`);
            continue;
          }
          const drop = dir === 'min' ? whole.value - part.value : part.value - whole.value;
          const limit = whole.kind === 'percentile' ? Math.abs(whole.value) * max_drop : max_drop;
          if (!Number.isFinite(drop) || drop > limit) {
            fails.push({ drop, text: `${e.entry.name} ${field}=${s.value}: ${name} ${fmt(part.value)} vs ${fmt(whole.value)} overall (${fmt(drop)} worse, max ${fmt(limit)}; ${s.count} samples)`, index: e.index });
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
    ...[...notes].map((n) => `not gated: ${n}`),
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
    return result('eval.slices', 'inconclusive', `${small.length} slice${small.length === 1 ? '' : 's'} with fewer than ${min_samples} samples: ${small[0]!.text}`, {
      fix: `Collect at least ${min_samples} samples per slice, or waive the gate with a reason.`,
      location: at(ctx, ['evals', small[0]!.index, 'slices']),
      details,
    });
  }
  return result('eval.slices', 'pass', `${checked} slices within ${fmt(max_drop)} of the whole`, { location: at(ctx, ['evals']), ...(notes.size > 0 ? { details } : {}) });
}
