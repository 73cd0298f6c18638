// The git base reader (src/collect/git-base.ts) against real repositories on disk: reads by
// object id from the workspace or one fetch from origin, never through refs or replace
// objects, and refuses an object store whose objects do not match their ids.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openGitBase } from '../../src/collect/git-base';
import type { GitBaseReader } from '../../src/collect/git-base';

const dirs: string[] = [];
const readers: GitBaseReader[] = [];
afterEach(() => {
  for (const r of readers.splice(0)) r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'lm-git-base-'));
  dirs.push(d);
  return d;
}

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_CONFIG_NOSYSTEM: '1' };
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const BASE = {
  '.github/lastmile-policy.yml': 'version: 1 # base\n',
  'services/a/lastmile.yml': 'system: a\n',
  'services/a/evals/curated.json': '{"n": 1}\n',
  'services/b/lastmile.yml': 'system: b\n',
  'docs/ünïcode name.md': 'text ✓\n',
};

/** A repository whose first commit is the base and whose HEAD changes every base file. */
function repoWithBase(): { root: string; base: string; head: string } {
  const root = temp();
  git(root, 'init', '-q', '-b', 'main');
  write(root, { 'README.md': 'before the base\n' });
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'before');
  write(root, BASE);
  symlinkSync('services/a/lastmile.yml', path.join(root, 'link.yml'));
  symlinkSync('../../outside', path.join(root, 'services/escape.yml'));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  const base = git(root, 'rev-parse', 'HEAD').trim();
  write(root, Object.fromEntries(Object.keys(BASE).map((k) => [k, 'edited by the pull request\n'])));
  write(root, { 'services/c/lastmile.yml': 'system: c\n' });
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'head');
  return { root, base, head: git(root, 'rev-parse', 'HEAD').trim() };
}

function open(root: string, sha: string): GitBaseReader {
  const o = openGitBase(root, sha);
  if (!o.ok) throw new Error(o.reason);
  readers.push(o.reader);
  return o.reader;
}

describe('git base reader', () => {
  it('reads every file of the base commit from the workspace, not the checked-out head', async () => {
    const { root, base } = repoWithBase();
    const r = open(root, base);
    expect(r.source).toBe('workspace');
    for (const [rel, text] of Object.entries(BASE)) expect(await r.read(rel)).toBe(text);
    expect(await r.read('./services/a/lastmile.yml')).toBe('system: a\n');
    expect(await r.list()).toEqual([...Object.keys(BASE), 'README.md', 'link.yml', 'services/escape.yml'].sort());
  });

  it('answers undefined for what the base lacks: missing files, folders, paths out of the repository', async () => {
    const { root, base } = repoWithBase();
    const r = open(root, base);
    expect(await r.read('services/c/lastmile.yml')).toBeUndefined(); // only on the head
    expect(await r.read('CODEOWNERS')).toBeUndefined();
    expect(await r.read('services/a')).toBeUndefined();
    expect(await r.read('services/a/lastmile.yml/x')).toBeUndefined();
    expect(await r.read('../etc/passwd')).toBeUndefined();
    expect(await r.read('/etc/passwd')).toBeUndefined();
  });

  it('follows a symbolic link inside the repository, as the contents API does, and none out of it', async () => {
    const { root, base } = repoWithBase();
    const r = open(root, base);
    expect(await r.read('link.yml')).toBe('system: a\n');
    expect(await r.read('services/escape.yml')).toBeUndefined();
  });

  it('gives the same text as `git show <sha>:<path>` for every file', async () => {
    const { root, base } = repoWithBase();
    const r = open(root, base);
    for (const rel of Object.keys(BASE)) expect(await r.read(rel)).toBe(git(root, 'show', `${base}:${rel}`));
  });

  it('ignores replace objects (GIT_NO_REPLACE_OBJECTS) and refs: the id alone says what is read', async () => {
    const { root, base } = repoWithBase();
    const blob = git(root, 'rev-parse', `${base}:.github/lastmile-policy.yml`).trim();
    const weak = git(root, 'rev-parse', 'HEAD:.github/lastmile-policy.yml').trim();
    git(root, 'replace', blob, weak);
    // git itself now shows the replacement…
    expect(git(root, 'show', `${base}:.github/lastmile-policy.yml`)).toBe('edited by the pull request\n');
    // …and refs named like the base point elsewhere.
    git(root, 'update-ref', `refs/heads/${base}`, 'HEAD');
    git(root, 'tag', base.slice(0, 7), 'HEAD');
    const r = open(root, base);
    expect(await r.read('.github/lastmile-policy.yml')).toBe('version: 1 # base\n');
  });

  it('refuses an object whose content does not hash to its id (an altered object store)', async () => {
    const { root, base } = repoWithBase();
    const blob = git(root, 'rev-parse', `${base}:.github/lastmile-policy.yml`).trim();
    const file = path.join(root, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    const forged = Buffer.from('version: 1 # forged\n');
    chmodSync(file, 0o644);
    writeFileSync(file, deflateSync(Buffer.concat([Buffer.from(`blob ${forged.length}\0`), forged])));
    expect(git(root, 'cat-file', 'blob', blob)).toBe('version: 1 # forged\n'); // git does not check
    const r = open(root, base);
    await expect(r.read('.github/lastmile-policy.yml')).rejects.toThrow(/does not match its id/);
    // Objects that were not altered are still read.
    expect(await r.read('services/b/lastmile.yml')).toBe('system: b\n');
  });

  it('fetches the base from origin when the workspace lacks it, once, keeping a shallow clone shallow', async () => {
    const { root: upstream, base } = repoWithBase();
    const origin = temp();
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    git(upstream, 'push', '-q', origin, 'HEAD:refs/heads/main');
    // A shallow checkout of the head, as actions/checkout with fetch-depth 1 leaves it.
    const ws = path.join(temp(), 'ws');
    git(tmpdir(), 'clone', '-q', '--depth=1', '--branch', 'main', `file://${origin}`, ws);
    expect(git(ws, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(() => git(ws, 'cat-file', '-e', `${base}^{commit}`)).toThrow();
    const r = open(ws, base);
    expect(r.source).toBe('fetched');
    expect(await r.read('.github/lastmile-policy.yml')).toBe('version: 1 # base\n');
    expect(await r.list()).toContain('services/b/lastmile.yml');
    expect(git(ws, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    // No ref was created or moved by the fetch.
    expect(git(ws, 'for-each-ref', '--format=%(refname)').trim().split('\n').sort()).toEqual(['refs/heads/main', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main']);
  });

  it('says why where git cannot: not a repository, no such commit and no origin, an origin without it', () => {
    const plain = temp();
    const a = openGitBase(plain, 'a'.repeat(40));
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.reason).toMatch(/not a git repository/);

    const { root } = repoWithBase();
    const b = openGitBase(root, 'b'.repeat(40));
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.reason).toMatch(/does not have the commit bbbbbbb and `git fetch origin bbbbbbb` failed/);

    git(root, 'remote', 'add', 'origin', path.join(plain, 'missing.git'));
    const c = openGitBase(root, 'b'.repeat(40));
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.reason).toMatch(/failed/);

    expect(openGitBase(root, 'HEAD')).toEqual({ ok: false, reason: 'the base SHA is not a full object id' });
  });

  it('reads a large blob whole', async () => {
    const root = temp();
    git(root, 'init', '-q', '-b', 'main');
    const big = 'x'.repeat(3 * 1024 * 1024 + 7) + '\n';
    write(root, { 'evals/big.jsonl': big, 'small.txt': 'small\n' });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'base');
    const r = open(root, git(root, 'rev-parse', 'HEAD').trim());
    const [a, b] = await Promise.all([r.read('evals/big.jsonl'), r.read('small.txt')]);
    expect(a).toBe(big);
    expect(b).toBe('small\n');
    expect(readFileSync(path.join(root, 'small.txt'), 'utf8')).toBe('small\n');
  });

  it('fails every read after close, rather than hanging', async () => {
    const { root, base } = repoWithBase();
    const r = open(root, base);
    r.close();
    await expect(r.read('services/a/lastmile.yml')).rejects.toThrow(/closed/);
  });
});
