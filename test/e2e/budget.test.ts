// The API budget (SPEC §7.1, issue 17): a pull request run on a 150-system monorepo whose
// systems are all ready makes at most 25 requests, because base contents come from git (the
// base commit in the workspace, or one fetch from origin); where git cannot, the API path reads
// one tree listing and only the files that exist (in batches: GraphQL queries of many files, or
// a contents request for a file read alone); and every path gives the same verdicts.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub, RecordedRequest } from '../support/github-server';
import { OWNER, REPO, HEAD_SHA, originWith, pullRequestPayload, readySystem, runAction, workspace, workspaceOnBase } from './harness';
import type { RunResult } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, expectVerdict, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** `n` ready systems under services/sNNN, each with its own system id, and the policy. */
function monorepo(n: number): Record<string, string> {
  const files: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS };
  for (let i = 1; i <= n; i++) {
    const dir = `services/s${String(i).padStart(3, '0')}`;
    for (const [rel, text] of Object.entries(readySystem(dir))) {
      files[rel] = rel.endsWith('/lastmile.yml') ? text.replace(/^system: .*$/m, `system: s${String(i).padStart(3, '0')}`) : text;
    }
  }
  return files;
}

const MANIFESTS = { manifests: 'services/*/lastmile.yml' };

/** The fake GitHub with the base commit `baseSha` holding `baseFiles`, and PR #2 into release/1.0. */
async function github(baseSha: string, baseFiles: Record<string, string>): Promise<FakeGitHub> {
  const g = await startGitHubServer({ repository: `${OWNER}/${REPO}`, defaultBranch: 'master' });
  for (const [p, text] of Object.entries(baseFiles)) g.setFile(baseSha, p, text);
  g.addPullRequest({ number: 2, user: 'Codertocat', head: { ref: 'changes', sha: HEAD_SHA }, base: { ref: 'release/1.0', sha: baseSha } });
  return g;
}

function run(g: FakeGitHub, dir: string, baseSha: string, env: Record<string, string> = {}, inputs: Record<string, string> = MANIFESTS): Promise<RunResult> {
  return runAction({ apiUrl: g.url, workspace: dir, event: 'pull_request', payload: pullRequestPayload({ base: 'release/1.0', baseSha }), inputs, env, timeoutMs: 120_000 });
}

type GraphqlBody = { query?: unknown; variables?: Record<string, unknown> } | undefined;
/** A GraphQL query for base files (`repository { object(expression: "<sha>:<path>") … }`), not the `viewer` query. */
const isFileQuery = (q: RecordedRequest): boolean => {
  const query = (q.body as GraphqlBody)?.query;
  return q.operationId === 'graphql' && typeof query === 'string' && /\brepository\s*\(/.test(query);
};
/** Requests that read base content through the API: the tree listing, contents requests, GraphQL file queries. */
const baseReads = (rs: readonly RecordedRequest[]): RecordedRequest[] => rs.filter((q) => q.operationId === 'repos/get-content' || q.operationId === 'git/get-tree' || isFileQuery(q));
/** Every file asked for at `sha`, once per time it was asked: GraphQL expressions `<sha>:<path>`, then contents requests. */
const askedFiles = (rs: readonly RecordedRequest[], sha: string): string[] => [
  ...rs
    .filter(isFileQuery)
    .flatMap((q) => Object.values((q.body as GraphqlBody)?.variables ?? {}))
    .filter((v): v is string => typeof v === 'string' && v.startsWith(`${sha}:`))
    .map((v) => v.slice(sha.length + 1)),
  ...rs.filter((q) => q.operationId === 'repos/get-content' && q.query.ref === sha).map((q) => decodeURIComponent(q.params.path ?? '')),
];
const annotationBatches = (rs: readonly RecordedRequest[]): RecordedRequest[] => rs.filter((q) => q.operationId === 'checks/update');
const summary = (rs: readonly RecordedRequest[]): string[] => rs.map((q) => `${q.method} ${q.template ?? q.path}`);

/** Every gate of every system, with its status and reason: what must not depend on the read path. */
function gates(r: RunResult): unknown {
  type Gate = { id: string; outcome: string; reason: string; fix?: string; details?: string[] };
  const report = r.report as { verdict: string; errors: string[]; failed: number; systems: { system: string; gates: Gate[] }[]; repositoryGates: Gate[] };
  const gate = (g: Gate): Gate => ({ id: g.id, outcome: g.outcome, reason: g.reason, ...(g.fix ? { fix: g.fix } : {}), ...(g.details ? { details: g.details } : {}) });
  return {
    verdict: report.verdict,
    failed: report.failed,
    errors: report.errors,
    repositoryGates: report.repositoryGates.map(gate),
    systems: report.systems.map((s) => ({ system: s.system, gates: s.gates.map(gate) })),
  };
}

describe('API budget of a pull request run (SPEC §7.1)', () => {
  it('a 150-system monorepo, all ready, base in the workspace: at most 25 requests, none for base contents', async () => {
    const files = monorepo(150);
    const { dir, baseSha } = workspaceOnBase(files, files);
    gh = await github(baseSha, files);
    const r = await run(gh, dir, baseSha);
    expectVerdict(r, 'pass');
    expect((r.report as { systems: unknown[] }).systems).toHaveLength(150);
    expect(r.stdout).toContain(`Base ${baseSha.slice(0, 7)}: read from git by object id (the commit is in the workspace)`);
    expect(baseReads(gh.requests)).toEqual([]);
    const counted = gh.requests.length - annotationBatches(gh.requests).length;
    console.log(`150 systems, base from git: ${counted} requests\n${summary(gh.requests).join('\n')}`);
    expect(counted, summary(gh.requests).join('\n')).toBeLessThanOrEqual(25);
  }, 180_000);

  it('requests other than base reads do not grow with the number of systems', async () => {
    const counts: Record<number, string[]> = {};
    for (const n of [1, 150]) {
      const files = monorepo(n);
      const { dir, baseSha } = workspaceOnBase(files, files);
      const g = await github(baseSha, files);
      const r = await run(g, dir, baseSha);
      expectVerdict(r, 'pass');
      counts[n] = summary(g.requests);
      expect(g.violations).toEqual([]);
      await g.close();
    }
    expect(counts[150]).toEqual(counts[1]);
  }, 180_000);

  it('the same monorepo through the API only: one tree listing, then only files that exist, and the same report', async () => {
    const files = monorepo(150);
    const { dir, baseSha } = workspaceOnBase(files, files);
    const viaGit = await (async () => {
      const g = await github(baseSha, files);
      const r = await run(g, dir, baseSha);
      const requests = summary(g.requests);
      await g.close();
      return { r, requests };
    })();
    gh = await github(baseSha, files);
    const viaApi = await run(gh, dir, baseSha, { LASTMILE_BASE_READS: 'api' });
    expectVerdict(viaApi, 'pass');
    expect(viaApi.stdout).toContain(`Base ${baseSha.slice(0, 7)}: read through the API, one tree listing and then the files needed in batches (LASTMILE_BASE_READS=api)`);
    expect(gates(viaApi)).toEqual(gates(viaGit.r));
    const reads = baseReads(gh.requests);
    expect(reads.filter((q) => q.operationId === 'git/get-tree')).toHaveLength(1);
    // Each file asked for, whether in a GraphQL query (how files read together are batched) or a
    // contents request: the policy, each manifest and its two eval files, each once; only files
    // the base has, so no request for a CODEOWNERS that is not there.
    const paths = askedFiles(gh.requests, baseSha);
    expect(reads.filter(isFileQuery).length).toBeGreaterThan(0);
    expect(paths).toHaveLength(1 + 150 * 3);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.every((p) => p in files)).toBe(true);
    expect(paths.filter((p) => p.includes('CODEOWNERS'))).toEqual([]);
    // Every base read is one of those: no contents request or GraphQL expression at another ref.
    expect(reads.filter((q) => q.operationId === 'repos/get-content' && q.query.ref !== baseSha)).toEqual([]);
    const expressions = reads.filter(isFileQuery).flatMap((q) => Object.values((q.body as GraphqlBody)?.variables ?? {}).filter((v) => typeof v === 'string' && v.includes(':')));
    expect(expressions.filter((v) => !(v as string).startsWith(`${baseSha}:`))).toEqual([]);
    // Everything else is the same requests as on the git path.
    const others = summary(gh.requests.filter((q) => !reads.includes(q)));
    expect([...others].sort()).toEqual([...viaGit.requests].sort());
  }, 180_000);
});

describe('the base read from git and from the API gives the same verdicts', () => {
  // The base decides here: its CODEOWNERS gives services/ to another team (ownership fails), and
  // it has a system that the head removed (inconclusive until merge).
  const baseFiles: Record<string, string> = { ...monorepo(3), CODEOWNERS: '/services/ @acme/other-team\n', ...readySystem('services/gone') };
  baseFiles['services/gone/lastmile.yml'] = baseFiles['services/gone/lastmile.yml']!.replace(/^system: .*$/m, 'system: gone');
  const headFiles = monorepo(3);

  it('base in the workspace, fetched from origin, and through the API', async () => {
    // 1. The workspace's history holds the base commit.
    const inWs = workspaceOnBase(baseFiles, headFiles);
    gh = await github(inWs.baseSha, baseFiles);
    const a = await run(gh, inWs.dir, inWs.baseSha);
    expect(a.stdout).toContain('(the commit is in the workspace)');

    // 2. The workspace has only the head; origin (a bare repository on disk) has the base.
    const origin = originWith(baseFiles, { dir: inWs.dir, sha: inWs.baseSha });
    expect(origin.sha).toBe(inWs.baseSha);
    const ws = workspace(headFiles);
    execFileSync('git', ['remote', 'add', 'origin', origin.dir], { cwd: ws });
    expect(() => execFileSync('git', ['cat-file', '-e', `${origin.sha}^{commit}`], { cwd: ws, stdio: 'ignore' })).toThrow();
    gh.clearLog();
    const b = await run(gh, ws, origin.sha);
    expect(b.stdout).toContain('(fetched from origin)');
    expect(baseReads(gh.requests)).toEqual([]);

    // 3. A workspace without the commit and an origin that refuses: the API.
    const lost = workspace(headFiles);
    execFileSync('git', ['remote', 'add', 'origin', `${origin.dir}-missing`], { cwd: lost });
    gh.clearLog();
    const c = await run(gh, lost, origin.sha);
    expect(c.stdout).toMatch(/read through the API, one tree listing and then the files needed in batches \(git cannot: the workspace does not have the commit [0-9a-f]{7} and `git fetch origin [0-9a-f]{7}` failed/);
    expect(baseReads(gh.requests).length).toBeGreaterThan(0);

    for (const r of [a, b, c]) expectVerdict(r, 'fail');
    expect(gates(b)).toEqual(gates(a));
    expect(gates(c)).toEqual(gates(a));
    // The base's content decided: CODEOWNERS of the base, and the system only the base has.
    const text = JSON.stringify(gates(a));
    expect(text).toContain('@acme/other-team');
    expect(text).toMatch(/gone/);
    const outcomes = (gates(a) as { systems: { gates: { outcome: string }[] }[] }).systems.flatMap((s) => s.gates.map((g) => g.outcome));
    expect(outcomes).toContain('fail');
    expect(outcomes).toContain('pass');
  }, 180_000);

  it('a base read that fails on the API path still fails closed', async () => {
    const ws = workspace(headFiles);
    const { baseSha } = workspaceOnBase(baseFiles, headFiles);
    gh = await github(baseSha, baseFiles);
    // The manifests are read together, so they come in a GraphQL query: refused, each file falls
    // back to the contents API, where services/s002/lastmile.yml fails for good.
    const graphql = gh.inject({ operationId: 'graphql', requestBody: /\brepository\s*\(/, status: 403, times: Infinity, body: { message: 'Resource not accessible by integration' } });
    const contents = gh.inject({ method: 'GET', operationId: 'repos/get-content', path: /\/contents\/services(%2F|\/)s002(%2F|\/)lastmile\.yml$/, status: 500, times: Infinity });
    const r = await run(gh, ws, baseSha);
    expect(r.stdout).toContain('read through the API');
    expect(graphql.fired).toBeGreaterThan(0);
    expect(contents.fired).toBeGreaterThan(0);
    expectVerdict(r, 'fail');
    expect((r.report as { errors: string[] }).errors.join('\n')).toMatch(/could not read services\/s002\/lastmile\.yml at base [0-9a-f]{7}/);
  }, 180_000);
});
