// The pure core: (policy, manifests, evals, evidence) → Report. No I/O here.
import { ruleFor } from '../config/policy/branches';
import { defaultPolicy } from '../config/policy/default';
import type { Policy } from '../config/policy/schema';
import { evaluateSystem } from './gates/index';
import { REPOSITORY_GATES, skipReason } from './gates/registry';
import type { RepositoryGate } from './gates/registry';
import { result } from './gates/result';
import type { GateResult, Outcome, RepositoryContext, SystemInput } from './types';
import type { InventoryFinding } from '../evidence/inventory/types';
import type { TrustEvidence } from '../evidence/trust/types';
import { formatConfigError } from '../config/yaml';
import type { Enforce, Report, SystemReport, Verdict } from '../model/report';
import type { PolicyInput } from './types';

export type { PolicyInput };
import { BLOCKING } from '../model/report';


export interface EvaluationInput {
  event: string;
  branch: string;
  defaultBranch: string;
  repository?: string;
  pullRequest?: number;
  headSha?: string;
  baseSha?: string;
  now: Date;
  policy: PolicyInput;
  systems: SystemInput[];
  trust: TrustEvidence;
  /** Inventory findings; undefined when the scan could not run (the gate is then inconclusive). */
  inventory?: InventoryFinding[];
  inventoryError?: string;
  /** Systems the base has that no head manifest carries: judged inconclusive until merge (SPEC §6). */
  removedSystems?: { system: string; file: string }[];
  /** Errors met while loading that end the evaluation (fail closed on block branches). */
  fatal: string[];
  notes?: string[];
}

export const NO_MANIFEST_HINT =
  'Run `npx --yes github:last-mile/last-mile#v1 init` (`npx last-mile init` once it is published on npm) to write a starter lastmile.yml, or set the `manifests` input to where your manifests are.';

/** A system on the base that the head no longer carries: the base's bar still applies (SPEC §6). */
function removedSystem(r: { system: string; file: string }): SystemReport {
  return {
    system: r.system,
    manifest: r.file,
    status: 'fail',
    gates: [
      result('manifest.valid', 'inconclusive', `the system \`${r.system}\` (${r.file}) is on the base but in no manifest of this pull request (removed or renamed): the base's bar applies until merge`, {
        fix: 'Keep its manifest (with the same `system` id) until the system is retired; if it is retired with this change, a release manager merges it knowingly.',
        location: { file: r.file, line: 1 },
      }),
    ],
    notes: [],
    verifications: [],
  };
}

/**
 * A repository gate's result: one that always runs, always; one a stage turns on needs a valid
 * policy (without one only policy.integrity is said, and fails) and a branch rule.
 */
function repositoryGate(gate: RepositoryGate, repo: RepositoryContext, policy: Policy | undefined, stage: string | undefined): GateResult[] {
  if (gate.requires === 'always') return [gate.run(repo)];
  if (!policy) return [];
  if (stage === undefined) return [result(gate.id, 'skipped', 'no branch rule applies')];
  const skip = skipReason(gate, policy, stage);
  return [skip !== undefined ? result(gate.id, 'skipped', skip) : gate.run({ ...repo, policy, stage })];
}

export function evaluate(input: EvaluationInput): Report {
  const fatal = [...input.fatal];
  const notes = [...(input.notes ?? [])];
  const parse = input.policy.parse;
  const policy: Policy | undefined = parse.ok ? parse.policy : undefined;
  // An invalid policy still fails closed where it (or, failing that, the default) blocks.
  const rules = policy?.branches ?? (!parse.ok ? parse.partial?.branches : undefined) ?? defaultPolicy(input.defaultBranch).branches;
  const rule = ruleFor(rules, input.branch);
  const enforce: Enforce = rule?.enforce ?? 'warn';
  const stage = rule?.stage ?? 'none';
  if (!parse.ok && parse.errors.length > 0) fatal.push(`The policy ${input.policy.source} is invalid:\n${parse.errors.map(formatConfigError).join('\n')}`);
  if (policy && !rule) notes.push(`No branch rule of the policy matches \`${input.branch}\`: nothing is enforced on it.`);

  let systems: SystemReport[] = [];
  if (policy && rule) {
    if (input.systems.length === 0 && fatal.length === 0) {
      fatal.push(`No readiness manifest found. ${NO_MANIFEST_HINT}`);
    }
    systems = input.systems.map((system) =>
      evaluateSystem({ system, policy, stage, now: input.now, trust: input.trust, ...(input.headSha ? { headSha: input.headSha } : {}) }),
    );
    systems.push(...(input.removedSystems ?? []).map(removedSystem));
  }
  const loosened = systems.filter((s) => (s.keptFromBase ?? []).length > 0).map((s) => s.system);
  const repo: RepositoryContext = {
    policyInput: input.policy,
    loosened,
    ...(input.inventory ? { inventory: input.inventory } : {}),
    ...(input.inventoryError !== undefined ? { inventoryError: input.inventoryError } : {}),
  };
  const repositoryGates = REPOSITORY_GATES.flatMap((gate) => repositoryGate(gate, repo, policy, rule ? stage : undefined));

  const all = [...repositoryGates, ...systems.flatMap((s) => s.gates)];
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, inconclusive: 0, waived: 0, skipped: 0 };
  for (const g of all) counts[g.outcome]++;
  const failed = all.filter((g) => BLOCKING.includes(g.outcome)).length;
  const verdict: Verdict = fatal.length > 0 || failed > 0 ? (enforce === 'block' ? 'fail' : 'warn') : 'pass';
  return {
    schema: 'https://github.com/last-mile/last-mile/report/v1',
    verdict,
    stage,
    branch: input.branch,
    enforce,
    event: input.event,
    ...(input.repository ? { repository: input.repository } : {}),
    ...(input.pullRequest !== undefined ? { pullRequest: input.pullRequest } : {}),
    ...(input.headSha ? { headSha: input.headSha } : {}),
    ...(input.baseSha ? { baseSha: input.baseSha } : {}),
    policy: { source: input.policy.source, builtIn: input.policy.builtIn, changedInHead: input.policy.changedInHead },
    counts,
    failed,
    repositoryGates,
    systems,
    errors: fatal,
    notes,
    generatedAt: input.now.toISOString(),
  };
}
