// Is a sign-off or waiver record verified? SPEC §6: present and unchanged in the base
// manifest, or approved by a review on the head commit from one of the kind's approvers.
import { describeApprovers, parseApprover } from './approvers';
import { membershipKey } from './types';
import type { TrustEvidence } from './types';

export interface Verification {
  verified: boolean;
  /** How it was verified, or why not. */
  how: string;
  /** Who may verify it, when it is not verified. */
  needs?: string;
  /** Lookups that could not be made (a token without Members: read). */
  unknown: string[];
  /** SPEC §3: the record's `approved_by` names someone other than the verifying reviewer (a warning only). */
  warning?: string;
}

export function verifyRecord(
  section: 'signoffs' | 'waivers',
  record: object,
  manifestPath: string,
  approvers: readonly string[],
  ev: TrustEvidence,
  headSha?: string,
  /** Facts the pull request changed that the record vouches for: the base no longer verifies it (SPEC §6). */
  changed: readonly string[] = [],
): Verification {
  if (ev.mode === 'branch') return { verified: true, how: 'on the gated branch already', unknown: [] };
  const reviewed = ev.reviewHead ?? headSha;
  const needs = `an approving review${reviewed ? ` on ${reviewed.slice(0, 7)}` : ' on the head commit'} from ${describeApprovers(approvers)}`;
  if (ev.mode === 'none') {
    // A local check (SPEC §9): say which review would verify it, and that reviews are not visible here.
    return { verified: false, how: `not verified here: no base branch to verify against (run \`last-mile check --base <branch>\`), and a local check cannot see reviews: ${needs} on the pull request would verify it`, needs, unknown: [] };
  }
  const base = ev.baseManifests[manifestPath];
  const unchanged = base !== undefined && base !== null && keysOf(base[section]).has(canonical(record));
  if (unchanged && changed.length === 0) {
    return { verified: true, how: 'unchanged from the base branch', unknown: [] };
  }
  const unknown: string[] = [];
  for (const login of ev.approvingReviewers) {
    if (ev.author && login.toLowerCase() === ev.author.toLowerCase()) continue;
    for (const a of approvers) {
      const spec = parseApprover(a);
      if (spec.kind === 'user') {
        if (spec.login.toLowerCase() === login.toLowerCase()) return byReviewer(record, login, `approved by @${login}`);
        continue;
      }
      const m = ev.memberships[membershipKey(a, login)];
      if (!m) continue;
      if (m.member === true) return byReviewer(record, login, `approved by @${login} (${m.via})`);
      if (m.member === 'unknown') unknown.push(m.why);
    }
  }
  const what =
    unchanged
      ? `this pull request changes ${changed.map((c) => `\`${c}\``).join(', ')}, which it vouches for,`
      : base === undefined || base === null
        ? 'added by this pull request (the base has no such manifest)'
        : 'added or changed by this pull request';
  const base_ = ev.baseUnavailable ? `; the base could not be read: ${ev.baseUnavailable}` : '';
  const how = ev.reviewsUnseen
    ? `unverified here: ${what.replace(/,$/, '')}; ${needs} on the pull request would verify it (a local check cannot see reviews)${base_}`
    : `unverified: ${what} without ${needs}${base_}`;
  return { verified: false, how, needs, unknown: [...new Set(unknown)] };
}

/** Verified by a review; `approved_by` naming someone else is shown as a warning (SPEC §3), not a failure. */
function byReviewer(record: object, login: string, how: string): Verification {
  const by = (record as { approved_by?: unknown }).approved_by;
  if (typeof by !== 'string' || by.replace(/^@/, '').toLowerCase() === login.toLowerCase()) return { verified: true, how, unknown: [] };
  const warning = `approved_by says ${by}, but the verifying review is by @${login}`;
  return { verified: true, how: `${how}; warning: ${warning}`, unknown: [], warning };
}

/**
 * The canonical forms of a base manifest's records, computed once per list: comparing each
 * record with every base record took quadratic time (10,000 sign-offs: minutes).
 */
const baseKeys = new WeakMap<readonly unknown[], Set<string>>();
function keysOf(records: readonly unknown[]): Set<string> {
  let keys = baseKeys.get(records);
  if (!keys) {
    keys = new Set(records.map(canonical));
    baseKeys.set(records, keys);
  }
  return keys;
}

/** JSON with sorted keys: any edit of any field makes a different record. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
