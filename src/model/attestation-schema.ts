// The attestation predicate (output `attestation`, SPEC §7): what Last Mile checked on one
// commit, in a form an auditor can verify. Written as a zod schema so that
// schema/attestation.schema.json is generated (z.toJSONSchema(attestationPredicateSchema,
// { io: 'input' })), not hand-written.
//
// The statement around it is an in-toto Statement v1
// (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md): `_type`, `subject`
// (ResourceDescriptors with a `digest`), `predicateType`, `predicate`. Its subject is the
// evaluated commit, `digest: { gitCommit: <sha> }` (spec/v1/digest_set.md).
import { z } from 'zod';
import { lazy } from '../lib/lazy';
import { gateResultSchema, metricRowSchema, reportSchema } from './report-schema';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const ATTESTATION_PREDICATE_TYPE = 'https://github.com/last-mile/last-mile/attestation/v1';

// Built on first use (see src/lib/lazy.ts).
const schemas = lazy(() => {
  const sha256 = z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('Lowercase hex SHA-256 of the file bytes (what `sha256sum` prints).');

  const gitCommitSchema = z
    .string()
    .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/)
    .describe('Lowercase hex git commit id (SHA-1, or SHA-256 in a SHA-256 repository).');

  const fileDigestSchema = z
    .object({
      name: z.string().min(1).describe('Repo-relative posix path of the file.'),
      digest: z.object({ sha256 }),
    })
    .describe('An in-toto ResourceDescriptor: a file of the evaluated commit and the SHA-256 of its bytes.');

  const verifierSchema = z
    .object({
      system: z.string().describe('The system whose manifest holds the record.'),
      kind: z.enum(['signoff', 'waiver']),
      record: z.string().describe('Which record: the sign-off kind (and ticket), or the waived gate.'),
      verified_by: z.string().describe('Who or what verified it (e.g. the approving review, or "on a gated branch").'),
    })
    .describe('How one sign-off or waiver record was verified (SPEC §6).');

  const predicateSystemSchema = z.object({
    system: z.string(),
    manifest: z.string().describe('Repo-relative path of the manifest.'),
    status: z.enum(['pass', 'fail']),
    gates: z.array(gateResultSchema()).describe('Every gate result of this system, skipped ones included.'),
    evalTable: z.array(metricRowSchema()).optional().describe('Curated vs production-sample metrics, as in the report.'),
  });

  const attestationPredicateSchema = reportSchema()
    .pick({
      verdict: true,
      stage: true,
      branch: true,
      enforce: true,
      event: true,
      pullRequest: true,
      baseSha: true,
      counts: true,
      failed: true,
      repositoryGates: true,
      errors: true,
      generatedAt: true,
    })
    .extend({
      commit: gitCommitSchema.describe('The evaluated commit (the statement\'s subject).'),
      repository: z.string().optional().describe('owner/name.'),
      policy: z
        .object({
          source: z.string().describe('Where the policy was read: `<path>@<base>`, `owner/repo/path@ref`, or the built-in default.'),
          builtIn: z.boolean(),
          changedInHead: z.boolean(),
          file: fileDigestSchema.optional().describe('The policy file and its digest; absent for the built-in default.'),
        })
        .describe('The policy that judged the commit.'),
      systems: z.array(predicateSystemSchema),
      manifests: z.array(fileDigestSchema).describe('Every manifest evaluated, with its digest.'),
      evals: z.array(fileDigestSchema).describe('Every eval result file read, with its digest.'),
      verifiers: z.array(verifierSchema).describe('Who verified each sign-off and waiver that counted.'),
      generator: z.object({ name: z.literal('Last Mile'), uri: z.string(), version: z.string().optional() }),
    })
    .describe('Last Mile attestation predicate, version 1 (predicateType https://github.com/last-mile/last-mile/attestation/v1).');

  const attestationSubjectSchema = z.object({
    name: z.string().optional().describe('git+<server>/<owner>/<repo>@<commit>'),
    digest: z.object({ gitCommit: gitCommitSchema }),
  });

  const attestationStatementSchema = z.object({
    _type: z.literal(IN_TOTO_STATEMENT_TYPE),
    subject: z.array(attestationSubjectSchema).min(1),
    predicateType: z.literal(ATTESTATION_PREDICATE_TYPE),
    predicate: attestationPredicateSchema,
  });

  return { gitCommitSchema, fileDigestSchema, verifierSchema, attestationPredicateSchema, attestationSubjectSchema, attestationStatementSchema };
});

export const gitCommitSchema = () => schemas().gitCommitSchema;
export const fileDigestSchema = () => schemas().fileDigestSchema;
export const verifierSchema = () => schemas().verifierSchema;
export const attestationPredicateSchema = () => schemas().attestationPredicateSchema;
export const attestationStatementSchema = () => schemas().attestationStatementSchema;

export type AttestationPredicate = z.infer<ReturnType<typeof attestationPredicateSchema>>;
export type AttestationStatement = z.infer<ReturnType<typeof attestationStatementSchema>>;
export type FileDigest = z.infer<ReturnType<typeof fileDigestSchema>>;
export type Verifier = z.infer<ReturnType<typeof verifierSchema>>;
