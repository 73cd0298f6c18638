// The policy (`.github/lastmile-policy.yml`), SPEC §3. Sections a policy omits fall back to
// the built-in default (src/config/policy/default.ts); unknown keys are errors.
import { z } from 'zod';
import { lazy } from '../../lib/lazy';
import { AREAS, GATE_IDS } from '../../model/catalogue';
import { CLASSIFICATIONS, EVAL_SOURCES, RISK_TIERS } from '../manifest/schema';

// Built on first use (see src/lib/lazy.ts).
const schemas = lazy(() => {
  const text = z.string().trim().min(1, 'a non-empty string');

  /** `alice`, `@alice`, `@org/team`, or a permission level `@write` / `@maintain` / `@admin`. */
  const approverSchema = z
    .string()
    .regex(
      /^@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/,
      'a user ("alice"), a team ("@org/team") or a permission ("@write", "@maintain", "@admin")',
    );

  const requirable = z.enum([...AREAS, ...GATE_IDS.filter((g) => g.includes('.'))] as [string, ...string[]]);

  const fraction = z.number().min(0).max(1);
  const days = z.number().int().positive();

  const policySchema = z.strictObject({
    version: z.literal(1),
    branches: z
      .array(
        z.strictObject({
          pattern: text,
          stage: text,
          enforce: z.enum(['block', 'warn']),
        }),
      )
      .min(1)
      .optional(),
    stages: z.record(text, z.strictObject({ require: z.array(requirable) })).optional(),
    signoffs: z
      .record(
        text,
        z.strictObject({
          approvers: z.array(approverSchema).min(1),
          max_age_days: days.optional(),
          // Service level (SPEC §10): a request older than this is named with whom to escalate to.
          sla_days: days.optional(),
          escalate: approverSchema
            .refine((a) => !/^@(read|triage|write|maintain|admin)$/i.test(a), 'a user ("alice") or a team ("@org/team"), not a permission level')
            .optional(),
          // Every key given must match the manifest's facts (base and head alike, SPEC §6).
          when: z
            .strictObject({
              risk_tier: z.array(z.enum(RISK_TIERS)).min(1).optional(),
              classification: z.array(z.enum(CLASSIFICATIONS)).min(1).optional(),
              pii: z.boolean().optional(),
            })
            .refine((w) => Object.keys(w).length > 0, 'at least one of risk_tier, classification, pii')
            .optional(),
        }),
      )
      .optional(),
    evals: z
      .strictObject({
        confidence: z.number().gt(0.5).lt(1).optional(),
        min_samples: z.number().int().min(0).optional(),
        max_age_days: days.optional(),
        require_sources: z.array(z.enum(EVAL_SOURCES)).optional(),
        max_gap: z.union([fraction, z.record(text, z.number().min(0))], { error: 'a number from 0 to 1, or a map of metric name to number' }).optional(),
        slices: z.strictObject({ min_samples: z.number().int().min(0).optional(), max_drop: fraction.optional() }).optional(),
        regression: z.strictObject({ max_drop: z.number().min(0).optional() }).optional(),
        // Floors for every eval that reports the metric (SPEC §6): a manifest cannot go below them.
        thresholds: z
          .record(text, z.union([z.strictObject({ min: z.number().finite() }), z.strictObject({ max: z.number().finite() })], { error: 'a threshold { min: <number> } or { max: <number> } (one of the two)' }))
          .optional(),
      })
      .optional(),
    waivers: z
      .strictObject({
        approvers: z.array(approverSchema).min(1).optional(),
        max_days: days.optional(),
      })
      .optional(),
    monitoring: z.strictObject({ verify_alerts: z.boolean().optional() }).optional(),
    inventory: z
      .strictObject({
        require_manifest: z.boolean().optional(),
        ignore: z.array(text).optional(),
        packages: z
          .strictObject({
            npm: z.array(text).optional(),
            pypi: z.array(text).optional(),
            go: z.array(text).optional(),
            maven: z.array(text).optional(),
          })
          .optional(),
      })
      .optional(),
  });

  return { policySchema };
});

export const policySchema = () => schemas().policySchema;

export type PolicyDocument = z.output<ReturnType<typeof policySchema>>;

export interface BranchRule {
  pattern: string;
  stage: string;
  enforce: 'block' | 'warn';
}

export interface SignoffRule {
  approvers: string[];
  max_age_days?: number;
  /** Days a `requested` record may wait before it is named as overdue (SPEC §10). */
  sla_days?: number;
  /** User or team to escalate an overdue request to. */
  escalate?: string;
  when?: { risk_tier?: string[]; classification?: string[]; pii?: boolean };
}

/** A policy with every default filled in: what the gates read. */
export interface Policy {
  branches: BranchRule[];
  stages: Record<string, { require: string[] }>;
  signoffs: Record<string, SignoffRule>;
  evals: {
    confidence: number;
    min_samples: number;
    max_age_days: number;
    require_sources: string[];
    max_gap: number | Record<string, number>;
    slices: { min_samples: number; max_drop: number };
    regression: { max_drop: number };
    /** Policy floors by metric name (SPEC §6); empty when the policy sets none. */
    thresholds: Record<string, { min: number } | { max: number }>;
  };
  waivers: { approvers: string[]; max_days: number };
  monitoring: { verify_alerts: boolean };
  inventory: { require_manifest?: boolean; ignore: string[]; packages: { npm?: string[]; pypi?: string[]; go?: string[]; maven?: string[] } };
}
