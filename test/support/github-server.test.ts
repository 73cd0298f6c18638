import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faults, matchGitHubOperation, startGitHubServer } from './github-server';
import type { FakeGitHub } from './github-server';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const TOKEN = 'ghs_testtoken';

let gh: FakeGitHub;
/** tests that provoke violations on purpose clear them before the afterEach check */
beforeEach(async () => {
  gh = await startGitHubServer({ repository: 'acme/service' });
  gh.addPullRequest({ number: 7, user: 'alice', head: { ref: 'feature', sha: HEAD }, base: { ref: 'main', sha: BASE } });
});
afterEach(async () => {
  await gh.close();
  expect(gh.violations).toEqual([]);
});

function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('authorization', `token ${TOKEN}`);
  headers.set('accept', headers.get('accept') ?? 'application/vnd.github+json');
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${gh.url}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
}

async function bodyOf(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

function parseLink(header: string | null): Record<string, { page: string | null; per_page: string | null }> {
  const out: Record<string, { page: string | null; per_page: string | null }> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (!m?.[1] || !m[2]) continue;
    const u = new URL(m[1]);
    out[m[2]] = { page: u.searchParams.get('page'), per_page: u.searchParams.get('per_page') };
  }
  return out;
}

describe('OpenAPI gate', () => {
  it('rejects an unknown route with 404 and records a violation', async () => {
    const res = await api('/repos/acme/service/not-a-thing');
    expect(res.status).toBe(404);
    expect(await bodyOf(res)).toMatchObject({ message: 'Not Found' });
    const wrongMethod = await api('/repos/acme/service/pulls/7', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
    expect(gh.violations.map((v) => v.kind)).toEqual(['unknown-route', 'unknown-route']);
    expect(gh.violations[0]).toMatchObject({ method: 'GET', path: '/repos/acme/service/not-a-thing' });
    gh.violations.length = 0;
  });

  it('rejects malformed JSON, wrong body types and bad parameters', async () => {
    const bad = await api('/repos/acme/service/issues/7/comments', { method: 'POST', body: '{"body": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(await bodyOf(bad)).toMatchObject({ message: 'Problems parsing JSON' });
    const wrongType = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 42 } });
    expect(wrongType.status).toBe(422);
    const missing = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: {} });
    expect(missing.status).toBe(422);
    const pathParam = await api('/repos/acme/service/pulls/seven');
    expect(pathParam.status).toBe(404);
    const query = await api('/repos/acme/service/issues/7/comments?per_page=lots');
    expect(query.status).toBe(422);
    expect(gh.violations.map((v) => v.kind)).toEqual(['invalid-json', 'bad-body', 'bad-body', 'bad-path-param', 'bad-query']);
    expect(gh.comments(7)).toHaveLength(0);
    gh.violations.length = 0;
  });

  it('flags real operations the fake does not implement', async () => {
    const res = await api('/repos/acme/service/releases');
    expect(res.status).toBe(501);
    expect(gh.violations.map((v) => v.kind)).toEqual(['unimplemented']);
    gh.violations.length = 0;
  });

  it('resolves templates, preferring literal segments', async () => {
    expect(await matchGitHubOperation('GET', '/repos/o/r/issues/comments/5')).toMatchObject({ operationId: 'issues/get-comment', params: { comment_id: '5' } });
    expect(await matchGitHubOperation('GET', '/repos/o/r/issues/comments')).toMatchObject({ operationId: 'issues/list-comments-for-repo' });
    expect(await matchGitHubOperation('GET', '/repos/o/r/contents/a%2Fb/c.yml?ref=x')).toMatchObject({ params: { path: 'a/b/c.yml' } });
    expect(await matchGitHubOperation('GET', '/repos/o/r/nope')).toBeUndefined();
  });
});

describe('issue comments', () => {
  it('paginates 250 comments at per_page=100 with RFC 5988 Link headers', async () => {
    for (let i = 0; i < 250; i++) gh.addComment(7, { body: `c${i}`, user: 'someone' });
    const ids: number[] = [];
    const pages: Array<Record<string, { page: string | null; per_page: string | null }>> = [];
    for (let page = 1; page <= 3; page++) {
      const res = await api(`/repos/acme/service/issues/7/comments?per_page=100&page=${page}`);
      expect(res.status).toBe(200);
      const list = (await res.json()) as Array<{ id: number; body: string }>;
      expect(list).toHaveLength(page < 3 ? 100 : 50);
      ids.push(...list.map((c) => c.id));
      pages.push(parseLink(res.headers.get('link')));
    }
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(pages[0]).toEqual({ next: { page: '2', per_page: '100' }, last: { page: '3', per_page: '100' } });
    expect(pages[1]).toEqual({
      prev: { page: '1', per_page: '100' },
      next: { page: '3', per_page: '100' },
      last: { page: '3', per_page: '100' },
      first: { page: '1', per_page: '100' },
    });
    expect(pages[2]).toEqual({ prev: { page: '2', per_page: '100' }, first: { page: '1', per_page: '100' } });

    // following rel="next" from the first page walks everything
    let next: string | undefined = `${gh.url}/repos/acme/service/issues/7/comments?per_page=100`;
    let walked = 0;
    while (next) {
      const res = await fetch(next);
      walked += ((await res.json()) as unknown[]).length;
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(walked).toBe(250);

    // defaults: 30 per page; per_page is capped at 100
    expect(((await (await api('/repos/acme/service/issues/7/comments')).json()) as unknown[]).length).toBe(30);
    expect(((await (await api('/repos/acme/service/issues/7/comments?per_page=500')).json()) as unknown[]).length).toBe(100);
    // a single page has no Link header
    gh.addPullRequest({ number: 8, head: { ref: 'x', sha: HEAD }, base: { ref: 'main', sha: BASE } });
    gh.addComment(8, { body: 'only' });
    expect((await api('/repos/acme/service/issues/8/comments')).headers.get('link')).toBeNull();
  });

  it('creates, lists, gets, edits and deletes a comment', async () => {
    const created = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: '<!-- marker -->\nhello' } });
    expect(created.status).toBe(201);
    const c = await bodyOf(created);
    expect(c).toMatchObject({ body: '<!-- marker -->\nhello', user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: expect.stringContaining('/acme/service/pull/7#issuecomment-') as unknown });
    expect(typeof c.id).toBe('number');
    expect(typeof c.node_id).toBe('string');
    expect(c.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.headers.get('location')).toBe(`${gh.url}/repos/acme/service/issues/comments/${String(c.id)}`);

    const listed = (await (await api('/repos/acme/service/issues/7/comments')).json()) as Array<Record<string, unknown>>;
    expect(listed.map((x) => x.id)).toEqual([c.id]);

    const one = await api(`/repos/acme/service/issues/comments/${String(c.id)}`);
    expect(await bodyOf(one)).toMatchObject({ id: c.id, body: '<!-- marker -->\nhello' });

    const edited = await api(`/repos/acme/service/issues/comments/${String(c.id)}`, { method: 'PATCH', json: { body: 'updated' } });
    expect(edited.status).toBe(200);
    expect(await bodyOf(edited)).toMatchObject({ id: c.id, body: 'updated' });
    expect(gh.comments(7)[0]).toMatchObject({ body: 'updated', edits: 1 });

    const deleted = await api(`/repos/acme/service/issues/comments/${String(c.id)}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await api(`/repos/acme/service/issues/comments/${String(c.id)}`)).status).toBe(404);
    expect(gh.comments(7)).toEqual([]);
  });

  it('refuses comment writes without permission and bodies over 65536 characters', async () => {
    const tooLong = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 'x'.repeat(65537) } });
    expect(tooLong.status).toBe(422);
    expect(await bodyOf(tooLong)).toMatchObject({ message: 'Validation Failed' });
    gh.permissions.pullRequests = 'read';
    const forbidden = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 'hi' } });
    expect(forbidden.status).toBe(403);
    expect(await bodyOf(forbidden)).toMatchObject({ message: 'Resource not accessible by integration' });
    expect((await api('/repos/acme/service/issues/99/comments')).status).toBe(404);
  });
});

describe('injected faults', () => {
  it('answers 500 the given number of times, then normally', async () => {
    const fault = gh.inject({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}', times: 3, status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api('/repos/acme/service/pulls/7')).status);
    expect(statuses).toEqual([500, 500, 500, 200, 200]);
    expect(fault.fired).toBe(3);
    expect(fault.remaining).toBe(0);
    expect(gh.findRequests('GET', /\/pulls\/7$/).map((r) => r.injected)).toEqual([true, true, true, false, false]);
  });

  it('sends retry-after with 429 and the secondary rate limit body with 403', async () => {
    gh.inject({ path: /\/issues\/7\/comments$/, method: 'POST', ...faults.tooManyRequests(1) });
    gh.inject({ path: /\/issues\/7\/comments$/, method: 'POST', ...faults.secondaryRateLimit(2) });
    const first = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 'a' } });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    const second = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 'a' } });
    expect(second.status).toBe(403);
    expect(second.headers.get('retry-after')).toBe('2');
    expect(String((await bodyOf(second)).message)).toMatch(/secondary rate limit/);
    const third = await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 'a' } });
    expect(third.status).toBe(201);
    expect(gh.comments(7)).toHaveLength(1);
    expect(gh.countRequests('POST', /\/issues\/7\/comments$/)).toBe(3);
  });

  it('hangs past the client timeout and resets connections', async () => {
    gh.inject({ path: '/repos/acme/service/pulls/7', ...faults.hang() });
    await expect(api('/repos/acme/service/pulls/7', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    gh.inject({ path: '/repos/acme/service/pulls/7', ...faults.connectionReset() });
    await expect(api('/repos/acme/service/pulls/7')).rejects.toThrow();
    expect((await api('/repos/acme/service/pulls/7')).status).toBe(200);
    const log = gh.findRequests('GET', '/repos/acme/service/pulls/7');
    expect(log.map((r) => [r.injected, r.reset, r.status])).toEqual([
      [true, false, 0],
      [true, true, 0],
      [false, false, 200],
    ]);
  });

  it('delays a route without changing the answer, and holds requests for races', async () => {
    gh.inject({ method: 'GET', path: /\/pulls\/7$/, delayMs: 150, headers: { 'x-extra': '1' } });
    const t0 = Date.now();
    const res = await api('/repos/acme/service/pulls/7');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-extra')).toBe('1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    const hold = gh.hold({ method: 'GET', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', count: 2 });
    let firstDone = false;
    const first = api('/repos/acme/service/issues/7/comments').then((r) => {
      firstDone = true;
      return r;
    });
    await gh.waitForRequests({ method: 'GET', path: /\/issues\/7\/comments$/ });
    await new Promise((r) => setTimeout(r, 100));
    expect(firstDone).toBe(false);
    expect(hold.arrived).toBe(1);
    const second = api('/repos/acme/service/issues/7/comments');
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    await hold.released;
  });

  it('calls onRequest hooks with the operation', async () => {
    const seen: string[] = [];
    const off = gh.onRequest((ctx) => {
      seen.push(`${ctx.operationId} ${ctx.params.pull_number ?? ''}`);
    });
    await api('/repos/acme/service/pulls/7');
    off();
    await api('/repos/acme/service/pulls/7');
    expect(seen).toEqual(['pulls/get 7']);
  });
});

describe('contents', () => {
  it('returns base64 content that decodes to the file, raw on request, 404 when absent', async () => {
    const text = 'systems:\n  - id: triage\n    owner: "@acme/ml"\n'.repeat(20);
    gh.setFile('main', '.github/lastmile-policy.yml', text);
    gh.setFile(HEAD, 'lastmile.yml', 'head version');
    const res = await api(`/repos/acme/service/contents/${encodeURIComponent('.github/lastmile-policy.yml')}?ref=main`);
    expect(res.status).toBe(200);
    const file = await bodyOf(res);
    expect(file).toMatchObject({ type: 'file', encoding: 'base64', path: '.github/lastmile-policy.yml', name: 'lastmile-policy.yml', size: Buffer.byteLength(text) });
    expect(String(file.content)).toContain('\n');
    expect(Buffer.from(String(file.content), 'base64').toString('utf8')).toBe(text);
    expect(file.sha).toMatch(/^[0-9a-f]{40}$/);

    const raw = await api('/repos/acme/service/contents/.github/lastmile-policy.yml', { headers: { accept: 'application/vnd.github.raw+json' } });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(text);

    const bySha = await api(`/repos/acme/service/contents/lastmile.yml?ref=${HEAD}`);
    expect(Buffer.from(String((await bodyOf(bySha)).content), 'base64').toString()).toBe('head version');

    expect((await api('/repos/acme/service/contents/missing.yml?ref=main')).status).toBe(404);
    const noRef = await api('/repos/acme/service/contents/lastmile.yml?ref=nope');
    expect(noRef.status).toBe(404);
    expect(await bodyOf(noRef)).toMatchObject({ message: 'No commit found for the ref nope' });

    const dir = await api('/repos/acme/service/contents/.github?ref=main');
    expect(((await dir.json()) as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([['lastmile-policy.yml', 'file']]);
  });

  it('reads files of other repositories and through branch SHAs', async () => {
    gh.addRepo({ owner: 'acme', name: 'policies', defaultBranch: 'trunk' });
    gh.setFile('trunk', 'org.yml', 'central', 'acme/policies');
    gh.setBranch('release/1.0', BASE);
    gh.setFile(BASE, 'lastmile.yml', 'base version');
    expect(Buffer.from(String((await bodyOf(await api('/repos/acme/policies/contents/org.yml'))).content), 'base64').toString()).toBe('central');
    const viaBranch = await api(`/repos/acme/service/contents/lastmile.yml?ref=${encodeURIComponent('release/1.0')}`);
    expect(Buffer.from(String((await bodyOf(viaBranch)).content), 'base64').toString()).toBe('base version');
    expect((await api('/repos/acme/unknown/contents/org.yml')).status).toBe(404);
  });
});

describe('pull requests, reviews, identity, permissions', () => {
  it('serves the pull request and its reviews', async () => {
    gh.addPullRequest({ number: 9, user: 'mallory', head: { ref: 'evil', sha: HEAD, repo: 'mallory/service' }, base: { ref: 'main', sha: BASE } });
    const pr = await bodyOf(await api('/repos/acme/service/pulls/9'));
    expect(pr).toMatchObject({ number: 9, state: 'open', user: { login: 'mallory' }, head: { sha: HEAD, ref: 'evil', repo: { full_name: 'mallory/service' } }, base: { ref: 'main', sha: BASE, repo: { full_name: 'acme/service' } } });

    for (let i = 0; i < 35; i++) gh.addReview(7, { user: `u${i}`, state: 'COMMENTED' });
    gh.addReview(7, { user: 'bob', state: 'APPROVED' });
    gh.addReview(7, { user: 'carol', state: 'CHANGES_REQUESTED', commit_id: BASE });
    const page1 = await api('/repos/acme/service/pulls/7/reviews?per_page=30');
    expect(parseLink(page1.headers.get('link')).next?.page).toBe('2');
    const page2 = (await (await api('/repos/acme/service/pulls/7/reviews?per_page=30&page=2')).json()) as Array<Record<string, unknown>>;
    expect(page2.slice(-2)).toMatchObject([
      { user: { login: 'bob' }, state: 'APPROVED', commit_id: HEAD },
      { user: { login: 'carol' }, state: 'CHANGES_REQUESTED', commit_id: BASE },
    ]);
    expect(typeof page2[0]?.submitted_at).toBe('string');
    expect((await api('/repos/acme/service/pulls/404')).status).toBe(404);
  });

  it('answers GET /user like GITHUB_TOKEN by default, or as a configured user', async () => {
    const res = await api('/user');
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ message: 'Resource not accessible by integration' });
    gh.setIdentity({ login: 'release-bot-user' });
    expect(await bodyOf(await api('/user'))).toMatchObject({ login: 'release-bot-user', type: 'User' });
    const created = await bodyOf(await api('/repos/acme/service/issues/7/comments', { method: 'POST', json: { body: 'x' } }));
    expect(created.user).toMatchObject({ login: 'release-bot-user', type: 'User' });
  });

  it('requires a token when asked and records authorization headers', async () => {
    const strict = await startGitHubServer({ requireToken: 'good' });
    try {
      expect((await fetch(`${strict.url}/repos/octo-org/octo-repo`)).status).toBe(401);
      expect((await fetch(`${strict.url}/repos/octo-org/octo-repo`, { headers: { authorization: 'token bad' } })).status).toBe(401);
      expect((await fetch(`${strict.url}/repos/octo-org/octo-repo`, { headers: { authorization: 'Bearer good' } })).status).toBe(200);
      expect(strict.requests.map((r) => r.authorization)).toEqual([undefined, 'token bad', 'Bearer good']);
      expect(strict.violations).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('serves collaborator permissions and team memberships', async () => {
    gh.setCollaborator('bob', 'maintain');
    expect(await bodyOf(await api('/repos/acme/service/collaborators/bob/permission'))).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'bob' } });
    expect((await api('/repos/acme/service/collaborators/eve/permission')).status).toBe(404);

    gh.setTeamMember('acme', 'ml-owners', 'carol', { role: 'maintainer' });
    expect(await bodyOf(await api('/orgs/acme/teams/ml-owners/memberships/carol'))).toMatchObject({ state: 'active', role: 'maintainer' });
    expect((await api('/orgs/acme/teams/ml-owners/memberships/eve')).status).toBe(404);
    gh.permissions.members = 'none';
    const denied = await api('/orgs/acme/teams/ml-owners/memberships/carol');
    expect(denied.status).toBe(403);
    expect(await bodyOf(denied)).toMatchObject({ message: 'Resource not accessible by integration' });
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('members=read');
  });

  it('creates and updates check runs, recording annotation batches', async () => {
    const annotation = (i: number): Record<string, unknown> => ({ path: 'lastmile.yml', start_line: i + 1, end_line: i + 1, annotation_level: 'failure', message: `gate ${i}` });
    const created = await api('/repos/acme/service/check-runs', {
      method: 'POST',
      json: { name: 'Last Mile gates', head_sha: HEAD, status: 'in_progress', output: { title: 'Running', summary: '...', annotations: Array.from({ length: 50 }, (_, i) => annotation(i)) } },
    });
    expect(created.status).toBe(201);
    const run = await bodyOf(created);
    expect(run).toMatchObject({ name: 'Last Mile gates', head_sha: HEAD, status: 'in_progress', conclusion: null, output: { annotations_count: 50 } });
    const patched = await api(`/repos/acme/service/check-runs/${String(run.id)}`, {
      method: 'PATCH',
      json: { conclusion: 'failure', output: { title: '2 gates fail', summary: 'details', text: 'more', annotations: [annotation(50), annotation(51)] } },
    });
    expect(await bodyOf(patched)).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '2 gates fail', annotations_count: 52 } });
    expect(gh.checkRuns()[0]).toMatchObject({ annotationBatches: [50, 2], updates: 1, output: { summary: 'details' } });
    expect(gh.annotationBatches).toEqual([50, 2]);
    const annotations = (await (await api(`/repos/acme/service/check-runs/${String(run.id)}/annotations?per_page=100`)).json()) as unknown[];
    expect(annotations).toHaveLength(52);
    const forRef = await bodyOf(await api(`/repos/acme/service/commits/${HEAD}/check-runs?check_name=${encodeURIComponent('Last Mile gates')}`));
    expect(forRef.total_count).toBe(1);

    // 51 annotations in one request break GitHub's limit; so does "completed" without a conclusion
    const tooMany = await api(`/repos/acme/service/check-runs/${String(run.id)}`, { method: 'PATCH', json: { output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) } } });
    expect(tooMany.status).toBe(422);
    const noConclusion = await api(`/repos/acme/service/check-runs/${String(run.id)}`, { method: 'PATCH', json: { status: 'completed' } });
    expect(noConclusion.status).toBe(422);
    expect(gh.violations.map((v) => v.kind)).toEqual(['bad-body', 'bad-body']);
    gh.violations.length = 0;

    gh.permissions.checks = 'read';
    const denied = await api('/repos/acme/service/check-runs', { method: 'POST', json: { name: 'x', head_sha: HEAD } });
    expect(denied.status).toBe(403);
    expect(await bodyOf(denied)).toMatchObject({ message: 'Resource not accessible by integration' });
  });

  it('serves the repository, commits and compare', async () => {
    gh.setBranch('main', BASE);
    gh.setCommit(HEAD, { message: 'change', parents: [BASE], files: [{ filename: 'lastmile.yml', status: 'modified', additions: 1 }] });
    expect(await bodyOf(await api('/repos/acme/service'))).toMatchObject({ full_name: 'acme/service', default_branch: 'main', private: false });
    expect(await bodyOf(await api('/repos/acme/service/commits/main'))).toMatchObject({ sha: BASE });
    const cmp = await bodyOf(await api(`/repos/acme/service/compare/main...${HEAD}`));
    expect(cmp).toMatchObject({ status: 'ahead', ahead_by: 1, files: [{ filename: 'lastmile.yml' }] });
    expect((await api('/repos/acme/service/commits/nope')).status).toBe(422);
    const pulls = (await (await api(`/repos/acme/service/commits/${HEAD}/pulls`)).json()) as Array<{ number: number }>;
    expect(pulls.map((p) => p.number)).toEqual([7]);
  });

  it('puts rate-limit headers on every answer and logs requests', async () => {
    for (const path of ['/repos/acme/service/pulls/7', '/rate_limit']) {
      const res = await api(path);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    }
    const unknown = await api('/nope');
    expect(unknown.headers.get('x-ratelimit-limit')).toBe('5000');
    gh.violations.length = 0;
    await api('/repos/acme/service/issues/7/comments?per_page=5', { method: 'GET' });
    const last = gh.requests.at(-1);
    expect(last).toMatchObject({ method: 'GET', path: '/repos/acme/service/issues/7/comments', query: { per_page: '5' }, status: 200, operationId: 'issues/list-comments', authorization: `token ${TOKEN}` });
    expect(gh.countRequests('GET', /\/pulls\/7$/)).toBe(1);
    expect(gh.countRequests(undefined, '/repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(1);
  });
});

describe('with the Octokit client the action uses', () => {
  it('paginates, reads encoded content paths and sees GitHub errors', async () => {
    for (let i = 0; i < 120; i++) gh.addComment(7, { body: `c${i}` });
    gh.setFile('main', 'dir/lastmile.yml', 'stage: pilot\n');
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: 'acme', repo: 'service', issue_number: 7, per_page: 100 });
    expect(all).toHaveLength(120);
    const file = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'service', path: 'dir/lastmile.yml', ref: 'main' });
    expect(gh.requests.at(-1)?.path).toBe('/repos/acme/service/contents/dir%2Flastmile.yml');
    expect('content' in file.data ? Buffer.from(file.data.content, 'base64').toString() : undefined).toBe('stage: pilot\n');
    const raw = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'service', path: 'dir/lastmile.yml', ref: 'main', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('stage: pilot\n');
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403, message: expect.stringContaining('Resource not accessible by integration') as unknown });
  });
});
