// Files at a ref through the contents API: the base's policy, manifests, evals and CODEOWNERS.
import type { GitHub } from './client';
import { statusOf } from './errors';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The file's text, or undefined when it does not exist at that ref. Other errors throw. */
export async function readRepoFile(gh: GitHub, r: RepoRef, path: string, ref: string): Promise<string | undefined> {
  try {
    const res = await gh.rest.repos.getContent({ owner: r.owner, repo: r.repo, path, ref });
    const data = res.data as { type?: string; content?: string; encoding?: string; download_url?: string | null } | unknown[];
    if (Array.isArray(data) || data.type !== 'file') return undefined;
    if (data.encoding === 'base64' && typeof data.content === 'string') return Buffer.from(data.content, 'base64').toString('utf8');
    // Files over 1 MB come without content: ask for the raw media type.
    const raw = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: r.owner,
      repo: r.repo,
      path,
      ref,
      mediaType: { format: 'raw' },
    });
    const body: unknown = raw.data;
    return typeof body === 'string' ? body : Buffer.from(body as ArrayBuffer).toString('utf8');
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/**
 * Every file path of a commit's tree, in one request (`recursive=1`): the base's manifests that a
 * pull request moved or removed. Throws when GitHub truncates the listing (over 100,000 entries),
 * since a partial list would miss systems silently.
 */
export async function listRepoFiles(gh: GitHub, r: RepoRef, sha: string): Promise<string[]> {
  const res = await gh.rest.git.getTree({ owner: r.owner, repo: r.repo, tree_sha: sha, recursive: '1' });
  if (res.data.truncated) throw new Error(`the tree of ${sha.slice(0, 7)} is too large for one listing`);
  return res.data.tree.filter((t) => t.type === 'blob' && typeof t.path === 'string').map((t) => t.path!);
}
