// data: classification, the production-data grant and PII are declared.
import { defineGate } from './define';
import { at, requireKeys, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

const gate = defineGate({ id: 'data', scope: 'system', requires: 'data', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const data = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'data', 'data', 'Add `data:` with `classification`, `production_access` and `pii`.');
  if (problem) return problem;
  const d = ctx.system.manifest.manifest.data!;
  const missing = requireKeys(ctx, 'data', 'data', d, ['classification', 'production_access', 'pii'], (keys) =>
    keys.includes('production_access') ? ' (the data-governance grant for production data)' : '',
  );
  if (missing) return missing;
  return result('data', 'pass', `${d.classification} data, ${d.pii ? 'with' : 'without'} PII, production access ${d.production_access}`, { location: at(ctx, ['data']) });
}
