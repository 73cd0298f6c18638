// The one pull request comment: found by a hidden marker AND the token's own account, edited
// in place, never duplicated (also when two runs race), never written by a stale run.
import type { GitHub } from './client';
import { describeError, isRateLimit, statusOf } from './errors';
import type { RepoRef } from './contents';

export const MARKER = '<!-- last-mile:comment -->';

/** The account GitHub Actions' GITHUB_TOKEN writes as (id 41898282 on github.com). */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * Who the token writes as, learned from the API. Only comments by this account count as the
 * action's own: a copy of the marker by anyone else (a person, another app) is ignored.
 */
export interface Me {
  login?: string;
  /** The account id, where the API gave it: compared first, as logins are compared case-insensitively. */
  id?: number;
  /**
   * user: GET /user (a personal token); viewer: GraphQL `viewer` (an integration token's bot);
   * comment: the author of the comment this run created; actions: not learned, assumed to be
   * GITHUB_TOKEN's bot because the run is in GitHub Actions; unknown: nothing is ours until the
   * run's own comment says who it is.
   */
  source: 'user' | 'viewer' | 'comment' | 'actions' | 'unknown';
}

export interface OwnComment {
  id: number;
  body: string;
  created_at: string;
}

export type CommentMode = 'always' | 'on-failure' | 'never';

export type CommentOutcome = { action: 'created' | 'updated' | 'unchanged'; id: number } | { action: 'skipped'; reason: string };

const VIEWER = 'query { viewer { login databaseId } }';

/**
 * The token's identity. GET /user answers personal tokens; integration tokens (GITHUB_TOKEN, a
 * GitHub App's) get 403 there, and GraphQL `viewer` gives the bot account they write as.
 */
export async function whoAmI(gh: GitHub, env: Record<string, string | undefined> = process.env): Promise<Me> {
  try {
    const res = await gh.rest.users.getAuthenticated();
    return { login: res.data.login, id: res.data.id, source: 'user' };
  } catch (err) {
    const s = statusOf(err);
    if (s !== 403 && s !== 401 && s !== 404) throw err;
  }
  try {
    const res = await gh.graphql<{ viewer?: { login?: string | null; databaseId?: number | null } | null }>(VIEWER);
    const login = res.viewer?.login;
    if (login) return { login, ...(typeof res.viewer?.databaseId === 'number' ? { id: res.viewer.databaseId } : {}), source: 'viewer' };
  } catch (err) {
    // An outage or a rate limit is an error (the comment is not written, with a warning); a
    // refusal (4xx) or a GraphQL error means the identity cannot be learned here.
    const s = statusOf(err);
    const refused = s !== undefined ? s >= 400 && s < 500 && !isRateLimit(err) : (err as { name?: unknown } | null)?.name === 'GraphqlResponseError';
    if (!refused) throw err;
  }
  // Not learned. In GitHub Actions the default token is GITHUB_TOKEN, whose one account is
  // github-actions[bot]: assuming it can only match comments by that exact account. Elsewhere
  // nothing is ours: the run posts its own comment and learns its identity from it.
  return env.GITHUB_ACTIONS === 'true' ? { login: ACTIONS_BOT, source: 'actions' } : { source: 'unknown' };
}

export async function ownComments(gh: GitHub, r: RepoRef, pull: number, me: Me): Promise<OwnComment[]> {
  if (me.login === undefined && me.id === undefined) return [];
  const all = await gh.paginate(gh.rest.issues.listComments, { owner: r.owner, repo: r.repo, issue_number: pull, per_page: 100 });
  return all
    .filter((c) => (c.body ?? '').includes(MARKER) && isMe(c.user, me))
    .map((c) => ({ id: c.id, body: c.body ?? '', created_at: c.created_at }))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

/** Whether a comment's author is the token's own account: by id where both are known, else by exact login. */
export function isMe(user: { login?: string; id?: number; type?: string } | null | undefined, me: Me): boolean {
  if (!user?.login) return false;
  if (me.id !== undefined && typeof user.id === 'number') return user.id === me.id;
  if (me.login === undefined) return false;
  const login = user.login.toLowerCase();
  const mine = me.login.toLowerCase();
  if (me.source === 'actions' && user.type !== 'Bot') return false;
  // GraphQL may name a bot without the `[bot]` suffix that REST shows.
  return login === mine || (user.type === 'Bot' && !mine.endsWith('[bot]') && login === `${mine}[bot]`);
}

export interface UpsertOptions {
  mode: CommentMode;
  failing: boolean;
  /** The head this run evaluated; a newer head on the pull request means this run is stale. */
  headSha?: string;
  me: Me;
  log: (msg: string) => void;
  /** A write that failed without failing the comment (a duplicate left in place); default `log`. */
  warn?: (msg: string) => void;
}

/** `render` receives the previous body (for "what changed") and returns the new one. */
export async function upsertComment(gh: GitHub, r: RepoRef, pull: number, render: (previous?: string) => string, o: UpsertOptions): Promise<CommentOutcome> {
  if (o.mode === 'never') return { action: 'skipped', reason: 'comment: never' };
  const existing = await ownComments(gh, r, pull, o.me);
  const keep = existing[0];
  const body = render(keep?.body);
  if (!keep && o.mode === 'on-failure' && !o.failing) return { action: 'skipped', reason: 'comment: on-failure and every gate passes' };
  if (keep && keep.body === body && existing.length === 1) return { action: 'unchanged', id: keep.id };
  if (o.headSha) {
    const pr = await gh.rest.pulls.get({ owner: r.owner, repo: r.repo, pull_number: pull });
    if (pr.data.head.sha !== o.headSha) {
      return { action: 'skipped', reason: `the pull request's head is now ${pr.data.head.sha.slice(0, 7)}, not ${o.headSha.slice(0, 7)}: a newer run reports on it` };
    }
  }
  if (keep) {
    if (keep.body !== body) await gh.rest.issues.updateComment({ owner: r.owner, repo: r.repo, comment_id: keep.id, body });
    await deleteExtras(gh, r, existing.slice(1), o.warn ?? o.log);
    return { action: keep.body === body ? 'unchanged' : 'updated', id: keep.id };
  }
  const created = await gh.rest.issues.createComment({ owner: r.owner, repo: r.repo, issue_number: pull, body });
  // Another run may have created its copy at the same moment: keep the oldest, delete ours if it is not.
  // The new comment's author is the token's account for certain: it decides what else is ours.
  const author = created.data.user;
  const me: Me = author?.login ? { login: author.login, ...(typeof author.id === 'number' ? { id: author.id } : {}), source: 'comment' } : o.me;
  const after = await ownComments(gh, r, pull, me);
  const oldest = after[0];
  if (oldest && oldest.id !== created.data.id) {
    await deleteExtras(gh, r, after.filter((c) => c.id !== oldest.id), o.warn ?? o.log);
    if (oldest.body !== body) await gh.rest.issues.updateComment({ owner: r.owner, repo: r.repo, comment_id: oldest.id, body });
    return { action: 'updated', id: oldest.id };
  }
  await deleteExtras(gh, r, after.slice(1), o.warn ?? o.log);
  return { action: 'created', id: created.data.id };
}

async function deleteExtras(gh: GitHub, r: RepoRef, extras: OwnComment[], log: (m: string) => void): Promise<void> {
  for (const c of extras) {
    try {
      await gh.rest.issues.deleteComment({ owner: r.owner, repo: r.repo, comment_id: c.id });
    } catch (err) {
      // 404: another run deleted it already.
      if (statusOf(err) !== 404) log(`could not delete a duplicate of the pull request comment (id ${c.id}): ${describeError(err)}. The next run deletes it.`);
    }
  }
}
