// Files at a ref through the contents API: the base's policy, manifests, evals and CODEOWNERS.
import { posix } from 'node:path';
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
  return [...(await listRepoTree(gh, r, sha))];
}

/** A commit's file paths (symbolic links included), recursively. Throws when truncated. */
async function listRepoTree(gh: GitHub, r: RepoRef, sha: string): Promise<Set<string>> {
  const res = await gh.rest.git.getTree({ owner: r.owner, repo: r.repo, tree_sha: sha, recursive: '1' });
  if (res.data.truncated) throw new Error(`the tree of ${sha.slice(0, 7)} is too large for one listing`);
  return new Set(res.data.tree.filter((t) => t.type === 'blob' && typeof t.path === 'string').map((t) => t.path!));
}

/**
 * The base commit's files through the API, where git cannot read them (SPEC §7.1): one tree
 * listing (also the answer to `list`), then one contents request per file that the listing
 * holds. A file the listing lacks costs nothing (CODEOWNERS is looked for in three places); where
 * the listing itself fails or is truncated, each read asks the contents API as before.
 */
export function treeReader(gh: GitHub, r: RepoRef, sha: string): { read(path: string): Promise<string | undefined>; list(): Promise<string[]> } {
  let tree: Promise<Set<string>> | undefined;
  const listing = (): Promise<Set<string>> => (tree ??= listRepoTree(gh, r, sha));
  return {
    async read(path) {
      const files = await listing().catch(() => undefined);
      if (files && !files.has(posix.normalize(path).replace(/^\.\//, ''))) return undefined;
      return readRepoFile(gh, r, path, sha);
    },
    async list() {
      return [...(await listing())];
    },
  };
}
