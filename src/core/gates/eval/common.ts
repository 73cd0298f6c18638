// Shared pieces of the eval gates: the `evals:` section check they all start with, looking up an
// eval's loaded result and describing numbers.
import type { GateId } from '../../../model/catalogue';
import type { GateResult, SystemContext } from '../../types';
import type { EvalEntry } from '../../../config/manifest/schema';
import type { EvalLoad, EvalResult } from '../../../evidence/evals/types';
import type { EvalBar } from '../../bar';
import { sectionProblem } from '../result';

export interface LoadedEval {
  entry: EvalEntry;
  index: number;
  load: EvalLoad | undefined;
  /** What this eval is judged by: head and base thresholds, the base's source, policy floors. */
  bar: EvalBar;
}

/** A missing or invalid `evals:` section fails every eval gate alike; undefined when it is usable. */
export function evalsProblem(ctx: SystemContext, id: GateId): GateResult | undefined {
  return sectionProblem(ctx, id, 'evals', 'Add `evals:` with at least a curated and a production-sample result file.');
}

export function loadedEvals(ctx: SystemContext): LoadedEval[] {
  return ctx.bar.evals.map((bar) => ({ entry: bar.entry, index: bar.index, load: ctx.system.evals[bar.entry.name], bar }));
}

/** A load error as one line, or undefined when the result is usable. */
export function loadProblem(e: LoadedEval): string | undefined {
  if (!e.load) return `${e.entry.path}: not loaded`;
  if (!e.load.ok) return `cannot read ${e.load.error.file}${e.load.error.line ? `:${e.load.error.line}` : ''}: ${e.load.error.message}`;
  return undefined;
}

export function usable(e: LoadedEval): EvalResult | undefined {
  return e.load?.ok ? e.load.result : undefined;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(3).replace(/\.?0+$/, '') || '0';
}

