// Open pull requests that a branch-event run must answer for (SPEC §8, "no event turns a red
// pull request green"): those whose head is the evaluated commit, and those into a branch.
import type { GitHub } from './client';
import type { RepoRef } from './contents';

/** What a pull request's own run would be judged by. */
export interface OpenPull {
  number: number;
  baseRef: string;
  baseSha: string;
  headSha: string;
  author?: string;
  /** The head repository differs from the base repository. */
  fork: boolean;
}

interface PullJson {
  number: number;
  state?: string;
  user?: { login?: string } | null;
  head: { sha: string; repo?: { full_name?: string } | null };
  base: { ref: string; sha: string; repo?: { full_name?: string } | null };
}

const PER_PAGE = 100;
/** Pages of open pull requests read to find those headed by a commit (1,000 pull requests). */
export const MAX_OPEN_PAGES = 10;

function toOpenPull(p: PullJson): OpenPull {
  const login = p.user?.login;
  return {
    number: p.number,
    baseRef: p.base.ref,
    baseSha: p.base.sha,
    headSha: p.head.sha,
    ...(login ? { author: login } : {}),
    fork: (p.head.repo?.full_name ?? '') !== (p.base.repo?.full_name ?? ''),
  };
}

export interface HeadedBy {
  pulls: OpenPull[];
  requests: number;
  /** Said in the log: how the lookup was bounded, when it was. */
  note?: string;
}

/**
 * The open pull requests whose head is `sha`. The list of open pull requests is read (one
 * request per 100) rather than `GET /commits/{sha}/pulls`, which for a commit already on the
 * default branch lists only the merged pull request that introduced it: a promotion pull
 * request (main → release) or a branch cut at main's tip would be missed. Past
 * {@link MAX_OPEN_PAGES} pages, the commit's associated pull requests stand in for the rest.
 * Any failure throws: the caller fails closed.
 */
export async function openPullsHeadedBy(gh: GitHub, r: RepoRef, sha: string, maxPages = MAX_OPEN_PAGES): Promise<HeadedBy> {
  const want = sha.toLowerCase();
  const found = new Map<number, OpenPull>();
  const keep = (list: readonly PullJson[]): void => {
    for (const p of list) if ((p.state ?? 'open') === 'open' && p.head.sha.toLowerCase() === want) found.set(p.number, toOpenPull(p));
  };
  let requests = 0;
  for (let page = 1; page <= maxPages; page++) {
    const res = await gh.rest.pulls.list({ owner: r.owner, repo: r.repo, state: 'open', sort: 'created', direction: 'desc', per_page: PER_PAGE, page });
    requests++;
    keep(res.data as PullJson[]);
    if (res.data.length < PER_PAGE) return { pulls: [...found.values()], requests };
  }
  const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ owner: r.owner, repo: r.repo, commit_sha: sha, per_page: PER_PAGE });
  keep(res.data as PullJson[]);
  return {
    pulls: [...found.values()],
    requests: requests + 1,
    note: `More than ${maxPages * PER_PAGE} open pull requests: beyond the first ${maxPages * PER_PAGE}, only the commit's associated pull requests were checked (GitHub lists none of them for a commit already on the default branch).`,
  };
}

export interface Into {
  pulls: OpenPull[];
  /** Open pull requests into the branch that were left out by the bound (at least). */
  leftOut: number;
}

/** Open pull requests into `base`, most recently updated first, at most `limit` (one request). */
export async function openPullsInto(gh: GitHub, r: RepoRef, base: string, limit: number): Promise<Into> {
  const res = await gh.rest.pulls.list({ owner: r.owner, repo: r.repo, state: 'open', base, sort: 'updated', direction: 'desc', per_page: PER_PAGE });
  // The API filters by base already; the check guards against a proxy or cache that did not.
  const all = (res.data as PullJson[]).filter((p) => p.base.ref === base && (p.state ?? 'open') === 'open').map(toOpenPull);
  return { pulls: all.slice(0, limit), leftOut: Math.max(0, all.length - limit) };
}
