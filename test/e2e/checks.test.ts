// End to end through dist/index.js (issue 6): input `comment`, the check run, and the API
// requests of a rerun (split from comment.test.ts so the two files run in parallel).
import { describe, expect, it } from 'vitest';
import type { FakeGitHub, RecordedRequest } from '../support/github-server';
import { BASE_SHA, HEAD_SHA, pullRequestPayload, runAction, workspace, workspaceOnBase } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, READY, commentWrites, expectNoStackTrace, expectVerdict, noOwner, plain, prEvent, pullRequestSession, warnings } from './setup';

const session = pullRequestSession(READY);
const { start, run } = session;
/** The fake GitHub of the running test. */
const gh = (): FakeGitHub => session.gh;

/**
 * A request as `METHOD template`, and what it reads: a contents request's path; a GraphQL
 * query's `<sha>:<path>` expressions (the base's files), or `viewer` (the token's account).
 */
function described(q: RecordedRequest): string {
  const head = `${q.method} ${q.template ?? q.path}`;
  if (q.params.path) return `${head} ${q.params.path}`;
  if (q.operationId !== 'graphql') return head;
  const body = q.body as { query?: unknown; variables?: Record<string, unknown> } | undefined;
  if (typeof body?.query === 'string' && /\bviewer\b/.test(body.query)) return `${head} viewer`;
  const expressions = Object.values(body?.variables ?? {}).filter((v): v is string => typeof v === 'string' && /^[0-9a-f]{40}:/.test(v));
  return [head, ...expressions].join(' ');
}

describe('input `comment`', () => {
  it('`never`: no comment, and the comments API is not called', async () => {
    await start();
    const r = await run(noOwner(), { inputs: { comment: 'never' } });
    expectVerdict(r, 'fail');
    expect(gh().comments(2)).toHaveLength(0);
    expect(gh().requests.filter((q) => q.operationId?.startsWith('issues/'))).toEqual([]);
    expect(plain(r.summary)).toMatch(/\*\*ownership\*\* fail/);
  });

  it('`on-failure`: no comment on a pass; created on a failure; an existing one is still updated on a pass', async () => {
    await start();
    const pass = await run(READY, { inputs: { comment: 'on-failure' } });
    expectVerdict(pass, 'pass');
    expect(gh().comments(2)).toHaveLength(0);
    expect(commentWrites(gh())).toEqual([]);

    const fail = await run(noOwner(), { inputs: { comment: 'on-failure' } });
    expectVerdict(fail, 'fail');
    expect(gh().comments(2)).toHaveLength(1);
    const { id } = gh().comments(2)[0]!;

    const fixed = await run(READY, { inputs: { comment: 'on-failure' } });
    expectVerdict(fixed, 'pass');
    expect(gh().comments(2)).toHaveLength(1);
    expect(gh().comments(2)[0]!.id).toBe(id);
    expect(gh().comments(2)[0]!.body).toContain('Ready for production');
  });
});

describe('check run', () => {
  it('conclusion failure on a block branch, success when ready; annotations on the manifest lines', async () => {
    await start();
    expectVerdict(await run(noOwner()), 'fail');
    expectVerdict(await run(READY), 'pass');
    const runs = gh().checkRuns();
    expect(runs.map((c) => c.conclusion)).toEqual(['failure', 'success']);
    for (const c of runs) {
      expect(c.name).toBe('Last Mile gates');
      expect(c.head_sha).toBe(HEAD_SHA);
      expect(c.status).toBe('completed');
    }
    expect(runs[0]!.output.title).toContain('Not ready for production on release/1.0');
    expect(plain(runs[0]!.output.text ?? '')).toMatch(/\*\*ownership\*\* fail/);
    expect(runs[0]!.output.annotations).toEqual([
      expect.objectContaining({ path: 'lastmile.yml', start_line: 1, annotation_level: 'failure', title: 'ownership (support-triage): fail' }),
    ]);
  });

  it('a warn branch gives a neutral check run', async () => {
    const policy = NO_SIGNOFFS.replace('pattern: main', 'pattern: master');
    await start({ baseFiles: { ...READY, [POLICY_PATH]: policy }, base: 'master' });
    const r = await runAction({ apiUrl: gh().url, workspace: workspace({ ...noOwner(), [POLICY_PATH]: policy }), ...prEvent('master') });
    expectVerdict(r, 'warn');
    expect(gh().checkRuns().map((c) => c.conclusion)).toEqual(['neutral']);
    expect(gh().checkRuns()[0]!.output.annotations[0]).toMatchObject({ annotation_level: 'warning' });
  });

  it('annotations are sent in batches of at most 50', async () => {
    // 6 systems with only `version` and `system`: 13 failing gates each, every one on line 1.
    const files: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS };
    for (let i = 1; i <= 6; i++) files[`services/s${i}/lastmile.yml`] = `version: 1\nsystem: s${i}\n`;
    await start({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
    const r = await runAction({ apiUrl: gh().url, workspace: workspace(files), ...prEvent(), inputs: { manifests: 'services/*/lastmile.yml' } });
    expectVerdict(r, 'fail');
    const failed = Number(r.outputs.failed);
    expect(failed).toBeGreaterThan(50);
    const [check] = gh().checkRuns();
    expect(check!.conclusion).toBe('failure');
    expect(check!.annotationBatches.every((n) => n <= 50)).toBe(true);
    expect(check!.annotationBatches.reduce((a, b) => a + b, 0)).toBe(failed);
    expect(check!.annotationBatches.length).toBe(Math.ceil(failed / 50));
    expect(check!.output.annotations.map((a) => a.path)).toContain('services/s6/lastmile.yml');
  });

  it('without `checks: write`: a warning that names the permission; the verdict and the comment are intact', async () => {
    await start();
    gh().permissions.checks = 'none';
    const r = await run(noOwner());
    expectVerdict(r, 'fail');
    expect(gh().checkRuns()).toHaveLength(0);
    expect(gh().comments(2)).toHaveLength(1);
    const w = warnings(r).join('\n');
    expect(w).toMatch(/The check run "Last Mile gates" could not be written \(HTTP 403.*Grant `checks: write` in the workflow's permissions\. The verdict is unchanged\./s);
    expect(r.summary).toContain('checks: write');
  });

  it('input `check-name` empty: no check run', async () => {
    await start();
    const r = await run(READY, { inputs: { 'check-name': '' } });
    expectVerdict(r, 'pass');
    expect(gh().checkRuns()).toHaveLength(0);
    expect(gh().countRequests('POST', /check-runs/)).toBe(0);
  });
});

describe('size', () => {
  it('150 failing systems: one comment within GitHub\'s 65,536 characters (the fake answers 422 above it)', async () => {
    const files: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS };
    for (let i = 1; i <= 150; i++) files[`services/system-${i}/lastmile.yml`] = `version: 1\nsystem: system-${i}\n`;
    await start({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
    const r = await runAction({ apiUrl: gh().url, workspace: workspace(files), ...prEvent(), inputs: { manifests: 'services/*/lastmile.yml', 'check-name': '' } });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    expect(warnings(r)).toEqual([]);
    const [comment] = gh().comments(2);
    expect(comment).toBeDefined();
    expect([...comment!.body].length).toBeLessThanOrEqual(65_536);
    const body = plain(comment!.body);
    expect(body).toContain('Not ready for production on release/1.0');
    // Every blocked system is named; those whose reasons do not fit are counted and named last.
    for (let i = 1; i <= 150; i++) expect(body).toMatch(new RegExp(`\\bsystem-${i}\\b`));
    // The hidden state of 150 × 17 gates is deflated, so it still fits and the next run can
    // say what changed.
    expect(comment!.body).toContain('<!-- last-mile:state');
    expect(r.stdout).not.toContain('too large to keep in the comment');
    // The job summary is not bound by the comment's limit: it has every system in full.
    expect(plain(r.summary)).toMatch(/\*\*❌ system-150\*\*/);
  });
});

describe('requests of a rerun where nothing changed', () => {
  it('are 9 where git cannot read the base (the API path), none of them a comment write', async () => {
    await start();
    expectVerdict(await run(READY), 'pass');
    gh().clearLog();
    const r = await run(READY);
    expectVerdict(r, 'pass');
    expectNoStackTrace(r);
    // The workspace's one commit is not the base (bbbbbbb) and it has no origin: the API path.
    expect(r.stdout).toContain('Base bbbbbbb: read through the API');
    const seen = gh().requests.map(described);
    // What each request is for (the run is sequential, so the order is fixed):
    //  1     the base commit's tree, once: which files exist there (no request for the others,
    //        such as CODEOWNERS in GitHub's three locations here), and manifests the pull
    //        request moved or removed;
    //  2     the policy, from the base commit (never the workspace's copy): a file read alone
    //        is one contents request;
    //  3     the manifest at the base (records unchanged from it are verified), alone too;
    //  4     the two eval files at the base (eval.regression), read together: one GraphQL
    //        query with an expression `<base sha>:<path>` for each;
    //  5     the pull request's reviews (approvals of the head verify records);
    //  6-7   the token's own account: GET /user (GITHUB_TOKEN gets 403), then GraphQL's viewer;
    //  8     the pull request's comments: ours is found and its body would not change, so
    //        no GET of the pull request (the stale-head check), no PATCH, no POST;
    //  9     the check run: every workflow run creates its own, as GitHub's checks expect.
    expect(seen).toEqual([
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
      'GET /repos/{owner}/{repo}/contents/{path} .github/lastmile-policy.yml',
      'GET /repos/{owner}/{repo}/contents/{path} lastmile.yml',
      `POST /graphql ${BASE_SHA}:evals/curated.json ${BASE_SHA}:evals/prod-sample.jsonl`,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      'GET /user',
      'POST /graphql viewer',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/check-runs',
    ]);
    expect(commentWrites(gh())).toEqual([]);
    expect(gh().comments(2)[0]!.edits).toBe(0);
  });

  it('are 5 where the workspace has the base commit: no base content through the API', async () => {
    await start();
    const { dir, baseSha } = workspaceOnBase(READY, READY);
    for (const [p, text] of Object.entries(READY)) gh().setFile(baseSha, p, text);
    const again = (): ReturnType<typeof runAction> => runAction({ apiUrl: gh().url, workspace: dir, event: 'pull_request', payload: pullRequestPayload({ base: 'release/1.0', baseSha }) });
    expectVerdict(await again(), 'pass');
    gh().clearLog();
    const r = await again();
    expectVerdict(r, 'pass');
    expect(r.stdout).toContain(`Base ${baseSha.slice(0, 7)}: read from git by object id (the commit is in the workspace)`);
    // The one GraphQL query is the token's viewer, not a query for base files.
    expect(gh().requests.map(described)).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      'GET /user',
      'POST /graphql viewer',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'POST /repos/{owner}/{repo}/check-runs',
    ]);
    expect(commentWrites(gh())).toEqual([]);
  });
});
