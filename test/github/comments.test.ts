// SPEC §6/§7: the action's comment is the marker comment written by the token's own account,
// learned from the API (GET /user, else GraphQL `viewer`), never "any bot".
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHub } from '../../src/github/client';
import { ACTIONS_BOT, MARKER, isMe, ownComments, upsertComment, whoAmI } from '../../src/github/comments';
import type { Me } from '../../src/github/comments';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub, Identity } from '../support/github-server';

const REPO = { owner: 'acme', repo: 'service' };
const HEAD = 'c'.repeat(40);
const IN_ACTIONS = { GITHUB_ACTIONS: 'true' };
const APP: Identity = { login: 'lastmile-app[bot]', type: 'Bot', canGetUser: false };

let gh: FakeGitHub;
let client: GitHub;

async function start(identity?: Identity): Promise<void> {
  gh = await startGitHubServer({ repository: 'acme/service', ...(identity ? { identity } : {}) });
  gh.addPullRequest({ number: 7, head: { ref: 'feature', sha: HEAD }, base: { ref: 'main', sha: 'b'.repeat(40) } });
  // Plain octokit (no retries): a fault is seen at once.
  client = getOctokit('test-token', { baseUrl: gh.url }) as GitHub;
}

afterEach(async () => {
  expect(gh.violations).toEqual([]);
  await gh.close();
});

const upsert = (me: Me, body = `${MARKER}\nreport`) => upsertComment(client, REPO, 7, () => body, { mode: 'always', failing: true, headSha: HEAD, me, log: () => undefined });

describe('whoAmI', () => {
  it('a personal token: GET /user, with the account id', async () => {
    await start({ login: 'release-bot-user', type: 'User', id: 4242 });
    expect(await whoAmI(client, {})).toEqual({ login: 'release-bot-user', id: 4242, source: 'user' });
    expect(gh.requests.map((q) => q.operationId)).toEqual(['users/get-authenticated']);
  });

  it("a GitHub App installation token: GET /user is refused, GraphQL viewer names the app's bot", async () => {
    await start({ ...APP, id: 777 });
    expect(await whoAmI(client, {})).toEqual({ login: 'lastmile-app[bot]', id: 777, source: 'viewer' });
    expect(gh.requests.map((q) => `${q.status} ${q.operationId ?? ''}`)).toEqual(['403 users/get-authenticated', '200 graphql']);
    expect(gh.requests[1]!.body).toEqual({ query: 'query { viewer { login databaseId } }' });
  });

  it("GITHUB_TOKEN: GraphQL viewer names github-actions[bot], id 41898282", async () => {
    await start();
    expect(await whoAmI(client, {})).toEqual({ login: ACTIONS_BOT, id: 41898282, source: 'viewer' });
  });

  it('an identity that cannot be learned: in Actions, GITHUB_TOKEN\'s bot is assumed; elsewhere nothing is ours', async () => {
    await start(APP);
    gh.inject({ operationId: 'graphql', status: 403, times: Infinity, body: { message: 'Resource not accessible by integration' } });
    expect(await whoAmI(client, IN_ACTIONS)).toEqual({ login: ACTIONS_BOT, source: 'actions' });
    expect(await whoAmI(client, {})).toEqual({ source: 'unknown' });
  });

  it('a GraphQL error answer (HTTP 200 with errors) also leaves the identity unlearned', async () => {
    await start(APP);
    gh.inject({ operationId: 'graphql', status: 200, times: 1, body: { errors: [{ type: 'FORBIDDEN', message: 'no viewer for this token' }] } });
    expect(await whoAmI(client, {})).toEqual({ source: 'unknown' });
  });

  it('an outage of GraphQL is an error, not a guess', async () => {
    await start(APP);
    gh.inject({ operationId: 'graphql', status: 502, times: 1 });
    await expect(whoAmI(client, IN_ACTIONS)).rejects.toMatchObject({ status: 502 });
  });
});

describe('isMe', () => {
  const bot = (login: string, id: number) => ({ login, id, type: 'Bot' });
  it.each([
    ['the same id', bot('lastmile-app[bot]', 1), { login: 'lastmile-app[bot]', id: 1, source: 'viewer' } as Me, true],
    ['another id with the same login (ids decide)', bot('lastmile-app[bot]', 2), { login: 'lastmile-app[bot]', id: 1, source: 'viewer' } as Me, false],
    ['another bot', bot('other-app[bot]', 3), { login: 'lastmile-app[bot]', id: 1, source: 'viewer' } as Me, false],
    ['GraphQL login without [bot], REST login with it', bot('lastmile-app[bot]', 5), { login: 'lastmile-app', source: 'viewer' } as Me, true],
    ['a person named like the bot', { login: 'lastmile-app', id: 6, type: 'User' }, { login: 'lastmile-app[bot]', source: 'viewer' } as Me, false],
    ['assumed github-actions[bot]: that exact bot', bot(ACTIONS_BOT, 41898282), { login: ACTIONS_BOT, source: 'actions' } as Me, true],
    ['assumed github-actions[bot]: any other bot', bot('lastmile-app[bot]', 7), { login: ACTIONS_BOT, source: 'actions' } as Me, false],
    ['an unknown identity: nobody', bot(ACTIONS_BOT, 41898282), { source: 'unknown' } as Me, false],
    ['a person, case-insensitively', { login: 'Release-Bot-User', id: 8, type: 'User' }, { login: 'release-bot-user', source: 'user' } as Me, true],
  ])('%s', (_name, user, me, expected) => {
    expect(isMe(user, me)).toBe(expected);
  });
});

describe('the comment of an integration token', () => {
  beforeEach(() => start(APP));

  it("another app's and a person's copies of the marker are ignored: the action posts its own and leaves theirs", async () => {
    const other = gh.addComment(7, { body: `${MARKER}\n✅ Ready for production`, user: 'other-app[bot]' });
    const actions = gh.addComment(7, { body: `${MARKER}\n✅ Ready (posted by a workflow of the pull request)`, user: ACTIONS_BOT });
    const person = gh.addComment(7, { body: `${MARKER}\nquoted`, user: 'mallory' });
    const me = await whoAmI(client, IN_ACTIONS);
    const out = await upsert(me);
    expect(out.action).toBe('created');
    const all = gh.comments(7);
    expect(all.map((c) => [c.user.login, c.edits])).toEqual([
      ['other-app[bot]', 0],
      [ACTIONS_BOT, 0],
      ['mallory', 0],
      ['lastmile-app[bot]', 0],
    ]);
    expect([other, actions, person].map((c) => c.body)).toEqual([`${MARKER}\n✅ Ready for production`, `${MARKER}\n✅ Ready (posted by a workflow of the pull request)`, `${MARKER}\nquoted`]);
    expect(gh.countRequests('DELETE')).toBe(0);
    expect(gh.countRequests('PATCH')).toBe(0);
  });

  it('finds its own comment on the second page and edits it in place', async () => {
    const own = gh.addComment(7, { body: `${MARKER}\nold` });
    for (let i = 0; i < 120; i++) gh.addComment(7, { body: `${MARKER}\nnoise ${i}`, user: i % 2 ? 'other-app[bot]' : 'someone' });
    // A second copy of its own sits on page 2, behind 120 foreign copies of the marker: found and deleted.
    const dup = gh.addComment(7, { body: `${MARKER}\nduplicate` });
    const out = await upsert(await whoAmI(client, {}), `${MARKER}\nnew`);
    expect(out).toEqual({ action: 'updated', id: own.id });
    expect(gh.comments(7).find((c) => c.id === own.id)!.body).toBe(`${MARKER}\nnew`);
    expect(gh.comments(7).some((c) => c.id === dup.id)).toBe(false);
    expect(gh.countRequests('GET', /\/issues\/7\/comments$/)).toBe(2);
  });

  it('an unlearned identity outside Actions: posts a new comment, learns its account from it, and keeps only the oldest of its own', async () => {
    const own = gh.addComment(7, { body: `${MARKER}\nold` });
    const foreign = gh.addComment(7, { body: `${MARKER}\nforeign`, user: 'other-app[bot]' });
    gh.inject({ operationId: 'graphql', status: 404, times: Infinity });
    const me = await whoAmI(client, {});
    expect(me).toEqual({ source: 'unknown' });
    const out = await upsert(me, `${MARKER}\nnew`);
    expect(out).toEqual({ action: 'updated', id: own.id });
    expect(gh.comments(7).map((c) => [c.id, c.body])).toEqual([
      [own.id, `${MARKER}\nnew`],
      [foreign.id, `${MARKER}\nforeign`],
    ]);
  });

  it('an unchanged rerun writes nothing', async () => {
    const me = await whoAmI(client, {});
    expect((await upsert(me)).action).toBe('created');
    gh.clearLog();
    expect((await upsert(me)).action).toBe('unchanged');
    expect(gh.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(await ownComments(client, REPO, 7, me)).toHaveLength(1);
  });
});
