// The one pull request comment: found by a hidden marker AND the token's own login, edited
// in place, never duplicated (also when two runs race), never written by a stale run.
import type { GitHub } from './client';
import { describeError, statusOf } from './errors';
import type { RepoRef } from './contents';

export const MARKER = '<!-- last-mile:comment -->';
/**
 * Integration tokens (GITHUB_TOKEN, a GitHub App's) cannot ask who they are, and they comment as
 * a bot (`github-actions[bot]`, `<app>[bot]`): for them, "ours" is a marker comment by a bot. A
 * person's comment with the marker is never ours.
 */
export const SOME_BOT = '[bot]';

export interface OwnComment {
  id: number;
  body: string;
  created_at: string;
}

export type CommentMode = 'always' | 'on-failure' | 'never';

export type CommentOutcome = { action: 'created' | 'updated' | 'unchanged'; id: number } | { action: 'skipped'; reason: string };

/** The token's login, or SOME_BOT for an integration token, which cannot call GET /user. */
export async function whoAmI(gh: GitHub): Promise<string> {
  try {
    const res = await gh.rest.users.getAuthenticated();
    return res.data.login;
  } catch (err) {
    const s = statusOf(err);
    if (s === 403 || s === 401 || s === 404) return SOME_BOT;
    throw err;
  }
}

export async function ownComments(gh: GitHub, r: RepoRef, pull: number, me: string): Promise<OwnComment[]> {
  const all = await gh.paginate(gh.rest.issues.listComments, { owner: r.owner, repo: r.repo, issue_number: pull, per_page: 100 });
  return all
    .filter((c) => (c.body ?? '').includes(MARKER) && isMe(c.user, me))
    .map((c) => ({ id: c.id, body: c.body ?? '', created_at: c.created_at }))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

function isMe(user: { login?: string; type?: string } | null | undefined, me: string): boolean {
  if (!user?.login) return false;
  if (me === SOME_BOT) return user.type === 'Bot' && user.login.endsWith('[bot]');
  return user.login.toLowerCase() === me.toLowerCase();
}

export interface UpsertOptions {
  mode: CommentMode;
  failing: boolean;
  /** The head this run evaluated; a newer head on the pull request means this run is stale. */
  headSha?: string;
  me: string;
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
  const me = created.data.user?.login ?? o.me;
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
