// Files at a ref through the API: the base's policy, manifests, evals and CODEOWNERS. One file
// through the contents API (`readRepoFile`), or a commit's files in batches (`treeReader`: one
// tree listing, then GraphQL queries of up to 100 files each, SPEC §7.1).
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
  return [...(await listRepoTree(gh, r, sha)).keys()];
}

/** A file of a tree listing: its blob id, size in bytes, and whether it is a symbolic link. */
interface TreeFile {
  oid: string | undefined;
  size: number | undefined;
  link: boolean;
}

/** A commit's file paths (symbolic links included), recursively. Throws when truncated. */
async function listRepoTree(gh: GitHub, r: RepoRef, sha: string): Promise<Map<string, TreeFile>> {
  const res = await gh.rest.git.getTree({ owner: r.owner, repo: r.repo, tree_sha: sha, recursive: '1' });
  if (res.data.truncated) throw new Error(`the tree of ${sha.slice(0, 7)} is too large for one listing`);
  const files = new Map<string, TreeFile>();
  for (const t of res.data.tree) {
    if (t.type !== 'blob' || typeof t.path !== 'string') continue;
    files.set(t.path, { oid: t.sha, size: t.size, link: t.mode === '120000' });
  }
  return files;
}

/**
 * Files per GraphQL query. GitHub documents no cap on aliases; what bounds a query is its 10 s
 * server timeout (a timed-out query still costs rate limit) and its answer, which carries every
 * file's text: 100 aliases (also the `first`/`last` ceiling GitHub sets on connections) and
 * BATCH_BYTES of text keep one answer to a few megabytes. Each query costs one point of the
 * GraphQL rate limit whatever its alias count (no connections), far below the 500,000-node cap.
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
const BATCH_FILES = 100;
const BATCH_BYTES = 4 * 1024 * 1024;
/**
 * GitHub cuts `Blob.text` at 512,000 bytes (not documented; observed, and flagged by
 * `isTruncated`): larger files go to the contents API directly rather than twice.
 */
const TEXT_LIMIT = 512_000;

interface Waiter {
  /** as the caller wrote it (the contents API gets it unchanged) */
  path: string;
  resolve(text: string | undefined): void;
  reject(err: unknown): void;
}

interface Wanted {
  /** the path as the listing spells it */
  key: string;
  file: TreeFile;
  waiters: Waiter[];
}

interface BlobAnswer {
  oid?: unknown;
  byteSize?: unknown;
  isBinary?: unknown;
  isTruncated?: unknown;
  text?: unknown;
}

export interface TreeReader {
  /** The file's text at the commit, or undefined when it has none there; errors throw. */
  read(path: string): Promise<string | undefined>;
  /** `read` of each path, batched as one. */
  readMany(paths: readonly string[]): Promise<(string | undefined)[]>;
  /** The commit's file paths (the tree listing). */
  list(): Promise<string[]>;
}

/**
 * The base commit's files through the API, where git cannot read them (SPEC §7.1): one tree
 * listing (also the answer to `list`), then the files it holds in batches. Reads made while a
 * batch is pending (the same turn of the event loop: `Promise.all(paths.map(read))`) share
 * GraphQL queries of up to 100 files each, whose expressions (`<sha>:<path>`; the path is the
 * pull request's to choose) travel as variables, never inside the query's text.
 *
 * - A path the listing lacks costs nothing and reads as undefined (CODEOWNERS is looked for in
 *   three places).
 * - The contents API answers, one file each, where GraphQL cannot say the same: a batch of one
 *   file (one request either way), symbolic links (the contents API follows them, as git-base
 *   does), files over 512,000 bytes, an answer that is binary, truncated, re-encoded, of another
 *   blob than the listing's or missing although listed; and every file of a query that failed
 *   (an error, `errors` in the answer, a rate limit, no GraphQL). Its errors throw out of `read`:
 *   a failed read never becomes a missing file.
 * - Where the listing itself fails or is truncated, each read asks the contents API as before.
 */
export function treeReader(gh: GitHub, r: RepoRef, sha: string): TreeReader {
  let tree: Promise<Map<string, TreeFile>> | undefined;
  const listing = (): Promise<Map<string, TreeFile>> => (tree ??= listRepoTree(gh, r, sha));
  const rest = (path: string): Promise<string | undefined> => readRepoFile(gh, r, path, sha);
  let pending: Map<string, Wanted> | undefined;

  const read = async (path: string): Promise<string | undefined> => {
    const files = await listing().catch(() => undefined);
    if (!files) return rest(path);
    const key = posix.normalize(path).replace(/^\.\//, '');
    const file = files.get(key);
    if (!file) return undefined;
    if (file.link || (file.size ?? 0) > TEXT_LIMIT) return rest(path);
    return new Promise<string | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = (pending = new Map());
        setImmediate(() => {
          pending = undefined;
          const wanted = [...batch.values()];
          answer(wanted).catch((err: unknown) => {
            for (const w of wanted) for (const x of w.waiters) x.reject(err); // no-op for those already answered
          });
        });
      }
      const wanted = pending.get(key) ?? { key, file, waiters: [] };
      wanted.waiters.push({ path, resolve, reject });
      pending.set(key, wanted);
    });
  };

  /** One file through the contents API, for each of its waiters. */
  const viaRest = async (w: Wanted): Promise<void> => {
    try {
      const text = await rest(w.waiters[0]!.path);
      for (const x of w.waiters) x.resolve(text);
    } catch (err) {
      for (const x of w.waiters) x.reject(err);
    }
  };

  const answer = async (batch: Wanted[]): Promise<void> => {
    if (batch.length === 1) return viaRest(batch[0]!);
    const chunks: Wanted[][] = [];
    let bytes = 0;
    for (const w of batch) {
      const last = chunks.at(-1);
      const size = w.file.size ?? TEXT_LIMIT;
      if (last && last.length < BATCH_FILES && bytes + size <= BATCH_BYTES) {
        last.push(w);
        bytes += size;
      } else {
        chunks.push([w]);
        bytes = size;
      }
    }
    await Promise.all(chunks.map((c) => viaGraphql(c)));
  };

  const viaGraphql = async (chunk: Wanted[]): Promise<void> => {
    if (chunk.length === 1) return viaRest(chunk[0]!);
    let blobs: (BlobAnswer | null | undefined)[] | undefined;
    try {
      blobs = await queryBlobs(gh, r, sha, chunk.map((w) => w.key));
    } catch {
      blobs = undefined; // the whole query failed: the contents API, file by file
    }
    await Promise.all(
      chunk.map(async (w, i) => {
        const text = blobs ? textOf(blobs[i], w.file) : undefined;
        if (text === undefined) return viaRest(w);
        for (const x of w.waiters) x.resolve(text);
      }),
    );
  };

  return {
    read,
    readMany: (paths) => Promise.all(paths.map(read)),
    async list() {
      return [...(await listing()).keys()];
    },
  };
}

/** The blob's whole text, where GraphQL gave exactly the listing's file; else undefined. */
function textOf(b: BlobAnswer | null | undefined, file: TreeFile): string | undefined {
  if (!b || typeof b.text !== 'string' || b.isBinary !== false || b.isTruncated !== false) return undefined;
  if (file.oid !== undefined && b.oid !== file.oid) return undefined;
  // GitHub re-encodes text that is not UTF-8: then the bytes are not the file's.
  if (typeof b.byteSize !== 'number' || Buffer.byteLength(b.text, 'utf8') !== b.byteSize) return undefined;
  return b.text;
}

/**
 * One GraphQL query for the blobs at `<sha>:<path>` of each path, in order: an answer per path
 * (null where no object is there). Throws where the query failed or GitHub answered errors.
 */
async function queryBlobs(gh: GitHub, r: RepoRef, sha: string, paths: readonly string[]): Promise<(BlobAnswer | null | undefined)[]> {
  const variables: Record<string, string> = { owner: r.owner, name: r.repo };
  const declared: string[] = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  paths.forEach((p, i) => {
    variables[`e${i}`] = `${sha}:${p}`;
    declared.push(`$e${i}: String!`);
    fields.push(`f${i}: object(expression: $e${i}) { ... on Blob { oid byteSize isBinary isTruncated text } }`);
  });
  const query = `query(${declared.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
  const res = await gh.graphql<{ repository?: Record<string, BlobAnswer | null> | null }>(query, variables);
  const repo = res?.repository;
  if (!repo || typeof repo !== 'object') throw new Error(`GraphQL gave no repository ${r.owner}/${r.repo}`);
  return paths.map((_, i) => repo[`f${i}`]);
}
