// signoffs: every kind the stage needs is approved, unexpired and verified (SPEC §5, §6).
import { defineGate } from './define';
import { at, result, sectionProblem } from './result';
import type { GateContext, GateResult, SystemContext } from '../types';
import { addDays, dayNumber, plural, today } from '../../lib/dates';
import type { Signoff } from '../../config/manifest/schema';
import type { SignoffRule } from '../../config/policy/schema';
import { describeApprovers } from '../../evidence/trust/approvers';
import { verifyRecord } from '../../evidence/trust/verify';
import { requiredKindsFor } from '../bar';
import { changedFacts } from '../../evidence/trust/binding';
import { overdueRecord, slaNote } from './sla';

const gate = defineGate({ id: 'signoffs', scope: 'system', requires: 'signoffs', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const signoffs = gate.run;

const EXPIRY_WARNING_DAYS = 14;

interface KindVerdict {
  ok: boolean;
  line: string;
  index?: number;
  /** What settles it, where more precise than "get it granted" (the review that would verify it). */
  fix?: string;
}

/** Facts this pull request changed that a sign-off of `kind` vouches for (SPEC §6). */
export function changedVouched(ctx: GateContext, kind: string): string[] {
  const base = ctx.system.base;
  return base ? changedFacts(kind, ctx.system.manifest.manifest, base.manifest) : [];
}

/** Kinds the stage needs: those that the head's or the base's facts require (SPEC §6). */
export function requiredKinds(ctx: SystemContext): [string, SignoffRule][] {
  return requiredKindsFor(ctx.policy, ctx.bar);
}

function check(ctx: SystemContext): GateResult {
  const kinds = requiredKinds(ctx);
  if (kinds.length === 0) return result('signoffs', 'pass', `the policy requires no sign-off at the ${ctx.stage} stage`);
  const problem = sectionProblem(ctx, 'signoffs', 'signoffs', `Request the sign-offs ${kinds.map(([k]) => k).join(', ')} and record them under \`signoffs:\`.`);
  if (problem) return problem;
  const records = ctx.system.manifest.manifest.signoffs!;
  const verdicts = kinds.map(([kind, rule]) => ({ kind, rule, ...judgeKind(ctx, kind, rule, records) }));
  const failing = verdicts.filter((v) => !v.ok);
  const details = verdicts.map((v) => `${v.ok ? 'ok' : 'not ok'}: ${v.line}`);
  const unknownKinds = [...new Set(records.map((r) => r.kind).filter((k) => !ctx.policy.signoffs[k]))];
  if (unknownKinds.length > 0) details.push(`not required by the policy: ${unknownKinds.join(', ')}`);
  if (failing.length > 0) {
    const first = failing[0]!;
    return result('signoffs', 'fail', `${failing.length} of ${kinds.length} required sign-off${kinds.length === 1 ? '' : 's'} not in place: ${first.line}`, {
      location: first.index !== undefined ? at(ctx, ['signoffs', first.index]) : at(ctx, ['signoffs']),
      details,
      // Who acts: the approvers of the kinds not in place; the fix names each kind's next step.
      who: [...new Set(failing.flatMap((v) => v.rule.approvers))],
      fix: `${failing.map((v) => v.fix ?? `${v.kind}: get it granted by ${describeApprovers(v.rule.approvers)} and record it under \`signoffs:\``).join('; ')}.`,
    });
  }
  return result('signoffs', 'pass', `${kinds.length} sign-off${kinds.length === 1 ? '' : 's'} approved and verified: ${kinds.map(([k]) => k).join(', ')}`, {
    location: at(ctx, ['signoffs']),
    details,
  });
}

function judgeKind(ctx: GateContext, kind: string, rule: SignoffRule, records: Signoff[]): KindVerdict {
  const who = describeApprovers(rule.approvers);
  const candidates = records.map((r, index) => ({ r, index })).filter(({ r }) => r.kind === kind);
  if (candidates.length === 0) return { ok: false, line: `${kind}: missing (to be granted by ${who})` };
  const now = today(ctx.now);
  const judged = candidates.map(({ r, index }) => ({ index, ...judgeRecord(ctx, kind, rule, r, now) }));
  // Any one good record of the kind suffices; otherwise report the most advanced one.
  return judged.find((j) => j.ok) ?? judged[judged.length - 1]!;
}

function judgeRecord(ctx: GateContext, kind: string, rule: SignoffRule, r: Signoff, now: number): KindVerdict {
  const ticket = r.ticket ? ` (${r.ticket})` : '';
  // An approval dated after today cannot have happened: the record is invalid (SPEC §6), not a
  // sign-off whose validity window merely starts later.
  if (r.approved_on && dayNumber(r.approved_on) > now) {
    const path = ['signoffs', ctx.system.manifest.manifest.signoffs?.indexOf(r) ?? 0, 'approved_on'];
    const p = at(ctx, path);
    return {
      ok: false,
      line: `${kind}: invalid record${ticket}: ${p.file}:${p.line}:${p.column ?? 1} ${path[0]}[${path[1]}].${path[2]}: expected a date no later than today (${ctx.now.toISOString().slice(0, 10)}, UTC), found ${r.approved_on} (in the future)`,
    };
  }
  if (r.status === 'rejected') return { ok: false, line: `${kind}: rejected${ticket}` };
  if (r.status === 'requested') {
    const waited = r.requested_on ? now - dayNumber(r.requested_on) : undefined;
    const age = waited === undefined ? '' : waited < 0 ? `, requested_on ${r.requested_on} is in the future` : `, waiting ${plural(waited, 'day')}`;
    // Past its SLA (SPEC §10): say so and whom to escalate to; the verdict is already "fail".
    const sla = slaNote(overdueRecord(kind, rule, r, now));
    return { ok: false, line: `${kind}: requested${ticket}${age}; to be granted by ${describeApprovers(rule.approvers)}${sla}` };
  }
  const expiries: { date: string; why: string }[] = [];
  if (r.expires_on) expiries.push({ date: r.expires_on, why: 'expires_on' });
  if (rule.max_age_days !== undefined) {
    if (!r.approved_on) return { ok: false, line: `${kind}: approved_on missing; the policy limits its age to ${rule.max_age_days} days` };
    expiries.push({ date: addDays(r.approved_on, rule.max_age_days), why: `approved_on + ${rule.max_age_days} days` });
  }
  const first = expiries.sort((a, b) => dayNumber(a.date) - dayNumber(b.date))[0];
  if (first && dayNumber(first.date) < now) return { ok: false, line: `${kind}: expired on ${first.date} (${first.why})${ticket}` };
  const v = verifyRecord('signoffs', r, ctx.system.manifest.file, rule.approvers, ctx.trust, ctx.headSha, changedVouched(ctx, kind));
  if (!v.verified) {
    const unknown = v.unknown.length > 0 ? `; ${v.unknown.join('; ')}` : '';
    return { ok: false, line: `${kind}: approved${ticket} but ${v.how}${unknown}`, ...(v.needs ? { fix: `${kind}: ${v.needs}${ctx.trust.reviewsUnseen ? ' on the pull request' : ''}` } : {}) };
  }
  const soon = first && dayNumber(first.date) - now <= EXPIRY_WARNING_DAYS ? `; expires in ${plural(dayNumber(first.date) - now, 'day')} (${first.date})` : '';
  const by = r.approved_by ? ` by ${r.approved_by}` : '';
  return { ok: true, line: `${kind}: approved${by}${ticket}, ${v.how}${soon}` };
}
