// identity: the system as a principal (SSO / service account) is declared.
import { defineGate } from './define';
import { at, requireKeys, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

const gate = defineGate({ id: 'identity', scope: 'system', requires: 'identity', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const identity = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'identity', 'identity', 'Add `identity:` with `principal`, `auth` and the `provisioning` ticket.');
  if (problem) return problem;
  const id = ctx.system.manifest.manifest.identity!;
  const missing = requireKeys(ctx, 'identity', 'identity', id, ['principal', 'auth', 'provisioning']);
  if (missing) return missing;
  return result('identity', 'pass', `principal ${id.principal} (${id.auth}), provisioned by ${id.provisioning}`, { location: at(ctx, ['identity']) });
}
