// Report + evidence → in-toto Statement v1 (the `attestation` output, SPEC §7).
//
// The statement's subject is the evaluated commit (`digest: { gitCommit }`), its predicate what
// was checked: verdict, every gate result, the digests of the policy, manifest and eval files,
// and who verified each sign-off and waiver. Pure: the caller reads the files and hashes them
// (sha256Hex of the file bytes, src/lib/digest.ts).
//
// actions/attest builds and signs its own statement from `subject-*` inputs, `predicate-type`
// and `predicate-path`, and accepts only SHA-2 subject digests (not gitCommit): give it this
// statement's `predicate` (a file holding `statement.predicate`) and a file subject; the
// commit stays bound through `predicate.commit` and the signing certificate's source digest.
import { ATTESTATION_PREDICATE_TYPE, IN_TOTO_STATEMENT_TYPE, attestationPredicateSchema, gitCommitSchema } from '../model/attestation-schema';
import type { AttestationPredicate, AttestationStatement, FileDigest, Verifier } from '../model/attestation-schema';
import type { Report } from '../model/report';
import { LAST_MILE_URI } from './sarif';

export interface FileHash {
  /** Repo-relative posix path. */
  path: string;
  /** Lowercase hex SHA-256 of the file bytes. */
  sha256: string;
}

export interface AttestationEvidence {
  /** The evaluated commit (GITHUB_SHA, or the merge group's head). */
  commit: string;
  /** owner/name; the subject is then named git+https://github.com/<repository>@<commit>. */
  repository?: string;
  digests: { policy?: FileHash; manifests: FileHash[]; evals: FileHash[] };
  verifiers: Verifier[];
  /** The action's version, recorded as predicate.generator.version. */
  toolVersion?: string;
  /** For the subject name; default https://github.com (GITHUB_SERVER_URL on GHES). */
  serverUrl?: string;
}

export function renderAttestation(report: Report, evidence: AttestationEvidence): AttestationStatement {
  const commit = gitCommitSchema().parse(evidence.commit.trim().toLowerCase());
  const repository = evidence.repository ?? report.repository;
  const serverUrl = (evidence.serverUrl ?? 'https://github.com').replace(/\/+$/, '');

  const predicate: AttestationPredicate = {
    commit,
    ...(repository ? { repository } : {}),
    verdict: report.verdict,
    stage: report.stage,
    branch: report.branch,
    enforce: report.enforce,
    event: report.event,
    ...(report.pullRequest !== undefined ? { pullRequest: report.pullRequest } : {}),
    ...(report.baseSha ? { baseSha: report.baseSha } : {}),
    policy: {
      source: report.policy.source,
      builtIn: report.policy.builtIn,
      changedInHead: report.policy.changedInHead,
      ...(evidence.digests.policy ? { file: descriptor(evidence.digests.policy) } : {}),
    },
    counts: report.counts,
    failed: report.failed,
    repositoryGates: report.repositoryGates,
    systems: report.systems.map((s) => ({
      system: s.system,
      manifest: s.manifest,
      status: s.status,
      gates: s.gates,
      ...(s.evalTable ? { evalTable: s.evalTable } : {}),
    })),
    manifests: files(evidence.digests.manifests),
    evals: files(evidence.digests.evals),
    verifiers: evidence.verifiers.map((v) => ({ system: v.system, kind: v.kind, record: v.record, verified_by: v.verified_by })),
    errors: report.errors,
    generator: { name: 'Last Mile', uri: LAST_MILE_URI, ...(evidence.toolVersion ? { version: evidence.toolVersion } : {}) },
    generatedAt: report.generatedAt,
  };

  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ ...(repository ? { name: `git+${serverUrl}/${repository}@${commit}` } : {}), digest: { gitCommit: commit } }],
    predicateType: ATTESTATION_PREDICATE_TYPE,
    // Parsing checks every digest and drops nothing the schema knows; a bad digest throws here,
    // not in an auditor's hands.
    predicate: attestationPredicateSchema().parse(predicate),
  };
}

function descriptor(f: FileHash): FileDigest {
  return { name: f.path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, ''), digest: { sha256: f.sha256.toLowerCase() } };
}

/** Sorted by path and without duplicates, so the same files always give the same predicate. */
function files(list: FileHash[]): FileDigest[] {
  const byName = new Map<string, FileDigest>();
  for (const f of list) {
    const d = descriptor(f);
    byName.set(d.name, d);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
