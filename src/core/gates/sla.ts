// Sign-off service levels (SPEC §10): a `requested` sign-off older than its kind's `sla_days`
// is named with its age and whom to escalate to. It never changes a verdict: a sign-off that
// is only requested already blocks; this says who should be chased, and since when. A helper of
// the signoffs gate and of the report, not a gate.
import type { Signoff } from '../../config/manifest/schema';
import type { SignoffRule } from '../../config/policy/schema';
import { parseApprover } from '../../evidence/trust/approvers';
import { dayNumber, plural, today } from '../../lib/dates';
import type { SystemContext } from '../types';
import { requiredKindsFor } from '../bar';

export interface Overdue {
  kind: string;
  ticket?: string;
  requested_on: string;
  age_days: number;
  sla_days: number;
  escalate?: string;
}

/** Days a requested record has waited, when it has a (past or present) request date. */
export function waitedDays(r: Signoff, now: number): number | undefined {
  if (r.status !== 'requested' || !r.requested_on) return undefined;
  const d = now - dayNumber(r.requested_on);
  return d >= 0 ? d : undefined;
}

/** The record's SLA breach, if any: strictly older than `sla_days`. */
export function overdueRecord(kind: string, rule: SignoffRule, r: Signoff, now: number): Overdue | undefined {
  const age = waitedDays(r, now);
  if (rule.sla_days === undefined || age === undefined || age <= rule.sla_days) return undefined;
  return {
    kind,
    ...(r.ticket ? { ticket: r.ticket } : {}),
    requested_on: r.requested_on!,
    age_days: age,
    sla_days: rule.sla_days,
    ...(rule.escalate ? { escalate: rule.escalate } : {}),
  };
}

/** "@alice" or "@acme/security-leads": the escalation contact as written, as a handle. */
export function escalationHandle(escalate: string): string {
  const s = parseApprover(escalate);
  return s.kind === 'team' ? `@${s.org}/${s.slug}` : s.kind === 'user' ? `@${s.login}` : s.text;
}

/** The clause appended to a requested sign-off's line, or '' within its SLA. */
export function slaNote(o: Overdue | undefined): string {
  if (!o) return '';
  const to = o.escalate ? `; escalate to ${escalationHandle(o.escalate)}` : '';
  return `; over its ${o.sla_days}-day SLA by ${plural(o.age_days - o.sla_days, 'day')}${to}`;
}

/**
 * Requested sign-offs past their SLA, for the kinds this stage needs and that no record of the
 * same kind already grants (an approved record supersedes an old request).
 */
export function overdueSignoffs(ctx: SystemContext): Overdue[] {
  const records = ctx.system.manifest.manifest.signoffs ?? [];
  const now = today(ctx.now);
  const out: Overdue[] = [];
  for (const [kind, rule] of requiredKindsFor(ctx.policy, ctx.bar)) {
    const mine = records.filter((r) => r.kind === kind);
    if (mine.some((r) => r.status === 'approved')) continue;
    for (const r of mine) {
      const o = overdueRecord(kind, rule, r, now);
      if (o) out.push(o);
    }
  }
  return out;
}
