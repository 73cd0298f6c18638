// One repository's rows of the board: each system's stage reached across the branches
// evaluated, what blocks it at its target stage and since when, and its open sign-off requests.
import { describeError, isRateLimit, statusOf } from '../../github/errors';
import type { GitHub } from '../../github/client';
import { dayNumber, today } from '../../lib/dates';
import { BudgetExceeded, RepoApi, TimeBudgetExceeded, timeBudgetReason } from './fetch';
import type { TimeBudget } from './fetch';
import { evaluateRef } from './evaluate-ref';
import type { RefResult } from './evaluate-ref';
import type { BoardRepository, BoardRequest, BoardSystem } from '../../model/board-schema';
import { stageRank } from '../../model/board-schema';
import { BLOCKING } from '../../model/report';

export interface CollectOptions {
  /** Globs of branches evaluated besides the default branch. */
  branches: readonly string[];
  maxBranches: number;
  manifests: readonly string[];
  policyPath: string;
  /** Requests allowed per repository. */
  budget: number;
  now: Date;
  /** The run's time budget: past it, reads stop and the repository is "not evaluated". */
  time?: TimeBudget;
}

export interface RepoRows {
  repository: BoardRepository;
  systems: BoardSystem[];
  requests: BoardRequest[];
}

export async function collectRepository(gh: GitHub, fullName: string, o: CollectOptions): Promise<RepoRows> {
  const [owner, repo] = fullName.split('/') as [string, string];
  const api = new RepoApi(gh, owner, repo, o.budget, o.time);
  const refs: RefResult[] = [];
  const branches: string[] = [];
  try {
    const defaultBranch = await api.defaultBranch();
    const extra = o.branches.length > 0 ? await api.branchesMatching(o.branches, o.maxBranches) : [];
    branches.push(...new Set([defaultBranch, ...extra]));
    for (const branch of branches) refs.push(await evaluateRef(api, branch, { manifests: o.manifests, policyPath: o.policyPath, defaultBranch, now: o.now }));
  } catch (err) {
    const status = statusOf(err);
    // A rate limit still standing here is one whose wait would outlast the run's time budget
    // (the board's client otherwise waits as often as GitHub says): not a missing permission.
    const limited = (status === 403 || status === 429) && isRateLimit(err);
    const unreadable = !limited && (status === 401 || status === 403 || status === 404);
    const reason =
      err instanceof BudgetExceeded || err instanceof TimeBudgetExceeded
        ? err.message
        : limited && o.time
          ? `${timeBudgetReason(o.time)} waiting for the rate limit`
          : unreadable && status === 404
            ? 'not found, or the token cannot read it (404)'
            : describeError(err);
    return { repository: { repository: fullName, status: unreadable ? 'unreadable' : 'not evaluated', reason, requests: api.requests, branches }, systems: [], requests: [] };
  }
  const evaluated = refs.filter((r) => r.report);
  if (evaluated.length === 0) return { repository: { repository: fullName, status: 'no AI system declared', requests: api.requests, branches }, systems: [], requests: [] };
  const { systems, requests } = combine(fullName, evaluated, o.now);
  return { repository: { repository: fullName, status: 'evaluated', requests: api.requests, branches }, systems, requests };
}

/** Per system (by id), across branches: stage reached, target, blocking gates, since, requests. */
function combine(repository: string, refs: RefResult[], now: Date): { systems: BoardSystem[]; requests: BoardRequest[] } {
  const ids = new Map<string, string>(); // system id → manifest path (first seen)
  for (const r of refs) for (const s of r.report!.systems) if (!ids.has(s.system)) ids.set(s.system, s.manifest);
  const systems: BoardSystem[] = [];
  const requests: BoardRequest[] = [];
  for (const [id, manifest] of ids) {
    // A repository-wide gate (inventory, policy) that blocks holds back every system of the branch.
    const rows = refs.flatMap((r) => {
      const s = r.report!.systems.find((x) => x.system === id);
      if (!s) return [];
      const repoBlocking = r.report!.repositoryGates.filter((g) => BLOCKING.includes(g.outcome));
      const fatal = r.report!.errors.map((e) => ({ gate: 'policy.integrity', outcome: 'fail', reason: e.split('\n')[0]! }));
      const blocking = [...fatal, ...repoBlocking.map((g) => ({ gate: g.id, outcome: g.outcome, reason: g.reason })), ...s.gates.filter((g) => BLOCKING.includes(g.outcome)).map((g) => ({ gate: g.id, outcome: g.outcome, reason: g.reason }))];
      return [{ ref: r, s, blocking, pass: blocking.length === 0 && r.report!.stage !== 'none' }];
    });
    const reached = rows.filter((x) => x.pass).sort((a, b) => stageRank(b.ref.report!.stage) - stageRank(a.ref.report!.stage))[0];
    const targetRow = [...rows].sort((a, b) => stageRank(b.ref.report!.stage) - stageRank(a.ref.report!.stage))[0]!;
    const stage = reached?.ref.report!.stage ?? 'none';
    const target = targetRow.ref.report!.stage;
    const blocked = stageRank(stage) < stageRank(target) ? targetRow : undefined;
    const input = targetRow.ref.inputs.find((i) => (i.manifest.manifest.system ?? i.manifest.system) === id);
    const m = input?.manifest.manifest;
    const owner = m?.owner?.team;
    const policy = targetRow.ref.policy;
    // Open requests at the target branch, for kinds its policy defines: the approvers' queues.
    for (const r of m?.signoffs ?? []) {
      const rule = policy?.signoffs[r.kind];
      if (r.status !== 'requested' || !rule) continue;
      const age = r.requested_on ? today(now) - dayNumber(r.requested_on) : undefined;
      requests.push({
        repository,
        system: id,
        kind: r.kind,
        ...(r.ticket ? { ticket: r.ticket } : {}),
        ...(r.requested_on ? { requested_on: r.requested_on } : {}),
        ...(age !== undefined && age >= 0 ? { age_days: age } : {}),
        ...(rule.sla_days !== undefined ? { sla_days: rule.sla_days } : {}),
        approvers: rule.approvers,
      });
    }
    let since: BoardSystem['since'];
    if (blocked) {
      const gates = new Set(blocked.blocking.map((b) => b.gate));
      const requested = gates.has('signoffs') ? (m?.signoffs ?? []).filter((r) => r.status === 'requested' && r.requested_on).map((r) => r.requested_on!) : [];
      const evalDates = [...gates].some((g) => g.startsWith('eval.'))
        ? Object.values(input?.evals ?? {}).flatMap((e) => (e.ok && e.result.createdAt ? [e.result.createdAt.slice(0, 10)] : []))
        : [];
      if (requested.length > 0) since = { date: requested.sort()[0]!, source: 'sign-off requested_on' };
      else if (evalDates.length > 0) since = { date: evalDates.sort()[0]!, source: 'eval created_at' };
      else if (blocked.ref.date) since = { date: blocked.ref.date.slice(0, 10), source: 'commit date' };
    }
    systems.push({
      repository,
      system: id,
      manifest,
      ...(owner ? { owner } : {}),
      stage,
      target,
      branches: rows.map((x) => ({ branch: x.ref.branch, sha: x.ref.sha, stage: x.ref.report!.stage, status: x.pass ? 'pass' : 'fail' })),
      blocking: blocked?.blocking ?? [],
      ...(since ? { since } : {}),
      ...(targetRow.s.overdue ? { overdue: targetRow.s.overdue } : {}),
    });
  }
  return { systems, requests };
}
