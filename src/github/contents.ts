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
