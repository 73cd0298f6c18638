// Shared pieces of the eval gates: looking up an eval's loaded result and describing numbers.
import type { GateContext } from '../types';
import type { EvalEntry } from '../../manifest/schema';
import type { EvalLoad, EvalResult, Metric } from '../../evals/types';

export interface LoadedEval {
  entry: EvalEntry;
  index: number;
  load: EvalLoad | undefined;
}

export function loadedEvals(ctx: GateContext): LoadedEval[] {
  return (ctx.system.manifest.manifest.evals ?? []).map((entry, index) => ({ entry, index, load: ctx.system.evals[entry.name] }));
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

/** The direction a metric is judged in: from the manifest's threshold, else the file, else higher is better. */
export function direction(entryThreshold: { min?: number; max?: number } | undefined, m: Metric | undefined): 'min' | 'max' {
  if (entryThreshold && 'max' in entryThreshold && entryThreshold.max !== undefined) return 'max';
  if (entryThreshold && 'min' in entryThreshold && entryThreshold.min !== undefined) return 'min';
  if (m?.higherIsBetter === false || m?.kind === 'percentile') return 'max';
  return 'min';
}
