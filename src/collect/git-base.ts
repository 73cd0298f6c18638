// The base commit's files read from git, by object id only (SPEC §6, §7.1): the base SHA from
// the event, its tree and blobs through one `git cat-file --batch` process, with every object
// hashed again and compared with its id, so neither a moved ref, a replace object
// (GIT_NO_REPLACE_OBJECTS=1) nor an edited object store can change what the base says. The
// commit comes from the workspace (a pull request's merge commit has it as a parent when the
// history is there), or from one `git fetch` of that SHA from `origin` with the checkout's own
// credentials. Where git cannot, {@link openGitBase} says why and the caller reads the API.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';

/** No hooks, no maintenance, no submodules, no LFS: git is asked for data only. */
const SAFE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'submodule.recurse=false', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false'];

function gitEnv(): NodeJS.ProcessEnv {
  // Replace objects could make a SHA mean other content; no prompt may hang the run.
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_NO_REPLACE_OBJECTS: '1', GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1' };
  // The repository is the workspace's own, not one an environment variable points elsewhere.
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE']) delete env[k];
  return env;
}

/** git in the workspace, hardened for reads by object id (SPEC §6): hooks, fsmonitor, submodules, gc and replace objects off. */
export function git(cwd: string, args: string[], timeout = 30_000): string {
  return execFileSync('git', [...SAFE, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout, env: gitEnv(), maxBuffer: 16 * 1024 * 1024 });
}

/** Whether the repository holds the commit `sha`. */
export function hasCommit(root: string, sha: string): boolean {
  try {
    git(root, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Brings the commit `sha` from `origin` by its id: one commit deep in a shallow clone, and a full
 * clone is not made shallow; no ref or FETCH_HEAD is written. Throws with git's reason.
 */
export function fetchCommit(root: string, sha: string, timeoutMs = 120_000): void {
  const shallow = git(root, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
  git(root, ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', ...(shallow ? ['--depth=1'] : []), 'origin', sha], timeoutMs);
}

/** git's own last line of complaint, else the error's message. */
function why(err: unknown): string {
  const e = err as { stderr?: unknown; code?: unknown; signal?: unknown };
  if (e.code === 'ENOENT') return 'git is not installed';
  if (e.signal === 'SIGTERM') return 'git timed out';
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : '';
  if (stderr) return stderr.split('\n').pop()!.replace(/^(fatal|error): /, '');
  return err instanceof Error ? err.message : String(err);
}

export interface GitBaseReader {
  /** How the commit was found: in the workspace, or fetched from origin. */
  readonly source: 'workspace' | 'fetched';
  /** The file's text at the base; undefined when the base has no such file. Throws when git cannot tell. */
  read(file: string): Promise<string | undefined>;
  /** Every file path of the base tree (symbolic links included, submodules not). */
  list(): Promise<string[]>;
  /** Ends the `git cat-file` process (it never keeps the action alive, but need not outlive the loads). */
  close(): void;
}

export type GitBaseOpen = { ok: true; reader: GitBaseReader } | { ok: false; reason: string };

/**
 * The base commit `sha` for reading, from the workspace's git repository at `root`: present
 * already, or fetched from `origin` (`--depth=1` where the clone is shallow, as actions/checkout
 * makes it). `{ ok: false, reason }` where git cannot: not installed, not a repository, the
 * fetch refused or failed.
 */
export function openGitBase(root: string, sha: string, o: { fetch?: boolean; fetchTimeoutMs?: number } = {}): GitBaseOpen {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) return { ok: false, reason: 'the base SHA is not a full object id' };
  try {
    git(root, ['rev-parse', '--git-dir']);
  } catch (err) {
    const w = why(err);
    return { ok: false, reason: w === 'git is not installed' || w === 'git timed out' ? w : `the workspace is not a git repository (${w})` };
  }
  const has = (): boolean => hasCommit(root, sha);
  if (has()) return { ok: true, reader: new Reader(root, sha, 'workspace') };
  if (o.fetch === false) return { ok: false, reason: `the workspace does not have the commit ${sha.slice(0, 7)}` };
  try {
    fetchCommit(root, sha, o.fetchTimeoutMs ?? 120_000);
  } catch (err) {
    return { ok: false, reason: `the workspace does not have the commit ${sha.slice(0, 7)} and \`git fetch origin ${sha.slice(0, 7)}\` failed: ${why(err)}` };
  }
  if (!has()) return { ok: false, reason: `\`git fetch origin ${sha.slice(0, 7)}\` did not bring the commit` };
  return { ok: true, reader: new Reader(root, sha, 'fetched') };
}

interface TreeEntry {
  mode: string;
  oid: string;
}

const MAX_LINKS = 8;

class Reader implements GitBaseReader {
  private readonly cat: CatFile;
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry>>>();
  private rootTree: Promise<string> | undefined;
  private listing: Promise<string[]> | undefined;

  constructor(
    root: string,
    private readonly sha: string,
    readonly source: 'workspace' | 'fetched',
  ) {
    this.cat = new CatFile(root);
  }

  close(): void {
    this.cat.close();
  }

  private tree(oid: string): Promise<Map<string, TreeEntry>> {
    let t = this.trees.get(oid);
    if (!t) {
      t = this.cat.get(oid, 'tree').then((d) => parseTree(d, this.sha.length === 64 ? 32 : 20));
      this.trees.set(oid, t);
    }
    return t;
  }

  private top(): Promise<string> {
    this.rootTree ??= this.cat.get(this.sha, 'commit').then((data) => {
      const m = /^tree ([0-9a-f]+)\n/.exec(data.toString('latin1'));
      if (!m) throw new Error(`the commit ${this.sha.slice(0, 7)} names no tree`);
      return m[1]!;
    });
    return this.rootTree;
  }

  /** The entry at `rel` (posix, relative to the repository root), following no links. */
  private async entry(rel: string): Promise<TreeEntry | undefined> {
    let dir = await this.top();
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const e = (await this.tree(dir)).get(parts[i]!);
      if (!e) return undefined;
      if (i === parts.length - 1) return e;
      if (e.mode !== '40000') return undefined;
      dir = e.oid;
    }
    return undefined;
  }

  async read(file: string): Promise<string | undefined> {
    let rel = normal(file);
    for (let hops = 0; rel !== undefined && hops <= MAX_LINKS; hops++) {
      const e = await this.entry(rel);
      if (!e) return undefined;
      if (e.mode === '100644' || e.mode === '100755') return (await this.cat.get(e.oid, 'blob')).toString('utf8');
      if (e.mode !== '120000') return undefined; // a folder or a submodule: not a file
      // A symbolic link inside the repository is followed, as GitHub's contents API does.
      const target = (await this.cat.get(e.oid, 'blob')).toString('utf8');
      rel = target.startsWith('/') ? undefined : normal(path.posix.join(path.posix.dirname(rel), target));
    }
    return undefined;
  }

  list(): Promise<string[]> {
    this.listing ??= (async () => {
      const out: string[] = [];
      let level: { prefix: string; oid: string }[] = [{ prefix: '', oid: await this.top() }];
      while (level.length > 0) {
        const next: { prefix: string; oid: string }[] = [];
        const trees = await Promise.all(level.map((l) => this.tree(l.oid)));
        trees.forEach((t, i) => {
          for (const [name, e] of t) {
            const p = `${level[i]!.prefix}${name}`;
            if (e.mode === '40000') next.push({ prefix: `${p}/`, oid: e.oid });
            else if (e.mode !== '160000') out.push(p);
          }
        });
        level = next;
      }
      return out.sort();
    })();
    return this.listing;
  }
}

/** A repository-relative posix path, or undefined for one that leaves the repository. */
function normal(file: string): string | undefined {
  const n = path.posix.normalize(file.replace(/^\.\//, ''));
  if (n === '.' || n === '..' || n.startsWith('../') || n.startsWith('/') || n === '') return undefined;
  return n.replace(/\/$/, '');
}

/** A tree object's entries: `<mode> <name>\0<raw id>`, ids of 20 (SHA-1) or 32 (SHA-256) bytes. */
function parseTree(data: Buffer, idBytes: number): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    const nul = data.indexOf(0, sp + 1);
    if (sp < 0 || nul < 0 || nul + 1 + idBytes > data.length) throw new Error('a tree object of the base is malformed');
    out.set(data.subarray(sp + 1, nul).toString('utf8'), { mode: data.subarray(i, sp).toString('latin1'), oid: data.subarray(nul + 1, nul + 1 + idBytes).toString('hex') });
    i = nul + 1 + idBytes;
  }
  return out;
}

interface Pending {
  oid: string;
  type: string;
  resolve: (data: Buffer) => void;
  reject: (err: Error) => void;
}

/**
 * One `git cat-file --batch` process: object ids in, `<id> <type> <size>\n<data>\n` out. Each
 * answer is hashed (`<type> <size>\0<data>`) and must give back the id asked for. The process is
 * unreferenced while idle, so it never keeps the action running.
 */
class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private chunks: Buffer[] = [];
  private length = 0;
  private dead: Error | undefined;
  private stderr = '';

  constructor(root: string) {
    this.child = spawn('git', [...SAFE, 'cat-file', '--batch'], { cwd: root, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.drain();
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-2000);
    });
    this.child.on('error', (err) => this.fail(new Error(why(err))));
    this.child.on('close', (code) => this.fail(new Error(`git cat-file ended (${code ?? 'signal'})${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`)));
    this.child.stdin.on('error', (err) => this.fail(err));
    this.idle();
  }

  get(oid: string, type: string): Promise<Buffer> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ oid, type, resolve, reject });
      if (this.queue.length === 1) this.busy();
      this.child.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    if (this.dead) return;
    this.fail(new Error('the base reader is closed'));
    this.child.stdin.end();
  }

  private busy(): void {
    this.child.ref();
    (this.child.stdout as unknown as { ref?: () => void }).ref?.();
  }

  private idle(): void {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const p of this.queue.splice(0)) p.reject(this.dead);
    this.idle();
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return head;
  }

  private drain(): void {
    while (this.queue.length > 0 && this.length > 0) {
      const first = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
      this.chunks = [first];
      const nl = first.indexOf(0x0a);
      if (nl < 0) return;
      const header = first.subarray(0, nl).toString('latin1').split(' ');
      const p = this.queue[0]!;
      if (header.length !== 3) {
        this.take(nl + 1);
        this.queue.shift();
        p.reject(new Error(`the object ${p.oid.slice(0, 12)} of the base is ${header[1] ?? 'unreadable'}`));
        continue;
      }
      const size = Number(header[2]);
      if (this.length < nl + 1 + size + 1) return;
      this.take(nl + 1);
      const data = Buffer.from(this.take(size));
      this.take(1);
      this.queue.shift();
      const [oid, type] = header as [string, string];
      const hash = createHash(p.oid.length === 64 ? 'sha256' : 'sha1').update(`${type} ${size}\0`).update(data).digest('hex');
      if (oid !== p.oid || hash !== p.oid) p.reject(new Error(`the object ${p.oid.slice(0, 12)} of the base does not match its id: the repository's object store was altered`));
      else if (type !== p.type) p.reject(new Error(`the object ${p.oid.slice(0, 12)} of the base is a ${type}, not a ${p.type}`));
      else p.resolve(data);
    }
    if (this.queue.length === 0) this.idle();
  }
}
