// The action's review reader for `collect` (SPEC §6): who approved the pull request's head, which
// reviews did not count and why, and whether each approving reviewer is one of the policy's
// approvers. In a merge queue the reviews are those of the queued pull request, on its own head.
import type { ReviewFindings } from '../collect/collect';
import type { Policy } from '../config/policy/schema';
import { describeError } from '../github/errors';
import type * as GitHubApi from '../github/index';
import type { GitHub } from '../github/index';
import type { RunContext } from './event';

type Client = { api: typeof GitHubApi; gh: GitHub };

const NO_PULL = 'No pull request number for this merge group: sign-offs added by it cannot be verified by review.';

/** A pull request run without the API (it always has it; kept total): nothing approved. */
export function noReviews(ctx: RunContext): (policy: Policy | undefined) => Promise<ReviewFindings> {
  return async () => ({ trust: empty(), fatal: [], notes: ctx.pullNumber ?? ctx.reviewsOf ? [] : [NO_PULL] });
}

export function reviewReader(client: Client, ctx: RunContext): (policy: Policy | undefined) => Promise<ReviewFindings> {
  return async (policy) => {
    const { api, gh } = client;
    const repo = { owner: ctx.owner, repo: ctx.repo };
    const pull = ctx.pullNumber ?? ctx.reviewsOf;
    const found: ReviewFindings = { trust: empty(), fatal: [], notes: [] };
    if (pull === undefined) {
      found.notes.push(NO_PULL);
      return found;
    }
    // A read that fails here leaves records unverified and fails closed (fatal) under the policy's
    // own branch rule, with the error shown.
    let head = ctx.headSha;
    let author = ctx.author;
    if (ctx.pullNumber === undefined && ctx.reviewsOf !== undefined) {
      try {
        const pr = await gh.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: pull });
        head = pr.data.head.sha;
        author = pr.data.user?.login ?? undefined;
        found.trust.author = author;
      } catch (err) {
        head = undefined;
        found.fatal.push(`could not read pull request #${pull} of the merge queue: ${describeError(err)}`);
      }
    }
    if (!head) return found;
    if (head !== ctx.headSha) found.trust.reviewHead = head;
    const ev = await api.reviewEvidence(gh, repo, pull, head, author).catch((err: unknown) => {
      found.fatal.push(`could not read the reviews of pull request #${pull}: ${describeError(err)}`);
      return undefined;
    });
    if (!ev) return found;
    found.trust.approvingReviewers = ev.approvingReviewers;
    found.trust.discountedReviews = ev.discountedReviews;
    if (policy && ev.approvingReviewers.length > 0) {
      const approvers = [...Object.values(policy.signoffs).flatMap((s) => s.approvers), ...policy.waivers.approvers];
      try {
        found.trust.memberships = await new api.ApproverDirectory(gh, repo).table(approvers, ev.approvingReviewers);
      } catch (err) {
        found.fatal.push(`could not look up the approving reviewers' team membership or repository permission: ${describeError(err)}`);
      }
    }
    return found;
  };
}

function empty(): ReviewFindings['trust'] {
  return { approvingReviewers: [], discountedReviews: [], memberships: {} };
}
