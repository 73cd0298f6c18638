// End to end through dist/index.js (issue 13, item 6; SPEC §8 "no event turns a red pull request
// green"). A threat table: each `describe` is an attack, each `it` the defence that must hold.
//
//   attack                                                       defence
//   workflow_dispatch / push on the PR's own branch at its head  judged as PR #2 into release/1.0:
//     (own rule pilot/warn, records "already on the branch")       exit 1, verdict fail, check run red
//   the commit-to-PR lookup fails                                fail closed: not green
//   a sign-off expires after the approval, no new commit         a scheduled run on the release
//                                                                  branch turns the PR's check red
// Controls: the same branch with no open pull request is judged by its own rule; a pull request
// whose gates pass keeps the run green.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { BASE_SHA, loadPayload, pullRequestPayload, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, day, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, finishTest, plain, warnings } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** release/** blocks (production, a security sign-off by alice); feature/** is a pilot that warns. */
const POLICY = NO_SIGNOFFS.replace('signoffs: {}\n', 'signoffs:\n  security: { approvers: [alice], max_age_days: 180 }\n').replace(
  'branches:\n',
  'branches:\n  - pattern: "feature/**"\n    stage: pilot\n    enforce: warn\n',
);
const REQUESTED = { kind: 'security', status: 'requested', ticket: 'SEC-1234', requested_on: day(-12) };
const APPROVED = { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: day(-10), expires_on: day(100) };
const BRANCH = 'feature/x';
const REPOSITORY = (pullRequestPayload({ base: 'release/1.0' }) as { repository: unknown }).repository;
const CHECK = 'Last Mile gates';

function system(signoff: Record<string, unknown>): Record<string, string> {
  const files = readySystem();
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.set('signoffs', doc.createNode([signoff]));
    doc.delete('waivers');
  });
  return { [POLICY_PATH]: POLICY, ...files };
}

const gitHead = (dir: string): string => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();

/**
 * The pull request #2 into release/1.0 is red: its head marks the security sign-off approved,
 * with no approving review (unverified on a block branch). On its own branch the pilot rule
 * does not even ask for sign-offs, and records on a branch count as verified.
 */
async function redPullRequest(o: { open?: boolean } = {}): Promise<{ ws: string; head: string }> {
  gh = await fakeGitHub({ baseFiles: system(REQUESTED) });
  const ws = workspace(system(APPROVED));
  const head = gitHead(ws);
  const pr = gh.pullRequest(2)!;
  pr.head.sha = head;
  pr.head.ref = BRANCH;
  if (o.open === false) pr.state = 'closed';
  return { ws, head };
}

function dispatch(ws: string): Promise<RunResult> {
  const payload = { ...loadPayload('workflow_dispatch.json'), ref: `refs/heads/${BRANCH}`, repository: REPOSITORY };
  return runAction({ apiUrl: gh!.url, workspace: ws, event: 'workflow_dispatch', payload, env: { GITHUB_REF: `refs/heads/${BRANCH}`, GITHUB_REF_NAME: BRANCH } });
}

function push(ws: string, head: string): Promise<RunResult> {
  const payload = { ...loadPayload('push.branch.json'), ref: `refs/heads/${BRANCH}`, after: head };
  return runAction({ apiUrl: gh!.url, workspace: ws, event: 'push', payload, env: { GITHUB_REF: `refs/heads/${BRANCH}`, GITHUB_REF_NAME: BRANCH, GITHUB_SHA: head } });
}

/** The run is red everywhere a required check could read it. */
function expectJudgedByPullRequest(r: RunResult, head: string): void {
  expectNoStackTrace(r);
  expectVerdict(r, 'fail');
  expect(r.outputs.stage).toBe('production');
  const summary = plain(r.summary);
  expect(summary).toContain('Not ready for production on release/1.0 (blocks merge)');
  expect(summary).toContain(`the head of open pull request #2 into release/1.0: it is judged as that pull request's own run would be (base ${BASE_SHA.slice(0, 7)}`);
  expect(summary).toMatch(/\*\*signoffs\*\* fail: .*security.*unverified/);
  const runs = gh!.checkRuns().filter((c) => c.head_sha === head);
  expect(runs.map((c) => [c.name, c.conclusion])).toEqual([[CHECK, 'failure']]);
  expect(runs[0]!.output.title).toBe('Pull request #2: Not ready for production on release/1.0 (blocks merge): 1 blocking');
  expect(plain(runs[0]!.output.summary ?? '')).toContain('Judged as pull request #2 into release/1.0');
  // A branch run writes no comment on the pull request (its own runs do).
  expect(gh!.comments(2)).toEqual([]);
}

describe('attack: workflow_dispatch on the PR\'s own branch, at its head, to leave a green result', () => {
  it('is judged as PR #2 into release/1.0 would be: exit 1, verdict fail, check run red, and the summary names the PR and the gate', async () => {
    const { ws, head } = await redPullRequest();
    const r = await dispatch(ws);
    expectJudgedByPullRequest(r, head);
    // The pull request's base policy and base manifest were read, and its reviews.
    expect(gh!.countRequests('GET', /\/contents\/\.github(%2F|\/)lastmile-policy\.yml$/)).toBeGreaterThan(0);
    expect(gh!.countRequests('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews')).toBe(1);
  });
});

describe('attack: push to the PR\'s own branch, at its head', () => {
  it('is judged as PR #2 into release/1.0 would be, like workflow_dispatch', async () => {
    const { ws, head } = await redPullRequest();
    expectJudgedByPullRequest(await push(ws, head), head);
  });
});

describe('attack: the lookup of the pull requests a commit heads fails', () => {
  it('fails closed: exit 1 and a red check run, with the reason', async () => {
    const { ws, head } = await redPullRequest();
    gh!.inject({ method: 'GET', path: '/repos/{owner}/{repo}/pulls', status: 403, body: { message: 'Resource not accessible by integration' }, times: Infinity });
    const r = await dispatch(ws);
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    expect(plain(r.summary)).toContain(`could not look up the open pull requests whose head is ${head.slice(0, 7)}`);
    expect(gh!.checkRuns().find((c) => c.head_sha === head)?.conclusion).toBe('failure');
  });
});

describe('controls', () => {
  it('the same branch with no open pull request is judged by its own rule (pilot, warn): green', async () => {
    const { ws, head } = await redPullRequest({ open: false });
    const r = await dispatch(ws);
    expectVerdict(r, 'pass');
    expect(r.outputs.stage).toBe('pilot');
    expect(plain(r.summary)).toContain(`Ready for pilot on ${BRANCH}`);
    expect(plain(r.summary)).not.toContain('pull request #2');
    expect(gh!.checkRuns().find((c) => c.head_sha === head)?.conclusion).toBe('success');
    // One request found out that the commit heads no open pull request.
    expect(gh!.countRequests('GET', '/repos/{owner}/{repo}/pulls')).toBe(1);
  });

  it('an open pull request whose gates pass (approved by alice on its head) keeps the run green, and says it was judged as that PR', async () => {
    const { ws, head } = await redPullRequest();
    gh!.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: head });
    const r = await dispatch(ws);
    expectVerdict(r, 'pass');
    expect(plain(r.summary)).toContain(`${head.slice(0, 7)} is the head of open pull request #2 into release/1.0: ready (block)`);
    expect(gh!.checkRuns().find((c) => c.head_sha === head)?.conclusion).toBe('success');
  });
});

describe('attack: a sign-off expires after the approval, and no commit follows to re-run the gate', () => {
  /** The release branch's workspace, whose `origin` holds the pull request's head commit. */
  function releaseWithOrigin(prHead: Record<string, string>): { ws: string; head: string } {
    const origin = workspace(prHead);
    execFileSync('git', ['config', 'uploadpack.allowAnySHA1InWant', 'true'], { cwd: origin });
    const ws = workspace(system(APPROVED));
    execFileSync('git', ['remote', 'add', 'origin', origin], { cwd: ws });
    return { ws, head: gitHead(origin) };
  }

  function schedule(ws: string): Promise<RunResult> {
    return runAction({ apiUrl: gh!.url, workspace: ws, event: 'schedule', payload: { repository: REPOSITORY }, inputs: { branch: 'release/1.0' } });
  }

  it('a scheduled run on release/1.0 re-evaluates the open PR on its head and turns its check run red; a rerun writes nothing', async () => {
    // Approved by alice's review on the head, valid until yesterday.
    const expired = { ...APPROVED, approved_on: day(-100), expires_on: day(-1) };
    gh = await fakeGitHub({ baseFiles: system(APPROVED) });
    const { ws, head } = releaseWithOrigin(system(expired));
    gh.pullRequest(2)!.head.sha = head;
    gh.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: head });
    // A second open pull request whose head cannot be fetched: reported, never touched.
    gh.addPullRequest({ number: 3, head: { ref: 'other', sha: 'f'.repeat(40) }, base: { ref: 'release/1.0', sha: BASE_SHA } });

    const r = await schedule(ws);
    expectNoStackTrace(r);
    // The release branch itself is ready: the run's own verdict.
    expectVerdict(r, 'pass');
    expect(gh.checkRuns().find((c) => c.head_sha === gitHead(ws))?.conclusion).toBe('success');
    const onPr = gh.checkRuns().filter((c) => c.head_sha === head);
    expect(onPr.map((c) => [c.name, c.conclusion])).toEqual([[CHECK, 'failure']]);
    expect(onPr[0]!.output.title).toBe('Pull request #2: Not ready for production on release/1.0 (blocks merge): 1 blocking');
    expect(plain(onPr[0]!.output.text ?? '')).toContain(`security: expired on ${day(-1)}`);
    const summary = plain(r.summary);
    expect(summary).toContain(`Pull request #2 at ${head.slice(0, 7)}: fail, 1 blocking gate; its check run was turned red.`);
    expect(summary).toMatch(/Pull request #3 was not re-evaluated and its check run is left as it is: could not check out fffffff/);
    expect(gh.checkRuns().filter((c) => c.head_sha === 'f'.repeat(40))).toEqual([]);

    // Nothing changed: the rerun writes no second check run on the pull request.
    const again = await schedule(ws);
    expectVerdict(again, 'pass');
    expect(gh.checkRuns().filter((c) => c.head_sha === head)).toHaveLength(1);
    expect(plain(again.summary)).toContain('its check run already says so');
  });

  it('the control: a PR whose sign-off is still valid is re-evaluated and its check run left as it is (never written green)', async () => {
    gh = await fakeGitHub({ baseFiles: system(APPROVED) });
    // A head that differs from the release branch (else both would be one commit).
    const { ws, head } = releaseWithOrigin({ ...system(APPROVED), 'docs/changelog.md': '# next\n' });
    gh.pullRequest(2)!.head.sha = head;
    const r = await schedule(ws);
    expectVerdict(r, 'pass');
    expect(gh.checkRuns().filter((c) => c.head_sha === head)).toEqual([]);
    expect(plain(r.summary)).toContain(`Pull request #2 at ${head.slice(0, 7)}: ready (block); its check run is left as it is.`);
    expect(warnings(r)).toEqual([]);
  });
});

describe("attack: a push to the merge queue's branch (gh-readonly-queue/…), whose own `**` rule would leave a green check", () => {
  function queuePush(ws: string, head: string): Promise<RunResult> {
    const ref = `gh-readonly-queue/release/1.0/pr-2-${head}`;
    const payload = { ...loadPayload('push.branch.json'), ref: `refs/heads/${ref}`, after: head, repository: REPOSITORY };
    return runAction({ apiUrl: gh!.url, workspace: ws, event: 'push', payload, env: { GITHUB_REF: `refs/heads/${ref}`, GITHUB_REF_NAME: ref, GITHUB_SHA: head } });
  }

  it('is judged like the merge group: release/1.0\'s rule, the queued pull request\'s base and reviews; exit 1 and a red check run', async () => {
    const { ws, head } = await redPullRequest();
    const r = await queuePush(ws, head);
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    expect(r.outputs.stage).toBe('production');
    const gates = ((r.report?.systems ?? []) as { gates: { id: string; outcome: string; reason: string }[] }[]).flatMap((x) => x.gates);
    expect(gates.find((g) => g.id === 'signoffs')).toMatchObject({ outcome: 'fail', reason: expect.stringMatching(/security.*unverified/) });
    expect(plain(r.summary)).toMatch(/security.*unverified/);
    expect(gh!.checkRuns().filter((c) => c.head_sha === head).map((c) => [c.name, c.conclusion])).toEqual([[CHECK, 'failure']]);
  });

  it('the control: approved by alice on the queued pull request\'s head, it passes', async () => {
    const { ws, head } = await redPullRequest();
    gh!.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: head });
    const r = await queuePush(ws, head);
    expectVerdict(r, 'pass');
    expect(r.outputs.stage).toBe('production');
  });
});
