// The API budget where git cannot read the base commit (SPEC §7.1, issue 17): the base's files
// come through the API in batches (one tree listing, then GraphQL queries of up to 100 files
// each), so a pull request run on a 150-system monorepo whose systems are all ready still makes
// at most 25 requests in all, with the same verdict and outputs as when git reads the base. A
// GraphQL that refuses falls back to the contents API, file by file, and still fails closed.
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub, RecordedRequest } from '../support/github-server';
import { OWNER, REPO, HEAD_SHA, pullRequestPayload, readySystem, runAction, workspace, workspaceOnBase } from './harness';
import type { RunResult } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, expectVerdict, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

const API_ONLY = { LASTMILE_BASE_READS: 'api' };
const MANIFESTS = { manifests: 'services/*/lastmile.yml' };

/** `n` ready systems under services/sNNN, each with its own system id, and the policy. */
function monorepo(n: number): Record<string, string> {
  const files: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS };
  for (let i = 1; i <= n; i++) {
    const id = `s${String(i).padStart(3, '0')}`;
    for (const [rel, text] of Object.entries(readySystem(`services/${id}`))) {
      files[rel] = rel.endsWith('/lastmile.yml') ? text.replace(/^system: .*$/m, `system: ${id}`) : text;
    }
  }
  return files;
}

/** The fake GitHub with the base commit `baseSha` holding `baseFiles`, and PR #2 into release/1.0. */
async function github(baseSha: string, baseFiles: Record<string, string>): Promise<FakeGitHub> {
  const g = await startGitHubServer({ repository: `${OWNER}/${REPO}`, defaultBranch: 'master' });
  for (const [p, text] of Object.entries(baseFiles)) g.setFile(baseSha, p, text);
  g.addPullRequest({ number: 2, user: 'Codertocat', head: { ref: 'changes', sha: HEAD_SHA }, base: { ref: 'release/1.0', sha: baseSha } });
  return g;
}

function run(g: FakeGitHub, dir: string, baseSha: string, env: Record<string, string> = {}): Promise<RunResult> {
  return runAction({ apiUrl: g.url, workspace: dir, event: 'pull_request', payload: pullRequestPayload({ base: 'release/1.0', baseSha }), inputs: MANIFESTS, env, timeoutMs: 120_000 });
}

type GraphqlBody = { query: string; variables?: Record<string, unknown> };
/** The GraphQL queries for base files (not the `viewer` query), as a fault's matcher. */
const FILE_QUERIES = { operationId: 'graphql', requestBody: /\brepository\s*\(/ };
/** GraphQL queries for base files (not the `viewer` query that learns the token's account). */
const fileQueries = (rs: readonly RecordedRequest[]): RecordedRequest[] => rs.filter((q) => q.operationId === 'graphql' && /\brepository\s*\(/.test((q.body as GraphqlBody).query));
/** Every `<sha>:<path>` a file query asked for, as paths. */
const askedByGraphql = (rs: readonly RecordedRequest[], sha: string): string[] =>
  fileQueries(rs).flatMap((q) =>
    Object.values((q.body as GraphqlBody).variables ?? {})
      .filter((v): v is string => typeof v === 'string' && v.startsWith(`${sha}:`))
      .map((v) => v.slice(sha.length + 1)),
  );
const askedByContents = (rs: readonly RecordedRequest[]): string[] => rs.filter((q) => q.operationId === 'repos/get-content').map((q) => q.params.path ?? '');
const annotationBatches = (rs: readonly RecordedRequest[]): RecordedRequest[] => rs.filter((q) => q.operationId === 'checks/update');
const summary = (rs: readonly RecordedRequest[]): string[] =>
  rs.map((q) => {
    const vars = q.operationId === 'graphql' ? Object.keys((q.body as GraphqlBody).variables ?? {}).length : 0;
    return `${q.method} ${q.template ?? q.path}${vars > 0 ? ` (${vars} variables)` : ''}`;
  });

/** Every gate of every system, with its status and reason, and the action's outputs but the report's path. */
function outcome(r: RunResult): unknown {
  type Gate = { id: string; outcome: string; reason: string; fix?: string; details?: string[] };
  const report = r.report as { verdict: string; errors: string[]; failed: number; systems: { system: string; gates: Gate[] }[]; repositoryGates: Gate[] };
  const gate = (g: Gate): Gate => ({ id: g.id, outcome: g.outcome, reason: g.reason, ...(g.fix ? { fix: g.fix } : {}), ...(g.details ? { details: g.details } : {}) });
  return {
    code: r.code,
    outputs: { verdict: r.outputs.verdict, stage: r.outputs.stage, failed: r.outputs.failed },
    verdict: report.verdict,
    failed: report.failed,
    errors: report.errors,
    repositoryGates: report.repositoryGates.map(gate),
    systems: report.systems.map((s) => ({ system: s.system, gates: s.gates.map(gate) })),
  };
}

describe('API budget with the base read through the API only (SPEC §7.1)', () => {
  it('150 ready systems: at most 25 requests in all, the base files in batched GraphQL queries, and the same outputs as the git path', async () => {
    const files = monorepo(150);
    const { dir, baseSha } = workspaceOnBase(files, files);
    const viaGit = await (async () => {
      const g = await github(baseSha, files);
      const r = await run(g, dir, baseSha);
      await g.close();
      return r;
    })();
    expectVerdict(viaGit, 'pass');

    gh = await github(baseSha, files);
    const viaApi = await run(gh, dir, baseSha, API_ONLY);
    expectVerdict(viaApi, 'pass');
    expect(viaApi.stdout).toContain(`Base ${baseSha.slice(0, 7)}: read through the API`);
    expect((viaApi.report as { systems: unknown[] }).systems).toHaveLength(150);
    expect(outcome(viaApi)).toEqual(outcome(viaGit));

    const rs = gh.requests;
    const counted = rs.length - annotationBatches(rs).length;
    console.log(`150 systems, base through the API only: ${counted} requests (${fileQueries(rs).length} GraphQL file queries)\n${summary(rs).join('\n')}`);
    expect(counted, summary(rs).join('\n')).toBeLessThanOrEqual(25);

    // One tree listing; each file asked once, through GraphQL (100 at most a query) or the
    // contents API; only files the base has, so no request for a CODEOWNERS that is not there.
    expect(rs.filter((q) => q.operationId === 'git/get-tree')).toHaveLength(1);
    for (const q of fileQueries(rs)) expect(Object.keys((q.body as GraphqlBody).variables ?? {}).length).toBeLessThanOrEqual(2 + 100);
    const asked = [...askedByGraphql(rs, baseSha), ...askedByContents(rs)];
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.filter((p) => !(p in files))).toEqual([]);
    // the policy, and each manifest with its two eval files
    expect(asked).toHaveLength(1 + 150 * 3);
    expect(gh.violations).toEqual([]);
  }, 240_000);
});

describe('the API path where GraphQL fails', () => {
  // The base decides here: its CODEOWNERS gives services/ to another team (ownership fails), and
  // it has a system that the head removed (inconclusive until merge).
  const baseFiles: Record<string, string> = { ...monorepo(4), CODEOWNERS: '/services/ @acme/other-team\n', ...readySystem('services/gone') };
  baseFiles['services/gone/lastmile.yml'] = baseFiles['services/gone/lastmile.yml']!.replace(/^system: .*$/m, 'system: gone');
  const headFiles = monorepo(4);

  it('GraphQL refused: every base file through the contents API, and the same report as with GraphQL', async () => {
    const { dir, baseSha } = workspaceOnBase(baseFiles, headFiles);
    const withGraphql = await (async () => {
      const g = await github(baseSha, baseFiles);
      const r = await run(g, dir, baseSha, API_ONLY);
      await g.close();
      return r;
    })();
    expectVerdict(withGraphql, 'fail');
    const text = JSON.stringify(outcome(withGraphql));
    expect(text).toContain('@acme/other-team');
    expect(text).toMatch(/gone/);

    gh = await github(baseSha, baseFiles);
    gh.inject({ ...FILE_QUERIES, status: 403, times: Infinity, body: { message: 'Resource not accessible by integration' } });
    const refused = await run(gh, dir, baseSha, API_ONLY);
    expectVerdict(refused, 'fail');
    expect(outcome(refused)).toEqual(outcome(withGraphql));
    // each file the run needed, once, through the contents API: the policy, CODEOWNERS, the manifests (the removed one too), the evals
    const asked = askedByContents(gh.requests);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.filter((p) => !(p in baseFiles))).toEqual([]);
    expect(asked).toEqual(expect.arrayContaining([POLICY_PATH, 'CODEOWNERS', 'services/gone/lastmile.yml', 'services/s004/lastmile.yml', 'services/s004/evals/prod-sample.jsonl']));
  }, 180_000);

  it('fails closed: GraphQL refused and then one manifest unreadable is an error of the run, not a missing system', async () => {
    const ws = workspace(headFiles);
    const { baseSha } = workspaceOnBase(baseFiles, headFiles);
    gh = await github(baseSha, baseFiles);
    gh.inject({ ...FILE_QUERIES, status: 403, times: Infinity, body: { message: 'Resource not accessible by integration' } });
    gh.inject({ method: 'GET', operationId: 'repos/get-content', path: /\/contents\/services(%2F|\/)s002(%2F|\/)lastmile\.yml$/, status: 500, times: Infinity });
    const r = await run(gh, ws, baseSha);
    expect(r.stdout).toContain('read through the API');
    expectVerdict(r, 'fail');
    expect((r.report as { errors: string[] }).errors.join('\n')).toMatch(/could not read services\/s002\/lastmile\.yml at base [0-9a-f]{7}/);
  }, 180_000);
});
