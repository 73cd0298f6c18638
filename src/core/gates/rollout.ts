// rollout: a plan is declared; the comms file it names exists.
import { defineGate } from './define';
import { at, fileProblem, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

const gate = defineGate({ id: 'rollout', scope: 'system', requires: 'rollout', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const rollout = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'rollout', 'rollout', 'Add `rollout:` with a `plan` (e.g. "canary 5% -> 25% -> 100%").');
  if (problem) return problem;
  const r = ctx.system.manifest.manifest.rollout!;
  if (r.plan === undefined) return result('rollout', 'fail', 'missing: rollout.plan', { location: at(ctx, ['rollout']) });
  if (r.comms !== undefined) {
    const bad = fileProblem(ctx, r.comms);
    if (bad) return result('rollout', 'fail', `comms ${bad}`, { fix: 'Commit the comms file at the path `rollout.comms` names, or remove the key.', location: at(ctx, ['rollout', 'comms']) });
  }
  return result('rollout', 'pass', `plan: ${r.plan}`, { location: at(ctx, ['rollout']) });
}
