// The starter files of `last-mile init` built from detection facts alone (no file system): what
// was found in, manifest / policy / workflow text out, parsed back with the real parsers.
import { describe, expect, it } from 'vitest';
import { detectJsonFormat } from '../../src/cli/init/detect';
import { MANIFEST_PATH, MANIFEST_SCHEMA_COMMENT, POLICY_PATH, POLICY_SCHEMA_COMMENT, WORKFLOW_PATH, WORKFLOW_SCHEMA_COMMENT, WORKFLOW_YAML, manifestYaml, starterFiles, withThresholds } from '../../src/cli/init/starter';
import type { Detected, DetectedEval } from '../../src/cli/init/starter';
import { parseEval } from '../../src/collect/evals';
import { parseManifest } from '../../src/config/manifest/parse';
import { defaultPolicy } from '../../src/config/policy/default';
import { parsePolicy } from '../../src/config/policy/parse';
import type { EvalFormat } from '../../src/evidence/evals/types';

function detected(over: Partial<Detected> = {}): Detected {
  const defaultBranch = over.defaultBranch ?? 'main';
  return {
    system: 'support-triage',
    systemFrom: '--system',
    defaultBranch,
    defaultBranchFrom: 'origin/HEAD',
    ownerNote: 'owner.team: no CODEOWNERS file',
    evals: [],
    unreadable: [],
    policy: { policy: defaultPolicy(defaultBranch), from: 'the built-in default policy' },
    policyKept: false,
    ...over,
  };
}

/** An eval as detect.ts reports it, read by the real adapter from text. */
function evalOf(path: string, format: EvalFormat, value: unknown): DetectedEval {
  const load = parseEval(JSON.stringify(value), format, path);
  if (!load.ok) throw new Error(load.error.message);
  return { path, format, result: load.result };
}

const SUMMARY = {
  version: 1,
  model: { name: 'triage-classifier', version: '2026-11-01' },
  created_at: '2026-11-20T10:00:00Z',
  metrics: {
    accuracy: { value: 0.912, n: 1000, successes: 912 },
    error_rate: { value: 0.031, n: 1000, successes: 31 },
  },
};

function manifestOf(d: Detected): ReturnType<typeof parseManifest> {
  const text = manifestYaml(withThresholds(d));
  const m = parseManifest(text, MANIFEST_PATH);
  expect(m.documentErrors).toEqual([]);
  expect(m.sectionErrors).toEqual({});
  return m;
}

describe('init starter: detection facts in, starter files out', () => {
  it('with nothing found: a valid manifest of system and version only, the default policy for the detected branch, the workflow', () => {
    const files = starterFiles(withThresholds(detected({ defaultBranch: 'trunk' })));
    expect(files.map((f) => f.rel)).toEqual([MANIFEST_PATH, POLICY_PATH, WORKFLOW_PATH]);
    const [manifest, policy, workflow] = files.map((f) => f.text);

    expect(manifest!.split('\n')[0]).toBe(MANIFEST_SCHEMA_COMMENT);
    const m = parseManifest(manifest!, MANIFEST_PATH);
    expect(m.documentErrors).toEqual([]);
    expect(m.sectionErrors).toEqual({});
    expect(m.manifest).toMatchObject({ version: 1, system: 'support-triage' });
    expect(m.manifest.owner).toBeUndefined();
    expect(m.manifest.evals).toBeUndefined();
    expect(manifest).toContain('# TODO evals: no eval output of a supported format was found');

    expect(policy!.split('\n')[0]).toBe(POLICY_SCHEMA_COMMENT);
    const p = parsePolicy(policy!, POLICY_PATH, 'trunk');
    expect(p.ok).toBe(true);
    if (p.ok) expect(p.policy.branches.find((b) => b.stage === 'staging')?.pattern).toBe('trunk');

    expect(workflow).toBe(`${WORKFLOW_SCHEMA_COMMENT}\n${WORKFLOW_YAML}`);
  });

  it('quotes a default branch and a system id that plain YAML would read as something else', () => {
    const [manifest, policy] = starterFiles(withThresholds(detected({ system: '2024', defaultBranch: '1.0' }))).map((f) => f.text);
    expect(parseManifest(manifest!, MANIFEST_PATH).manifest.system).toBe('2024');
    const p = parsePolicy(policy!, POLICY_PATH, '1.0');
    expect(p.ok).toBe(true);
    if (p.ok) expect(p.policy.branches.find((b) => b.stage === 'staging')?.pattern).toBe('1.0');
  });

  it('writes the owner found in CODEOWNERS, with where it came from', () => {
    const text = manifestYaml(withThresholds(detected({ owner: { team: '@acme/ml', from: '.github/CODEOWNERS:3' } })));
    expect(text).toContain('team: "@acme/ml"   # from .github/CODEOWNERS:3');
    expect(parseManifest(text, MANIFEST_PATH).manifest.owner).toEqual({ team: '@acme/ml' });
  });

  it('declares each eval found with the thresholds picked for it, below what the evidence shows', () => {
    const d = detected({ evals: [evalOf('evals/curated.json', 'lastmile', SUMMARY), evalOf('evals/prod/output.json', 'lastmile', SUMMARY)] });
    const facts = withThresholds(d);
    const m = manifestOf(d);
    const evals = m.manifest.evals ?? [];
    expect(evals.map((e) => [e.name, e.source, e.path, e.format])).toEqual([
      ['curated', 'curated', 'evals/curated.json', 'lastmile'],
      ['prod-output', 'production-sample', 'evals/prod/output.json', 'lastmile'],
    ]);
    const accuracy = facts.thresholds[0]?.picks.find((p) => p.name === 'accuracy')?.bar;
    expect(accuracy?.dir).toBe('min');
    expect(evals[0]?.metrics?.['accuracy']).toEqual({ min: accuracy?.value });
    expect(accuracy!.value).toBeLessThan(0.912);
    const errors = evals[0]?.metrics?.['error_rate'];
    expect(errors && 'max' in errors ? errors.max : undefined).toBeGreaterThan(0.031);
    // Both required sources are there: no TODO for a missing one.
    expect(manifestYaml(facts)).not.toContain('results too');
  });

  it('asks for the sources the policy requires that were not found, and names the model the evals report', () => {
    const text = manifestYaml(withThresholds(detected({ evals: [evalOf('evals/curated.json', 'lastmile', SUMMARY)] })));
    expect(text).toContain('# TODO the policy requires production-sample results too');
    expect(text).toContain('#   (an eval output names triage-classifier version 2026-11-01)');
  });

  it('gives evals with the same file name distinct, stable names', () => {
    const d = detected({ evals: ['a/results.json', 'b/results.json', 'c/b/results.json'].map((p) => evalOf(p, 'lastmile', SUMMARY)) });
    expect((manifestOf(d).manifest.evals ?? []).map((e) => e.name)).toEqual(['a-results', 'b-results', 'b-results-2']);
  });

  it('quotes an eval path YAML would misread, and it parses back to the same path', () => {
    const d = detected({ evals: [evalOf('evals/run #1: final.json', 'lastmile', SUMMARY)] });
    expect(manifestOf(d).manifest.evals?.[0]?.path).toBe('evals/run #1: final.json');
  });

  it('leaves the policy out when a valid one in the tree is kept, and follows its sign-off kinds', () => {
    const policy = defaultPolicy('main');
    policy.signoffs = { 'model-risk': { approvers: ['@acme/risk'] } };
    const files = starterFiles(withThresholds(detected({ policy: { policy, from: POLICY_PATH }, policyKept: true })));
    expect(files.map((f) => f.rel)).toEqual([MANIFEST_PATH, WORKFLOW_PATH]);
    expect(files[0]!.text).toContain('#   - kind: model-risk');
    expect(files[0]!.text).not.toContain('#   - kind: security');
  });
});

describe('init detection of a JSON eval format, from the parsed value', () => {
  it('recognises each tool by its marks, and nothing else', () => {
    expect(detectJsonFormat({ results: { version: 3, results: [] } })).toBe('promptfoo');
    expect(detectJsonFormat({ eval: {}, results: { scores: [] } })).toBe('inspect');
    expect(detectJsonFormat({ results: {}, versions: {} })).toBe('lm-eval');
    expect(detectJsonFormat({ version: 1, metrics: {} })).toBe('lastmile');
    expect(detectJsonFormat({}, 'x/.deepeval/.latest_test_run.json')).toBe('deepeval');
    expect(detectJsonFormat({ results: [] })).toBeUndefined();
    expect(detectJsonFormat({ name: 'package', version: '1.0.0' })).toBeUndefined();
  });
});
