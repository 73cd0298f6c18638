// End to end through dist/index.js (issue 8, item 2): GitHub's faults on every route the
// action calls. Reads that fail on a block branch fail closed with the error in the job
// summary; writes that fail are warnings; the verdict is what the gates say or `fail`, never
// a false `pass`; never a duplicate comment.
//
// A transient fault (retried, then served) is injected once on every route of a run at once:
// one test per scenario × fault class. A fault that outlasts the retries is injected on one
// route at a time: one test per route × fault class. Base files read together come in one
// GraphQL query, and the contents API serves each file where that query fails: such a route's
// persistent fault is on both (and, in tests of their own, on the query alone, which the
// contents API then makes good). The tests run concurrently (each has its
// own fake GitHub): most of a case's time is the client's back-off (0.4 s, 1.6 s, 3.6 s between
// its 4 attempts), a retry-after wait or a timeout, not CPU. With
// LASTMILE_RELIABILITY_TABLE=<file> the observed outcomes are written there as a Markdown table
// (docs/reliability.md summarises it).
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { faults } from '../support/github-server';
import type { Fault, FakeGitHub, RecordedRequest, RequestMatcher } from '../support/github-server';
import { BASE_SHA, HEAD_SHA, cleanup, loadPayload, pullRequestPayload, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { MARKER, NO_SIGNOFFS, POLICY_PATH, day, editYaml, expectNoStackTrace, fakeGitHub, plain, prEvent, warnings } from './setup';

// Most of a case is waiting (back-off, retry-after, timeouts): run 12 at a time.
vi.setConfig({ maxConcurrency: 12, testTimeout: 90_000 });

// ---------------------------------------------------------------------------------------------
// Scenarios: a pull request that calls every route, and variants for the routes it does not.
// ---------------------------------------------------------------------------------------------

/** The example policy, with a team approver and a permission approver (both looked up). */
const POLICY = NO_SIGNOFFS.replace('signoffs: {}\n', 'signoffs:\n  security: { approvers: ["@acme/security"] }\n  data-governance: { approvers: ["@write"] }\n');
/** What a pull request would like the policy to be. */
const WEAKENED = POLICY.replace(/production: \{ require: \[[^\]]*\] \}/s, 'production: { require: [] }').replace('enforce: block', 'enforce: warn');
const CODEOWNERS = '/lastmile.yml @acme/support-ml\n';
const STABLE_POLICY = POLICY.replace('branches:\n', 'branches:\n  - pattern: "stable/**"\n    stage: production\n    enforce: block\n');

function system(status: 'requested' | 'approved', o: { policy?: string; codeowners?: string; noRollback?: boolean } = {}): Record<string, string> {
  const files = readySystem();
  const record = (kind: string, ticket: string): Record<string, string> =>
    status === 'approved' ? { kind, status, ticket, approved_by: 'sam', approved_on: day(-3), expires_on: day(90) } : { kind, status, ticket, requested_on: day(-5) };
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.set('signoffs', doc.createNode([record('security', 'SEC-1'), record('data-governance', 'DG-1')]));
    doc.delete('waivers');
    if (o.noRollback) doc.delete('rollback');
  });
  return { [POLICY_PATH]: o.policy ?? POLICY, '.github/CODEOWNERS': o.codeowners ?? CODEOWNERS, ...files };
}

type ScenarioId = 'pr' | 'pr-commented' | 'pr-duplicates' | 'merge-queue' | 'annotations' | 'weakened-policy' | 'foreign-codeowners' | 'stable';

interface Scenario {
  /** What the gates say without any fault. */
  baseline: 'pass' | 'fail' | 'warn';
  /** Own comments on PR #2 after a clean run. */
  comments: number;
  /** The pull request's base branch (default release/1.0). */
  baseRef?: string;
  describe: string;
  base: Record<string, string>;
  head: Record<string, string>;
  event: () => { event: string; payload: Record<string, unknown> };
  inputs?: Record<string, string>;
  setup?: (gh: FakeGitHub) => void;
}

/** sam approved the head; sam is in @acme/security and has write access. */
const approvedBySam = (gh: FakeGitHub): void => {
  gh.setTeamMember('acme', 'security', 'sam', { state: 'active' });
  gh.setCollaborator('sam', 'write');
  gh.addReview(2, { user: 'sam', state: 'APPROVED', commit_id: HEAD_SHA });
};

const MASTER_POLICY = NO_SIGNOFFS.replace('pattern: main', 'pattern: master');
const SKELETONS: Record<string, string> = { [POLICY_PATH]: MASTER_POLICY };
for (let i = 1; i <= 9; i++) SKELETONS[`services/s${i}/lastmile.yml`] = `version: 1\nsystem: s${i}\n`;

function mergeGroup(): { event: string; payload: Record<string, unknown> } {
  const p = loadPayload('merge_group.checks_requested.json');
  const mg = p.merge_group as Record<string, unknown>;
  mg.base_ref = 'refs/heads/release/1.0';
  mg.base_sha = BASE_SHA;
  mg.head_sha = 'e'.repeat(40);
  mg.head_ref = `refs/heads/gh-readonly-queue/release/1.0/pr-2-${BASE_SHA}`;
  p.repository = (pullRequestPayload({ base: 'release/1.0' }) as { repository: unknown }).repository;
  return { event: 'merge_group', payload: p };
}

const SCENARIOS: Record<ScenarioId, Scenario> = {
  pr: {
    baseline: 'pass',
    comments: 1,
    describe: 'PR into release/1.0 adding two sign-offs, verified by an approving review from a team member (team lookup) with write access (permission lookup)',
    base: system('requested'),
    head: system('approved'),
    event: () => prEvent(),
    setup: approvedBySam,
  },
  'pr-commented': {
    baseline: 'pass',
    comments: 1,
    describe: 'the same, with an earlier comment of ours to edit',
    base: system('requested'),
    head: system('approved'),
    event: () => prEvent(),
    setup: (gh) => {
      approvedBySam(gh);
      gh.addComment(2, { body: `${MARKER}\nan older report` });
    },
  },
  'pr-duplicates': {
    baseline: 'pass',
    comments: 1,
    describe: 'the same, with two copies of our comment (a past race): the younger is deleted',
    base: system('requested'),
    head: system('approved'),
    event: () => prEvent(),
    setup: (gh) => {
      approvedBySam(gh);
      gh.addComment(2, { body: `${MARKER}\nan older report`, created_at: '2026-01-01T00:00:00Z' });
      gh.addComment(2, { body: `${MARKER}\na copy`, created_at: '2026-01-01T00:00:01Z' });
    },
  },
  'merge-queue': {
    baseline: 'pass',
    comments: 0,
    describe: 'merge_group for PR #2 (its head and author come from pulls.get)',
    base: system('requested'),
    head: system('approved'),
    event: mergeGroup,
    setup: approvedBySam,
  },
  annotations: {
    baseline: 'warn',
    comments: 1,
    describe: 'PR into master (warn) with 9 skeleton systems: 63 annotations, so the check run is updated with the last 13',
    baseRef: 'master',
    base: { [POLICY_PATH]: MASTER_POLICY },
    head: SKELETONS,
    event: () => prEvent('master'),
    inputs: { manifests: 'services/*/lastmile.yml' },
  },
  'weakened-policy': {
    baseline: 'fail',
    comments: 1,
    describe: 'PR without `rollback` whose head policy requires nothing and only warns; the base policy blocks',
    base: system('requested'),
    head: system('approved', { policy: WEAKENED, noRollback: true }),
    event: () => prEvent(),
    setup: approvedBySam,
  },
  'foreign-codeowners': {
    baseline: 'fail',
    comments: 1,
    describe: "PR whose base CODEOWNERS assigns the manifest to another team (ownership fails)",
    base: system('requested', { codeowners: '/lastmile.yml @acme/other-team\n' }),
    head: system('approved'),
    event: () => prEvent(),
    setup: approvedBySam,
  },
  stable: {
    baseline: 'pass',
    comments: 1,
    describe: 'the `pr` scenario into stable/2, a branch that only the repository\'s policy blocks (the built-in default would only warn there)',
    baseRef: 'stable/2',
    base: system('requested', { policy: STABLE_POLICY }),
    head: system('approved', { policy: STABLE_POLICY }),
    event: () => prEvent('stable/2'),
    setup: approvedBySam,
  },
};

const workspaces = new Map<ScenarioId, string>();
/** The action only reads the workspace: one git work tree per scenario serves every case. */
function workspaceOf(id: ScenarioId): string {
  let dir = workspaces.get(id);
  if (!dir) workspaces.set(id, (dir = workspace(SCENARIOS[id].head)));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Routes and fault classes
// ---------------------------------------------------------------------------------------------

interface Route {
  name: string;
  kind: 'read' | 'write';
  scenario: ScenarioId;
  /** The request the run makes for it: a transient fault goes here, and must meet it. */
  match: RequestMatcher;
  /**
   * Where the action turns when `match` fails for good: for a GraphQL query of base files, the
   * contents API, one request for each of `files`. A persistent fault on the route is on both.
   */
  fallback?: { match: RequestMatcher; files: string[] };
}

const contents = (re: RegExp): RequestMatcher => ({ method: 'GET', operationId: 'repos/get-content', path: re });
/**
 * A GraphQL query for base files (`repository { object(expression: $e0) … }`, not `viewer`) one
 * of whose expressions (`"<sha>:<path>"`, in the variables) is a path that `path` starts.
 */
const fileQuery = (path: RegExp): RequestMatcher => ({
  method: 'POST',
  operationId: 'graphql',
  requestBody: new RegExp(`^(?=[\\s\\S]*\\brepository\\s*\\()(?=[\\s\\S]*"[0-9a-f]{40}:${path.source})`),
});
/** Requests of the log that `m` matches (as the fake GitHub matches a fault's). */
const matching = (gh: FakeGitHub, m: RequestMatcher): RecordedRequest[] =>
  gh.requests.filter(
    (q) =>
      (m.method === undefined || m.method.toUpperCase() === q.method) &&
      (m.operationId === undefined || m.operationId === q.operationId) &&
      (!(m.path instanceof RegExp) || m.path.test(q.path)) &&
      (m.requestBody === undefined || m.requestBody.test(q.rawBody)),
  );

const ROUTES: Route[] = [
  { name: 'contents: policy (base)', kind: 'read', scenario: 'pr', match: contents(/\/contents\/\.github(%2F|\/)lastmile-policy\.yml$/) },
  { name: 'contents: policy (base), head weakens it', kind: 'read', scenario: 'weakened-policy', match: contents(/\/contents\/\.github(%2F|\/)lastmile-policy\.yml$/) },
  { name: 'contents: CODEOWNERS (base)', kind: 'read', scenario: 'pr', match: contents(/CODEOWNERS$/) },
  { name: 'contents: CODEOWNERS (base) owning the manifest for another team', kind: 'read', scenario: 'foreign-codeowners', match: contents(/CODEOWNERS$/) },
  { name: 'contents: manifest (base)', kind: 'read', scenario: 'pr', match: contents(/\/contents\/lastmile\.yml$/) },
  // The two eval files are read together: one GraphQL query, and the contents API where it fails.
  { name: 'GraphQL, then contents: eval files (base)', kind: 'read', scenario: 'pr', match: fileQuery(/evals\//), fallback: { match: contents(/\/contents\/evals(%2F|\/)/), files: ['evals/curated.json', 'evals/prod-sample.jsonl'] } },
  { name: 'pulls.listReviews', kind: 'read', scenario: 'pr', match: { method: 'GET', operationId: 'pulls/list-reviews' } },
  { name: 'teams.getMembershipForUserInOrg', kind: 'read', scenario: 'pr', match: { method: 'GET', operationId: 'teams/get-membership-for-user-in-org' } },
  { name: 'repos.getCollaboratorPermissionLevel', kind: 'read', scenario: 'pr', match: { method: 'GET', operationId: 'repos/get-collaborator-permission-level' } },
  { name: 'pulls.get (merge queue: the queued PR)', kind: 'read', scenario: 'merge-queue', match: { method: 'GET', operationId: 'pulls/get' } },
  { name: 'GET /user (whose comment is ours)', kind: 'write', scenario: 'pr', match: { method: 'GET', operationId: 'users/get-authenticated' } },
  { name: 'issues.listComments', kind: 'write', scenario: 'pr', match: { method: 'GET', operationId: 'issues/list-comments' } },
  { name: 'pulls.get (stale-head check before writing)', kind: 'write', scenario: 'pr', match: { method: 'GET', operationId: 'pulls/get' } },
  { name: 'issues.createComment', kind: 'write', scenario: 'pr', match: { method: 'POST', operationId: 'issues/create-comment' } },
  { name: 'issues.updateComment', kind: 'write', scenario: 'pr-commented', match: { method: 'PATCH', operationId: 'issues/update-comment' } },
  { name: 'issues.deleteComment (a duplicate)', kind: 'write', scenario: 'pr-duplicates', match: { method: 'DELETE', operationId: 'issues/delete-comment' } },
  { name: 'checks.create', kind: 'write', scenario: 'pr', match: { method: 'POST', operationId: 'checks/create' } },
  { name: 'checks.update (annotations 51+)', kind: 'write', scenario: 'annotations', match: { method: 'PATCH', operationId: 'checks/update' } },
];

type ClassId = 'http-5xx' | 'reset-once' | 'hang-once' | 'rate-limit' | 'secondary' | 'outage' | 'reset' | 'hang' | 'forbidden' | 'not-found' | 'rate-limit-outlasting' | 'secondary-outlasting';

interface FaultClass {
  label: string;
  faults: Fault[];
  /** The client recovers (the outcome is the baseline): injected once on every route of a scenario at once. */
  recovers: boolean;
  env?: Record<string, string>;
}

const ALWAYS = Number.POSITIVE_INFINITY;
/** A hung request is abandoned after this long (per attempt). */
const HANG_TIMEOUT = { LASTMILE_HTTP_TIMEOUT_MS: '1000' };

const CLASSES: Record<ClassId, FaultClass> = {
  // Each route of the run gets one of the three in turn (a run with a single route: all three, one after the other).
  'http-5xx': { label: '500, 502 or 503 once, then served', faults: [faults.serverError(500), faults.serverError(502), faults.serverError(503)], recovers: true },
  'reset-once': { label: 'connection reset once, then served', faults: [faults.connectionReset()], recovers: true },
  'hang-once': { label: 'hung once (1 s timeout), then served', faults: [faults.hang()], recovers: true, env: HANG_TIMEOUT },
  'rate-limit': { label: '429 retry-after 1 once, then served', faults: [faults.tooManyRequests(1)], recovers: true },
  secondary: { label: '403 secondary rate limit, retry-after 1, once, then served', faults: [faults.secondaryRateLimit(1)], recovers: true },
  outage: { label: '500, 502, then 503 until the 4 attempts are spent', faults: [faults.serverError(500), faults.serverError(502), { ...faults.serverError(503), times: ALWAYS }], recovers: false },
  reset: { label: 'connection reset on all 4 attempts', faults: [{ ...faults.connectionReset(), times: ALWAYS }], recovers: false },
  hang: { label: 'hung on all 4 attempts (1 s timeout each)', faults: [{ ...faults.hang(), times: ALWAYS }], recovers: false, env: HANG_TIMEOUT },
  forbidden: { label: '403 Resource not accessible by integration', faults: [{ ...faults.forbidden(), times: ALWAYS }], recovers: false },
  'not-found': { label: '404 Not Found', faults: [{ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, times: ALWAYS }], recovers: false },
  'rate-limit-outlasting': { label: '429 retry-after 1 on every attempt (gives up after 2 waits)', faults: [{ ...faults.tooManyRequests(1), times: ALWAYS }], recovers: false },
  'secondary-outlasting': { label: '403 secondary rate limit on every attempt (gives up after 2 waits)', faults: [{ ...faults.secondaryRateLimit(1), times: ALWAYS }], recovers: false },
};

const RECOVERING = (Object.keys(CLASSES) as ClassId[]).filter((c) => CLASSES[c].recovers);
const PERSISTENT = (Object.keys(CLASSES) as ClassId[]).filter((c) => !CLASSES[c].recovers);
/** Routes whose scenario fails without faults: the persistent classes that end differently. */
const FAIL_BASELINE_CLASSES: ClassId[] = ['outage', 'forbidden', 'not-found'];
/**
 * A reset or a 429 that outlasts the retries reaches the route's code as an error like any
 * other that is not 401/403/404 (the outage's path): shown on one read and one write.
 */
const REPRESENTATIVE: Partial<Record<ClassId, string[]>> = {
  reset: ['pulls.listReviews', 'issues.createComment'],
  'rate-limit-outlasting': ['contents: manifest (base)', 'checks.create'],
};

// ---------------------------------------------------------------------------------------------
// Expected outcomes
// ---------------------------------------------------------------------------------------------

type Expectation =
  /** Same verdict, comment and check run as without the fault; no warning. */
  | { kind: 'baseline'; comments?: number }
  /** Verdict fail, exit 1; the error is in the job summary (and the comment). */
  | { kind: 'fail-closed'; error: RegExp }
  /** A gate decides (the fault is evidence that is missing): verdict and the reason shown. */
  | { kind: 'gate'; verdict: 'fail' | 'pass'; text: RegExp }
  /** Verdict unchanged; a warning names the write that could not be made. */
  | { kind: 'warning'; text: RegExp };

/** The error a persistent fault ends with, as the action shows it. */
function finalError(c: ClassId): RegExp {
  switch (c) {
    case 'outage':
      return /HTTP 503: Server Error/;
    case 'reset':
      return /HTTP 500: (other side closed|fetch failed|socket hang up|read ECONNRESET)/;
    case 'hang':
      return /HTTP 500: (The operation was aborted due to timeout|This operation was aborted)/;
    case 'forbidden':
      return /HTTP 403: Resource not accessible by integration/;
    case 'not-found':
      return /HTTP 404: Not Found/;
    case 'rate-limit-outlasting':
      return /HTTP 429: You have exceeded a secondary rate limit/;
    case 'secondary-outlasting':
      return /HTTP 403: You have exceeded a secondary rate limit/;
    default:
      return /$^/;
  }
}

const COMMENT_NOT_WRITTEN = /The pull request comment could not be written \(/;
const CHECK_NOT_WRITTEN = /The check run "Last Mile gates" could not be written \(/;
/** The rest of GitHub's message (` - <documentation_url>`), then the permission hint where one applies. */
const HINT = (permission: string, rateLimited: boolean, status: boolean): string =>
  `[^\\n]*\\)\\.${status && !rateLimited ? ` Grant \`${permission}\` in the workflow's permissions\\.` : ''} The verdict is unchanged\\.`;

function expected(route: Route, c: ClassId): Expectation {
  if (CLASSES[c].recovers) return { kind: 'baseline' };
  const src = finalError(c).source;
  const status403 = c === 'forbidden' || c === 'secondary-outlasting';
  const rateLimited = c === 'rate-limit-outlasting' || c === 'secondary-outlasting';
  const permissionStatus = status403 || c === 'not-found';
  switch (route.name) {
    case 'contents: policy (base)':
    case 'contents: policy (base), head weakens it':
      // 404: there is no policy at the base, so the built-in default judges (production needs
      // four sign-offs approved by @write collaborators: business-owner and compliance are missing).
      if (c === 'not-found') return { kind: 'gate', verdict: 'fail', text: /\*\*signoffs\*\* fail: 2 of 4 required sign-offs not in place/ };
      return { kind: 'fail-closed', error: new RegExp(`could not read the policy at the base bbbbbbb: ${src}`) };
    case 'contents: CODEOWNERS (base)':
      if (c === 'not-found') return { kind: 'baseline' };
      return { kind: 'fail-closed', error: new RegExp(`could not read CODEOWNERS at the base bbbbbbb: ${src}`) };
    case 'contents: CODEOWNERS (base) owning the manifest for another team':
      // 404 in all three locations: the repository has no CODEOWNERS, as far as GitHub says.
      if (c === 'not-found') return { kind: 'gate', verdict: 'pass', text: /\| ownership \| ✅ pass \| owned by @acme\/support-ml; on-call and escalation declared \|/ };
      return { kind: 'fail-closed', error: new RegExp(`could not read CODEOWNERS at the base bbbbbbb: ${src}`) };
    case 'contents: manifest (base)':
      // 404: no manifest at the base; the records are the PR's own, verified by sam's review.
      if (c === 'not-found') return { kind: 'baseline' };
      return { kind: 'fail-closed', error: new RegExp(`could not read lastmile\\.yml at base bbbbbbb: ${src}`) };
    case 'GraphQL, then contents: eval files (base)':
      // 404: no eval results at the base, so eval.regression has nothing to compare with.
      if (c === 'not-found') return { kind: 'gate', verdict: 'pass', text: /\| eval\.regression \| ⏭️ skipped \|/ };
      return { kind: 'fail-closed', error: new RegExp(`could not read the eval results of lastmile\\.yml at base bbbbbbb: ${src}`) };
    case 'pulls.listReviews':
      return { kind: 'fail-closed', error: new RegExp(`could not read the reviews of pull request #2: ${src}`) };
    case 'teams.getMembershipForUserInOrg':
      // 403: the token may not read the team (a rate limit that outlasted the waits is an error instead).
      if (c === 'forbidden') return { kind: 'gate', verdict: 'fail', text: /security: approved \(SEC-1\) but unverified: .*cannot read the membership of @acme\/security \(HTTP 403/ };
      if (c === 'not-found') return { kind: 'gate', verdict: 'fail', text: /security: approved \(SEC-1\) but unverified: added or changed by this pull request without an approving review on ccccccc from a member of @acme\/security/ };
      return { kind: 'fail-closed', error: new RegExp(`could not look up the approving reviewers' team membership or repository permission: ${src}`) };
    case 'repos.getCollaboratorPermissionLevel':
      if (c === 'forbidden') return { kind: 'gate', verdict: 'fail', text: /data-governance: approved \(DG-1\) but unverified: .*cannot read @sam's permission on the repository \(HTTP 403/ };
      if (c === 'not-found') return { kind: 'gate', verdict: 'fail', text: /data-governance: approved \(DG-1\) but unverified: added or changed by this pull request without an approving review on ccccccc from a collaborator with write access/ };
      return { kind: 'fail-closed', error: new RegExp(`could not look up the approving reviewers' team membership or repository permission: ${src}`) };
    case 'pulls.get (merge queue: the queued PR)':
      return { kind: 'fail-closed', error: new RegExp(`could not read pull request #2 of the merge queue: ${src}`) };
    case 'GET /user (whose comment is ours)':
      // GITHUB_TOKEN cannot call GET /user: 401/403/404 mean "the token is github-actions[bot]".
      if (status403 || c === 'not-found') return { kind: 'baseline' };
      return { kind: 'warning', text: new RegExp(`${COMMENT_NOT_WRITTEN.source}${src}${HINT('pull-requests: write', rateLimited, permissionStatus)}`) };
    case 'issues.deleteComment (a duplicate)':
      // 404: already gone (deleted by another run), nothing to do. The fake still lists it.
      if (c === 'not-found') return { kind: 'baseline', comments: 2 };
      return { kind: 'warning', text: new RegExp(`could not delete a duplicate of the pull request comment \\(id \\d+\\): ${src}[^\\n]*\\. The next run deletes it\\.`) };
    case 'checks.create':
    case 'checks.update (annotations 51+)':
      return { kind: 'warning', text: new RegExp(`${CHECK_NOT_WRITTEN.source}${src}${HINT('checks: write', rateLimited, permissionStatus)}`) };
    default:
      return { kind: 'warning', text: new RegExp(`${COMMENT_NOT_WRITTEN.source}${src}${HINT('pull-requests: write', rateLimited, permissionStatus)}`) };
  }
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

interface Observation {
  section: 'transient' | 'persistent' | 'fallback' | 'special';
  route: string;
  fault: string;
  verdict: string;
  exit: number | null;
  comment: string;
  check: string;
  note: string;
}

const observations: Observation[] = [];

const BOT = 'github-actions[bot]';

interface Ran {
  gh: FakeGitHub;
  r: RunResult;
  /** Our comments after the run, and before it. */
  ours: ReturnType<FakeGitHub['comments']>;
  before: number;
  /** Comments the action created (201). */
  created: number;
  warned: string[];
  summary: string;
  context: string;
}

/** Runs the scenario's action with `inject` applied to its fake GitHub; checks the rules every case obeys. */
async function runScenario(id: ScenarioId, o: { inject: (gh: FakeGitHub) => void; env?: Record<string, string>; label: string }, body: (ran: Ran) => void | Promise<void>): Promise<void> {
  const sc = SCENARIOS[id];
  const gh = await fakeGitHub({ baseFiles: sc.base, base: sc.baseRef ?? 'release/1.0' });
  try {
    sc.setup?.(gh);
    const before = gh.comments(2).filter((x) => x.user.login === BOT).length;
    o.inject(gh);
    const r = await runAction({ apiUrl: gh.url, workspace: workspaceOf(id), ...sc.event(), ...(sc.inputs ? { inputs: sc.inputs } : {}), ...(o.env ? { env: o.env } : {}) });
    const ours = gh.comments(2).filter((x) => x.user.login === BOT);
    const created = gh.requests.filter((q) => q.operationId === 'issues/create-comment' && q.status === 201).length;
    const context = `${o.label}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    // Every case: no stack trace, requests GitHub would accept, a verdict and its exit code.
    expectNoStackTrace(r);
    expect(gh.violations, context).toEqual([]);
    expect(['pass', 'fail', 'warn'], context).toContain(r.outputs.verdict);
    expect(r.code, context).toBe(r.outputs.verdict === 'fail' ? 1 : 0);
    // Never a duplicate: at most one comment created, none next to an existing one, no more than before.
    expect(created, context).toBeLessThanOrEqual(1);
    if (before > 0) expect(created, context).toBe(0);
    expect(ours.length, context).toBeLessThanOrEqual(Math.max(1, before));
    await body({ gh, r, ours, before, created, warned: warnings(r), summary: plain(r.summary), context });
  } finally {
    await gh.close();
  }
}

function observe(section: Observation['section'], route: string, fault: string, id: ScenarioId, ran: Ran): void {
  const { r, ours, before, created, warned, summary, gh } = ran;
  const comment =
    SCENARIOS[id].event().event === 'merge_group'
      ? 'none (merge group)'
      : `${ours.length}${before > 0 ? ` (${before} before)` : ''}${created > 0 ? ', created' : before > 0 && ours.some((c) => c.edits > 0) ? ', edited' : ''}`;
  const err = /(could not (read|look up|finish)|cannot read)[^\n|]*/.exec(summary)?.[0];
  const note = warned.length > 0 ? `warning: ${warned.join(' / ').split('\n')[0]!}` : err ? `error: ${err}` : '';
  observations.push({ section, route, fault, verdict: String(r.outputs.verdict), exit: r.code, comment, check: gh.checkRuns().length > 0 ? 'written' : 'not written', note });
}

/** The outcome when the scenario's routes recover: the same as without any fault. */
function expectBaseline(id: ScenarioId, ran: Ran, comments = SCENARIOS[id].comments): void {
  const sc = SCENARIOS[id];
  expect(ran.r.outputs.verdict, ran.context).toBe(sc.baseline);
  expect(ran.warned, ran.context).toEqual([]);
  expect(ran.ours.length, ran.context).toBe(comments);
  if (comments > 0) expect(ran.ours[0]!.body, ran.context).not.toContain('an older report');
  expect(ran.gh.checkRuns().length, ran.context).toBe(1);
}

afterAll(() => {
  const file = process.env.LASTMILE_RELIABILITY_TABLE;
  if (file) {
    const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const labels = Object.values(CLASSES).map((x) => x.label);
    const order = (o: Observation): number => ['transient', 'persistent', 'fallback', 'special'].indexOf(o.section) * 1e6 + Math.max(0, ROUTES.findIndex((r) => r.name === o.route)) * 100 + labels.indexOf(o.fault);
    const rows = [...observations].sort((a, b) => order(a) - order(b)).map((o) => `| ${o.section} | ${esc(o.route)} | ${esc(o.fault)} | ${o.verdict} | ${o.exit} | ${esc(o.comment)} | ${o.check} | ${esc(o.note)} |`);
    writeFileSync(file, ['| section | route | fault | verdict | exit | our comments | check run | warning / error |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n');
  }
  cleanup();
});

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

describe.concurrent('a transient fault on every route of a run at once: retried, then the outcome is the same as without it', () => {
  for (const id of Object.keys(SCENARIOS) as ScenarioId[]) {
    const routes = ROUTES.filter((r) => r.scenario === id);
    if (routes.length === 0) continue;
    for (const c of RECOVERING) {
      const cls = CLASSES[c];
      it(`${id} (${routes.map((r) => r.name).join('; ')}): ${cls.label}`, () => {
        const fired: { route: string; fired: () => number }[] = [];
        return runScenario(
          id,
          {
            label: `${id} × ${cls.label}`,
            ...(cls.env ? { env: cls.env } : {}),
            inject: (gh) => {
              for (const [i, route] of routes.entries()) {
                const each = c === 'http-5xx' && routes.length > 1 ? [cls.faults[i % cls.faults.length]!] : cls.faults;
                for (const f of each) {
                  const h = gh.inject({ ...route.match, ...f });
                  fired.push({ route: route.name, fired: () => h.fired });
                }
              }
            },
          },
          (ran) => {
            observe('transient', routes.map((r) => r.name).join('; '), cls.label, id, ran);
            expectBaseline(id, ran);
            // Each route met its fault (and was retried).
            expect(fired.map((f) => [f.route, f.fired()]), ran.context).toEqual(fired.map((f) => [f.route, 1]));
            // A GraphQL query of base files was retried and served, not given up for the contents API.
            for (const route of routes) if (route.fallback) expect(matching(ran.gh, route.fallback.match), `${route.name}\n${ran.context}`).toEqual([]);
          },
        );
      });
    }
  }
});

describe.concurrent('a fault that persists, on one route at a time', () => {
  for (const route of ROUTES) {
    const sc = SCENARIOS[route.scenario];
    for (const c of sc.baseline === 'fail' ? FAIL_BASELINE_CLASSES : PERSISTENT.filter((x) => REPRESENTATIVE[x]?.includes(route.name) ?? true)) {
      const cls = CLASSES[c];
      it(`${route.name} (${route.kind}; ${sc.baseline} without faults): ${cls.label}`, () =>
        runScenario(
          route.scenario,
          {
            label: `${route.name} × ${cls.label}`,
            ...(cls.env ? { env: cls.env } : {}),
            inject: (gh) => {
              // On every request that could serve the route: a GraphQL query and its fallback alike.
              for (const m of route.fallback ? [route.match, route.fallback.match] : [route.match]) for (const f of cls.faults) gh.inject({ ...m, ...f });
            },
          },
          ({ r, ours, warned, summary, context, ...rest }) => {
            observe('persistent', route.name, cls.label, route.scenario, { r, ours, warned, summary, context, ...rest });
            const exp = expected(route, c);
            // What the gates say, or fail: never a false pass. (The one exception is a 404 that GitHub
            // gives for a file: GitHub says it is absent at the base, and the gates judge a
            // repository without it, as they would for a real one.)
            if (!(exp.kind === 'gate' && exp.verdict === 'pass')) expect([sc.baseline, 'fail'], context).toContain(r.outputs.verdict);
            switch (exp.kind) {
              case 'baseline':
                expectBaseline(route.scenario, { r, ours, warned, summary, context, ...rest }, exp.comments);
                break;
              case 'fail-closed':
                expect(r.outputs.verdict, context).toBe('fail');
                expect(summary, context).toMatch(exp.error);
                // The comment, where one is written, says the same.
                if (sc.comments > 0 && ours.length > 0) expect(plain(ours[0]!.body), context).toMatch(exp.error);
                break;
              case 'gate':
                expect(r.outputs.verdict, context).toBe(exp.verdict);
                expect(summary, context).toMatch(exp.text);
                break;
              case 'warning':
                expect(r.outputs.verdict, context).toBe(sc.baseline);
                expect(warned.join('\n'), context).toMatch(exp.text);
                expect(r.summary, context).toContain('> [!WARNING]');
                break;
            }
          },
        ));
    }
  }
});

describe.concurrent('a fault that persists on a GraphQL query of base files alone: the contents API serves each file, and the outcome is the same as without it', () => {
  for (const route of ROUTES) {
    const fallback = route.fallback;
    if (!fallback) continue;
    for (const c of PERSISTENT) {
      const cls = CLASSES[c];
      it(`${route.name}: ${cls.label} on the GraphQL query only`, () => {
        const handles: { fired: number }[] = [];
        return runScenario(
          route.scenario,
          {
            label: `${route.name} × ${cls.label} (GraphQL only)`,
            ...(cls.env ? { env: cls.env } : {}),
            inject: (gh) => {
              for (const f of cls.faults) handles.push(gh.inject({ ...route.match, ...f }));
            },
          },
          (ran) => {
            observe('fallback', `${route.name}: the GraphQL query only`, cls.label, route.scenario, ran);
            expectBaseline(route.scenario, ran);
            // The query met the fault (on every attempt the client made), and no query for those
            // files was answered...
            expect(handles.reduce((n, h) => n + h.fired, 0), ran.context).toBeGreaterThan(0);
            expect(matching(ran.gh, route.match).filter((q) => q.status === 200 && !q.injected), ran.context).toEqual([]);
            // ...so each file came from the contents API, once, at the base.
            const served = matching(ran.gh, fallback.match).map((q) => [q.params.path, q.query.ref, q.status]);
            expect(served.sort(), ran.context).toEqual(fallback.files.map((f) => [f, BASE_SHA, 200]).sort());
          },
        );
      });
    }
  }
});

describe.concurrent('special cases', () => {
  it('a comment the server created but whose answer was lost (connection reset): the retry creates a copy, which is deleted again', () => {
    let lost = false;
    return runScenario(
      'pr',
      {
        label: 'lost answer to the create',
        inject: (gh) => {
          gh.onRequest((ctx) => {
            if (ctx.operationId !== 'issues/create-comment' || lost) return;
            lost = true;
            gh.addComment(2, { body: (ctx.request.body as { body: string }).body });
          });
          gh.inject({ method: 'POST', operationId: 'issues/create-comment', ...faults.connectionReset() });
        },
      },
      (ran) => {
        observe('special', 'issues.createComment: created, answer lost', 'connection reset after the server created the comment', 'pr', ran);
        expect(lost).toBe(true);
        expect(ran.r.outputs.verdict).toBe('pass');
        expect(ran.ours).toHaveLength(1);
        expect(ran.gh.countRequests('DELETE', /\/issues\/comments\/\d+$/)).toBe(1);
        expect(ran.warned).toEqual([]);
      },
    );
  });

  it('the list after a create fails: one comment and a warning; the next run finds it and edits it', async () => {
    const gh = await fakeGitHub({ baseFiles: SCENARIOS.pr.base });
    try {
      approvedBySam(gh);
      gh.onRequest((ctx) => {
        if (ctx.operationId === 'issues/create-comment') gh.inject({ method: 'GET', operationId: 'issues/list-comments', ...faults.serverError(503), times: ALWAYS });
      });
      const first = await runAction({ apiUrl: gh.url, workspace: workspaceOf('pr'), ...prEvent() });
      expectNoStackTrace(first);
      expect(first.outputs.verdict).toBe('pass');
      expect(warnings(first).join('\n')).toMatch(/The pull request comment could not be written \(HTTP 503: Server Error\)\. The verdict is unchanged\./);
      expect(gh.comments(2)).toHaveLength(1);
      gh.clearFaults();
      const second = await runAction({ apiUrl: gh.url, workspace: workspaceOf('pr'), ...prEvent() });
      expect(second.outputs.verdict).toBe('pass');
      expect(warnings(second)).toEqual([]);
      expect(gh.comments(2)).toHaveLength(1);
      expect(gh.countRequests('POST', /\/issues\/2\/comments$/)).toBe(1);
      expect(gh.violations).toEqual([]);
      observations.push({ section: 'special', route: 'issues.listComments after the create', fault: '503 until the attempts are spent; then a clean rerun', verdict: 'pass, then pass', exit: 0, comment: '1 (created by the first run, found by the second)', check: 'written', note: `warning (first run): ${warnings(first)[0] ?? ''}` });
    } finally {
      await gh.close();
    }
  });

  it('a read that fails on a branch only the repository\'s policy blocks still fails closed (the built-in default would only warn there)', () =>
    runScenario(
      'stable',
      { label: 'stable/2 × reviews outage', inject: (gh) => gh.inject({ method: 'GET', operationId: 'pulls/list-reviews', ...faults.serverError(503), times: ALWAYS }) },
      (ran) => {
        observe('special', 'pulls.listReviews on stable/2 (blocked by the repository policy only)', CLASSES.outage.label, 'stable', ran);
        expect(ran.r.outputs.verdict, ran.context).toBe('fail');
        expect(ran.r.code).toBe(1);
        expect(ran.r.outputs.stage).toBe('production');
        expect(ran.summary).toMatch(/could not read the reviews of pull request #2: HTTP 503: Server Error/);
        expect(plain(ran.ours[0]!.body)).toContain('Not ready for production on stable/2 (blocks merge)');
      },
    ));
});
