import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ATTESTATION_PREDICATE_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  attestationPredicateSchema,
  attestationStatementSchema,
} from '../../src/model/attestation-schema';
import { sha256Hex } from '../../src/lib/digest';
import { renderAttestation } from '../../src/render/attestation';
import type { AttestationEvidence } from '../../src/render/attestation';
import { HEAD, failingReport, passingReport } from './reports';

const POLICY_TEXT = 'version: 1\nbranches:\n  - match: main\n    stage: production\n    enforce: block\n';
const TRIAGE_TEXT = 'version: 1\nsystem: support-triage\n';
const REFUNDS_TEXT = 'version: 1\nsystem: refund-bot\n';
const EVAL_TEXT = '{"metrics":{"accuracy":0.91}}\n';

function evidence(over: Partial<AttestationEvidence> = {}): AttestationEvidence {
  return {
    commit: HEAD,
    repository: 'acme/assistants',
    digests: {
      policy: { path: '.github/lastmile-policy.yml', sha256: sha256Hex(POLICY_TEXT) },
      // Deliberately out of order: the predicate lists them sorted by path.
      manifests: [
        { path: 'services/support-triage/lastmile.yml', sha256: sha256Hex(TRIAGE_TEXT) },
        { path: 'apps/refund bot/lastmile.yml', sha256: sha256Hex(REFUNDS_TEXT) },
      ],
      evals: [{ path: 'services/support-triage/evals/curated.json', sha256: sha256Hex(Buffer.from(EVAL_TEXT)) }],
    },
    verifiers: [
      { system: 'support-triage', kind: 'signoff', record: 'legal (LEGAL-88)', verified_by: 'approving review by @lee (member of @acme/legal)' },
      { system: 'support-triage', kind: 'waiver', record: 'eval.freshness', verified_by: 'approving review by @dana' },
    ],
    toolVersion: '1.4.0',
    ...over,
  };
}

describe('sha256Hex', () => {
  it('is the standard SHA-256 in lowercase hex, the same for a string and its UTF-8 bytes', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(Buffer.from('héllo', 'utf8'))).toBe(sha256Hex('héllo'));
  });
});

describe('renderAttestation', () => {
  it('is an in-toto Statement v1 whose subject is the evaluated commit', () => {
    const st = renderAttestation(failingReport(), evidence());
    expect(st._type).toBe('https://in-toto.io/Statement/v1');
    expect(st._type).toBe(IN_TOTO_STATEMENT_TYPE);
    expect(st.subject).toEqual([{ name: `git+https://github.com/acme/assistants@${HEAD}`, digest: { gitCommit: HEAD } }]);
    expect(st.predicateType).toBe('https://github.com/last-mile/last-mile/attestation/v1');
    expect(st.predicateType).toBe(ATTESTATION_PREDICATE_TYPE);
    expect(Object.keys(st).sort()).toEqual(['_type', 'predicate', 'predicateType', 'subject']);
  });

  it('the statement and its predicate parse with the zod schemas (also after a JSON round trip)', () => {
    const st = JSON.parse(JSON.stringify(renderAttestation(failingReport(), evidence()))) as unknown;
    expect(attestationStatementSchema().safeParse(st).success).toBe(true);
    const parsed = attestationStatementSchema().parse(st);
    expect(attestationPredicateSchema().parse(parsed.predicate)).toEqual(parsed.predicate);
    const passing = renderAttestation(passingReport(), evidence());
    expect(attestationPredicateSchema().safeParse(passing.predicate).success).toBe(true);
  });

  it('the predicate carries verdict, stage, branch, enforcement and the policy with its digest', () => {
    const p = renderAttestation(failingReport(), evidence()).predicate;
    expect(p).toMatchObject({ commit: HEAD, repository: 'acme/assistants', verdict: 'fail', stage: 'production', branch: 'main', enforce: 'block', event: 'pull_request', pullRequest: 42 });
    expect(p.policy.source).toMatch(/^\.github\/lastmile-policy\.yml@/);
    expect(p.policy.file).toEqual({ name: '.github/lastmile-policy.yml', digest: { sha256: sha256Hex(POLICY_TEXT) } });
    expect(p.generator).toEqual({ name: 'Last Mile', uri: 'https://github.com/last-mile/last-mile', version: '1.4.0' });
    expect(p.generatedAt).toBe('2026-11-20T12:00:00.000Z');
  });

  it('lists the manifest and eval file digests, sorted by path', () => {
    const p = renderAttestation(failingReport(), evidence()).predicate;
    expect(p.manifests).toEqual([
      { name: 'apps/refund bot/lastmile.yml', digest: { sha256: sha256Hex(REFUNDS_TEXT) } },
      { name: 'services/support-triage/lastmile.yml', digest: { sha256: sha256Hex(TRIAGE_TEXT) } },
    ]);
    expect(p.evals).toEqual([{ name: 'services/support-triage/evals/curated.json', digest: { sha256: sha256Hex(EVAL_TEXT) } }]);
  });

  it('carries every gate result of every system and of the repository, waivers included', () => {
    const report = failingReport();
    const p = renderAttestation(report, evidence()).predicate;
    expect(p.repositoryGates).toEqual(report.repositoryGates);
    expect(p.systems.map((s) => s.system)).toEqual(['support-triage', 'refund-bot']);
    for (const [i, s] of report.systems.entries()) {
      expect(p.systems[i]!.gates).toEqual(s.gates);
      expect(p.systems[i]!.manifest).toBe(s.manifest);
    }
    expect(p.counts).toEqual(report.counts);
    expect(p.failed).toBe(report.failed);
    const waived = p.systems[0]!.gates.find((g) => g.id === 'eval.freshness');
    expect(waived?.waiver?.verified_by).toBe('approving review by @dana');
  });

  it('says who verified each sign-off and waiver', () => {
    const p = renderAttestation(failingReport(), evidence()).predicate;
    expect(p.verifiers).toEqual(evidence().verifiers);
  });

  it('without a repository the subject has no name, only the commit digest; without a policy file, no policy digest', () => {
    const report = { ...passingReport(), repository: undefined };
    const st = renderAttestation(report, evidence({ repository: undefined, digests: { manifests: [], evals: [] } }));
    expect(st.subject).toEqual([{ digest: { gitCommit: HEAD } }]);
    expect(st.predicate.policy.file).toBeUndefined();
    expect(st.predicate.manifests).toEqual([]);
  });

  it('normalises the commit to lowercase and refuses what is not a commit id or a SHA-256', () => {
    expect(renderAttestation(passingReport(), evidence({ commit: HEAD.toUpperCase() })).subject[0]!.digest.gitCommit).toBe(HEAD);
    expect(() => renderAttestation(passingReport(), evidence({ commit: 'main' }))).toThrow();
    expect(() =>
      renderAttestation(passingReport(), evidence({ digests: { manifests: [{ path: 'lastmile.yml', sha256: 'not-a-digest' }], evals: [] } })),
    ).toThrow();
  });

  it('is deterministic', () => {
    expect(JSON.stringify(renderAttestation(failingReport(), evidence()))).toBe(JSON.stringify(renderAttestation(failingReport(), evidence())));
  });

  it('the JSON Schema the integrator publishes (z.toJSONSchema, io: input) accepts the predicate', () => {
    const schema = z.toJSONSchema(attestationPredicateSchema(), { io: 'input' });
    const ajv = new Ajv2020({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const predicate = JSON.parse(JSON.stringify(renderAttestation(failingReport(), evidence()).predicate)) as unknown;
    expect(validate(predicate), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate({ ...(predicate as object), commit: 'main' })).toBe(false);
  });
});
