// The evaluation of one system: every system gate of the registry, run or skipped by the stage,
// then waivers, the eval table and notes, SLA breaches and the audit trail of verifications.
import { result } from './result';
import type { GateContext, GateResult, SystemContext } from '../types';
import { evalSummary } from './eval/summary';
import type { SystemReport } from '../../model/report';
import { BLOCKING } from '../../model/report';
import { applyWaivers, judgeWaivers } from '../waivers';
import { verifyRecord } from '../../evidence/trust/verify';
import { changedVouched, requiredKinds } from './signoffs';
import { systemBar } from './define';
import { skipReason, SYSTEM_GATES } from './registry';
import { overdueSignoffs } from './sla';

export function evaluateSystem(input: GateContext): SystemReport {
  // The bar is computed here, once, from the base and head manifests: never taken from the caller.
  const bar = systemBar(input);
  const ctx: SystemContext = { ...input, bar };
  const results: GateResult[] = SYSTEM_GATES.map((gate) => {
    const skip = skipReason(gate, ctx.policy, ctx.stage);
    return skip !== undefined ? result(gate.id, 'skipped', skip) : gate.run(ctx);
  });
  const evals = evalSummary(ctx);
  const judgements = judgeWaivers(ctx);
  const gates = applyWaivers(results, judgements);
  // A waiver of a gate this system does not have is said, not silently dropped: a valid one
  // can only name a repository gate (inventory.unregistered), which a manifest cannot waive.
  // SLA breaches only where this stage needs sign-offs: elsewhere nobody waits on them.
  const overdue = gates.some((g) => g.id === 'signoffs' && g.outcome !== 'skipped') ? overdueSignoffs(ctx) : [];
  const notes = judgements
    .filter((j) => !gates.some((g) => g.id === j.waiver.gate))
    .map((j) => `waiver for "${j.waiver.gate}" not applied: ${j.valid ? 'it concerns the whole repository, not this system (use `inventory.ignore` in the policy)' : j.why}`);
  return {
    system: ctx.system.manifest.system,
    manifest: ctx.system.manifest.file,
    ...(ctx.system.manifest.manifest.owner?.team ? { owner: ctx.system.manifest.manifest.owner.team } : {}),
    status: gates.some((g) => BLOCKING.includes(g.outcome)) ? 'fail' : 'pass',
    gates,
    ...(evals.table ? { evalTable: evals.table } : {}),
    ...(bar.kept.length > 0 ? { keptFromBase: bar.kept } : {}),
    notes: [...notes, ...evals.notes, ...reviewNotes(ctx)],
    ...(overdue.length > 0 ? { overdue } : {}),
    verifications: verifications(ctx, judgements),
  };
}

/** Who verified each approved sign-off and each applied waiver: audit evidence. */
function verifications(ctx: SystemContext, judgements: ReturnType<typeof judgeWaivers>): NonNullable<SystemReport['verifications']> {
  const out: NonNullable<SystemReport['verifications']> = [];
  const kinds = new Map(requiredKinds(ctx));
  for (const r of ctx.system.manifest.manifest.signoffs ?? []) {
    const rule = kinds.get(r.kind);
    if (!rule || r.status !== 'approved') continue;
    const v = verifyRecord('signoffs', r, ctx.system.manifest.file, rule.approvers, ctx.trust, ctx.headSha, changedVouched(ctx, r.kind));
    if (v.verified) out.push({ kind: 'signoff', record: `${r.kind}${r.ticket ? ` ${r.ticket}` : ''}`, verified_by: v.how });
  }
  for (const j of judgements) if (j.valid) out.push({ kind: 'waiver', record: j.waiver.gate, verified_by: j.why });
  return out;
}

/** Reviews that did not count, so that a reviewer sees why an approval did not verify a record. */
function reviewNotes(ctx: GateContext): string[] {
  return ctx.trust.discountedReviews.map((d) => `review by @${d.login} does not count: ${d.why}`);
}
