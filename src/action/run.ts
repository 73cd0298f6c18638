// The action: event → load → evaluate → publish. The only place that decides the exit code.
import * as core from './runner';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contextFrom } from './event';
import type { RunContext } from './event';
import { readInputs } from './inputs';
import type { Inputs } from './inputs';
import { describeError, isRateLimit, statusOf } from '../github/errors';
import type { GitHub, OpenPull, RepoRef } from '../github/index';
import type * as GitHubApi from '../github/index';
import { parseCentral } from '../collect/policy';

type Api = typeof GitHubApi;
import { loadCodeowners, scanRepository } from '../collect/repository';
import { loadSystems } from '../collect/systems';
import type { BaseReader } from '../collect/systems';
import { loadPolicy } from '../collect/policy';
import { inventoryRuns } from '../core/gates/inventory/unregistered';
import { evaluate } from '../core/evaluate';
import type { EvaluationInput } from '../core/evaluate';
import { commentState } from '../render/changes';
import { cappedAnnotations } from '../render/annotations';
import { renderMarkdown } from '../render/markdown';
import { md as escapeMd } from '../lib/escape';
import { renderTerminal } from '../render/terminal';
import { headline } from '../render/counts';
import type { Report } from '../model/report';
import { ruleFor } from '../config/policy/branches';
import { defaultPolicy } from '../config/policy/default';
import type { BranchRule } from '../config/policy/schema';
import type { TrustEvidence } from '../evidence/trust/types';
import { NO_TRUST } from '../evidence/trust/types';
import { Workspace } from '../collect/workspace';
import { renderAttestation } from '../render/attestation';
import type { AttestationEvidence } from '../render/attestation';
import { LAST_MILE_URI, renderSarif } from '../render/sarif';
import { sha256Hex } from '../lib/digest';
import { VERSION } from '../lib/version';
import { headSha as gitHead } from '../collect/git';
import { openGitBase } from '../collect/git-base';
import { answerForPulls, checkTitle, reevaluateInto } from './pulls';
import type { Combined } from './pulls';

/** Most characters of the comment's hidden state, out of GitHub's 65,536. */
const STATE_BUDGET = 20_000;

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const writeNotes: string[] = [];
  let ctx: RunContext | undefined;
  let report: Report;
  let evidence: Evidence | undefined;
  let gh: GitHub | undefined;
  let api: Api | undefined;
  let inputs: Inputs | undefined;
  let judged: Combined<Evidence> | undefined;
  // The policy's branch rules once known: an unexpected error later still fails closed by them.
  const seen: { branches?: readonly BranchRule[] } = {};
  try {
    inputs = readInputs(env);
    const payload = readPayload(env.GITHUB_EVENT_PATH);
    const ws = new Workspace(env.GITHUB_WORKSPACE ?? process.cwd());
    const workspaceHead = gitHead(ws.root);
    ctx = contextFrom(env.GITHUB_EVENT_NAME ?? 'workflow_dispatch', payload, env, {
      ...(inputs.branch ? { branchInput: inputs.branch } : {}),
      ...(workspaceHead ? { workspaceHead } : {}),
    });
    if (needsApi(ctx, inputs)) {
      api = await import('../github/index');
      gh = api.createClient(inputs.token, { log: (m) => core.info(m) });
    }
    if (api && gh && ctx.trustMode === 'pull-request' && ctx.reviewsOf !== undefined && ctx.baseSha === undefined) {
      // A push to a merge queue's branch names no base commit: the queued pull request's base is it.
      const pr = await gh.rest.pulls.get({ owner: ctx.owner, repo: ctx.repo, pull_number: ctx.reviewsOf }).catch((err: unknown) => {
        throw new Error(`could not read pull request #${ctx!.reviewsOf} of the merge queue: ${describeError(err)}`, { cause: err });
      });
      ctx = { ...ctx, baseSha: pr.data.base.sha };
    }
    ({ report, evidence } = await evaluateRun(api && gh ? { api, gh } : undefined, ctx, inputs, ws, seen));
    if (api && gh && ctx.trustMode === 'branch') {
      judged = await answerBranchRun({ api, gh }, ctx, inputs, ws, { report, evidence }, env);
      ({ report, evidence } = judged);
    }
  } catch (err) {
    report = failedRun(ctx, err, seen.branches);
  }

  if (api && gh && ctx && inputs) await publishWrites(api, gh, ctx, inputs, report, writeNotes, judged);
  publishLocal(report, ctx, writeNotes, env, evidence);
}

function readPayload(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read the event payload ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What the attestation records besides the report: the files the verdict was computed from. */
interface Evidence {
  policy?: { path: string; text: string };
  manifests: string[];
  evals: string[];
  ws: Workspace;
}

/**
 * Pull requests and merge groups read the base through the API; a central policy too; writes
 * need it; and a branch run on a commit must learn which open pull requests that commit heads.
 */
function needsApi(ctx: RunContext, inputs: Inputs): boolean {
  return ctx.trustMode === 'pull-request' || ctx.headSha !== undefined || parseCentral(inputs.policy) !== undefined || ctx.canComment;
}

type Client = { api: Api; gh: GitHub };

/**
 * A push, schedule or workflow_dispatch run (SPEC §8): its commit is also judged as each open
 * pull request it heads would be, and a scheduled run on a block branch re-evaluates the open
 * pull requests into it. The single-run path is unchanged where the commit heads none.
 */
async function answerBranchRun(client: Client, ctx: RunContext, inputs: Inputs, ws: Workspace, own: { report: Report; evidence: Evidence }, env: NodeJS.ProcessEnv): Promise<Combined<Evidence>> {
  const repo: RepoRef = { owner: ctx.owner, repo: ctx.repo };
  const { api, gh } = client;
  const combined = await answerForPulls({
    ctx,
    own,
    api: { headedBy: (sha) => api.openPullsHeadedBy(gh, repo, sha) },
    evaluate: (prCtx) => evaluateOrFail(client, prCtx, inputs, ws),
    log: (m) => core.info(m),
  });
  if (ctx.event !== 'schedule' || own.report.enforce !== 'block' || !inputs.checkName) return combined;
  const lines = await reevaluateInto({
    ctx,
    root: ws.root,
    tmp: path.join(env.RUNNER_TEMP ?? tmpdir(), 'last-mile', 'heads'),
    api: {
      into: (base, limit) => api.openPullsInto(gh, repo, base, limit),
      latest: (sha) => api.latestCheckRun(gh, repo, sha, inputs.checkName),
      publish: (prCtx, report) => api.publishCheckRun(gh, repo, checkRunOf(report, prCtx, inputs.checkName, { number: prCtx.pullNumber!, baseRef: prCtx.branch, baseSha: prCtx.baseSha!, headSha: prCtx.headSha!, fork: false })).then(() => undefined),
    },
    evaluate: (prCtx, headWs) => evaluateOrFail(client, prCtx, inputs, headWs),
    log: (m) => core.info(m),
  });
  return { ...combined, report: { ...combined.report, notes: [...combined.report.notes, ...lines] } };
}

/** A pull request's evaluation that cannot be completed fails closed: it is never green. */
async function evaluateOrFail(client: Client, ctx: RunContext, inputs: Inputs, ws: Workspace): Promise<{ report: Report; evidence: Evidence | undefined }> {
  const seen: { branches?: readonly BranchRule[] } = {};
  try {
    return await evaluateRun(client, ctx, inputs, ws, seen);
  } catch (err) {
    return { report: { ...failedRun(ctx, err, seen.branches), verdict: 'fail', enforce: 'block' }, evidence: undefined };
  }
}

async function evaluateRun(
  client: { api: Api; gh: GitHub } | undefined,
  ctx: RunContext,
  inputs: Inputs,
  ws: Workspace,
  seen: { branches?: readonly BranchRule[] } = {},
): Promise<{ report: Report; evidence: Evidence }> {
  const gh = client?.gh;
  const api = client?.api;
  const repo: RepoRef = { owner: ctx.owner, repo: ctx.repo };
  const fatal: string[] = [];
  const notes: string[] = [];
  const fromBase = ctx.trustMode === 'pull-request' && ctx.baseSha !== undefined;
  // Errors keep their HTTP status in the message: "could not read … (HTTP 503: Service Unavailable)".
  const withStatus = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      throw new Error(describeError(err), { cause: err });
    });
  const opened = fromBase && api && gh ? openBase({ api, gh }, repo, ctx.baseSha!, ws, withStatus) : undefined;
  const base: BaseReader | undefined = opened?.base;

  const policy = await loadPolicy({
    input: inputs.policy,
    explicit: inputs.policyExplicit,
    defaultBranch: ctx.defaultBranch,
    base,
    workspace: ws,
    ...(api && gh ? { central: (owner: string, name: string, file: string, ref: string) => withStatus(api.readRepoFile(gh, { owner, repo: name }, file, ref)) } : {}),
    repositoryOwner: ctx.owner,
    repositoryName: ctx.repo,
    baseBranch: ctx.branch,
    ...(ctx.trustMode === 'pull-request' && ctx.headSha ? { headSha: ctx.headSha } : {}),
    // GITHUB_HEAD_REF: the pull request's head branch (RunContext does not carry it).
    ...(ctx.trustMode === 'pull-request' && process.env.GITHUB_HEAD_REF ? { headRef: process.env.GITHUB_HEAD_REF } : {}),
  });
  fatal.push(...policy.errors);
  if (policy.parse.ok) seen.branches = policy.parse.policy.branches;

  const manifestPaths = ws.findManifests(inputs.manifests);
  // CODEOWNERS comes from the base for pull requests: a PR cannot make itself the owner.
  const codeowners = await loadCodeowners(base ? (p) => base.read(p) : async (p) => ws.readText(p).text).catch((err: unknown) => {
    // Ownership cannot be judged without it: fail closed, and still report every other gate.
    fatal.push(`could not read CODEOWNERS at the ${base?.label ?? 'workspace'}: ${describeError(err)}`);
    return undefined;
  });
  const loaded = await loadSystems(ws, manifestPaths, { ...(base ? { base } : {}), ...(codeowners ? { codeowners } : {}), globs: inputs.manifests });
  opened?.close();
  fatal.push(...loaded.baseErrors);

  let trust: TrustEvidence = { ...NO_TRUST, mode: 'branch' };
  if (ctx.trustMode === 'pull-request') {
    trust = { mode: 'pull-request', baseManifests: loaded.baseRecords, approvingReviewers: [], discountedReviews: [], memberships: {}, ...(ctx.author ? { author: ctx.author } : {}) };
    if (loaded.baseErrors.length > 0) trust.baseUnavailable = loaded.baseErrors.join('; ');
    const pull = ctx.pullNumber ?? ctx.reviewsOf;
    if (pull !== undefined && api && gh) {
      let head = ctx.headSha;
      // A read that fails here leaves records unverified and fails closed (fatal) under the
      // policy's own branch rule, with the error shown.
      if (ctx.pullNumber === undefined && ctx.reviewsOf !== undefined) {
        // In a merge queue, reviews are those of the queued pull request, on its own head.
        try {
          const pr = await gh.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: pull });
          head = pr.data.head.sha;
          trust.author = pr.data.user?.login ?? undefined;
        } catch (err) {
          head = undefined;
          fatal.push(`could not read pull request #${pull} of the merge queue: ${describeError(err)}`);
        }
      }
      if (head) {
        if (head !== ctx.headSha) trust.reviewHead = head;
        const ev = await api.reviewEvidence(gh, repo, pull, head, trust.author).catch((err: unknown) => {
          fatal.push(`could not read the reviews of pull request #${pull}: ${describeError(err)}`);
          return undefined;
        });
        if (ev) {
          trust.approvingReviewers = ev.approvingReviewers;
          trust.discountedReviews = ev.discountedReviews;
        }
        if (ev && policy.parse.ok && ev.approvingReviewers.length > 0) {
          const approvers = [...Object.values(policy.parse.policy.signoffs).flatMap((s) => s.approvers), ...policy.parse.policy.waivers.approvers];
          try {
            trust.memberships = await new api.ApproverDirectory(gh, repo).table(approvers, ev.approvingReviewers);
          } catch (err) {
            fatal.push(`could not look up the approving reviewers' team membership or repository permission: ${describeError(err)}`);
          }
        }
      }
    } else {
      notes.push('No pull request number for this merge group: sign-offs added by it cannot be verified by review.');
    }
  }

  let inventory: EvaluationInput['inventory'];
  let inventoryError: string | undefined;
  if (policy.parse.ok) {
    const rule = ruleFor(policy.parse.policy.branches, ctx.branch);
    if (rule && inventoryRuns(policy.parse.policy, rule.stage)) {
      const scan = scanRepository(ws, policy.parse.policy, manifestPaths);
      inventory = scan.findings;
      inventoryError = scan.error;
    }
  }

  const evidence: Evidence = {
    ...(policy.text !== undefined ? { policy: { path: policy.source, text: policy.text } } : {}),
    manifests: manifestPaths,
    evals: loaded.systems.flatMap((sys) => Object.values(sys.evals).map((l) => (l.ok ? l.result.file : l.error.file))),
    ws,
  };
  const report = evaluate({
    event: ctx.event,
    branch: ctx.branch,
    defaultBranch: ctx.defaultBranch,
    repository: `${ctx.owner}/${ctx.repo}`,
    ...(ctx.pullNumber !== undefined ? { pullRequest: ctx.pullNumber } : {}),
    ...(ctx.headSha ? { headSha: ctx.headSha } : {}),
    ...(ctx.baseSha ? { baseSha: ctx.baseSha } : {}),
    now: new Date(),
    policy: { source: policy.source, builtIn: policy.builtIn, parse: policy.parse, changedInHead: policy.changedInHead },
    systems: loaded.systems,
    trust,
    ...(inventory ? { inventory } : {}),
    ...(inventoryError ? { inventoryError } : {}),
    removedSystems: loaded.removed,
    fatal,
    notes,
  });
  return { report, evidence };
}

/**
 * The base commit's reader (SPEC §7.1): git, by object id, where the workspace has the commit or
 * one fetch from origin brings it; else the API (one tree listing, then the files needed). The
 * log says which. LASTMILE_BASE_READS=api forces the API (a knob for tests and the benchmark).
 */
function openBase(client: Client, repo: RepoRef, sha: string, ws: Workspace, withStatus: <T>(p: Promise<T>) => Promise<T>): { base: BaseReader; close(): void } {
  const label = `base ${sha.slice(0, 7)}`;
  const forced = process.env.LASTMILE_BASE_READS === 'api';
  const opened = forced ? undefined : openGitBase(ws.root, sha);
  if (opened?.ok) {
    const r = opened.reader;
    core.info(`Base ${sha.slice(0, 7)}: read from git by object id (${r.source === 'workspace' ? 'the commit is in the workspace' : 'fetched from origin'}), no API requests.`);
    return { base: { label, read: (p) => r.read(p), list: () => r.list() }, close: () => r.close() };
  }
  core.info(`Base ${sha.slice(0, 7)}: read through the API, one tree listing and then each file needed (${forced ? 'LASTMILE_BASE_READS=api' : `git cannot: ${opened?.reason}`}).`);
  const t = client.api.treeReader(client.gh, repo, sha);
  return { base: { label, read: (p) => withStatus(t.read(p)), list: () => withStatus(t.list()) }, close: () => undefined };
}

/** An internal error still yields a verdict: fail closed where the branch blocks (or may). */
function failedRun(ctx: RunContext | undefined, err: unknown, branches?: readonly BranchRule[]): Report {
  const message = `Last Mile could not finish: ${describeError(err)}`;
  const branch = ctx?.branch ?? '';
  const rule = ctx ? ruleFor(branches ?? defaultPolicy(ctx.defaultBranch).branches, branch) : undefined;
  const enforce = !ctx ? 'block' : (rule?.enforce ?? 'warn');
  return {
    schema: 'https://github.com/last-mile/last-mile/report/v1',
    verdict: enforce === 'block' ? 'fail' : 'warn',
    stage: rule?.stage ?? 'unknown',
    branch,
    enforce,
    event: ctx?.event ?? 'unknown',
    ...(ctx ? { repository: `${ctx.owner}/${ctx.repo}` } : {}),
    ...(ctx?.pullNumber !== undefined ? { pullRequest: ctx.pullNumber } : {}),
    ...(ctx?.headSha ? { headSha: ctx.headSha } : {}),
    policy: { source: 'unknown', builtIn: false, changedInHead: false },
    counts: { pass: 0, fail: 0, inconclusive: 0, waived: 0, skipped: 0 },
    failed: 0,
    repositoryGates: [],
    systems: [],
    errors: [message],
    notes: [],
    generatedAt: new Date().toISOString(),
  };
}

/** The check run of a report on `ctx.headSha`; `pull`: the pull request whose rule judged it. */
function checkRunOf(report: Report, ctx: RunContext, name: string, pull?: OpenPull, line?: string): Parameters<Api['publishCheckRun']>[2] {
  const text = renderMarkdown(report, { serverUrl: ctx.serverUrl, repository: `${ctx.owner}/${ctx.repo}`, sha: ctx.headSha!, limit: 65_000 });
  const lead = text.split('\n').slice(0, 4);
  return {
    name,
    headSha: ctx.headSha!,
    conclusion: report.verdict === 'pass' ? 'success' : report.verdict === 'fail' ? 'failure' : 'neutral',
    title: checkTitle(report, pull),
    summary: [...lead, ...(line ? [escapeMd(line)] : [])].join('\n'),
    text,
    ...cappedAnnotations(report),
  };
}

async function publishWrites(api: Api, gh: GitHub, ctx: RunContext, inputs: Inputs, report: Report, notes: string[], judged?: Combined<Evidence>): Promise<void> {
  const repo: RepoRef = { owner: ctx.owner, repo: ctx.repo };
  const failing = report.verdict !== 'pass';
  if (ctx.isFork) {
    notes.push('This pull request comes from a fork: its token is read-only, so no comment or check run was written. The job\'s exit code is the verdict.');
  } else if (ctx.canComment && ctx.pullNumber !== undefined && inputs.comment !== 'never') {
    try {
      const me = await api.whoAmI(gh);
      const outcome = await api.upsertComment(
        gh,
        repo,
        ctx.pullNumber,
        (previous) => {
          const { changes, trailer } = commentState(previous, report);
          // The previous run's state rides in the comment (for "what changed"). With hundreds of
          // systems it would crowd out the report, or alone exceed GitHub's limit: leave it out.
          const state = trailer.length <= STATE_BUDGET ? `\n${trailer}\n` : '';
          if (!state) core.info(`The report's state (${trailer.length} characters) is too large to keep in the comment: the next run cannot show what changed.`);
          return `${api.MARKER}\n${renderMarkdown(report, { serverUrl: ctx.serverUrl, repository: `${ctx.owner}/${ctx.repo}`, ...(ctx.headSha ? { sha: ctx.headSha } : {}), changes, trailer: state, limit: 65_536 - api.MARKER.length - 1 })}`;
        },
        { mode: inputs.comment, failing, ...(ctx.headSha ? { headSha: ctx.headSha } : {}), me, log: (m) => core.info(m), warn: (m) => notes.push(m) },
      );
      core.info(outcome.action === 'skipped' ? `Comment not written: ${outcome.reason}` : `Comment ${outcome.action} (id ${outcome.id}).`);
    } catch (err) {
      notes.push(`The pull request comment could not be written (${describeError(err)}).${permissionHint(err, 'pull-requests: write')}`);
    }
  }
  if (inputs.checkName && !ctx.isFork && ctx.headSha) {
    try {
      await api.publishCheckRun(gh, repo, checkRunOf(report, ctx, inputs.checkName, judged?.judgedBy, judged?.line));
    } catch (err) {
      notes.push(`The check run "${inputs.checkName}" could not be written (${describeError(err)}).${permissionHint(err, 'checks: write')}`);
    }
  }
  for (const n of notes) core.warning(n);
}

function writeJson(dir: string, name: string, make: () => unknown): string {
  try {
    const file = path.join(dir, name);
    writeFileSync(file, `${JSON.stringify(make(), null, 2)}\n`);
    return file;
  } catch (err) {
    core.warning(`could not write ${name}: ${describeError(err)}`);
    return '';
  }
}

function attestationEvidence(report: Report, ctx: RunContext, e: Evidence | undefined): AttestationEvidence {
  const hash = (rel: string): { path: string; sha256: string } | undefined => {
    if (!e) return undefined;
    const r = e.ws.resolve(rel);
    if (r.problem) return undefined;
    try {
      return { path: rel, sha256: sha256Hex(readFileSync(r.abs)) };
    } catch {
      return undefined;
    }
  };
  const present = <T>(x: T | undefined): x is T => x !== undefined;
  return {
    commit: ctx.headSha!,
    repository: `${ctx.owner}/${ctx.repo}`,
    serverUrl: ctx.serverUrl,
    toolVersion: VERSION,
    digests: {
      ...(e?.policy ? { policy: { path: e.policy.path, sha256: sha256Hex(e.policy.text) } } : {}),
      manifests: (e?.manifests ?? []).map(hash).filter(present),
      evals: [...new Set(e?.evals ?? [])].map(hash).filter(present),
    },
    verifiers: report.systems.flatMap((s) => (s.verifications ?? []).map((v) => ({ system: s.system, ...v }))),
  };
}

function permissionHint(err: unknown, permission: string): string {
  const s = statusOf(err);
  // GitHub answers a secondary rate limit with 403 too: that is not a missing permission.
  return (s === 403 || s === 401 || s === 404) && !isRateLimit(err) ? ` Grant \`${permission}\` in the workflow's permissions. The verdict is unchanged.` : ' The verdict is unchanged.';
}

function publishLocal(report: Report, ctx: RunContext | undefined, writeNotes: string[], env: NodeJS.ProcessEnv, evidence?: Evidence): void {
  const dir = path.join(env.RUNNER_TEMP ?? tmpdir(), 'last-mile');
  let reportPath = '';
  try {
    mkdirSync(dir, { recursive: true });
    reportPath = path.join(dir, 'report.json');
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  } catch (err) {
    core.warning(`could not write the report file: ${describeError(err)}`);
  }
  // A runner whose GITHUB_OUTPUT cannot be written is broken: the report and summary are still
  // written, then the job fails (later steps would read missing outputs).
  const outputErrors: string[] = [];
  const output = (name: string, value: () => string): void => {
    try {
      core.setOutput(name, value(), env);
    } catch (err) {
      outputErrors.push(`${name}: ${describeError(err)}`);
    }
  };
  output('verdict', () => report.verdict);
  output('stage', () => report.stage);
  output('failed', () => String(report.failed));
  output('report', () => reportPath);
  output('sarif', () => writeJson(dir, 'results.sarif', () => renderSarif(report, { toolVersion: VERSION, helpBase: `${LAST_MILE_URI}#gate-catalogue`, ...(ctx ? { serverUrl: ctx.serverUrl } : {}) })));
  if (ctx?.headSha && /^[0-9a-f]{40}$/i.test(ctx.headSha)) {
    const statement = (): unknown => renderAttestation(report, attestationEvidence(report, ctx, evidence));
    output('attestation', () => writeJson(dir, 'attestation.intoto.json', statement));
  } else {
    output('attestation', () => '');
  }

  core.info(renderTerminal(report, { colour: true }));
  const md = renderMarkdown(report, {
    ...(ctx ? { serverUrl: ctx.serverUrl, repository: `${ctx.owner}/${ctx.repo}` } : {}),
    ...(ctx?.headSha ? { sha: ctx.headSha } : {}),
    limit: 900_000,
  });
  const extra = writeNotes.map((n) => `> [!WARNING]\n> ${n}\n`).join('\n');
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      writeFileSync(env.GITHUB_STEP_SUMMARY, `${md}\n${extra}`, { flag: 'a' });
    } catch (err) {
      core.warning(`could not write the job summary: ${describeError(err)}`);
    }
  }
  for (const e of report.errors) core.error(e);
  if (outputErrors.length > 0) core.setFailed(`Last Mile could not set its step outputs (${outputErrors.join('; ')}), so later steps cannot rely on them.`);
  if (report.verdict === 'fail') {
    core.setFailed(`Last Mile: ${headline(report)}: ${report.failed} blocking gate${report.failed === 1 ? '' : 's'}${report.errors.length > 0 ? `, ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}` : ''}.`);
  }
}
