// Safe file access inside the workspace: every path a manifest names must resolve, after
// symlinks, inside the workspace root. Nothing outside it is ever read.
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { FileFact } from '../core/types';

export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/**
 * Flags for opening a file a pull request may have replaced (an earlier step of the job runs its
 * scripts): opening a named pipe with no writer blocks for ever, unless non-blocking. On a regular
 * file O_NONBLOCK changes nothing (Windows has no such flag, and no FIFOs in the tree).
 */
export const OPEN_READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a path is when not a regular file ("a named pipe (FIFO)", "a directory"…); undefined for one. */
export function nonRegularKind(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  return st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a named pipe (FIFO)'
      : st.isSocket()
        ? 'a socket'
        : st.isCharacterDevice()
          ? 'a character device'
          : st.isBlockDevice()
            ? 'a block device'
            : 'a special file';
}

/** "is a named pipe (FIFO), not a regular file" for anything but a regular file; undefined for one. */
export function notRegularFile(st: Stats): string | undefined {
  const kind = nonRegularKind(st);
  return kind === undefined ? undefined : `is ${kind}, not a regular file`;
}

/** ENOENT and ENOTDIR: nothing at that path (a missing file, or a file where a folder should be). */
function isAbsent(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

export class Workspace {
  readonly root: string;
  private readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = realpathSync(this.root);
  }

  /** Workspace-relative posix path → absolute path, or a problem when it escapes. */
  resolve(rel: string): { abs: string; problem?: string } {
    if (path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return { abs: '', problem: 'is an absolute path; paths are relative to the manifest' };
    const abs = path.resolve(this.root, rel);
    if (!inside(this.root, abs)) return { abs, problem: 'leads outside the workspace' };
    if (existsSync(abs)) {
      const real = realpathSync(abs);
      if (!inside(this.realRoot, real)) return { abs, problem: 'is a symlink that leads outside the workspace' };
      // Never hand out a FIFO, socket or device: whoever reads it next (a hash, a parser) could
      // block for ever. Folders stay resolvable (globs, lm-eval output folders).
      const st = statSync(real);
      if (!st.isFile() && !st.isDirectory()) return { abs, problem: notRegularFile(st)! };
    }
    return { abs };
  }

  /** A path written in a manifest, relative to the manifest's folder. */
  fact(manifestDir: string, written: string, withText = false): FileFact {
    const rel = path.posix.normalize(path.posix.join(manifestDir || '.', written.replace(/\\/g, '/')));
    const r = this.resolve(rel);
    if (r.problem) return { path: rel, exists: false, problem: r.problem };
    let exists = false;
    try {
      // stat follows symlinks (resolve has kept them inside the workspace): a link to a FIFO is a FIFO.
      const bad = notRegularFile(statSync(r.abs));
      if (bad) return { path: rel, exists: false, problem: bad };
      exists = true;
    } catch (err) {
      if (!isAbsent(err)) return { path: rel, exists: false, problem: `cannot be read (${errorCode(err)})` };
    }
    const fact: FileFact = { path: rel, exists };
    if (exists && withText) {
      const t = this.readText(rel);
      if (t.problem) fact.problem = t.problem;
      else if (t.text !== undefined) fact.text = t.text;
    }
    return fact;
  }

  /**
   * A file's text: nothing when there is no such file; a problem when the path is anything but a
   * regular file (a FIFO, device, socket or directory: never opened in a way that could block),
   * too large, or unreadable — so that a caller never mistakes it for an absent file.
   */
  readText(rel: string): { text?: string; problem?: string } {
    const r = this.resolve(rel);
    if (r.problem) return { problem: r.problem };
    let fd: number | undefined;
    try {
      const bad = notRegularFile(statSync(r.abs));
      if (bad) return { problem: bad };
      fd = openSync(r.abs, OPEN_READ_NONBLOCK);
      // Checked again on what was opened: the path may have changed since the stat.
      const st = fstatSync(fd);
      const changed = notRegularFile(st);
      if (changed) return { problem: changed };
      if (st.size > MAX_TEXT_BYTES) return { problem: `is ${st.size} bytes, over the ${MAX_TEXT_BYTES}-byte limit` };
      return { text: readFileSync(fd, 'utf8') };
    } catch (err) {
      return isAbsent(err) ? {} : { problem: `cannot be read (${errorCode(err)})` };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Manifests matching the globs, sorted; a plain path is looked up directly. */
  findManifests(globs: readonly string[]): string[] {
    const found = new Set<string>();
    for (const raw of globs) {
      const g = raw.trim().replace(/^\.\//, '');
      if (!g) continue;
      const scan = picomatch.scan(g);
      if (!scan.isGlob) {
        const r = this.resolve(g);
        if (!r.problem && existsSync(r.abs) && statSync(r.abs).isFile()) found.add(path.posix.normalize(g));
        continue;
      }
      const isMatch = picomatch(g, { dot: true });
      const base = scan.base && scan.base !== '.' ? scan.base : '';
      const r = this.resolve(base || '.');
      if (r.problem || !existsSync(r.abs)) continue;
      for (const f of walk(r.abs, base)) if (isMatch(f)) found.add(f);
    }
    return [...found].sort();
  }
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

function* walk(absDir: string, relDir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(absDir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = relDir ? `${relDir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(path.join(absDir, e.name), rel);
    } else if (e.isFile()) {
      yield rel;
    }
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
