// End to end through dist/index.js (issue 5): sign-offs and waivers a pull request cannot
// forge. Each case asserts the verdict and that the comment names the gate and the reason.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { BASE_SHA, HEAD_SHA, loadPayload, pullRequestPayload, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { POLICY_PATH, commentWrites, day, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, graphqlFileReads, plain, prEvent, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** Production needs ownership, rollback and a verified security sign-off from alice or @acme/security. */
const POLICY = `version: 1
branches:
  - { pattern: "release/**", stage: production, enforce: block }
  - { pattern: master, stage: staging, enforce: warn }
stages:
  staging: { require: [ownership] }
  production: { require: [ownership, signoffs, rollback] }
signoffs:
  security: { approvers: [alice, "@acme/security"], max_age_days: 180 }
waivers:
  approvers: [erin]
  max_days: 90
`;

const OLDER_SHA = 'a'.repeat(40);

interface Signoff {
  kind: string;
  status: string;
  ticket?: string;
  approved_by?: string;
  approved_on?: string;
  expires_on?: string;
  requested_on?: string;
}

const APPROVED: Signoff = { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: day(-10), expires_on: day(100) };
const REQUESTED: Signoff = { kind: 'security', status: 'requested', ticket: 'SEC-1234', requested_on: day(-12) };

/** The ready system with these sign-off records (and waivers), optionally without `rollback`. */
function system(o: { signoffs: Signoff[]; waivers?: Record<string, string>[]; noRollback?: boolean }): Record<string, string> {
  const files = readySystem();
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.set('signoffs', doc.createNode(o.signoffs));
    if (o.waivers) doc.set('waivers', doc.createNode(o.waivers));
    else doc.delete('waivers');
    if (o.noRollback) doc.delete('rollback');
  });
  return { [POLICY_PATH]: POLICY, ...files };
}

/** PR #2 into release/1.0: `base` at the base commit (via the API), `head` checked out. */
async function runPr(o: { base: Record<string, string>; head: Record<string, string>; setup?: (gh: FakeGitHub) => void; event?: 'pull_request' | 'pull_request_review' }): Promise<{ r: RunResult; body: string }> {
  gh ??= await fakeGitHub({ baseFiles: o.base });
  o.setup?.(gh);
  const r = await runAction({ apiUrl: gh.url, workspace: workspace(o.head), ...prEvent('release/1.0', o.event ? { event: o.event, action: o.event === 'pull_request_review' ? 'submitted' : 'opened' } : {}) });
  expectNoStackTrace(r);
  const comments = gh.comments(2);
  expect(comments).toHaveLength(1);
  return { r, body: plain(comments[0]!.body) };
}

const UNVERIFIED = /\*\*signoffs\*\* fail: 1 of 1 required sign-off not in place: security: approved \(SEC-1234\) but unverified: added or changed by this pull request without an approving review on ccccccc from @alice or a member of @acme\/security/;

function signoffsGate(r: RunResult): { outcome: string; reason: string; details?: string[] } {
  const systems = (r.report?.systems ?? []) as { gates: { id: string; outcome: string; reason: string; details?: string[] }[] }[];
  const g = systems[0]?.gates.find((x) => x.id === 'signoffs');
  if (!g) throw new Error('no signoffs gate in the report');
  return g;
}

describe('sign-offs a pull request adds or edits', () => {
  const base = system({ signoffs: [REQUESTED] });
  const head = system({ signoffs: [APPROVED] });

  it('a record the PR turns to `approved` without any review fails', async () => {
    const { r, body } = await runPr({ base, head });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
    expect(body).toContain('Not ready for production on release/1.0 (blocks merge)');
  });

  it('the same record with an approving review from a listed approver on the head passes', async () => {
    const { r, body } = await runPr({ base, head, setup: (g) => g.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: HEAD_SHA }) });
    expectVerdict(r, 'pass');
    expect(body).toContain('Ready for production on release/1.0');
    expect(body).toMatch(/\| signoffs \| ✅ pass \| 1 sign-off approved and verified: security \|/);
    expect(signoffsGate(r).details?.join('\n')).toContain('security: approved by alice (SEC-1234), approved by @alice');
  });

  it('an approval of an older commit does not verify it', async () => {
    const { r, body } = await runPr({ base, head, setup: (g) => g.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: OLDER_SHA }) });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
  });

  it('a dismissed approval does not verify it', async () => {
    const { r, body } = await runPr({
      base,
      head,
      setup: (g) => {
        g.addReview(2, { user: 'alice', state: 'DISMISSED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
  });

  it('changes requested after an approval revoke it', async () => {
    const { r, body } = await runPr({
      base,
      head,
      setup: (g) => {
        g.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: HEAD_SHA });
        g.addReview(2, { user: 'alice', state: 'CHANGES_REQUESTED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
  });

  it('an approval from someone the policy does not list does not verify it', async () => {
    const { r, body } = await runPr({ base, head, setup: (g) => g.addReview(2, { user: 'bob', state: 'APPROVED', commit_id: HEAD_SHA }) });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
  });

  it('the pull request author cannot verify their own record, even when listed', async () => {
    gh = await fakeGitHub({ baseFiles: base, author: 'alice' });
    gh.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: HEAD_SHA });
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(head), ...prEvent('release/1.0', { author: 'alice' }) });
    expectVerdict(r, 'fail');
    expect(plain(gh.comments(2)[0]!.body)).toMatch(UNVERIFIED);
  });

  it('a `pull_request_review` event re-evaluates: the approval turns the check green without a new commit', async () => {
    const first = await runPr({ base, head });
    expectVerdict(first.r, 'fail');
    const commentId = gh!.comments(2)[0]!.id;
    const second = await runPr({ base, head, event: 'pull_request_review', setup: (g) => g.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: HEAD_SHA }) });
    expectVerdict(second.r, 'pass');
    expect(gh!.comments(2)[0]!.id).toBe(commentId);
    expect(second.body).toContain('Ready for production on release/1.0');
    expect(second.body).toMatch(/`signoffs` \(support-triage\) fail → pass/);
  });
});

describe('sign-offs already on the base branch', () => {
  it('a record unchanged from the base passes without any review', async () => {
    const files = system({ signoffs: [APPROVED] });
    const { r, body } = await runPr({ base: files, head: files });
    expectVerdict(r, 'pass');
    expect(body).toMatch(/\| signoffs \| ✅ pass \| 1 sign-off approved and verified: security \|/);
    expect(signoffsGate(r).details?.join('\n')).toContain('unchanged from the base branch');
    // The base manifest was read through the API at the base commit.
    expect(gh!.requests.some((q) => q.operationId === 'repos/get-content' && q.params.path === 'lastmile.yml' && q.query.ref === BASE_SHA)).toBe(true);
  });

  it('the PR extending its `expires_on` makes it a new, unverified record', async () => {
    const { r, body } = await runPr({ base: system({ signoffs: [APPROVED] }), head: system({ signoffs: [{ ...APPROVED, expires_on: day(170) }] }) });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
  });
});

describe('team and permission approvers', () => {
  const base = system({ signoffs: [REQUESTED] });
  const head = system({ signoffs: [{ ...APPROVED, approved_by: 'sam' }] });

  it('a team approver the token cannot look up fails, and says plainly which permission is missing', async () => {
    const { r, body } = await runPr({
      base,
      head,
      setup: (g) => {
        g.permissions.members = 'none';
        g.setTeamMember('acme', 'security', 'sam', { state: 'active' });
        g.addReview(2, { user: 'sam', state: 'APPROVED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(r, 'fail');
    expect(body).toMatch(/\*\*signoffs\*\* fail: .*security: approved \(SEC-1234\) but unverified: .*cannot read the membership of @acme\/security \(HTTP 403[^)]*\): the token needs the organisation permission "Members: read"/);
    expect(body).toContain("passed as the action's github-token input; GITHUB_TOKEN cannot read team membership");
    expect(gh!.countRequests('GET', /\/orgs\/acme\/teams\/security\/memberships\/sam$/)).toBe(1);
  });

  it('a team approver whose membership is active passes', async () => {
    const { r, body } = await runPr({
      base,
      head,
      setup: (g) => {
        g.setTeamMember('acme', 'security', 'sam', { state: 'active' });
        g.addReview(2, { user: 'sam', state: 'APPROVED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(r, 'pass');
    expect(body).toMatch(/\| signoffs \| ✅ pass \|/);
    expect(signoffsGate(r).details?.join('\n')).toContain('approved by @sam (member of @acme/security)');
  });

  it('a pending team membership does not count', async () => {
    const { r, body } = await runPr({
      base,
      head,
      setup: (g) => {
        g.setTeamMember('acme', 'security', 'sam', { state: 'pending' });
        g.addReview(2, { user: 'sam', state: 'APPROVED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(r, 'fail');
    expect(body).toMatch(UNVERIFIED);
  });

  it('`@write` counts collaborators with at least write access, from the collaborator-permission API', async () => {
    const policy = POLICY.replace('security: { approvers: [alice, "@acme/security"], max_age_days: 180 }', 'security: { approvers: ["@write"] }');
    const withPolicy = (files: Record<string, string>): Record<string, string> => ({ ...files, [POLICY_PATH]: policy });
    const triage = await runPr({
      base: withPolicy(base),
      head: withPolicy(head),
      setup: (g) => {
        g.setCollaborator('sam', 'triage');
        g.addReview(2, { user: 'sam', state: 'APPROVED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(triage.r, 'fail');
    expect(triage.body).toMatch(/security: approved \(SEC-1234\) but unverified: .*from a collaborator with write access \(not the author\)/);

    const maintain = await runPr({ base: withPolicy(base), head: withPolicy(head), setup: (g) => g.setCollaborator('sam', 'maintain') });
    expectVerdict(maintain.r, 'pass');
    expect(signoffsGate(maintain.r).details?.join('\n')).toContain('approved by @sam (maintain access)');
  });
});

describe('waivers', () => {
  const rollbackWaiver = (w: Record<string, string>): Record<string, string> => ({ gate: 'rollback', reason: 'flag-based rollback is being built', approved_by: 'erin', approved_on: day(-5), expires_on: day(30), ...w });

  it('a valid waiver from the base turns the failing gate into `waived` (the control case)', async () => {
    const files = system({ signoffs: [APPROVED], waivers: [rollbackWaiver({})], noRollback: true });
    const { r, body } = await runPr({ base: files, head: files });
    expectVerdict(r, 'pass');
    expect(body).toMatch(/\| rollback \| 🟡 waived \| waived until \d{4}-\d\d-\d\d: flag-based rollback is being built/);
    expect(body).toMatch(/- 🟡 \*\*rollback\*\* waived until \d{4}-\d\d-\d\d by erin: flag-based rollback is being built/);
  });

  it('a waiver by a non-approver, an expired one, one longer than max_days, one for an unknown gate: none waives', async () => {
    const inBase = [
      rollbackWaiver({ approved_by: 'bob' }),
      rollbackWaiver({ approved_on: day(-40), expires_on: day(-1) }),
      rollbackWaiver({ approved_on: day(-1), expires_on: day(120) }),
      rollbackWaiver({ gate: 'rollbak' }),
    ];
    // Added by the PR, approved (by name) by erin but reviewed only by bob.
    const added = rollbackWaiver({ reason: 'added by the pull request' });
    const { r, body } = await runPr({
      base: system({ signoffs: [APPROVED], waivers: inBase, noRollback: true }),
      head: system({ signoffs: [APPROVED], waivers: [...inBase, added], noRollback: true }),
      setup: (g) => g.addReview(2, { user: 'bob', state: 'APPROVED', commit_id: HEAD_SHA }),
    });
    expectVerdict(r, 'fail');
    expect(body).toMatch(/\*\*rollback\*\* fail: missing: the manifest has no `rollback:` section/);
    expect(body).toContain('waiver not applied: approved_by bob is not a waiver approver (erin)');
    expect(body).toContain(`waiver not applied: expired on ${day(-1)}`);
    expect(body).toContain(`waiver not applied: lasts 121 days from ${day(-1)}, over the policy's max_days of 90`);
    expect(body).toMatch(/waiver not applied: unverified: added or changed by this pull request without an approving review on ccccccc from @erin/);
    expect(body).toContain('waiver for "rollbak" not applied: unknown gate "rollbak"');
    expect(body).toMatch(/^- ❌ \*\*rollback\*\* fail: /m);
    expect((r.report?.counts as Record<string, number>).waived).toBe(0);
  });
});

describe('events without a pull request thread', () => {
  const repository = (pullRequestPayload({ base: 'release/1.0' }) as { repository: unknown }).repository;

  it('`schedule` on release/1.0: a sign-off that expired yesterday turns the check red, without a comment', async () => {
    gh = await fakeGitHub();
    const expired = system({ signoffs: [{ ...APPROVED, approved_on: day(-100), expires_on: day(-1) }] });
    const payload = { ...loadPayload('workflow_dispatch.json'), repository };
    delete (payload as Record<string, unknown>).inputs;
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(expired), event: 'schedule', payload, inputs: { branch: 'release/1.0' } });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const summary = plain(r.summary);
    expect(summary).toContain('Not ready for production on release/1.0 (blocks merge)');
    expect(summary).toMatch(new RegExp(`\\*\\*signoffs\\*\\* fail: 1 of 1 required sign-off not in place: security: expired on ${day(-1)} \\(expires_on\\) \\(SEC-1234\\)`));
    expect(gh.comments(2)).toHaveLength(0);
    expect(commentWrites(gh)).toEqual([]);
    // Records on the gated branch came through its gates: no review lookups.
    expect(gh.countRequests('GET', /\/pulls\//)).toBe(0);

    // The control: the same branch with a sign-off that is still valid passes.
    const valid = await runAction({ apiUrl: gh.url, workspace: workspace(system({ signoffs: [APPROVED] })), event: 'schedule', payload, inputs: { branch: 'release/1.0' } });
    expectVerdict(valid, 'pass');
  });

  it('`merge_group`: the queued PR\'s approval gives the same verdict as on the PR, and no comment is written', async () => {
    const base = system({ signoffs: [REQUESTED] });
    const head = system({ signoffs: [APPROVED] });
    const mergeGroup = (): Record<string, unknown> => {
      const p = loadPayload('merge_group.checks_requested.json');
      const mg = p.merge_group as Record<string, unknown>;
      mg.base_ref = 'refs/heads/release/1.0';
      mg.base_sha = BASE_SHA;
      mg.head_sha = 'e'.repeat(40);
      mg.head_ref = `refs/heads/gh-readonly-queue/release/1.0/pr-2-${BASE_SHA}`;
      p.repository = repository;
      return p;
    };

    // Without the approval: red on the PR and red in the queue.
    const unapprovedPr = await runPr({ base, head });
    expectVerdict(unapprovedPr.r, 'fail');
    gh!.clearLog();
    const unapprovedQueue = await runAction({ apiUrl: gh!.url, workspace: workspace(head), event: 'merge_group', payload: mergeGroup() });
    expectVerdict(unapprovedQueue, 'fail');
    expect(plain(unapprovedQueue.summary)).toMatch(UNVERIFIED);
    expect(commentWrites(gh!)).toEqual([]);

    // With alice's approval of the PR's head: green on the PR and green in the queue.
    gh!.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: HEAD_SHA });
    const approvedPr = await runPr({ base, head });
    expectVerdict(approvedPr.r, 'pass');
    const commentBefore = gh!.comments(2)[0]!.body;
    gh!.clearLog();
    const queue = await runAction({ apiUrl: gh!.url, workspace: workspace(head), event: 'merge_group', payload: mergeGroup() });
    expectNoStackTrace(queue);
    expectVerdict(queue, 'pass');
    expect(plain(queue.summary)).toMatch(/\| signoffs \| ✅ pass \| 1 sign-off approved and verified: security \|/);
    expect(commentWrites(gh!)).toEqual([]);
    expect(gh!.countRequests('GET', /\/issues\/2\/comments/)).toBe(0);
    expect(gh!.comments(2)).toHaveLength(1);
    expect(gh!.comments(2)[0]!.body).toBe(commentBefore);
    // The reviews are those of PR #2, the policy and base records those of the queue's base.
    expect(gh!.countRequests('GET', /\/pulls\/2\/reviews$/)).toBe(1);
    expect(gh!.requests.filter((q) => q.operationId === 'repos/get-content').every((q) => q.query.ref === BASE_SHA)).toBe(true);
    expect(graphqlFileReads(gh!).every((e) => e.startsWith(`${BASE_SHA}:`))).toBe(true);
    // The check run goes on the merge group's head commit.
    expect(gh!.checkRuns().at(-1)?.head_sha).toBe('e'.repeat(40));
  });
});
