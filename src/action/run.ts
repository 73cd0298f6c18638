// The action: event → collect → evaluate → publish (./publish.ts). The only place that decides
// which commits and pull requests a run answers for.
import * as core from './runner';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contextFrom } from './event';
import type { RunContext } from './event';
import { readInputs } from './inputs';
import type { Inputs } from './inputs';
import { describeError } from '../github/errors';
import type { GitHub, RepoRef } from '../github/index';
import type * as GitHubApi from '../github/index';
import { parseCentral } from '../collect/policy';
import { collect } from '../collect/collect';
import type { CollectEvidence } from '../collect/collect';
import { openBase } from '../collect/base';
import { evaluate } from '../core/evaluate';
import type { Report } from '../model/report';
import { ruleFor } from '../config/policy/branches';
import { defaultPolicy } from '../config/policy/default';
import type { BranchRule } from '../config/policy/schema';
import { Workspace } from '../collect/workspace';
import { headSha as gitHead } from '../collect/git';
import { answerForPulls, reevaluateInto } from './pulls';
import type { Combined } from './pulls';
import { checkRunOf, publishLocal, publishWrites } from './publish';
import { noReviews, reviewReader } from './reviews';

type Api = typeof GitHubApi;

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
  await publishLocal(report, ctx, writeNotes, env, evidence);
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
type Evidence = CollectEvidence;

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
  const repo: RepoRef = { owner: ctx.owner, repo: ctx.repo };
  const fromBase = ctx.trustMode === 'pull-request' && ctx.baseSha !== undefined;
  const opened =
    fromBase && client
      ? openBase({
          root: ws.root,
          sha: ctx.baseSha!,
          forceApi: process.env.LASTMILE_BASE_READS === 'api',
          api: () => {
            const t = client.api.treeReader(client.gh, repo, ctx.baseSha!);
            return { read: (p) => withStatus(t.read(p)), list: () => withStatus(t.list()) };
          },
          log: (m) => core.info(m),
        })
      : undefined;
  try {
    const collected = await collect(
      {
        event: ctx.event,
        branch: ctx.branch,
        defaultBranch: ctx.defaultBranch,
        now: new Date(),
        repository: repo,
        ...(ctx.pullNumber !== undefined ? { pullRequest: ctx.pullNumber } : {}),
        ...(ctx.headSha ? { headSha: ctx.headSha } : {}),
        ...(ctx.baseSha ? { baseSha: ctx.baseSha } : {}),
        policy: inputs.policy,
        manifests: inputs.manifests,
        central: {
          baseBranch: ctx.branch,
          ...(ctx.trustMode === 'pull-request' && ctx.headSha ? { headSha: ctx.headSha } : {}),
          // GITHUB_HEAD_REF: the pull request's head branch (RunContext does not carry it).
          ...(ctx.trustMode === 'pull-request' && process.env.GITHUB_HEAD_REF ? { headRef: process.env.GITHUB_HEAD_REF } : {}),
        },
        trust: {
          mode: ctx.trustMode,
          ...(ctx.author ? { author: ctx.author } : {}),
          ...(ctx.trustMode === 'pull-request' ? { reviews: client ? reviewReader(client, ctx) : noReviews(ctx) } : {}),
        },
      },
      {
        workspace: ws,
        ...(opened ? { base: opened.base } : {}),
        ...(client ? { central: (owner: string, name: string, file: string, ref: string) => withStatus(client.api.readRepoFile(client.gh, { owner, repo: name }, file, ref)) } : {}),
        describe: describeError,
        onPolicy: (policy) => {
          if (policy.parse.ok) seen.branches = policy.parse.policy.branches;
        },
      },
    );
    return { report: evaluate(collected.input), evidence: collected.evidence };
  } finally {
    opened?.close();
  }
}

/** Errors keep their HTTP status in the message: "could not read … (HTTP 503: Service Unavailable)". */
function withStatus<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw new Error(describeError(err), { cause: err });
  });
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

