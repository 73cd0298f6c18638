// Evidence that decides whether a sign-off or waiver record is verified (SPEC §6). The
// loader gathers it through the API; verification itself is pure (src/evidence/trust/verify.ts).

/** What a lookup of "is this user one of these approvers" found. */
export type Membership = { member: true; via: string } | { member: false } | { member: 'unknown'; why: string };

export interface TrustEvidence {
  /**
   * pull-request: records count when unchanged from the base manifest or approved by a
   *   review on the head commit;
   * branch: the records are already on a gated branch (push, schedule, dispatch);
   * none: nothing to verify against (a local check without --base).
   */
  mode: 'pull-request' | 'branch' | 'none';
  /** Manifests at the base commit by workspace path; null when the base has none there. */
  baseManifests: Record<string, { signoffs: unknown[]; waivers: unknown[] } | null>;
  /** Users whose latest review is an approval of the current head commit (author excluded). */
  approvingReviewers: string[];
  /** Reviews that do not count, with why (stale commit, dismissed, changes requested). */
  discountedReviews: { login: string; why: string }[];
  /** Pull request author: never an approver of their own records. */
  author?: string;
  /** `${approver}\u0000${login}` → membership, precomputed for every approver spec × approving reviewer. */
  memberships: Record<string, Membership>;
  /**
   * The commit reviews must approve, when it is not the evaluated head: in a merge queue the
   * evaluated commit is the merge group's, the reviews are on the queued pull request's head.
   */
  reviewHead?: string;
  /** Why the base could not be read, when it could not (verification then fails closed). */
  baseUnavailable?: string;
  /** A local check (the CLI): reviews were not read, so "no approving review" is not known (SPEC §9). */
  reviewsUnseen?: boolean;
}

export function membershipKey(approver: string, login: string): string {
  return `${approver.toLowerCase()}\u0000${login.toLowerCase()}`;
}

export const NO_TRUST: TrustEvidence = {
  mode: 'none',
  baseManifests: {},
  approvingReviewers: [],
  discountedReviews: [],
  memberships: {},
};
