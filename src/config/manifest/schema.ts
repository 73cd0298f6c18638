// The readiness manifest (`lastmile.yml`), SPEC §2. Every section is optional here; which
// sections are required is the policy's decision, so a missing section is "missing" at the
// gate, not a schema error. Unknown keys are errors everywhere: a typo must not weaken a gate.
import { z } from 'zod';
import { lazy } from '../../lib/lazy';

export const AUTH_METHODS = ['oidc', 'saml', 'oauth2-client-credentials', 'api-key', 'mtls', 'none'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const RISK_TIERS = ['minimal', 'limited', 'high', 'unacceptable'] as const;
export const SIGNOFF_STATUSES = ['requested', 'approved', 'rejected'] as const;
export const ROLLBACK_STRATEGIES = ['feature-flag', 'blue-green', 'canary', 'redeploy-previous'] as const;
export const EVAL_SOURCES = ['curated', 'production-sample', 'shadow', 'red-team', 'load'] as const;
export const EVAL_FORMATS = ['lastmile', 'samples', 'promptfoo', 'lm-eval', 'inspect', 'deepeval'] as const;
export const RATE_LIMIT = /^\s*\d+(?:\.\d+)?\s*\/\s*(?:s|sec|second|m|min|minute|h|hr|hour|d|day)\s*$/i;

// Built on first use (see ../schema/lazy.ts).
const schemas = lazy(() => {
  const isoDate = z
    .string()
    // abort: a value that is not YYYY-MM-DD at all gets one error, not a second "calendar date" one.
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD', abort: true })
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, 'a calendar date as YYYY-MM-DD');

  const text = z.string().trim().min(1, 'a non-empty string');
  /** Scalars users naturally write unquoted (`version: 3`) are read as text. */
  const looseText = z.union([z.string(), z.number()], { error: 'a string' }).transform(String).pipe(text);

  /** A GitHub user (`@alice`) or team (`@org/team`). */
  const githubOwner = z
    .string()
    .regex(/^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/, 'a GitHub user or team such as "@acme/support-ml"');

  const owner = z.strictObject({
    team: githubOwner.optional(),
    oncall: text.optional(),
    escalation: text.optional(),
  });

  const model = z.strictObject({
    name: looseText.optional(),
    version: looseText.optional(),
  });

  const identity = z.strictObject({
    principal: text.optional(),
    auth: z.enum(AUTH_METHODS).optional(),
    provisioning: looseText.optional(),
  });

  const data = z.strictObject({
    classification: z.enum(CLASSIFICATIONS).optional(),
    production_access: looseText.optional(),
    pii: z.boolean().optional(),
  });

  const compliance = z.strictObject({
    risk_tier: z.enum(RISK_TIERS).optional(),
  });

  const signoffSchema = z.strictObject({
    kind: text,
    status: z.enum(SIGNOFF_STATUSES),
    ticket: looseText.optional(),
    approved_by: text.optional(),
    approved_on: isoDate.optional(),
    expires_on: isoDate.optional(),
    requested_on: isoDate.optional(),
  });

  const drift = z.strictObject({
    method: text,
    features: z.array(text).optional(),
    threshold: z.number().finite().optional(),
  });

  const monitoring = z.strictObject({
    metrics: z.array(text).optional(),
    alerts: text.optional(),
    dashboard: z.url({ message: 'a URL' }).optional(),
    drift: drift.optional(),
    feedback: text.optional(),
  });

  const rollback = z.strictObject({
    strategy: z.enum(ROLLBACK_STRATEGIES).optional(),
    runbook: text.optional(),
  });

  const rollout = z.strictObject({
    plan: text.optional(),
    comms: text.optional(),
  });

  const integration = z.strictObject({
    name: text,
    auth: z.enum(AUTH_METHODS).optional(),
    rate_limit: z.string().regex(RATE_LIMIT, 'a rate such as "100/min"').optional(),
    timeout_ms: z.number().int().positive().optional(),
    fallback: text.optional(),
  });

  const threshold = z.union([z.strictObject({ min: z.number().finite() }), z.strictObject({ max: z.number().finite() })], {
    error: 'a threshold { min: <number> } or { max: <number> } (one of the two)',
  });

  const evalEntrySchema = z.strictObject({
    name: text,
    source: z.enum(EVAL_SOURCES),
    path: text,
    format: z.enum(EVAL_FORMATS),
    metrics: z.record(z.string().min(1), threshold).optional(),
    slices: z.array(text).optional(),
  });

  const waiverSchema = z.strictObject({
    gate: text,
    reason: text,
    approved_by: text,
    approved_on: isoDate.optional(),
    expires_on: isoDate,
  });

  /** Sections validated one by one, so an error in one does not hide the others' facts. */
  const manifestSections = {
    owner,
    business_owner: text,
    model,
    identity,
    data,
    compliance,
    signoffs: z.array(signoffSchema),
    monitoring,
    rollback,
    rollout,
    integrations: z.array(integration),
    // Results are looked up by eval name: two evals of one name would share one result.
    evals: z.array(evalEntrySchema).superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((e, i) => {
        if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'a name no other eval of this manifest has', input: e.name });
        seen.add(e.name);
      });
    }),
    waivers: z.array(waiverSchema),
  } as const;

  const manifestSchema = z.strictObject({
    version: z.literal(1),
    system: z.string().regex(/^[a-z0-9-]+$/, 'an id of lowercase letters, digits and "-"'),
    description: text.optional(),
    owner: manifestSections.owner.optional(),
    business_owner: manifestSections.business_owner.optional(),
    model: manifestSections.model.optional(),
    identity: manifestSections.identity.optional(),
    data: manifestSections.data.optional(),
    compliance: manifestSections.compliance.optional(),
    signoffs: manifestSections.signoffs.optional(),
    monitoring: manifestSections.monitoring.optional(),
    rollback: manifestSections.rollback.optional(),
    rollout: manifestSections.rollout.optional(),
    integrations: manifestSections.integrations.optional(),
    evals: manifestSections.evals.optional(),
    waivers: manifestSections.waivers.optional(),
  });

  return { manifestSchema, manifestSections, signoffSchema, evalEntrySchema, waiverSchema };
});

export const manifestSchema = () => schemas().manifestSchema;
/** Sections validated one by one, so an error in one does not hide the others' facts. */
export const manifestSections = () => schemas().manifestSections;

export type Manifest = z.output<ReturnType<typeof schemas>['manifestSchema']>;
export type Signoff = z.output<ReturnType<typeof schemas>['signoffSchema']>;
export type Waiver = z.output<ReturnType<typeof schemas>['waiverSchema']>;
export type EvalEntry = z.output<ReturnType<typeof schemas>['evalEntrySchema']>;
export type ManifestSection = keyof ReturnType<typeof manifestSections>;
