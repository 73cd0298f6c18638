// The gate catalogue: every gate id, the policy area that requires it and what it checks.
// Ids are stable: waivers, SARIF rules and users' branch rules refer to them.
export const AREAS = [
  'ownership',
  'identity',
  'data',
  'compliance',
  'signoffs',
  'monitoring',
  'rollback',
  'rollout',
  'integrations',
  'evals',
  'inventory',
] as const;
export type Area = (typeof AREAS)[number];

export interface GateInfo {
  id: string;
  /** The policy `require` entry that turns it on; undefined = always runs. */
  area?: Area;
  title: string;
  checks: string;
  fix: string;
  /** Whether a waiver may cover it; integrity gates can never be waived. */
  waivable: boolean;
  /** Whether it concerns the whole repository rather than one system. */
  repository?: boolean;
}

export const GATES = [
  {
    id: 'manifest.valid',
    title: 'Manifest is valid',
    checks: 'The manifest parses as YAML, has `version: 1`, a `system` id, no unknown keys, and valid `business_owner`, `model` and `waivers` (sections no other gate reads).',
    fix: 'Correct the keys named in the error (file:line:column); run `last-mile check` locally.',
    waivable: false,
  },
  {
    id: 'ownership',
    area: 'ownership',
    title: 'Ownership',
    checks: '`owner.team`, `owner.oncall` and `owner.escalation` are declared, and the team owns the manifest in CODEOWNERS (where the repository has one).',
    fix: 'Name the owning team, the on-call schedule and the escalation channel under `owner:`; add a CODEOWNERS line for the manifest\'s folder.',
    waivable: true,
  },
  {
    id: 'identity',
    area: 'identity',
    title: 'Identity',
    checks: 'The system\'s principal, auth method and provisioning reference are declared.',
    fix: 'Declare `identity.principal`, `identity.auth` and the `identity.provisioning` ticket.',
    waivable: true,
  },
  {
    id: 'data',
    area: 'data',
    title: 'Data governance',
    checks: 'Data classification, the production-data access grant and whether PII is processed are declared.',
    fix: 'Declare `data.classification`, `data.production_access` (the grant reference) and `data.pii`.',
    waivable: true,
  },
  {
    id: 'compliance',
    area: 'compliance',
    title: 'Compliance',
    checks: 'A risk tier is declared; `unacceptable` never passes production.',
    fix: 'Declare `compliance.risk_tier` (minimal | limited | high | unacceptable).',
    waivable: true,
  },
  {
    id: 'signoffs',
    area: 'signoffs',
    title: 'Governance sign-offs',
    checks: 'Every sign-off kind the policy requires at this stage is approved, unexpired and verified.',
    fix: 'Request the missing sign-offs; record them under `signoffs:` with status, ticket and dates.',
    waivable: true,
  },
  {
    id: 'monitoring',
    area: 'monitoring',
    title: 'Monitoring',
    checks: 'Metrics, an alerts file and drift detection are declared; the alerts file exists and alerts on every declared metric.',
    fix: 'Declare `monitoring.metrics`, `monitoring.alerts` (a Prometheus rules or Datadog monitors file in the repository) and `monitoring.drift`.',
    waivable: true,
  },
  {
    id: 'rollback',
    area: 'rollback',
    title: 'Rollback',
    checks: 'A rollback strategy and a runbook that exists in the repository.',
    fix: 'Declare `rollback.strategy` and `rollback.runbook` (a file in the repository).',
    waivable: true,
  },
  {
    id: 'rollout',
    area: 'rollout',
    title: 'Rollout',
    checks: 'A rollout plan is declared; the comms file it names exists.',
    fix: 'Declare `rollout.plan` and, where you have one, `rollout.comms` (a file in the repository).',
    waivable: true,
  },
  {
    id: 'integrations',
    area: 'integrations',
    title: 'Integrations',
    checks: 'Every integration declares auth, rate limit, timeout and fallback.',
    fix: 'For each entry under `integrations:` declare `auth`, `rate_limit`, `timeout_ms` and `fallback`.',
    waivable: true,
  },
  {
    id: 'inventory.unregistered',
    area: 'inventory',
    title: 'AI inventory',
    checks: 'No model SDK dependency or model file lies outside every folder that holds a manifest.',
    fix: 'Add a `lastmile.yml` next to the code that uses the model, or list the path under `inventory.ignore` in the policy.',
    waivable: true,
    repository: true,
  },
  {
    id: 'eval.thresholds',
    area: 'evals',
    title: 'Eval thresholds',
    checks: 'Each metric meets its `min`/`max`, judged on the confidence bound where `n` or `stderr` is known.',
    fix: 'Improve the model or evaluate on more samples until the confidence bound meets the threshold.',
    waivable: true,
  },
  {
    id: 'eval.production-gap',
    area: 'evals',
    title: 'Production gap',
    checks: 'Required eval sources are present; curated minus production-sample is within `max_gap` for every shared metric.',
    fix: 'Evaluate on production-like data and close the gap before release.',
    waivable: true,
  },
  {
    id: 'eval.slices',
    area: 'evals',
    title: 'Eval slices',
    checks: 'Every slice has enough samples and is at most `max_drop` below the whole.',
    fix: 'Collect more samples for small slices; fix the worst slices or waive them with a reason.',
    waivable: true,
  },
  {
    id: 'eval.freshness',
    area: 'evals',
    title: 'Eval freshness',
    checks: 'Results are for the manifest\'s `model.version` (or the head commit) and younger than `max_age_days`.',
    fix: 'Re-run the evals for the current model version and commit the results.',
    waivable: true,
  },
  {
    id: 'eval.regression',
    area: 'evals',
    title: 'Eval regression',
    checks: 'No metric drops more than `max_drop` against the same eval on the base branch.',
    fix: 'Find and fix the regression, or explain it in a waiver.',
    waivable: true,
  },
  {
    id: 'policy.integrity',
    title: 'Policy integrity',
    checks: 'The base branch\'s policy is valid; a pull request that changes the policy is judged by the base policy.',
    fix: 'Fix the policy on the base branch; policy changes take effect after merge.',
    waivable: false,
    repository: true,
  },
] as const satisfies readonly GateInfo[];

export type GateId = (typeof GATES)[number]['id'];
export const GATE_IDS: readonly GateId[] = GATES.map((g) => g.id);

export function gateInfo(id: GateId): GateInfo {
  const g = GATES.find((x) => x.id === id);
  if (!g) throw new Error(`unknown gate ${id}`);
  return g;
}

export function isGateId(id: string): id is GateId {
  return (GATE_IDS as readonly string[]).includes(id);
}
