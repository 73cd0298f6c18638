// Safe file access inside the workspace: every path a manifest names must resolve, after
// symlinks, inside the workspace root. Nothing outside it is ever read.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { FileFact } from '../gates/types';

export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

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
      exists = statSync(r.abs).isFile();
    } catch {
      exists = false;
    }
    const fact: FileFact = { path: rel, exists };
    if (exists && withText) {
      const t = this.readText(rel);
      if (t.problem) fact.problem = t.problem;
      else if (t.text !== undefined) fact.text = t.text;
    }
    return fact;
  }

  readText(rel: string): { text?: string; problem?: string } {
    const r = this.resolve(rel);
    if (r.problem) return { problem: r.problem };
    try {
      const st = statSync(r.abs);
      if (!st.isFile()) return {};
      if (st.size > MAX_TEXT_BYTES) return { problem: `is ${st.size} bytes, over the ${MAX_TEXT_BYTES}-byte limit` };
      return { text: readFileSync(r.abs, 'utf8') };
    } catch {
      return {};
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
