// End to end through dist/index.js (issue 6): the one pull request comment and the check run,
// robust to reruns, races, forks, stale heads, outages and rate limits.
import { describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { pullRequestPayload } from './harness';
import { MARKER, READY, commentWrites, expectNoStackTrace, expectVerdict, noOwner, plain, pullRequestSession, warnings, writes } from './setup';

const LIST_COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';

const session = pullRequestSession(READY);
const { start, run } = session;
/** The fake GitHub of the running test. */
const gh = (): FakeGitHub => session.gh;

/** The comments the action's own identity (github-actions[bot]) wrote on PR #2. */
function ours(): ReturnType<FakeGitHub['comments']> {
  return gh().comments(2).filter((c) => c.user.login === 'github-actions[bot]');
}

describe('comment lifecycle', () => {
  it('a rerun with nothing new keeps one comment and writes nothing to it', async () => {
    await start();
    expectVerdict(await run(noOwner()), 'fail');
    const [comment] = gh().comments(2);
    const body = comment!.body;
    gh().clearLog();
    const rerun = await run(noOwner());
    expectVerdict(rerun, 'fail');
    expect(gh().comments(2)).toHaveLength(1);
    expect(gh().comments(2)[0]!.body).toBe(body);
    expect(gh().comments(2)[0]!.edits).toBe(0);
    expect(commentWrites(gh())).toEqual([]);
    expect(rerun.stdout).toContain('Comment unchanged');
  });

  it('two concurrent runs that both list before either creates leave one comment', async () => {
    await start();
    const hold = gh().hold({ method: 'GET', path: LIST_COMMENTS, count: 2 });
    // A generous per-request timeout: the first list waits here for the second run.
    const env = { LASTMILE_HTTP_TIMEOUT_MS: '20000' };
    const [a, b] = await Promise.all([run(noOwner(), { env }), run(noOwner(), { env })]);
    await hold.released;
    expectVerdict(a, 'fail');
    expectVerdict(b, 'fail');
    // Both created a copy (the race happened), the younger copy was deleted again.
    expect(gh().countRequests('POST', /\/issues\/2\/comments$/)).toBe(2);
    expect(gh().countRequests('DELETE', /\/issues\/comments\/\d+$/)).toBeGreaterThanOrEqual(1);
    expect(gh().comments(2)).toHaveLength(1);
    expect(plain(gh().comments(2)[0]!.body)).toMatch(/\*\*ownership\*\* fail/);
  });

  it("another user's comment with the same marker is never touched", async () => {
    await start();
    const foreign = gh().addComment(2, { body: `${MARKER}\nI copied your marker`, user: 'mallory' });
    expectVerdict(await run(noOwner()), 'fail');
    expectVerdict(await run(READY), 'pass');
    const all = gh().comments(2);
    expect(all).toHaveLength(2);
    expect(all[0]!.id).toBe(foreign.id);
    expect(all[0]!.body).toBe(`${MARKER}\nI copied your marker`);
    expect(all[0]!.edits).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('Ready for production');
    expect(gh().findRequests('PATCH').every((q) => !q.path.endsWith(`/${foreign.id}`))).toBe(true);
    expect(gh().findRequests('DELETE').every((q) => !q.path.endsWith(`/${foreign.id}`))).toBe(true);
  });

  it('a run whose head is no longer the pull request head does not overwrite the newer result', async () => {
    await start();
    expectVerdict(await run(READY), 'pass');
    const before = gh().comments(2)[0]!.body;
    // The PR moved on; a late run for the old head finds a failure.
    gh().pullRequest(2)!.head.sha = 'f'.repeat(40);
    gh().clearLog();
    const stale = await run(noOwner());
    expectVerdict(stale, 'fail');
    expect(gh().comments(2)).toHaveLength(1);
    expect(gh().comments(2)[0]!.body).toBe(before);
    expect(gh().comments(2)[0]!.edits).toBe(0);
    expect(commentWrites(gh())).toEqual([]);
    expect(stale.stdout).toMatch(/Comment not written: the pull request's head is now fffffff, not ccccccc/);
  });

  it('a stale run creates no comment where there is none', async () => {
    await start();
    gh().pullRequest(2)!.head.sha = 'f'.repeat(40);
    const stale = await run(noOwner());
    expectVerdict(stale, 'fail');
    expect(gh().comments(2)).toHaveLength(0);
    expect(commentWrites(gh())).toEqual([]);
  });

  it('fail then fix: the same comment turns green and says what changed', async () => {
    await start();
    expectVerdict(await run(noOwner()), 'fail');
    const { id } = gh().comments(2)[0]!;
    expect(plain(gh().comments(2)[0]!.body)).toContain('Not ready for production');
    const fixed = await run(READY);
    expectVerdict(fixed, 'pass');
    expect(gh().comments(2)).toHaveLength(1);
    const comment = gh().comments(2)[0]!;
    expect(comment.id).toBe(id);
    expect(comment.edits).toBe(1);
    const body = plain(comment.body);
    expect(body).toContain('### ✅ Last Mile: Ready for production on release/1.0');
    expect(body).toContain('**Since the last run:**');
    expect(body).toMatch(/🟢 `ownership` \(support-triage\) fail → pass/);
    // No stale failure left behind.
    expect(body).not.toMatch(/- ❌ \*\*/);
    expect(body).not.toMatch(/\| ❌ \|/);
    expect(body).not.toContain('Not ready');
  });

  it('a fork: no write is attempted, and the exit code is still the verdict', async () => {
    await start();
    gh().pullRequest(2)!.head.repo = 'forker/Hello-World';
    gh().permissions.pullRequests = 'read';
    gh().permissions.checks = 'none';
    const payload = pullRequestPayload({ base: 'release/1.0', fork: true });
    const failing = await run(noOwner(), { payload });
    expectNoStackTrace(failing);
    expectVerdict(failing, 'fail');
    expect(writes(gh())).toEqual([]);
    expect(gh().countRequests('GET', /\/issues\/2\/comments$/)).toBe(0);
    expect(failing.summary).toContain('comes from a fork');
    expect(plain(failing.summary)).toMatch(/\*\*ownership\*\* fail/);
    expect(warnings(failing).join('\n')).toContain('comes from a fork');

    const passing = await run(READY, { payload });
    expectVerdict(passing, 'pass');
    expect(writes(gh())).toEqual([]);
  });

  it('500 three times on create, then success: posted once', async () => {
    await start();
    const fault = gh().inject({ method: 'POST', path: LIST_COMMENTS, status: 500, times: 3 });
    const r = await run(noOwner());
    expectVerdict(r, 'fail');
    expect(fault.fired).toBe(3);
    expect(gh().countRequests('POST', /\/issues\/2\/comments$/)).toBe(4);
    expect(gh().comments(2)).toHaveLength(1);
    expect(warnings(r).filter((w) => w.includes('comment'))).toEqual([]);
  });

  it('an outage that outlasts the retries is a warning, never a change of verdict', async () => {
    await start();
    gh().inject({ method: 'POST', path: LIST_COMMENTS, status: 502, times: Infinity });
    const r = await run(READY);
    expectVerdict(r, 'pass');
    expect(gh().comments(2)).toHaveLength(0);
    expect(warnings(r).join('\n')).toMatch(/pull request comment could not be written \(HTTP 502.*The verdict is unchanged/s);
  });

  it('429 with retry-after (a secondary rate limit) on listing comments: waits as told, then succeeds', async () => {
    await start();
    gh().inject({
      method: 'GET',
      path: LIST_COMMENTS,
      status: 429,
      headers: { 'retry-after': '2' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
    });
    const r = await run(noOwner());
    expectVerdict(r, 'fail');
    const lists = gh().findRequests('GET', /\/issues\/2\/comments$/);
    expect(lists.map((q) => q.status).slice(0, 2)).toEqual([429, 200]);
    expect(lists[1]!.time - lists[0]!.time).toBeGreaterThanOrEqual(1900);
    expect(r.stdout).toMatch(/secondary rate limit on GET .*\/issues\/2\/comments.*: retrying after 2s/);
    expect(gh().comments(2)).toHaveLength(1);
  });

  it('429 of the primary rate limit (x-ratelimit-remaining: 0): waits for the reset, then succeeds', async () => {
    await start();
    const reset = Math.ceil(Date.now() / 1000) + 1;
    gh().inject({
      method: 'GET',
      path: LIST_COMMENTS,
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
    });
    const r = await run(noOwner());
    expectVerdict(r, 'fail');
    const lists = gh().findRequests('GET', /\/issues\/2\/comments$/);
    expect(lists.map((q) => q.status).slice(0, 2)).toEqual([429, 200]);
    expect(lists[1]!.time).toBeGreaterThanOrEqual(reset * 1000);
    expect(gh().comments(2)).toHaveLength(1);
  });
});

describe('identity of a GitHub App installation token', () => {
  it('finds its own bot comment again without GET /user, and leaves a person\'s copy of the marker alone', async () => {
    await start({ baseFiles: READY, start: { identity: { login: 'lastmile-app[bot]', type: 'Bot', canGetUser: false } } });
    gh().addComment(2, { body: `${MARKER}\nquoted by a person`, user: 'mallory' });
    expectVerdict(await run(noOwner()), 'fail');
    const first = gh().comments(2).filter((c) => c.user.login === 'lastmile-app[bot]');
    expect(first).toHaveLength(1);
    gh().clearLog();
    expectVerdict(await run(noOwner()), 'fail');
    // The rerun found the app's comment: no create, no delete, no edit.
    expect(commentWrites(gh())).toEqual([]);
    expect(gh().comments(2).filter((c) => c.user.login === 'lastmile-app[bot]').map((c) => c.id)).toEqual([first[0]!.id]);
    expect(gh().comments(2).find((c) => c.user.login === 'mallory')!.body).toBe(`${MARKER}\nquoted by a person`);
  });
});

