// Shared set-up of the end-to-end tests: a fake GitHub holding the repository, its base
// commit (policy, manifests) and an open pull request; and small helpers to build systems,
// policies and payloads and to read what the action wrote.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub, RecordedRequest, StartOptions } from '../support/github-server';
import { BASE_SHA, HEAD_SHA, OWNER, REPO, ROOT, cleanup, pullRequestPayload, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';

export const EXAMPLE_POLICY = readFileSync(path.join(ROOT, 'examples', 'support-triage', '.github', 'lastmile-policy.yml'), 'utf8');
export const POLICY_PATH = '.github/lastmile-policy.yml';
/** The example policy without sign-off kinds: a ready system passes it with no review. */
export const NO_SIGNOFFS = EXAMPLE_POLICY.replace(/^signoffs:\n(?: {2}.*\n)+/m, 'signoffs: {}\n');
/** The comment's hidden marker (src/github/comments.ts). */
export const MARKER = '<!-- last-mile:comment -->';

type FakeGitHubOptions = { baseFiles?: Record<string, string>; pr?: number; author?: string; base?: string; start?: StartOptions };

export async function fakeGitHub(o: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const gh = await startGitHubServer({ repository: `${OWNER}/${REPO}`, defaultBranch: 'master', ...(o.start ?? {}) });
  for (const [p, text] of Object.entries(o.baseFiles ?? {})) gh.setFile(BASE_SHA, p, text);
  gh.addPullRequest({ number: o.pr ?? 2, user: o.author ?? 'Codertocat', head: { ref: 'changes', sha: HEAD_SHA }, base: { ref: o.base ?? 'release/1.0', sha: BASE_SHA } });
  return gh;
}

/** The pull request event of the default set-up (PR #2 into `base`). */
export function prEvent(base = 'release/1.0', o: Omit<Parameters<typeof pullRequestPayload>[0], 'base'> = {}): { event: string; payload: Record<string, unknown> } {
  return { event: o.event ?? 'pull_request', payload: pullRequestPayload({ base, ...o }) };
}

/**
 * Comment / summary text with the Markdown escaping of untrusted strings undone (word joiners
 * after `@` and `#`, backslash escapes, entities), so tests can assert on plain words.
 */
export function plain(text: string): string {
  return text
    .replace(/\u2060/g, '')
    .replace(/\\([\\`*_{}[\]()#+!|~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** No stack trace reached the log: no `    at fn (file:line)` lines, no `node:internal`. */
export function expectNoStackTrace(r: RunResult): void {
  for (const stream of [r.stdout, r.stderr]) {
    expect(stream).not.toMatch(/^\s+at .+[(:]\d+/m);
    expect(stream).not.toContain('node:internal');
  }
}

/** The action's exit code and `verdict` output agree with what is expected. */
export function expectVerdict(r: RunResult, verdict: 'pass' | 'fail' | 'warn'): void {
  expect(r.outputs.verdict, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(verdict);
  expect(r.code).toBe(verdict === 'fail' ? 1 : 0);
}

/** Edits a YAML text through the yaml library's document model (comments and order kept). */
export function editYaml(text: string, edit: (doc: Document) => void): string {
  const doc = parseDocument(text);
  edit(doc);
  return doc.toString({ lineWidth: 0 });
}

/** `YYYY-MM-DD`, `days` from today (UTC). */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Requests that write: all but GET / HEAD and GraphQL queries (a POST /graphql that reads: the
 * token's `viewer`, the base's files). A GraphQL request counts as a write when its document
 * mentions `mutation` anywhere, or when its body has no query text to tell.
 */
export function writes(gh: FakeGitHub): RecordedRequest[] {
  return gh.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !isGraphqlRead(r));
}

function isGraphqlRead(r: RecordedRequest): boolean {
  if (r.operationId !== 'graphql') return false;
  const query = (r.body as { query?: unknown } | undefined)?.query;
  return typeof query === 'string' && !/\bmutation\b/.test(query);
}

/** The `<ref>:<path>` of every file read through a GraphQL `object(expression:)` query (base reads in batches). */
export function graphqlFileReads(gh: FakeGitHub): string[] {
  return gh.requests
    .filter((r) => r.operationId === 'graphql')
    .flatMap((r) => Object.values((r.body as { variables?: Record<string, unknown> } | undefined)?.variables ?? {}))
    .filter((v): v is string => typeof v === 'string' && /^[0-9a-f]{40}:/i.test(v));
}

/** Writes to the comments API (create, edit, delete). */
export function commentWrites(gh: FakeGitHub): RecordedRequest[] {
  return writes(gh).filter((r) => r.operationId?.startsWith('issues/'));
}

/** Workflow commands `::warning::…` the action printed, decoded. */
export function warnings(r: RunResult): string[] {
  return [...r.stdout.matchAll(/^::warning(?: [^:]*)?::(.*)$/gm)].map((m) => m[1]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}

/** The example's ready system under the policy without sign-off kinds: every gate passes. */
export const READY: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS, ...readySystem() };

/** The ready system without `owner`: one failing gate. */
export function noOwner(): Record<string, string> {
  return { ...READY, 'lastmile.yml': editYaml(READY['lastmile.yml']!, (doc) => doc.delete('owner')) };
}

/**
 * The end of every end-to-end test: the fake GitHub (if started) must have answered only
 * requests GitHub's OpenAPI description has; then it is closed and the test's temporary
 * folders are removed.
 */
export async function finishTest(gh: FakeGitHub | undefined): Promise<void> {
  if (gh) {
    expect(gh.violations).toEqual([]);
    await gh.close();
  }
  cleanup();
}

export interface PullRequestSession {
  /** The fake GitHub of the running test (throws before `start`). */
  readonly gh: FakeGitHub;
  /** Starts the fake GitHub; the base commit holds `baseFiles` unless `o` says otherwise. */
  start(o?: FakeGitHubOptions): Promise<FakeGitHub>;
  /** Runs dist/index.js on a workspace of `files`, for the pull request event (PR #2). */
  run(files: Record<string, string>, o?: { inputs?: Record<string, string>; env?: Record<string, string>; payload?: Record<string, unknown> }): Promise<RunResult>;
}

/**
 * One fake GitHub per test, for a file of pull request tests, finished by {@link finishTest}
 * after each. Call at the top level of a test file.
 */
export function pullRequestSession(baseFiles: Record<string, string>): PullRequestSession {
  let current: FakeGitHub | undefined;
  afterEach(async () => {
    await finishTest(current);
    current = undefined;
  });
  return {
    get gh(): FakeGitHub {
      if (!current) throw new Error('the fake GitHub is not started');
      return current;
    },
    async start(o = { baseFiles }) {
      current = await fakeGitHub(o);
      return current;
    },
    run(files, o = {}) {
      if (!current) throw new Error('the fake GitHub is not started');
      return runAction({
        apiUrl: current.url,
        workspace: workspace(files),
        ...prEvent(),
        ...(o.payload ? { payload: o.payload } : {}),
        ...(o.inputs ? { inputs: o.inputs } : {}),
        ...(o.env ? { env: o.env } : {}),
      });
    },
  };
}

export { BASE_SHA, HEAD_SHA };
