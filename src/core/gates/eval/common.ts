// Shared pieces of the eval gates: looking up an eval's loaded result and describing numbers.
import type { GateContext } from '../../types';
import type { EvalEntry } from '../../../config/manifest/schema';
import type { EvalLoad, EvalResult, Metric } from '../../../evidence/evals/types';
import { barOf } from '../../bar';
import type { EvalBar, SystemBar } from '../../bar';

export interface LoadedEval {
  entry: EvalEntry;
  index: number;
  load: EvalLoad | undefined;
  /** What this eval is judged by: head and base thresholds, the base's source, policy floors. */
  bar: EvalBar;
}

/** The system's bar: computed once by evaluateSystem; computed here for a gate called alone. */
export function barFor(ctx: GateContext): SystemBar {
  const base = ctx.system.base;
  return ctx.bar ?? barOf(ctx.system.manifest.manifest, base ? base.manifest : base, ctx.policy);
}

export function loadedEvals(ctx: GateContext): LoadedEval[] {
  return barFor(ctx).evals.map((bar) => ({ entry: bar.entry, index: bar.index, load: ctx.system.evals[bar.entry.name], bar }));
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

export function describeN(m: Metric): string {
  if (m.successes !== undefined && m.n !== undefined) return `${m.successes}/${m.n}`;
  if (m.n !== undefined) return `n = ${m.n}`;
  return 'n unknown';
}
