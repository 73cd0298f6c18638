// The eval parts of a system's report besides the gates' results: the curated / production-sample
// table and the eval adapters' warnings as notes. evaluateSystem computes them once per system,
// whether or not the stage requires the eval gates; each eval gate computes its own result.
import type { MetricRow } from '../../../model/report';
import type { SystemContext } from '../../types';
import { evalsProblem } from './common';
import { gapOf } from './production-gap';

export interface EvalSummary {
  table?: MetricRow[];
  notes: string[];
}

export function evalSummary(ctx: SystemContext): EvalSummary {
  // A missing or invalid `evals:` section: the eval gates fail on it, and there is nothing to show.
  if (evalsProblem(ctx, 'eval.production-gap')) return { notes: [] };
  const { table } = gapOf(ctx);
  const notes = Object.entries(ctx.system.evals).flatMap(([name, l]) => (l.ok ? l.result.warnings.map((w) => `${name}: ${w}`) : []));
  return { ...(table ? { table } : {}), notes };
}
