// makeInput: an EvaluationInput for src/core/evaluate.ts, and a sample Report for renderers.
import type { GateResult } from '../../src/core/types';
import { defaultPolicy } from '../../src/config/policy/default';
import { parsePolicy } from '../../src/config/policy/parse';
import type { EvaluationInput, PolicyInput } from '../../src/core/evaluate';
import type { Report, SystemReport } from '../../src/model/report';
import { NOW, makeContext } from './context';
import type { ContextOptions } from './context';

/** A policy input from YAML text (as read from the base), or the built-in default when omitted. */
export function policyInput(yaml?: string, over: Partial<PolicyInput> = {}): PolicyInput {
  if (yaml === undefined) {
    return { source: 'built-in', builtIn: true, parse: { ok: true, policy: defaultPolicy('main'), document: { version: 1 } }, changedInHead: false, ...over };
  }
  return { source: '.github/lastmile-policy.yml@base', builtIn: false, parse: parsePolicy(yaml, '.github/lastmile-policy.yml', 'main'), changedInHead: false, ...over };
}

export interface InputOptions {
  branch?: string;
  policyYaml?: string;
  policy?: PolicyInput;
  /** Systems as context options; one SPEC §2 system by default. */
  systems?: ContextOptions[];
  fatal?: string[];
  inventory?: EvaluationInput['inventory'] | null;
  headSha?: string;
}

export function makeInput(o: InputOptions = {}): EvaluationInput {
  const policy = o.policy ?? policyInput(o.policyYaml);
  const systems = (o.systems ?? [{}]).map((s) => makeContext(s).system);
  const trust = makeContext(o.systems?.[0] ?? {}).trust;
  return {
    event: 'pull_request',
    branch: o.branch ?? 'release/1.0',
    defaultBranch: 'main',
    repository: 'acme/support',
    pullRequest: 7,
    ...(o.headSha ? { headSha: o.headSha } : {}),
    now: NOW,
    policy,
    systems,
    trust,
    ...(o.inventory === null ? {} : { inventory: o.inventory ?? [] }),
    fatal: o.fatal ?? [],
  };
}

export function gate(over: Partial<GateResult> & Pick<GateResult, 'id' | 'outcome'>): GateResult {
  return { reason: `${over.id} ${over.outcome}`, ...over };
}

export function systemReport(system: string, gates: GateResult[], over: Partial<SystemReport> = {}): SystemReport {
  return {
    system,
    manifest: `services/${system}/lastmile.yml`,
    status: gates.some((g) => g.outcome === 'fail' || g.outcome === 'inconclusive') ? 'fail' : 'pass',
    gates,
    notes: [],
    ...over,
  };
}

export function report(systems: SystemReport[], over: Partial<Report> = {}): Report {
  const repositoryGates = over.repositoryGates ?? [{ id: 'policy.integrity', outcome: 'pass', reason: 'judged by the policy' }];
  const all = [...repositoryGates, ...systems.flatMap((s) => s.gates)];
  const counts = { pass: 0, fail: 0, inconclusive: 0, waived: 0, skipped: 0 };
  for (const g of all) counts[g.outcome]++;
  const failed = counts.fail + counts.inconclusive;
  return {
    schema: 'https://github.com/last-mile/last-mile/report/v1',
    verdict: failed > 0 ? 'fail' : 'pass',
    stage: 'production',
    branch: 'release/1.0',
    enforce: 'block',
    event: 'pull_request',
    policy: { source: '.github/lastmile-policy.yml@base', builtIn: false, changedInHead: false },
    counts,
    failed,
    repositoryGates,
    systems,
    errors: [],
    notes: [],
    generatedAt: NOW.toISOString(),
    ...over,
  };
}
