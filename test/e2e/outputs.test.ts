// End to end through dist/index.js (issue 9): the `sarif` and `attestation` outputs exist and
// are valid on a failing and on a passing run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { attestationStatementSchema } from '../../src/model/attestation-schema';
import { sha256Hex } from '../../src/lib/digest';
import type { FakeGitHub } from '../support/github-server';
import { FIXTURES, HEAD_SHA, readySystem, runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, finishTest, prEvent } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

function sarifValidator(): (data: unknown) => boolean {
  const { id, $schema: _ignored, ...rest } = JSON.parse(readFileSync(path.join(FIXTURES, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile({ ...rest, $id: String(id) });
  return (data) => {
    const ok = validate(data);
    if (!ok) console.error(validate.errors);
    return ok;
  };
}

async function run(head: Record<string, string>) {
  gh = await fakeGitHub({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
  return runAction({ apiUrl: gh.url, workspace: workspace(head), ...prEvent('release/1.0'), inputs: { comment: 'never', 'check-name': '' } });
}

describe('sarif and attestation outputs', () => {
  it('on a failing run: one SARIF result per blocking gate, at the manifest line; a valid in-toto Statement', async () => {
    const files = readySystem();
    files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
      doc.delete('rollback');
    });
    const r = await run({ [POLICY_PATH]: NO_SIGNOFFS, ...files });
    expectVerdict(r, 'fail');
    const sarif = JSON.parse(readFileSync(r.outputs.sarif!, 'utf8')) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[]; tool: { driver: { rules: { id: string }[] } } }[] };
    expect(sarifValidator()(sarif)).toBe(true);
    const results = sarif.runs[0]!.results;
    expect(results.map((x) => x.ruleId)).toEqual(['rollback']);
    expect(results[0]!.level).toBe('error');
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('lastmile.yml');
    expect(sarif.runs[0]!.tool.driver.rules.map((x) => x.id)).toContain('eval.production-gap');

    const statement = attestationStatementSchema().parse(JSON.parse(readFileSync(r.outputs.attestation!, 'utf8')));
    expect(statement.subject[0]!.digest.gitCommit).toBe(HEAD_SHA);
    expect(statement.predicate.verdict).toBe('fail');
    expect(statement.predicate.manifests).toEqual([{ name: 'lastmile.yml', digest: { sha256: sha256Hex(files['lastmile.yml']!) } }]);
    expect(statement.predicate.evals.map((x) => x.name).sort()).toEqual(['evals/curated.json', 'evals/prod-sample.jsonl']);
    expect(statement.predicate.policy.file?.digest.sha256).toBe(sha256Hex(NO_SIGNOFFS));
  });

  it('on a passing run: a valid SARIF with no results, and the attestation says pass', async () => {
    const r = await run({ [POLICY_PATH]: NO_SIGNOFFS, ...readySystem() });
    expectVerdict(r, 'pass');
    const sarif = JSON.parse(readFileSync(r.outputs.sarif!, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0]!.results).toEqual([]);
    const statement = attestationStatementSchema().parse(JSON.parse(readFileSync(r.outputs.attestation!, 'utf8')));
    expect(statement.predicate.verdict).toBe('pass');
    expect(statement.predicateType).toBe('https://github.com/last-mile/last-mile/attestation/v1');
  });
});

describe('a runner whose GITHUB_OUTPUT cannot be written', () => {
  it('still prints the report and writes the job summary, then fails the job in one line, with no stack trace', async () => {
    gh = await fakeGitHub({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
    const r = await runAction({
      apiUrl: gh.url,
      workspace: workspace(readySystem()),
      ...prEvent('release/1.0'),
      inputs: { comment: 'never', 'check-name': '' },
      env: { GITHUB_OUTPUT: '/nonexistent-dir/output' },
    });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('Ready');
    expect(r.stdout).toMatch(/^::error::Last Mile could not set its step outputs \(verdict: .*Missing file at path: \/nonexistent-dir\/output/m);
    expectNoStackTrace(r);
  });
});

describe('alerts that are real and the AI inventory (issue 9)', () => {
  async function runRelease(head: Record<string, string>, manifests?: string) {
    gh = await fakeGitHub({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
    return runAction({
      apiUrl: gh.url,
      workspace: workspace(head),
      ...prEvent('release/1.0'),
      inputs: { comment: 'never', 'check-name': '', ...(manifests ? { manifests } : {}) },
    });
  }

  it('a declared metric no alert fires on fails `monitoring`, naming the metric', async () => {
    const files = readySystem();
    files['lastmile.yml'] = files['lastmile.yml']!.replace('metrics: [latency_p95, error_rate, escalation_rate]', 'metrics: [latency_p95, error_rate, escalation_rate, routing_drift]');
    const r = await runRelease({ [POLICY_PATH]: NO_SIGNOFFS, ...files });
    expectVerdict(r, 'fail');
    const monitoring = (r.report!.systems as { gates: { id: string; outcome: string; reason: string }[] }[])[0]!.gates.find((g) => g.id === 'monitoring')!;
    expect(monitoring.outcome).toBe('fail');
    expect(monitoring.reason).toContain('routing_drift');
    expect(r.summary).toContain('routing\\_drift');
  });

  it('an alerts file in free text is inconclusive on production, and blocks', async () => {
    const files = readySystem();
    files['ops/alerts/support-triage.yml'] = '# Alerts\n\nWe page on-call when latency_p95 or error_rate look bad.\n';
    const r = await runRelease({ [POLICY_PATH]: NO_SIGNOFFS, ...files });
    expectVerdict(r, 'fail');
    const monitoring = (r.report!.systems as { gates: { id: string; outcome: string; reason: string }[] }[])[0]!.gates.find((g) => g.id === 'monitoring')!;
    expect(monitoring.outcome).toBe('inconclusive');
    expect(monitoring.reason).toContain('cannot verify that the metrics are alerted on');
  });

  it('a model SDK outside every manifest folder fails `inventory.unregistered` naming the file; inside one it is covered', async () => {
    const system = readySystem('services/triage');
    const pkg = (dep: string): string => `{\n  "name": "x",\n  "dependencies": {\n    "${dep}": "^4.0.0"\n  }\n}\n`;
    const outside = await runRelease({ [POLICY_PATH]: NO_SIGNOFFS, ...system, 'tools/summariser/package.json': pkg('openai') }, 'services/*/lastmile.yml');
    expectVerdict(outside, 'fail');
    const gate = (outside.report!.repositoryGates as { id: string; outcome: string; reason: string }[]).find((g) => g.id === 'inventory.unregistered')!;
    expect(gate.outcome).toBe('fail');
    expect(gate.reason).toContain('tools/summariser/package.json:4');
    expect(gate.reason).toContain('openai');
    await gh!.close();
    gh = undefined;

    const inside = await runRelease({ [POLICY_PATH]: NO_SIGNOFFS, ...system, 'services/triage/package.json': pkg('openai') }, 'services/*/lastmile.yml');
    expectVerdict(inside, 'pass');
    const covered = (inside.report!.repositoryGates as { id: string; outcome: string }[]).find((g) => g.id === 'inventory.unregistered')!;
    expect(covered.outcome).toBe('pass');
  });
});
