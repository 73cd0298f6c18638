// End to end through dist/index.js (issue 13, items 5, 8 and 9): attacks through what the
// action reads from GitHub rather than from the manifest. A threat table: each `it` names the
// attack and the defence; each asserts the verdict stays `fail` (or the foreign comment is left
// alone) AND that the comment or job summary names the reason.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, Identity, RecordedRequest } from '../support/github-server';
import { BASE_SHA, HEAD_SHA, OWNER, REPO, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { MARKER, NO_SIGNOFFS, POLICY_PATH, day, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, finishTest, plain, prEvent } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** The example policy (release/** blocks) with one sign-off kind: security, by alice or @acme/security. */
const POLICY = NO_SIGNOFFS.replace('signoffs: {}\n', 'signoffs:\n  security: { approvers: [alice, "@acme/security"], max_age_days: 180 }\n');
/** What a pull request would like to be judged by. */
const LENIENT = 'version: 1\nbranches:\n  - { pattern: "**", stage: pilot, enforce: warn }\nstages:\n  pilot: { require: [] }\n';
const APPROVED = { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: day(-10), expires_on: day(100) };
const REQUESTED = { kind: 'security', status: 'requested', ticket: 'SEC-1234', requested_on: day(-3) };

/** A system ready for production under POLICY, with `edit` applied to its manifest. */
function system(edit?: (doc: Parameters<Parameters<typeof editYaml>[1]>[0]) => void): Record<string, string> {
  const files = readySystem();
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.set('signoffs', doc.createNode([APPROVED]));
    doc.delete('waivers');
    edit?.(doc);
  });
  return { [POLICY_PATH]: POLICY, ...files };
}

/** PR #2 from `changes` into release/1.0: `base` at the base commit (through the API), `head` checked out. */
async function attack(o: {
  base: Record<string, string>;
  head: Record<string, string>;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  identity?: Identity;
  setup?: (g: FakeGitHub) => void;
}): Promise<{ r: RunResult; comment: string; summary: string }> {
  gh = await fakeGitHub({ baseFiles: o.base, ...(o.identity ? { start: { identity: o.identity } } : {}) });
  o.setup?.(gh);
  const r = await runAction({ apiUrl: gh.url, workspace: workspace(o.head), ...prEvent(), ...(o.inputs ? { inputs: o.inputs } : {}), env: { GITHUB_HEAD_REF: 'changes', ...o.env } });
  expectNoStackTrace(r);
  return { r, comment: plain(ownComment(gh, o.identity?.login ?? 'github-actions[bot]')?.body ?? ''), summary: plain(r.summary) };
}

function ownComment(g: FakeGitHub, login: string): ReturnType<FakeGitHub['comments']>[number] | undefined {
  const ours = g.comments(2).filter((c) => c.user.login === login);
  expect(ours.length).toBeLessThanOrEqual(1);
  return ours[0];
}

type GraphqlBody = { query?: unknown; variables?: Record<string, unknown> } | undefined;

/**
 * Reads at `ref`, in any repository: contents requests (their paths), and the `<ref>:<path>`
 * expressions of GraphQL queries (the base's files are read in batches that way).
 */
function readsAt(g: FakeGitHub, ref: string): string[] {
  const contents = g.requests.filter((q) => q.operationId === 'repos/get-content' && q.query.ref === ref).map((q) => q.path);
  const graphql = g.requests
    .filter((q) => q.operationId === 'graphql')
    .flatMap((q) => Object.values((q.body as GraphqlBody)?.variables ?? {}).filter((v): v is string => typeof v === 'string' && v.startsWith(`${ref}:`)));
  return [...contents, ...graphql];
}

/** GraphQL requests for the token's `viewer` (not the queries for the base's files). */
function viewerQueries(g: FakeGitHub): RecordedRequest[] {
  return g.requests.filter((q) => {
    const query = (q.body as GraphqlBody)?.query;
    return q.operationId === 'graphql' && typeof query === 'string' && /\bviewer\b/.test(query);
  });
}

describe('central policy refs (SPEC §6)', () => {
  const central = (ref: string, repo = `${OWNER}/${REPO}`): string => `${repo}/${POLICY_PATH}@${ref}`;
  const noRollback = (): Record<string, string> => system((doc) => doc.delete('rollback'));

  it('control: this repository at its base branch is read through the API and judges the pull request', async () => {
    const { r, comment } = await attack({
      base: system(),
      head: system(),
      inputs: { policy: central('release/1.0') },
      setup: (g) => g.setBranch('release/1.0', BASE_SHA),
    });
    expectVerdict(r, 'pass');
    expect(comment).toContain('Ready for production on release/1.0');
    expect(readsAt(gh!, 'release/1.0')).toEqual([`/repos/${OWNER}/${REPO}/contents/.github%2Flastmile-policy.yml`]);
  });

  // Every ref below holds LENIENT, under which the head (no rollback) would not fail.
  it.each([
    ['its head commit', HEAD_SHA, "the ref is the pull request's head commit, whose policy the pull request wrote"],
    ['its head branch', 'changes', "the ref is the pull request's head branch, which the pull request controls"],
    ['a short SHA', 'c0ffee1', `the ref is a commit SHA, not a branch or tag name: a commit pushed to any fork of ${OWNER}/${REPO} can be read through it by SHA`],
    ['a tag', 'refs/tags/v1', 'the ref is a tag of this repository, which anyone who can push to it can create or move'],
    ['another branch', 'lenient', "in this repository only the base branch (release/1.0) is accepted: another branch or a tag of this repository may be one the pull request's author pushed"],
    ['its pull request ref', 'refs/pull/2/head', "the ref is a pull request's ref, which its author controls"],
  ])('a central policy at %s of this repository (@%s) is refused, never read, and the run fails closed', async (_what, ref, why) => {
    const { r, comment, summary } = await attack({
      base: system(),
      head: noRollback(),
      inputs: { policy: central(ref) },
      setup: (g) => {
        g.setFile(ref, POLICY_PATH, LENIENT);
        g.setFile(HEAD_SHA, POLICY_PATH, LENIENT);
      },
    });
    expectVerdict(r, 'fail');
    const reason = `the input policy: ${central(ref)} is refused: ${why}. A central policy must be read at a branch or tag name of another repository, or, in this repository, at the base branch release/1.0`;
    expect(summary).toContain(reason);
    expect(comment).toContain(reason);
    expect(readsAt(gh!, ref)).toEqual([]);
    expect(readsAt(gh!, HEAD_SHA)).toEqual([]);
  });

  it('a central policy at a SHA of another repository (a commit any fork could push) is refused', async () => {
    const sha = 'e'.repeat(40);
    const { r, summary } = await attack({
      base: system(),
      head: noRollback(),
      inputs: { policy: central(sha, `${OWNER}/governance`) },
      setup: (g) => g.setFile(sha, POLICY_PATH, LENIENT, `${OWNER}/governance`),
    });
    expectVerdict(r, 'fail');
    expect(summary).toContain(`the input policy: ${OWNER}/governance/${POLICY_PATH}@${sha} is refused: the ref is a commit SHA, not a branch or tag name: a commit pushed to any fork of ${OWNER}/governance can be read through it by SHA`);
    expect(readsAt(gh!, sha)).toEqual([]);
  });
});

describe("the action's own comment (SPEC §6, §7)", () => {
  const APP: Identity = { login: 'lastmile-app[bot]', type: 'Bot', canGetUser: false };
  const GREEN = `${MARKER}\n### ✅ Ready for production on release/1.0\nEvery gate passes.`;
  const failing = (): Record<string, string> => system((doc) => doc.delete('rollback'));

  it.each([
    ['another GitHub App', 'evil-app[bot]'],
    ["GITHUB_TOKEN's bot (a workflow the pull request edits can post as it)", 'github-actions[bot]'],
    ['a person', 'mallory'],
  ])('a green copy of the marker by %s is ignored: the app token learns its bot from GraphQL and posts its own red comment', async (_who, author) => {
    const { r, comment } = await attack({
      base: failing(),
      head: failing(),
      identity: APP,
      setup: (g) => g.addComment(2, { body: GREEN, user: author }),
    });
    expectVerdict(r, 'fail');
    expect(comment).toContain('Not ready for production on release/1.0 (blocks merge)');
    expect(comment).toMatch(/\*\*rollback\*\* fail/);
    const foreign = gh!.comments(2).find((c) => c.user.login === author)!;
    expect(foreign.body).toBe(GREEN);
    expect(foreign.edits).toBe(0);
    expect(gh!.comments(2)).toHaveLength(2);
    expect(viewerQueries(gh!).map((q) => q.status)).toEqual([200]);
  });

  it("the app's own comment is still found and edited in place when another bot's copy is older", async () => {
    gh = await fakeGitHub({ baseFiles: failing(), start: { identity: APP } });
    gh.addComment(2, { body: GREEN, user: 'evil-app[bot]' });
    const own = gh.addComment(2, { body: `${MARKER}\nan older report` });
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(failing()), ...prEvent() });
    expectVerdict(r, 'fail');
    expect(gh.comments(2).map((c) => [c.user.login, c.edits])).toEqual([
      ['evil-app[bot]', 0],
      ['lastmile-app[bot]', 1],
    ]);
    expect(plain(gh.comments(2)[1]!.body)).toContain('Not ready for production on release/1.0');
    expect(gh.comments(2)[1]!.id).toBe(own.id);
  });

  it("identity not learnable (GraphQL refused) in Actions: only github-actions[bot]'s copy counts, never another bot's", async () => {
    const { r, comment } = await attack({
      base: failing(),
      head: failing(),
      setup: (g) => {
        g.inject({ operationId: 'graphql', status: 403, times: Infinity, body: { message: 'Resource not accessible by integration' } });
        g.addComment(2, { body: GREEN, user: 'evil-app[bot]' });
        g.addComment(2, { body: `${MARKER}\nan older report`, user: 'github-actions[bot]' });
      },
    });
    expectVerdict(r, 'fail');
    expect(viewerQueries(gh!).map((q) => q.status)).toEqual([403]);
    expect(comment).toContain('Not ready for production on release/1.0');
    expect(gh!.comments(2).map((c) => [c.user.login, c.edits])).toEqual([
      ['evil-app[bot]', 0],
      ['github-actions[bot]', 1],
    ]);
  });
});

describe('team approvers and a 404 (SPEC §6)', () => {
  it("an approval by someone who could only count through a team GitHub answers 404 for: unverified, and the reason says the token may be unable to read the team and how to pass one", async () => {
    const { r, comment, summary } = await attack({
      base: system((doc) => doc.set('signoffs', doc.createNode([REQUESTED]))),
      head: system((doc) => doc.set('signoffs', doc.createNode([{ ...APPROVED, approved_by: 'sam' }]))),
      setup: (g) => g.addReview(2, { user: 'sam', state: 'APPROVED', commit_id: HEAD_SHA }),
    });
    expectVerdict(r, 'fail');
    const reason = /\*\*signoffs\*\* fail: 1 of 1 required sign-off not in place: security: approved \(SEC-1234\) but unverified: .*GitHub answered 404 for @sam in @acme\/security: either @sam is not a member, or the token may be unable to read that team\. Reading team membership needs the organisation permission "Members: read": a GitHub App installation token with "Members: read" .*passed as the action's github-token input/;
    expect(comment).toMatch(reason);
    expect(summary).toMatch(reason);
    expect(gh!.countRequests('GET', /\/orgs\/acme\/teams\/security\/memberships\/sam$/)).toBe(1);
  });
});
