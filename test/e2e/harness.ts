// Runs the bundled action (dist/index.js) as the runner does: a child process with the
// runner's environment, an event payload file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and
// GITHUB_API_URL pointing at the fake GitHub API on 127.0.0.1.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
// LASTMILE_E2E_DIST: run another build of the action (e.g. one made outside dist/ while dist/ is rebuilt).
export const DIST = process.env.LASTMILE_E2E_DIST ?? path.join(ROOT, 'dist', 'index.js');
// LASTMILE_E2E_CLI: likewise for the command line.
export const CLI = process.env.LASTMILE_E2E_CLI ?? path.join(ROOT, 'dist', 'cli', 'index.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export const BASE_SHA = 'b'.repeat(40);
export const HEAD_SHA = 'c'.repeat(40);
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';

const tmpDirs: string[] = [];

export function tempDir(prefix = 'lm-e2e-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A git work tree holding `files`, committed, as actions/checkout leaves it. */
export function workspace(files: Record<string, string>): string {
  const dir = tempDir('lm-ws-');
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  };
  git('init', '-q', '-b', 'work');
  git('add', '-A');
  git('commit', '-q', '-m', 'head', '--allow-empty');
  return dir;
}

/**
 * A git work tree whose history holds the base commit: `baseFiles` committed first, then a commit
 * holding exactly `headFiles` (as a pull request's merge commit has the base as a parent when
 * the checkout fetched it). `baseSha` is the first commit's id, for the payload's `base.sha`.
 */
export function workspaceOnBase(baseFiles: Record<string, string>, headFiles: Record<string, string>): { dir: string; baseSha: string } {
  const dir = tempDir('lm-ws-');
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env });
  const put = (files: Record<string, string>): void => {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
  };
  git('init', '-q', '-b', 'work');
  put(baseFiles);
  git('add', '-A');
  git('commit', '-q', '-m', 'base', '--allow-empty');
  const baseSha = git('rev-parse', 'HEAD').trim();
  git('rm', '-rq', '--ignore-unmatch', '.');
  put(headFiles);
  git('add', '-A');
  git('commit', '-q', '-m', 'head', '--allow-empty');
  return { dir, baseSha };
}

/**
 * A bare repository on disk holding a commit (branch `release`): one of `files`, or the commit
 * `from.sha` of the repository `from.dir`. It stands for the workspace's `origin`:
 * `git -C <workspace> remote add origin <dir>`.
 */
export function originWith(files: Record<string, string>, from?: { dir: string; sha: string }): { dir: string; sha: string } {
  const { dir: src, baseSha: sha } = from ? { dir: from.dir, baseSha: from.sha } : workspaceOnBase(files, files);
  const dir = tempDir('lm-origin-');
  execFileSync('git', ['init', '-q', '--bare', dir], { stdio: 'ignore' });
  execFileSync('git', ['push', '-q', dir, `${sha}:refs/heads/release`], { cwd: src, stdio: 'ignore' });
  return { dir, sha };
}

type Json = Record<string, unknown>;

export function loadPayload(name: string): Json {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'github', name), 'utf8')) as Json;
}

/** A pull_request payload (from GitHub's published example) retargeted at `base`. */
export function pullRequestPayload(o: { base: string; number?: number; action?: string; fork?: boolean; author?: string; headSha?: string; baseSha?: string; event?: string }): Json {
  const p = loadPayload(o.event === 'pull_request_review' ? 'pull_request_review.submitted.json' : 'pull_request.opened.json');
  const pr = p.pull_request as Json;
  if (o.action) p.action = o.action;
  pr.number = o.number ?? 2;
  (pr.base as Json).ref = o.base;
  (pr.base as Json).sha = o.baseSha ?? BASE_SHA;
  (pr.head as Json).sha = o.headSha ?? HEAD_SHA;
  (pr.user as Json).login = o.author ?? 'Codertocat';
  if (o.fork) {
    // Derived: GitHub's examples hold no fork pull request, so the head repo is renamed.
    const headRepo = (pr.head as Json).repo as Json;
    (pr.head as Json).repo = { ...headRepo, full_name: 'forker/Hello-World', fork: true };
  }
  return p;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  report: Json | undefined;
}

/** GITHUB_OUTPUT uses `name<<delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const [, name, delim] = m;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (lines[i]!.includes('=')) {
      const k = lines[i]!.indexOf('=');
      out[lines[i]!.slice(0, k)] = lines[i]!.slice(k + 1);
    }
  }
  return out;
}

export async function runAction(o: {
  apiUrl: string;
  workspace: string;
  event: string;
  payload: Json;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunResult> {
  const dir = tempDir('lm-run-');
  const eventPath = path.join(dir, 'event.json');
  const outputPath = path.join(dir, 'output');
  const summaryPath = path.join(dir, 'summary.md');
  const runnerTemp = path.join(dir, 'runner-temp');
  mkdirSync(runnerTemp);
  writeFileSync(eventPath, JSON.stringify(o.payload));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const inputs: Record<string, string> = { 'github-token': 'test-token', ...(o.inputs ?? {}) };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${o.apiUrl}/graphql`,
    GITHUB_EVENT_NAME: o.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: 'd'.repeat(40),
    GITHUB_RUN_ID: '1',
    RUNNER_TEMP: runnerTemp,
    LASTMILE_HTTP_TIMEOUT_MS: '3000',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
    ...(o.env ?? {}),
  };
  const child = spawn(process.execPath, [DIST], { cwd: o.workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('close', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
  const outputs = parseOutputs(readFileSync(outputPath, 'utf8'));
  let report: Json | undefined;
  if (outputs.report) {
    try {
      report = JSON.parse(readFileSync(outputs.report, 'utf8')) as Json;
    } catch {
      report = undefined;
    }
  }
  return { code, stdout, stderr, outputs, summary: readFileSync(summaryPath, 'utf8'), report };
}

/** A ready-for-production system: manifest, evals, alerts, runbook, comms. */
export function readySystem(dir = ''): Record<string, string> {
  const p = (f: string): string => (dir ? `${dir}/${f}` : f);
  const ex = path.join(ROOT, 'examples', 'support-triage');
  const manifest = readFileSync(path.join(ex, 'lastmile.yml'), 'utf8')
    .replace(/ {2}- kind: data-governance\n {4}status: requested\n {4}ticket: DG-2301\n {4}requested_on: 2026-11-02\n/, '')
    .replace('    timeout_ms: 3000\n', '    timeout_ms: 3000\n    fallback: queue and retry\n');
  // Results two days old whenever the test runs, so freshness never depends on the date.
  const recent = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const redate = (t: string): string => t.replace(/"created_at": ?"[^"]+"/g, (m) => m.replace(/"[^"]+"$/, `"${recent}"`));
  return {
    [p('lastmile.yml')]: manifest,
    [p('evals/curated.json')]: redate(readFileSync(path.join(ex, 'evals', 'curated.json'), 'utf8')),
    [p('evals/prod-sample.jsonl')]: redate(readFileSync(path.join(ex, 'evals', 'prod-sample.jsonl'), 'utf8')),
    [p('ops/alerts/support-triage.yml')]: readFileSync(path.join(ex, 'ops', 'alerts', 'support-triage.yml'), 'utf8'),
    [p('docs/runbook.md')]: '# runbook\n',
    [p('docs/rollout-comms.md')]: '# comms\n',
  };
}
