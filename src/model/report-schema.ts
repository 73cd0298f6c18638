// The report JSON (the `report` output and `last-mile check --json`), as a zod schema so that
// its JSON Schema (schema/report.schema.json) is generated, not hand-written.
import { z } from 'zod';
import { lazy } from '../lib/lazy';
import { GATE_IDS } from './catalogue';
import type { GateId } from './catalogue';

export const OUTCOMES = ['pass', 'fail', 'inconclusive', 'waived', 'skipped'] as const;

export const REPORT_SCHEMA_ID = 'https://github.com/last-mile/last-mile/report/v1';

// Built on first use (see src/lib/lazy.ts).
const schemas = lazy(() => {
  const location = z.object({ file: z.string(), line: z.number().int(), column: z.number().int().optional() });

  const gateResultSchema = z.object({
    id: z.enum(GATE_IDS as [GateId, ...GateId[]]),
    outcome: z.enum(OUTCOMES),
    reason: z.string().describe('One line: what was found.'),
    fix: z.string().optional().describe('One line: how to fix it.'),
    location: location.optional().describe('The file and line the gate concerns.'),
    details: z.array(z.string()).optional(),
    who: z.array(z.string()).optional().describe('Who can act besides the owning team: the approvers (users, `@org/team`, `@write`…) whose review or grant would settle it.'),
    waiver: z
      .object({ reason: z.string(), approved_by: z.string(), expires_on: z.string(), verified_by: z.string() })
      .optional()
      .describe('The waiver that turned a failing gate into `waived`.'),
  });

  const cell = z.object({
    value: z.number(),
    lower: z.number().optional(),
    upper: z.number().optional(),
    n: z.number().optional(),
    errors: z.number().optional().describe('Errored results, counted in n as the worse outcome (SPEC §5.1).'),
  });

  const metricRowSchema = z.object({
    metric: z.string(),
    direction: z.enum(['min', 'max']),
    curated: cell.optional(),
    production: cell.optional(),
    gap: z.number().optional().describe('Measured in the direction of worse (curated − production for min metrics).'),
    gapLower: z.number().optional().describe('Lower bound of the gap\'s confidence interval.'),
    gapUpper: z.number().optional().describe('Upper bound of the gap\'s confidence interval.'),
    maxGap: z.number().optional(),
  });

  const systemReportSchema = z.object({
    system: z.string(),
    manifest: z.string(),
    owner: z.string().optional().describe('The owning team or user (`owner.team`): who acts on a failing gate.'),
    status: z.enum(['pass', 'fail']).describe('fail when any gate fails or is inconclusive.'),
    gates: z.array(gateResultSchema),
    evalTable: z.array(metricRowSchema).optional().describe('Curated vs production-sample, side by side.'),
    keptFromBase: z
      .array(z.string())
      .optional()
      .describe('Values of the base manifest (or policy floors) that apply although the pull request writes a looser one (SPEC §6), one line each.'),
    notes: z.array(z.string()),
    overdue: z
      .array(
        z.object({
          kind: z.string(),
          ticket: z.string().optional(),
          requested_on: z.string(),
          age_days: z.number().int(),
          sla_days: z.number().int(),
          escalate: z.string().optional().describe('User or team to escalate to, as the policy writes it.'),
        }),
      )
      .optional()
      .describe('Requested sign-offs older than their kind\'s `sla_days` (SPEC §10). Informational: the verdict does not change for it.'),
    verifications: z
      .array(z.object({ kind: z.enum(['signoff', 'waiver']), record: z.string(), verified_by: z.string() }))
      .optional()
      .describe('Who or what verified each approved sign-off and each applied waiver.'),
  });

  const reportSchema = z
    .object({
      schema: z.literal(REPORT_SCHEMA_ID),
      verdict: z.enum(['pass', 'fail', 'warn']),
      stage: z.string(),
      branch: z.string(),
      enforce: z.enum(['block', 'warn']),
      event: z.string(),
      repository: z.string().optional(),
      pullRequest: z.number().int().optional(),
      headSha: z.string().optional(),
      baseSha: z.string().optional(),
      policy: z.object({ source: z.string(), builtIn: z.boolean(), changedInHead: z.boolean() }),
      counts: z.object({ pass: z.number().int(), fail: z.number().int(), inconclusive: z.number().int(), waived: z.number().int(), skipped: z.number().int() }),
      failed: z.number().int().describe('Gates that fail or are inconclusive: the ones that block.'),
      repositoryGates: z.array(gateResultSchema),
      systems: z.array(systemReportSchema),
      errors: z.array(z.string()).describe('Fatal errors that ended the evaluation early (invalid policy, no manifest).'),
      notes: z.array(z.string()),
      generatedAt: z.string(),
    })
    .describe('Last Mile report, version 1.');

  return { gateResultSchema, metricRowSchema, systemReportSchema, reportSchema };
});

export const gateResultSchema = () => schemas().gateResultSchema;
export const metricRowSchema = () => schemas().metricRowSchema;
export const systemReportSchema = () => schemas().systemReportSchema;
export const reportSchema = () => schemas().reportSchema;
