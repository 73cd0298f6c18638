// data: classification, the production-data grant and PII are declared.
import { at, requireKeys, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

export function data(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'data', 'data', 'Add `data:` with `classification`, `production_access` and `pii`.');
  if (problem) return problem;
  const d = ctx.system.manifest.manifest.data!;
  const missing = requireKeys(ctx, 'data', 'data', d, ['classification', 'production_access', 'pii'], (keys) =>
    keys.includes('production_access') ? ' (the data-governance grant for production data)' : '',
  );
  if (missing) return missing;
  return result('data', 'pass', `${d.classification} data, ${d.pii ? 'with' : 'without'} PII, production access ${d.production_access}`, { location: at(ctx, ['data']) });
}
