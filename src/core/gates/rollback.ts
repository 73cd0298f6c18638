// rollback: a strategy and a runbook that exists.
import { defineGate } from './define';
import { absent, at, fileProblem, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

const gate = defineGate({ id: 'rollback', scope: 'system', requires: 'rollback', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const rollback = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'rollback', 'rollback', 'Add `rollback:` with a `strategy` and a `runbook` file.');
  if (problem) return problem;
  const r = ctx.system.manifest.manifest.rollback!;
  const missing = absent(r, ['strategy', 'runbook']);
  if (missing.length > 0) {
    return result('rollback', 'fail', `missing: rollback.${missing.join(', rollback.')}`, { location: at(ctx, ['rollback']) });
  }
  const bad = fileProblem(ctx, r.runbook!);
  if (bad) return result('rollback', 'fail', `runbook ${bad}`, { fix: 'Commit the runbook at the path `rollback.runbook` names (relative to the manifest).', location: at(ctx, ['rollback', 'runbook']) });
  return result('rollback', 'pass', `${r.strategy}, runbook ${r.runbook}`, { location: at(ctx, ['rollback']) });
}
