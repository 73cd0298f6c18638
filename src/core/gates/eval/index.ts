// The eval gates of one system. A missing or invalid `evals:` section fails them all alike.
import { sectionProblem } from '../result';
import type { GateId } from '../../../model/catalogue';
import type { GateContext, GateResult } from '../../types';
import type { MetricRow } from '../../../model/report';
import { freshness } from './freshness';
import { productionGap } from './production-gap';
import { regression } from './regression';
import { slices } from './slices';
import { thresholds } from './thresholds';

export interface EvalGates {
  results: Partial<Record<GateId, GateResult>>;
  table?: MetricRow[];
  notes: string[];
}

export const EVAL_GATE_IDS = ['eval.thresholds', 'eval.production-gap', 'eval.slices', 'eval.freshness', 'eval.regression'] as const;

export function evalGates(ctx: GateContext): EvalGates {
  const problem = sectionProblem(ctx, 'eval.thresholds', 'evals', 'Add `evals:` with at least a curated and a production-sample result file.');
  if (problem) {
    return { results: Object.fromEntries(EVAL_GATE_IDS.map((id) => [id, { ...problem, id }])), notes: [] };
  }
  const gap = productionGap(ctx);
  const notes = Object.entries(ctx.system.evals).flatMap(([name, l]) => (l.ok ? l.result.warnings.map((w) => `${name}: ${w}`) : []));
  return {
    results: {
      'eval.thresholds': thresholds(ctx),
      'eval.production-gap': gap.gate,
      'eval.slices': slices(ctx),
      'eval.freshness': freshness(ctx),
      'eval.regression': regression(ctx),
    },
    ...(gap.table ? { table: gap.table } : {}),
    notes,
  };
}
