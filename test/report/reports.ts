// Hand-built reports for the renderer tests: each is checked with reportSchema.parse, so a
// fixture that drifts from the report's shape fails loudly instead of testing nothing.
import type { GateResult, Outcome } from '../../src/core/types';
import { REPORT_SCHEMA_ID, reportSchema } from '../../src/model/report-schema';
import type { Report, SystemReport } from '../../src/model/report';

export const HEAD = '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
export const BASE = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

const BLOCKS: readonly Outcome[] = ['fail', 'inconclusive'];

function system(name: string, manifest: string, gates: GateResult[]): SystemReport {
  return { system: name, manifest, status: gates.some((g) => BLOCKS.includes(g.outcome)) ? 'fail' : 'pass', gates, notes: [] };
}

function assemble(o: { enforce: Report['enforce']; repositoryGates: GateResult[]; systems: SystemReport[]; errors?: string[] }): Report {
  const all = [...o.repositoryGates, ...o.systems.flatMap((s) => s.gates)];
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, inconclusive: 0, waived: 0, skipped: 0 };
  for (const g of all) counts[g.outcome]++;
  const failed = all.filter((g) => BLOCKS.includes(g.outcome)).length;
  const errors = o.errors ?? [];
  return reportSchema().parse({
    schema: REPORT_SCHEMA_ID,
    verdict: failed > 0 || errors.length > 0 ? (o.enforce === 'block' ? 'fail' : 'warn') : 'pass',
    stage: 'production',
    branch: 'main',
    enforce: o.enforce,
    event: 'pull_request',
    repository: 'acme/assistants',
    pullRequest: 42,
    headSha: HEAD,
    baseSha: BASE,
    policy: { source: `.github/lastmile-policy.yml@${BASE}`, builtIn: false, changedInHead: false },
    counts,
    failed,
    repositoryGates: o.repositoryGates,
    systems: o.systems,
    errors,
    notes: [],
    generatedAt: '2026-11-20T12:00:00.000Z',
  });
}

/**
 * Not ready: two systems and the repository, with failing gates (located and not), inconclusive
 * ones, a waived one and skipped ones. `signoffReason` lets a test change only the age in days.
 */
export function failingReport(o: { enforce?: Report['enforce']; signoffReason?: string } = {}): Report {
  const triage = 'services/support-triage/lastmile.yml';
  const refunds = 'apps/refund bot/lastmile.yml';
  return assemble({
    enforce: o.enforce ?? 'block',
    repositoryGates: [
      { id: 'policy.integrity', outcome: 'pass', reason: `judged by the policy from .github/lastmile-policy.yml@${BASE}` },
      {
        id: 'inventory.unregistered',
        outcome: 'fail',
        reason: '2 AI uses outside every manifest\'s folder: services/search/package.json:14 npm package "openai" in dependencies (OpenAI API client)',
        fix: 'Add a `lastmile.yml` next to the code that uses the model, or list the path under `inventory.ignore` in the policy.',
        location: { file: 'services/search/package.json', line: 14 },
        details: [
          'services/search/package.json:14 npm package "openai" in dependencies (OpenAI API client)',
          'tools/ranker/requirements.txt:3 PyPI package "anthropic" (Anthropic API client)',
        ],
      },
    ],
    systems: [
      system('support-triage', triage, [
        { id: 'manifest.valid', outcome: 'pass', reason: 'valid' },
        {
          id: 'ownership',
          outcome: 'fail',
          reason: 'missing `owner.oncall` and `owner.escalation`',
          fix: 'Name the owning team, the on-call schedule and the escalation channel under `owner:`.',
          location: { file: triage, line: 4, column: 3 },
          details: ['owner.oncall', 'owner.escalation'],
        },
        {
          id: 'signoffs',
          outcome: 'fail',
          reason: o.signoffReason ?? 'security sign-off SEC-1203 is pending: waiting 23 days for approval',
          fix: 'Request the missing sign-offs; record them under `signoffs:` with status, ticket and dates.',
          location: { file: triage, line: 31, column: 5 },
        },
        {
          id: 'monitoring',
          outcome: 'inconclusive',
          reason: 'ops/alerts/triage.txt is neither Prometheus alerting rules nor Datadog monitors',
          fix: 'Declare `monitoring.alerts` as a Prometheus rules or Datadog monitors file.',
          location: { file: triage, line: 22, column: 11 },
        },
        {
          id: 'eval.freshness',
          outcome: 'waived',
          reason: 'results are 45 days old (max 30)',
          location: { file: triage, line: 40, column: 7 },
          waiver: { reason: 'quarterly re-run scheduled', approved_by: '@acme/ml-governance', expires_on: '2026-12-31', verified_by: 'approving review by @dana' },
        },
        { id: 'eval.thresholds', outcome: 'pass', reason: 'accuracy 0.91 ≥ 0.85 (lower bound 0.89, n = 1200)' },
        { id: 'eval.slices', outcome: 'skipped', reason: 'not required at the production stage' },
      ]),
      system('refund-bot', refunds, [
        { id: 'manifest.valid', outcome: 'pass', reason: 'valid' },
        { id: 'identity', outcome: 'fail', reason: 'missing: the manifest has no `identity:` section', fix: 'Declare `identity.principal`, `identity.auth` and the `identity.provisioning` ticket.' },
        { id: 'data', outcome: 'inconclusive', reason: 'the production-data access grant GRANT-77 could not be checked', fix: 'Declare `data.production_access` (the grant reference).' },
        { id: 'rollback', outcome: 'pass', reason: 'strategy blue-green, runbook docs/refunds-rollback.md' },
      ]),
    ],
  });
}

/** Ready: every gate passes, is waived or skipped. */
export function passingReport(): Report {
  return assemble({
    enforce: 'block',
    repositoryGates: [
      { id: 'policy.integrity', outcome: 'pass', reason: `judged by the policy from .github/lastmile-policy.yml@${BASE}` },
      { id: 'inventory.unregistered', outcome: 'pass', reason: 'every model SDK dependency and model file lies in a folder with a manifest' },
    ],
    systems: [
      system('support-triage', 'services/support-triage/lastmile.yml', [
        { id: 'manifest.valid', outcome: 'pass', reason: 'valid' },
        { id: 'ownership', outcome: 'pass', reason: 'team @acme/support-ai owns services/support-triage/ in CODEOWNERS' },
        { id: 'signoffs', outcome: 'pass', reason: 'security, legal and privacy sign-offs approved and verified' },
        { id: 'eval.slices', outcome: 'skipped', reason: 'not required at the production stage' },
      ]),
    ],
  });
}

/** A repository whose policy cannot be read: policy.integrity fails without a location. */
export function brokenPolicyReport(): Report {
  return assemble({
    enforce: 'block',
    repositoryGates: [
      { id: 'policy.integrity', outcome: 'fail', reason: 'the policy .github/lastmile-policy.yml could not be read', fix: 'See the error above; the check fails closed until the policy can be read.' },
      { id: 'inventory.unregistered', outcome: 'inconclusive', reason: 'the repository could not be scanned: not a git checkout', fix: 'Check out the repository (actions/checkout) before running Last Mile.' },
    ],
    systems: [],
    errors: ['The policy .github/lastmile-policy.yml could not be read: 404'],
  });
}
