// identity: the system as a principal (SSO / service account) is declared.
import { absent, at, result, sectionProblem } from './result';
import type { GateContext, GateResult } from './types';

export function identity(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'identity', 'identity', 'Add `identity:` with `principal`, `auth` and the `provisioning` ticket.');
  if (problem) return problem;
  const id = ctx.system.manifest.manifest.identity!;
  const missing = absent(id, ['principal', 'auth', 'provisioning']);
  if (missing.length > 0) {
    return result('identity', 'fail', `missing: identity.${missing.join(', identity.')}`, {
      fix: `Declare ${missing.map((k) => `\`identity.${k}\``).join(', ')}.`,
      location: at(ctx, ['identity']),
    });
  }
  return result('identity', 'pass', `principal ${id.principal} (${id.auth}), provisioned by ${id.provisioning}`, { location: at(ctx, ['identity']) });
}
