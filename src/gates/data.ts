// data: classification, the production-data grant and PII are declared.
import { absent, at, result, sectionProblem } from './result';
import type { GateContext, GateResult } from './types';

export function data(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'data', 'data', 'Add `data:` with `classification`, `production_access` and `pii`.');
  if (problem) return problem;
  const d = ctx.system.manifest.manifest.data!;
  const missing = absent(d, ['classification', 'production_access', 'pii']);
  if (missing.length > 0) {
    return result('data', 'fail', `missing: data.${missing.join(', data.')}`, {
      fix: `Declare ${missing.map((k) => `\`data.${k}\``).join(', ')}${missing.includes('production_access') ? ' (the data-governance grant for production data)' : ''}.`,
      location: at(ctx, ['data']),
    });
  }
  return result('data', 'pass', `${d.classification} data, ${d.pii ? 'with' : 'without'} PII, production access ${d.production_access}`, { location: at(ctx, ['data']) });
}
