// SPEC §8, "no event turns a red pull request green". A push, schedule or workflow_dispatch run
// leaves its job and check run on a commit; where that commit is the head of an open pull
// request into a block branch, GitHub counts that result for the pull request's required
// checks. Such a run is therefore also judged as each of those pull requests' own runs would be,
// and passes only if all of them pass. A scheduled run on a release branch re-evaluates the open
// pull requests into it and turns their check runs red where a sign-off expired since.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pullRequestContext } from './event';
import type { RunContext } from './event';
import type { OpenPull } from '../github/pulls';
import { describeError } from '../github/errors';
import { headline } from '../render/counts';
import type { Report, Verdict } from '../model/report';
import { Workspace } from '../collect/workspace';
import { fetchCommit, git, hasCommit } from '../collect/git-base';

export interface Evaluated<E> {
  report: Report;
  evidence: E | undefined;
}

/** Pull requests judged for one commit; past it the run fails closed. */
export const MAX_JUDGED = 10;
/** Open pull requests a scheduled run re-evaluates (each costs a fetch and about six requests). */
export const MAX_REEVALUATED = 10;

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };
const short = (sha: string): string => sha.slice(0, 7);

export interface Judgement<E> extends Evaluated<E> {
  pull: OpenPull;
}

export interface Combined<E> extends Evaluated<E> {
  /** The pull request whose rule decided the result, when one did (check run title, summary). */
  judgedBy?: OpenPull;
  /** One line for the check run's summary: which rule judged the commit and why. */
  line?: string;
}

/**
 * The run's own result and its pull requests' results → the strictest. Only pull requests into
 * `block` branches (as their base policy says) count: a warn branch's result is never green
 * where ours would not be. The report of the pull request that fails is the one shown, with
 * notes naming every pull request judged and the branch's own result.
 */
export function combine<E>(ctx: RunContext, own: Evaluated<E>, judged: readonly Judgement<E>[]): Combined<E> {
  const blocking = judged.filter((j) => j.report.enforce === 'block');
  if (blocking.length === 0) return own;
  const worst = blocking.reduce((a, b) => (RANK[b.report.verdict] > RANK[a.report.verdict] ? b : a));
  const sha = short(ctx.headSha ?? '');
  const others = blocking.filter((j) => j !== worst).map((j) => `Pull request #${j.pull.number} into ${j.pull.baseRef}: ${summary(j.report)}.`);
  if (RANK[worst.report.verdict] > RANK[own.report.verdict] || (worst.report.verdict === 'fail' && own.report.verdict === 'fail')) {
    const line = `Judged as pull request #${worst.pull.number} into ${worst.pull.baseRef} (${sha} is its head) would be: ${summary(worst.report)}.`;
    const why = `This ${ctx.event} run is on ${sha}, the head of open pull request #${worst.pull.number} into ${worst.pull.baseRef}: it is judged as that pull request's own run would be (base ${short(worst.pull.baseSha)}, its reviews), since a result on this commit counts for the pull request's required checks. The branch's own rule (${ctx.branch}) gave: ${summary(own.report)}.`;
    return {
      report: { ...worst.report, notes: [why, ...others, ...worst.report.notes] },
      evidence: worst.evidence,
      judgedBy: worst.pull,
      line,
    };
  }
  const all = blocking.map((j) => `#${j.pull.number} into ${j.pull.baseRef}: ${summary(j.report)}`).join('; ');
  return { ...own, report: { ...own.report, notes: [...own.report.notes, `${sha} is the head of open pull request${blocking.length === 1 ? '' : 's'} ${all}; judged as ${blocking.length === 1 ? 'its' : 'their'} own run${blocking.length === 1 ? '' : 's'} would be.`] } };
}

function summary(r: Report): string {
  return r.verdict === 'pass' ? `ready (${r.enforce})` : `${r.verdict}, ${r.failed} blocking gate${r.failed === 1 ? '' : 's'}${r.errors.length > 0 ? `, ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}` : ''}`;
}

/** The run's own report failed closed: the open pull requests headed by the commit are unknown. */
export function failClosed(report: Report, message: string): Report {
  return { ...report, verdict: 'fail', enforce: 'block', errors: [...report.errors, message] };
}

export interface PullsApi {
  headedBy(sha: string): Promise<{ pulls: OpenPull[]; requests: number; note?: string }>;
}

/**
 * Judges the commit of a branch-event run as each open pull request it heads (SPEC §8). A run
 * that already fails needs no lookup: it cannot turn anything green. A lookup that fails, or
 * more pull requests than {@link MAX_JUDGED}, fails the run closed.
 */
export async function answerForPulls<E>(o: {
  ctx: RunContext;
  own: Evaluated<E>;
  api: PullsApi;
  /** Evaluates a derived pull-request context on this workspace; never throws (fails closed). */
  evaluate: (ctx: RunContext) => Promise<Evaluated<E>>;
  log: (m: string) => void;
}): Promise<Combined<E>> {
  const { ctx, own } = o;
  if (ctx.trustMode !== 'branch' || !ctx.headSha || own.report.verdict === 'fail') return own;
  let found: Awaited<ReturnType<PullsApi['headedBy']>>;
  try {
    found = await o.api.headedBy(ctx.headSha);
  } catch (err) {
    return {
      ...own,
      report: failClosed(
        own.report,
        `could not look up the open pull requests whose head is ${short(ctx.headSha)} (${describeError(err)}): this run fails closed, since a green result on this commit would count for such a pull request's required checks. Grant \`pull-requests: read\` if it is missing.`,
      ),
    };
  }
  o.log(`Open pull requests headed by ${short(ctx.headSha)}: ${found.pulls.length === 0 ? 'none' : found.pulls.map((p) => `#${p.number} into ${p.baseRef}`).join(', ')} (${found.requests} request${found.requests === 1 ? '' : 's'}).`);
  if (found.note) o.log(found.note);
  if (found.pulls.length === 0) return own;
  const judged: Judgement<E>[] = [];
  for (const pull of found.pulls.slice(0, MAX_JUDGED)) judged.push({ pull, ...(await o.evaluate(pullRequestContext(ctx, pull))) });
  const combined = combine(ctx, own, judged);
  if (found.pulls.length > MAX_JUDGED) {
    const message = `${short(ctx.headSha)} is the head of ${found.pulls.length} open pull requests; only ${MAX_JUDGED} were judged, so this run fails closed.`;
    o.log(message);
    return { ...combined, report: failClosed(combined.report, message) };
  }
  return combined;
}

/** A pull request head checked out next to the workspace (a git worktree sharing its objects). */
export interface HeadCheckout {
  ws: Workspace;
  remove(): void;
}

/** No hooks, no submodules, no LFS download: a pull request's head is read as data, like the workspace. */
/**
 * The commit `sha` as a work tree: the workspace's own clone fetches it from `origin` when it
 * lacks it (GitHub serves any pull request head by SHA, forks' included), then adds a detached
 * worktree. Throws with git's reason when it cannot.
 */
export function checkoutHead(root: string, sha: string, tmp: string): HeadCheckout {
  if (!/^[0-9a-f]{40}$/i.test(sha)) throw new Error(`not a commit SHA: ${sha.slice(0, 50)}`);
  try {
    if (!hasCommit(root, sha)) fetchCommit(root, sha);
    mkdirSync(tmp, { recursive: true });
    const dir = mkdtempSync(path.join(tmp, `head-${short(sha)}-`));
    git(root, ['worktree', 'add', '--detach', '--quiet', dir, sha], 120_000);
    return {
      ws: new Workspace(dir),
      remove: () => {
        try {
          git(root, ['worktree', 'remove', '--force', dir]);
        } catch {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    const stderr = (err as { stderr?: unknown }).stderr;
    const why = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n').pop()! : describeError(err);
    throw new Error(`could not check out ${short(sha)}: ${why}`, { cause: err });
  }
}

export interface ReevaluateApi {
  into(base: string, limit: number): Promise<{ pulls: OpenPull[]; leftOut: number }>;
  /** The newest check run of the run's check name on a commit. */
  latest(sha: string): Promise<{ conclusion: string | null; title: string | null } | undefined>;
  /** Writes a check run for a pull request's report on its head. */
  publish(ctx: RunContext, report: Report): Promise<void>;
}

/**
 * A scheduled run on a block branch re-evaluates the open pull requests into it (at most
 * {@link MAX_REEVALUATED}, most recently updated first) on their own heads, and writes a failing
 * check run where one fails: a sign-off that expired after the approval turns the pull request
 * red before it merges. It never writes a green one (the pull request's own runs do, on the merge
 * of head and base); a pull request it cannot check out is reported, not touched. Returns one line
 * per pull request for the run's report.
 */
export async function reevaluateInto<E>(o: {
  ctx: RunContext;
  api: ReevaluateApi;
  root: string;
  tmp: string;
  evaluate: (ctx: RunContext, ws: Workspace) => Promise<Evaluated<E>>;
  log: (m: string) => void;
}): Promise<string[]> {
  const { ctx } = o;
  const lines: string[] = [];
  let into: Awaited<ReturnType<ReevaluateApi['into']>>;
  try {
    into = await o.api.into(ctx.branch, MAX_REEVALUATED);
  } catch (err) {
    return [`The open pull requests into ${ctx.branch} could not be listed (${describeError(err)}): none was re-evaluated.`];
  }
  if (into.leftOut > 0) {
    lines.push(`${into.pulls.length + into.leftOut}${into.pulls.length + into.leftOut >= 100 ? ' or more' : ''} open pull requests into ${ctx.branch}: the ${MAX_REEVALUATED} most recently updated were re-evaluated, the others keep their check runs.`);
  }
  for (const pull of into.pulls) {
    // A pull request headed by this run's own commit was judged above, in this run's check run.
    if (pull.headSha === ctx.headSha) continue;
    const prCtx = pullRequestContext(ctx, pull);
    let head: HeadCheckout | undefined;
    try {
      head = checkoutHead(o.root, pull.headSha, o.tmp);
    } catch (err) {
      lines.push(`Pull request #${pull.number} was not re-evaluated and its check run is left as it is: ${describeError(err)}.`);
      continue;
    }
    try {
      const { report } = await o.evaluate(prCtx, head.ws);
      if (report.enforce !== 'block' || report.verdict !== 'fail') {
        lines.push(`Pull request #${pull.number} at ${short(pull.headSha)}: ${summary(report)}; its check run is left as it is.`);
        continue;
      }
      const title = checkTitle(report, pull);
      const previous = await o.api.latest(pull.headSha).catch(() => undefined);
      if (previous?.conclusion === 'failure' && previous.title === title) {
        lines.push(`Pull request #${pull.number} at ${short(pull.headSha)}: ${summary(report)}; its check run already says so.`);
        continue;
      }
      await o.api.publish(prCtx, report);
      lines.push(`Pull request #${pull.number} at ${short(pull.headSha)}: ${summary(report)}; its check run was turned red.`);
    } catch (err) {
      lines.push(`Pull request #${pull.number} could not be re-evaluated (${describeError(err)}); its check run is left as it is.`);
    } finally {
      head.remove();
    }
  }
  for (const l of lines) o.log(l);
  return lines;
}

/** The check run title: which pull request's rule judged the commit, when one did. */
export function checkTitle(report: Report, pull?: OpenPull): string {
  return `${pull ? `Pull request #${pull.number}: ` : ''}${headline(report)}: ${report.failed} blocking`;
}
