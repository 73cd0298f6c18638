// Publishing a report: the pull request comment and the check run (GitHub writes), then the
// step outputs, report files, job summary, log and exit code (the runner). Nothing here judges.
import * as core from './runner';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunContext } from './event';
import type { Inputs } from './inputs';
import { describeError, isRateLimit, statusOf } from '../github/errors';
import type { GitHub, OpenPull, RepoRef } from '../github/index';
import type * as GitHubApi from '../github/index';
import type { CollectEvidence } from '../collect/collect';
import { commentState } from '../render/changes';
import { cappedAnnotations } from '../render/annotations';
import { renderMarkdown } from '../render/markdown';
import { md as escapeMd } from '../lib/escape';
import { renderTerminal } from '../render/terminal';
import { headline } from '../render/counts';
import type { Report } from '../model/report';
import { renderAttestation } from '../render/attestation';
import type { AttestationEvidence } from '../render/attestation';
import { LAST_MILE_URI, renderSarif } from '../render/sarif';
import { sha256Hex } from '../lib/digest';
import { VERSION } from '../lib/version';
import { checkTitle } from './pulls';
import type { Combined } from './pulls';

type Api = typeof GitHubApi;
type Evidence = CollectEvidence;

/** Most characters of the comment's hidden state, out of GitHub's 65,536. */
const STATE_BUDGET = 20_000;

/** The check run of a report on `ctx.headSha`; `pull`: the pull request whose rule judged it. */
export function checkRunOf(report: Report, ctx: RunContext, name: string, pull?: OpenPull, line?: string): Parameters<Api['publishCheckRun']>[2] {
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

export async function publishWrites(api: Api, gh: GitHub, ctx: RunContext, inputs: Inputs, report: Report, notes: string[], judged?: Combined<Evidence>): Promise<void> {
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

export async function publishLocal(report: Report, ctx: RunContext | undefined, writeNotes: string[], env: NodeJS.ProcessEnv, evidence?: Evidence): Promise<void> {
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
  try {
    await core.writeSummary(`${md}\n${extra}`);
  } catch (err) {
    core.warning(`could not write the job summary: ${describeError(err)}`);
  }
  for (const e of report.errors) core.error(e);
  if (outputErrors.length > 0) core.setFailed(`Last Mile could not set its step outputs (${outputErrors.join('; ')}), so later steps cannot rely on them.`);
  if (report.verdict === 'fail') {
    core.setFailed(`Last Mile: ${headline(report)}: ${report.failed} blocking gate${report.failed === 1 ? '' : 's'}${report.errors.length > 0 ? `, ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}` : ''}.`);
  }
}
