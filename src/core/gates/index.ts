// The catalogue wired to its implementations, and the evaluation of one system.
import type { GateId } from '../../model/catalogue';
import { gateInfo, GATES } from '../../model/catalogue';
import { compliance } from './compliance';
import { data } from './data';
import { identity } from './identity';
import { integrations } from './integrations';
import { manifestValid } from './manifest-valid';
import { monitoring } from './monitoring';
import { ownership } from './ownership';
import { result } from './result';
import { rollback } from './rollback';
import { rollout } from './rollout';
import { signoffs } from './signoffs';
import type { GateContext, GateResult } from '../types';
import { evalGates } from './eval/index';
import type { SystemReport } from '../../model/report';
import { BLOCKING } from '../../model/report';
import { applyWaivers, judgeWaivers } from '../waivers';
import { verifyRecord } from '../../evidence/trust/verify';
import { changedVouched, requiredKinds } from './signoffs';
import { barOf } from '../bar';
import { overdueSignoffs } from './sla';

type SystemGate = (ctx: GateContext) => GateResult;

const SYSTEM_GATES: Partial<Record<GateId, SystemGate>> = {
  'manifest.valid': manifestValid,
  ownership,
  identity,
  data,
  compliance,
  signoffs,
  monitoring,
  rollback,
  rollout,
  integrations,
};

/** Whether the stage's `require` list turns this gate on. */
export function isRequired(id: GateId, require: readonly string[]): boolean {
  const info = gateInfo(id);
  if (info.area === undefined) return true;
  return require.includes(info.area) || require.includes(id);
}

export function evaluateSystem(input: GateContext): SystemReport {
  const base = input.system.base;
  const bar = barOf(input.system.manifest.manifest, base ? base.manifest : base, input.policy);
  const ctx: GateContext = { ...input, bar };
  const require = ctx.policy.stages[ctx.stage]?.require ?? [];
  const evals = evalGates(ctx);
  const results: GateResult[] = [];
  for (const g of GATES) {
    if ('repository' in g && g.repository) continue;
    const id = g.id as GateId;
    if (!isRequired(id, require)) {
      results.push(result(id, 'skipped', `not required at the ${ctx.stage} stage`));
      continue;
    }
    const fn = SYSTEM_GATES[id];
    const r = fn ? fn(ctx) : evals.results[id];
    if (!r) throw new Error(`gate ${id} has no implementation`);
    results.push(r);
  }
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
function verifications(ctx: GateContext, judgements: ReturnType<typeof judgeWaivers>): NonNullable<SystemReport['verifications']> {
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
