// compliance: a risk tier is declared; `unacceptable` never passes.
import { defineGate } from './define';
import { at, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

const gate = defineGate({ id: 'compliance', scope: 'system', requires: 'compliance', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const compliance = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'compliance', 'compliance', 'Add `compliance: { risk_tier: minimal | limited | high | unacceptable }`.');
  if (problem) return problem;
  const tier = ctx.system.manifest.manifest.compliance!.risk_tier;
  if (tier === undefined) return result('compliance', 'fail', 'missing: compliance.risk_tier', { location: at(ctx, ['compliance']) });
  if (tier === 'unacceptable') {
    return result('compliance', 'fail', `risk tier "unacceptable" can never pass the ${ctx.stage} stage`, {
      fix: 'A system of unacceptable risk must not ship; redesign it or re-assess its tier with compliance.',
      location: at(ctx, ['compliance', 'risk_tier']),
    });
  }
  return result('compliance', 'pass', `risk tier ${tier}`, { location: at(ctx, ['compliance', 'risk_tier']) });
}
