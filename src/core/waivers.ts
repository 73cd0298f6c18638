// Waivers: a verified, unexpired waiver by a policy approver turns a failing gate into `waived`.
import { dayNumber, plural, today } from '../lib/dates';
import { isGateId, gateInfo } from '../model/catalogue';
import { at } from './gates/result';
import type { GateContext, GateResult } from './types';
import type { Waiver } from '../config/manifest/schema';
import { parseApprover } from '../evidence/trust/approvers';
import { verifyRecord } from '../evidence/trust/verify';

export interface WaiverJudgement {
  waiver: Waiver;
  index: number;
  valid: boolean;
  why: string;
}

export function judgeWaivers(ctx: GateContext): WaiverJudgement[] {
  const waivers = ctx.system.manifest.manifest.waivers ?? [];
  const { approvers, max_days } = ctx.policy.waivers;
  const now = today(ctx.now);
  return waivers.map((w, index) => {
    const bad = (why: string): WaiverJudgement => ({ waiver: w, index, valid: false, why });
    if (!isGateId(w.gate)) return bad(`unknown gate "${w.gate}"`);
    if (!gateInfo(w.gate).waivable) return bad(`${w.gate} cannot be waived`);
    const onlyUsers = approvers.every((a) => parseApprover(a).kind === 'user');
    if (onlyUsers && !approvers.some((a) => parseApprover(a).kind === 'user' && sameLogin(a, w.approved_by))) {
      return bad(`approved_by ${w.approved_by} is not a waiver approver (${approvers.join(', ')})`);
    }
    // An approval dated after today cannot have happened: invalid, not a waiver that starts later.
    if (w.approved_on && dayNumber(w.approved_on) > now) {
      const p = at(ctx, ['waivers', index, 'approved_on']);
      return bad(`invalid: ${p.file}:${p.line}:${p.column ?? 1} waivers[${index}].approved_on: expected a date no later than today (${ctx.now.toISOString().slice(0, 10)}, UTC), found ${w.approved_on} (in the future)`);
    }
    const expires = dayNumber(w.expires_on);
    if (expires < now) return bad(`expired on ${w.expires_on}`);
    const start = w.approved_on ? dayNumber(w.approved_on) : now;
    if (expires - start > max_days) {
      return bad(`lasts ${plural(expires - start, 'day')}${w.approved_on ? ` from ${w.approved_on}` : ' from today'}, over the policy's max_days of ${max_days}`);
    }
    const v = verifyRecord('waivers', w, ctx.system.manifest.file, approvers, ctx.trust, ctx.headSha);
    if (!v.verified) return bad(`${v.how}${v.unknown.length > 0 ? `; ${v.unknown.join('; ')}` : ''}`);
    return { waiver: w, index, valid: true, why: v.how };
  });
}

function sameLogin(approver: string, login: string): boolean {
  return approver.replace(/^@/, '').toLowerCase() === login.replace(/^@/, '').toLowerCase();
}

/** Applies valid waivers to failing or inconclusive results; invalid ones are noted on their gate. */
export function applyWaivers(results: GateResult[], judgements: WaiverJudgement[]): GateResult[] {
  return results.map((r) => {
    const mine = judgements.filter((j) => j.waiver.gate === r.id);
    if (mine.length === 0) return r;
    const blocking = r.outcome === 'fail' || r.outcome === 'inconclusive';
    const valid = mine.find((j) => j.valid);
    if (blocking && valid) {
      return {
        ...r,
        outcome: 'waived',
        reason: `waived until ${valid.waiver.expires_on}: ${valid.waiver.reason} (was: ${r.reason})`,
        waiver: { reason: valid.waiver.reason, approved_by: valid.waiver.approved_by, expires_on: valid.waiver.expires_on, verified_by: valid.why },
      };
    }
    const notes = mine.filter((j) => !j.valid).map((j) => `waiver not applied: ${j.why}`);
    return notes.length > 0 ? { ...r, details: [...(r.details ?? []), ...notes] } : r;
  });
}
