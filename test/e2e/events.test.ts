// End to end through dist/index.js: which refs each event means (SPEC §8), and failing closed
// when the base cannot be read or its policy is invalid.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { HEAD_SHA, loadPayload, pullRequestPayload, readySystem, runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, commentWrites, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, graphqlFileReads, plain, prEvent, finishTest } from './setup';
import { execFileSync } from 'node:child_process';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** `main` is not this repository's default branch: the warn rule is for `master`. */
const POLICY = NO_SIGNOFFS.replace('pattern: main', 'pattern: master');
const READY: Record<string, string> = { [POLICY_PATH]: POLICY, ...readySystem() };
const NO_OWNER: Record<string, string> = { ...READY, 'lastmile.yml': editYaml(READY['lastmile.yml']!, (doc) => doc.delete('owner')) };
const REPOSITORY = (pullRequestPayload({ base: 'release/1.0' }) as { repository: unknown }).repository;

const gitHead = (dir: string): string => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();

describe('branch events: the checked-out branch is judged by its own policy, without a comment', () => {
  it('`push` to release/1.0 fails a system that is not ready; the check run goes on the checked-out commit', async () => {
    gh = await fakeGitHub();
    const ws = workspace(NO_OWNER);
    const payload = { ...loadPayload('push.branch.json'), ref: 'refs/heads/release/1.0' };
    const r = await runAction({ apiUrl: gh.url, workspace: ws, event: 'push', payload });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    expect(r.outputs.stage).toBe('production');
    expect(plain(r.summary)).toMatch(/- ❌ \*\*ownership\*\* fail: missing: the manifest has no `owner:` section/);
    // The policy and the records are the branch's own (the workspace): no contents API reads.
    expect(gh.countRequests('GET', /\/contents\//)).toBe(0);
    expect(graphqlFileReads(gh)).toEqual([]);
    expect(gh.requests.filter((q) => q.operationId?.startsWith('issues/'))).toEqual([]);
    expect(gh.checkRuns().map((c) => [c.head_sha, c.conclusion])).toEqual([[gitHead(ws), 'failure']]);
  });

  it('`push` to master (a warn branch) only warns', async () => {
    gh = await fakeGitHub();
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(NO_OWNER), event: 'push', payload: loadPayload('push.branch.json') });
    expectVerdict(r, 'warn');
    expect(r.outputs.stage).toBe('staging');
    expect(gh.checkRuns()[0]!.conclusion).toBe('neutral');
  });

  it('`workflow_dispatch` of release/1.0 (GITHUB_REF_NAME) passes a ready system, without a comment', async () => {
    gh = await fakeGitHub();
    const payload = { ...loadPayload('workflow_dispatch.json'), ref: 'refs/heads/release/1.0', repository: REPOSITORY };
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(READY), event: 'workflow_dispatch', payload, env: { GITHUB_REF: 'refs/heads/release/1.0', GITHUB_REF_NAME: 'release/1.0' } });
    expectVerdict(r, 'pass');
    expect(r.outputs.stage).toBe('production');
    expect(r.summary).toContain('Ready for production on release/1.0');
    expect(commentWrites(gh)).toEqual([]);
    expect(gh.checkRuns()[0]!.conclusion).toBe('success');
  });

  it('`schedule` with input `branch`: the job summary carries the report and no comment is written', async () => {
    gh = await fakeGitHub();
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(NO_OWNER), event: 'schedule', payload: { repository: REPOSITORY }, inputs: { branch: 'release/1.0' } });
    expectVerdict(r, 'fail');
    expect(plain(r.summary)).toContain('Not ready for production on release/1.0 (blocks merge)');
    expect(gh.requests.filter((q) => q.operationId?.startsWith('issues/'))).toEqual([]);
  });
});

describe('pull request events', () => {
  it('`synchronize` (GitHub\'s own payload, retargeted) is judged like `opened`', async () => {
    gh = await fakeGitHub({ baseFiles: READY });
    const p = loadPayload('pull_request.synchronize.json');
    const pr = p.pull_request as Record<string, Record<string, unknown>>;
    pr.base!.ref = 'release/1.0';
    pr.base!.sha = 'b'.repeat(40);
    pr.head!.sha = HEAD_SHA;
    (pr as Record<string, unknown>).number = 2;
    p.number = 2;
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(NO_OWNER), event: 'pull_request', payload: p });
    expectVerdict(r, 'fail');
    expect(plain(gh.comments(2)[0]!.body)).toMatch(/- ❌ \*\*ownership\*\* fail/);
  });

  it('`edited` with a new base: the retarget changes the rule, and the same comment follows it', async () => {
    gh = await fakeGitHub({ baseFiles: READY, base: 'master' });
    const onMaster = await runAction({ apiUrl: gh.url, workspace: workspace(NO_OWNER), ...prEvent('master') });
    expectVerdict(onMaster, 'warn');
    const { id } = gh.comments(2)[0]!;
    gh.pullRequest(2)!.base.ref = 'release/1.0';
    const retargeted = await runAction({ apiUrl: gh.url, workspace: workspace(NO_OWNER), ...prEvent('release/1.0', { action: 'edited' }) });
    expectVerdict(retargeted, 'fail');
    expect(gh.comments(2)).toHaveLength(1);
    expect(gh.comments(2)[0]!.id).toBe(id);
    expect(plain(gh.comments(2)[0]!.body)).toContain('Not ready for production on release/1.0 (blocks merge)');
  });

  it('no manifest on a warn branch: verdict warn, exit 0, with the `last-mile init` hint', async () => {
    gh = await fakeGitHub({ baseFiles: { [POLICY_PATH]: POLICY }, base: 'master' });
    const r = await runAction({ apiUrl: gh.url, workspace: workspace({ [POLICY_PATH]: POLICY, 'README.md': '# app\n' }), ...prEvent('master') });
    expectVerdict(r, 'warn');
    expect(r.summary).toContain('last-mile init');
  });
});

describe('failing closed', () => {
  it('an invalid base policy fails the release branch, naming file, line and key', async () => {
    const broken = POLICY.replace('  max_age_days: 30\n', '  max_age_days: 30\n  max_agedays: 7\n');
    const line = broken.split('\n').indexOf('  max_agedays: 7') + 1;
    gh = await fakeGitHub({ baseFiles: { ...READY, [POLICY_PATH]: broken } });
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(READY), ...prEvent() });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const body = plain(gh.comments(2)[0]!.body);
    expect(body).toMatch(new RegExp(`\\*\\*policy\\.integrity\\*\\* fail: the policy \\.github/lastmile-policy\\.yml@base bbbbbbb is invalid: \\.github/lastmile-policy\\.yml:${line}:\\d+ evals\\.max_agedays`));
  });

  it('a base that cannot be read (503 after retries) fails closed with the error shown', async () => {
    gh = await fakeGitHub({ baseFiles: READY });
    gh.inject({ method: 'GET', path: /\/contents\/\.github(%2F|\/)lastmile-policy\.yml$/, status: 503, times: Infinity });
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(READY), ...prEvent() });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const body = plain(gh.comments(2)[0]!.body);
    expect(body).toContain('could not read the policy at the base bbbbbbb: HTTP 503: Service Unavailable');
    expect(gh.countRequests('GET', /lastmile-policy\.yml$/)).toBe(4);
    expect(body).toMatch(/\*\*policy\.integrity\*\* fail/);
  });
});
