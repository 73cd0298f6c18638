// Gathers the review evidence of SPEC §6 through the API: who approved the current head,
// and whether each approving reviewer is one of the approvers a policy names.
import type { GitHub } from './client';
import { describeError, statusOf, isRateLimit } from './errors';
import type { RepoRef } from './contents';
import { parseApprover, rank } from '../evidence/trust/approvers';
import type { Membership } from '../evidence/trust/types';
import { membershipKey } from '../evidence/trust/types';

interface Review {
  user?: { login?: string } | null;
  state?: string;
  commit_id?: string | null;
  submitted_at?: string | null;
}

export interface ReviewEvidence {
  approvingReviewers: string[];
  discountedReviews: { login: string; why: string }[];
}

/** Latest non-comment review per user; only approvals of the head commit count. */
export async function reviewEvidence(gh: GitHub, r: RepoRef, pull: number, headSha: string, author?: string): Promise<ReviewEvidence> {
  const reviews = (await gh.paginate(gh.rest.pulls.listReviews, { owner: r.owner, repo: r.repo, pull_number: pull, per_page: 100 })) as Review[];
  return summariseReviews(reviews, headSha, author);
}

export function summariseReviews(reviews: Review[], headSha: string, author?: string): ReviewEvidence {
  const latest = new Map<string, Review>();
  for (const rv of reviews) {
    const login = rv.user?.login;
    const state = (rv.state ?? '').toUpperCase();
    if (!login || state === 'COMMENTED' || state === 'PENDING') continue;
    latest.set(login.toLowerCase(), rv); // the API lists reviews oldest first
  }
  const approvingReviewers: string[] = [];
  const discountedReviews: ReviewEvidence['discountedReviews'] = [];
  for (const rv of latest.values()) {
    const login = rv.user!.login!;
    const state = (rv.state ?? '').toUpperCase();
    if (author && login.toLowerCase() === author.toLowerCase()) continue;
    if (state !== 'APPROVED') discountedReviews.push({ login, why: state === 'DISMISSED' ? 'review dismissed' : 'changes requested' });
    else if (rv.commit_id !== headSha) discountedReviews.push({ login, why: `approved ${rv.commit_id?.slice(0, 7) ?? 'an older commit'}, not the head ${headSha.slice(0, 7)}` });
    else approvingReviewers.push(login);
  }
  return { approvingReviewers, discountedReviews };
}

/** Resolves team and permission approvers for each approving reviewer; cached per run. */
export class ApproverDirectory {
  private readonly cache = new Map<string, Promise<Membership>>();
  constructor(
    private readonly gh: GitHub,
    private readonly repo: RepoRef,
  ) {}

  async table(approvers: readonly string[], logins: readonly string[]): Promise<Record<string, Membership>> {
    const out: Record<string, Membership> = {};
    for (const a of new Set(approvers)) {
      const spec = parseApprover(a);
      if (spec.kind === 'user') continue;
      for (const login of logins) out[membershipKey(a, login)] = await this.lookup(a, login);
    }
    return out;
  }

  private lookup(approver: string, login: string): Promise<Membership> {
    const key = membershipKey(approver, login);
    let p = this.cache.get(key);
    if (!p) {
      p = this.resolve(approver, login);
      this.cache.set(key, p);
    }
    return p;
  }

  private async resolve(approver: string, login: string): Promise<Membership> {
    const spec = parseApprover(approver);
    if (spec.kind === 'team') {
      try {
        const res = await this.gh.rest.teams.getMembershipForUserInOrg({ org: spec.org, team_slug: spec.slug, username: login });
        return res.data.state === 'active' ? { member: true, via: `member of @${spec.org}/${spec.slug}` } : { member: false };
      } catch (err) {
        const s = statusOf(err);
        // GitHub answers 404 both for "not a member" and for "this token may not see the team":
        // say both, so that a reviewer who could only count through the team is not silently refused.
        if (s === 404) return { member: 'unknown', why: teamNotFound(spec.org, spec.slug, login) };
        // A rate limit that outlasted the waits is an error, not a missing permission.
        if ((s === 403 || s === 401) && !isRateLimit(err)) {
          return {
            member: 'unknown',
            why: `cannot read the membership of @${spec.org}/${spec.slug} (${describeError(err)}): the token needs the organisation permission "Members: read" (a GitHub App installation token or a fine-grained token), passed as the action's github-token input; GITHUB_TOKEN cannot read team membership`,
          };
        }
        throw err;
      }
    }
    if (spec.kind === 'permission') {
      try {
        const res = await this.gh.rest.repos.getCollaboratorPermissionLevel({ owner: this.repo.owner, repo: this.repo.repo, username: login });
        const data = res.data as { permission?: string; role_name?: string };
        // role_name carries triage/maintain; custom roles fall back to the base permission.
        const role = rank(data.role_name) >= 0 ? data.role_name : data.permission;
        return rank(role) >= rank(spec.level) ? { member: true, via: `${role} access` } : { member: false };
      } catch (err) {
        const s = statusOf(err);
        if (s === 404) return { member: false };
        if ((s === 403 || s === 401) && !isRateLimit(err)) return { member: 'unknown', why: `cannot read @${login}'s permission on the repository (${describeError(err)})` };
        throw err;
      }
    }
    return { member: false };
  }
}

/** The reason for a 404 on a team membership: either not a member, or a token that cannot read the team (SPEC §6). */
export function teamNotFound(org: string, slug: string, login: string): string {
  return (
    `GitHub answered 404 for @${login} in @${org}/${slug}: either @${login} is not a member, or the token may be unable to read that team. ` +
    'Reading team membership needs the organisation permission "Members: read": a GitHub App installation token with "Members: read" ' +
    '(for example from actions/create-github-app-token), or a fine-grained personal access token with the organisation\'s "Members" read access, ' +
    "passed as the action's github-token input; GITHUB_TOKEN cannot read team membership"
  );
}
