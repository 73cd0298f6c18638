// `last-mile init`, called directly on temporary directories.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYamlText } from 'yaml';
import { UsageError } from '../../src/cli/args';
import { check } from '../../src/cli/check';
import { init, INIT_HELP } from '../../src/cli/init/command';
import { repoNameFromUrl } from '../../src/cli/init/detect';
import { MANIFEST_SCHEMA_COMMENT, POLICY_SCHEMA_COMMENT, WORKFLOW_YAML, evalSource, slug } from '../../src/cli/init/starter';
import { roundSafe } from '../../src/cli/init/thresholds';
import { loadEvalFile } from '../../src/collect/evals';
import type { EvalFormat } from '../../src/evidence/evals/types';
import { parseManifest } from '../../src/config/manifest/parse';
import type { EvalEntry } from '../../src/config/manifest/schema';
import { parsePolicy } from '../../src/config/policy/parse';
import type { Report } from '../../src/model/report';

const ROOT = path.join(import.meta.dirname, '..', '..');
const REAL = existsSync(path.join(ROOT, 'test/fixtures/real/promptfoo')) ? path.join(ROOT, 'test/fixtures/real') : '/work/shared/fixtures/real';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(name = 'Support_Triage'): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'lm-init-'));
  dirs.push(parent);
  const dir = path.join(parent, name);
  mkdirSync(dir);
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitRepo(name?: string): string {
  const dir = tempDir(name);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

function put(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function copy(dir: string, from: string, rel: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  copyFileSync(path.join(REAL, from), path.join(dir, rel));
}

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await init(argv, (s) => (out += s), {});
  return { code, out };
}

async function runCheck(dir: string, branch: string): Promise<{ code: number; report: Report }> {
  let out = '';
  const code = await check(['--cwd', dir, '--branch', branch, '--json'], (s) => (out += s), { NO_COLOR: '1' });
  return { code, report: JSON.parse(out) as Report };
}

function read(dir: string, rel: string): string {
  return readFileSync(path.join(dir, rel), 'utf8');
}

function manifestOf(dir: string): ReturnType<typeof parseManifest> {
  const m = parseManifest(read(dir, 'lastmile.yml'), 'lastmile.yml');
  expect(m.documentErrors).toEqual([]);
  expect(m.sectionErrors).toEqual({});
  return m;
}

function gate(report: Report, id: string): Report['systems'][number]['gates'][number] {
  const g = report.systems[0]?.gates.find((x) => x.id === id);
  if (!g) throw new Error(`no gate ${id}`);
  return g;
}

/** The README's first ```yaml block. */
function readmeWorkflow(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /```yaml\n([\s\S]*?)```/.exec(readme);
  if (!m?.[1]) throw new Error('no yaml block in README.md');
  return m[1];
}

describe('last-mile init in an empty git repository', () => {
  it('writes the three files, each valid, with schema comments', async () => {
    const dir = gitRepo();
    const { code, out } = await run(['--cwd', dir]);
    expect(code).toBe(0);
    for (const f of ['lastmile.yml', '.github/lastmile-policy.yml', '.github/workflows/last-mile.yml']) {
      expect(existsSync(path.join(dir, f))).toBe(true);
      expect(out).toContain(`wrote ${f}`);
    }
    expect(out).toContain('npx last-mile check');
    expect(out).toMatch(/TODO/);

    const manifestText = read(dir, 'lastmile.yml');
    expect(manifestText.split('\n')[0]).toBe(MANIFEST_SCHEMA_COMMENT);
    expect(MANIFEST_SCHEMA_COMMENT).toBe('# yaml-language-server: $schema=https://raw.githubusercontent.com/last-mile/last-mile/v1/schema/manifest.schema.json');
    const m = manifestOf(dir);
    expect(m.manifest.system).toBe('support-triage'); // the folder name, as an id
    // Nothing a human must supply is filled in with a value that could pass.
    expect(m.manifest.owner).toBeUndefined();
    for (const k of ['identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'evals', 'model', 'business_owner'] as const) {
      expect(m.manifest[k]).toBeUndefined();
    }

    const policyText = read(dir, '.github/lastmile-policy.yml');
    expect(policyText.split('\n')[0]).toBe(POLICY_SCHEMA_COMMENT);
    expect(POLICY_SCHEMA_COMMENT).toBe('# yaml-language-server: $schema=https://raw.githubusercontent.com/last-mile/last-mile/v1/schema/policy.schema.json');
    const p = parsePolicy(policyText, '.github/lastmile-policy.yml', 'main');
    expect(p.ok).toBe(true);
    if (p.ok) {
      expect(p.policy.branches.map((b) => [b.pattern, b.stage, b.enforce])).toEqual([
        ['release/**', 'production', 'block'],
        ['main', 'staging', 'warn'],
        ['**', 'pilot', 'warn'],
      ]);
    }

    const wfText = read(dir, '.github/workflows/last-mile.yml');
    expect(wfText.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
    const wf = parseYamlText(wfText) as Record<string, unknown>;
    expect(Object.keys(wf)).toEqual(expect.arrayContaining(['name', 'on', 'permissions', 'jobs']));
    const on = wf['on'] as Record<string, unknown>;
    expect(Object.keys(on)).toEqual(expect.arrayContaining(['pull_request', 'pull_request_review', 'merge_group', 'push', 'workflow_dispatch']));
    expect(wf['permissions']).toEqual({ contents: 'read', 'pull-requests': 'write', checks: 'write' });
    const jobs = wf['jobs'] as Record<string, { 'runs-on': string; steps: { uses?: string }[] }>;
    const job = jobs['last-mile'];
    expect(job?.['runs-on']).toBe('ubuntu-latest');
    expect(job?.steps.map((s) => s.uses)).toEqual(['actions/checkout@v4', 'last-mile/last-mile@v1']);
  });

  it("writes the README's workflow snippet verbatim", () => {
    expect(WORKFLOW_YAML).toBe(readmeWorkflow());
  });

  it('is judged not ready on release/** for honest reasons, and warns on the default branch', async () => {
    const dir = gitRepo();
    expect((await run(['--cwd', dir])).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'init');

    const prod = await runCheck(dir, 'release/1.0');
    expect(prod.code).toBe(1);
    expect(prod.report.verdict).toBe('fail');
    expect(prod.report.stage).toBe('production');
    expect(prod.report.errors).toEqual([]);
    expect(prod.report.policy.builtIn).toBe(false); // the written policy was read
    expect(gate(prod.report, 'manifest.valid').outcome).toBe('pass');
    expect(prod.report.repositoryGates.find((g) => g.id === 'policy.integrity')?.outcome).toBe('pass');
    for (const id of ['ownership', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations']) {
      const g = gate(prod.report, id);
      expect(g.outcome, id).toBe('fail');
      expect(g.reason, id).toMatch(/missing/);
      expect(g.reason, id).not.toMatch(/invalid/);
    }
    for (const g of prod.report.systems[0]!.gates) expect(g.reason).not.toMatch(/internal error|invalid/i);

    const main = await runCheck(dir, 'main');
    expect(main.code).toBe(0);
    expect(main.report.verdict).toBe('warn');
    expect(main.report.stage).toBe('staging');
  });

  it('keeps the TODO templates to known keys: uncommented as they are, they fail on values, never on keys', async () => {
    const dir = gitRepo();
    await run(['--cwd', dir]);
    const uncommented = read(dir, 'lastmile.yml')
      .split('\n')
      .map((l) => {
        const m = /^(\s*)# (.*)$/.exec(l);
        if (!m || l.includes('yaml-language-server')) return l;
        const body = m[2]!;
        return /^(?:\s*- |\s*[a-z_]+:)/.test(body) ? `${m[1]}${body}` : l;
      })
      .join('\n');
    const m = parseManifest(uncommented, 'lastmile.yml');
    expect(m.documentErrors).toEqual([]);
    const errors = Object.values(m.sectionErrors).flat();
    // Every section came back (each with placeholder values that do not validate).
    for (const k of ['owner', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'evals', 'model'] as const) {
      expect(m.manifest[k] !== undefined || m.sectionErrors[k] !== undefined, k).toBe(true);
    }
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).not.toMatch(/unknown key/);
    expect(m.sectionErrors.owner?.[0]?.path).toBe('owner.team'); // a placeholder team never passes
  });
});

describe('what init finds', () => {
  it('names the system after the origin remote, and --system overrides it', async () => {
    const dir = gitRepo('checkout');
    git(dir, 'remote', 'add', 'origin', 'git@github.com:Acme/Support_Triage.Bot.git');
    await run(['--cwd', dir]);
    expect(manifestOf(dir).manifest.system).toBe('support-triage-bot');

    await run(['--cwd', dir, '--force', '--system', 'triage']);
    expect(manifestOf(dir).manifest.system).toBe('triage');
    await expect(run(['--cwd', dir, '--force', '--system', 'Triage Bot'])).rejects.toThrow(UsageError);
  });

  it('uses origin/HEAD as the default branch in the policy', async () => {
    const dir = gitRepo();
    git(dir, 'remote', 'add', 'origin', 'https://github.com/acme/x.git');
    git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    const { out } = await run(['--cwd', dir]);
    expect(out).toContain('default branch: trunk (origin/HEAD)');
    const p = parsePolicy(read(dir, '.github/lastmile-policy.yml'), 'p.yml', 'trunk');
    expect(p.ok && p.policy.branches.map((b) => b.pattern)).toEqual(['release/**', 'trunk', '**']);
  });

  it('picks the owner from CODEOWNERS for the manifest path, and ownership then waits only on on-call and escalation', async () => {
    const dir = gitRepo();
    put(dir, '.github/CODEOWNERS', '* @acme/platform\n/lastmile.yml @acme/support-ml alice@example.com\n');
    const { out } = await run(['--cwd', dir]);
    expect(out).toContain('@acme/support-ml (from .github/CODEOWNERS line 2)');
    expect(manifestOf(dir).manifest.owner).toEqual({ team: '@acme/support-ml' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'init');
    const { report } = await runCheck(dir, 'release/1.0');
    const own = gate(report, 'ownership');
    expect(own.outcome).toBe('fail');
    expect(own.reason).toBe('missing: owner.oncall, owner.escalation');
  });

  it('leaves owner.team to fill in when CODEOWNERS names no GitHub owner for the manifest', async () => {
    const dir = gitRepo();
    put(dir, 'CODEOWNERS', '/src/ @acme/backend\n*.yml ops@example.com\n');
    const { out } = await run(['--cwd', dir]);
    expect(out).toContain('CODEOWNERS assigns lastmile.yml to no GitHub user or team (ops@example.com)');
    expect(manifestOf(dir).manifest.owner).toBeUndefined();
  });

  it('declares promptfoo and lm-eval outputs with metrics that exist in those files', async () => {
    const dir = gitRepo();
    copy(dir, 'promptfoo/nicheiq-2providers-30tests-allfail.json', 'evals/promptfoo/output.json');
    copy(dir, 'lm-eval/results_asdiv_llama-3-8b-instruct_limit50.json', 'evals/production/results_2024-07-30T10-00-00.json');
    // not eval outputs of a declared kind: lm-eval's per-sample log, and anything in node_modules
    copy(dir, 'lm-eval/samples_asdiv_llama-3-8b-instruct_limit50.jsonl', 'evals/production/samples_asdiv_2024-07-30T10-00-00.jsonl');
    copy(dir, 'promptfoo/redteam-azure-harmful-6tests.json', 'node_modules/pkg/output.json');
    put(dir, 'package.json', '{"name": "x", "version": "1.0.0"}');

    const { code, out } = await run(['--cwd', dir]);
    expect(code).toBe(0);
    expect(out).toContain('2 eval outputs found');
    const m = manifestOf(dir);
    const evals = m.manifest.evals ?? [];
    expect(evals.map((e) => [e.path, e.format, e.source])).toEqual([
      ['evals/production/results_2024-07-30T10-00-00.json', 'lm-eval', 'production-sample'],
      ['evals/promptfoo/output.json', 'promptfoo', 'curated'],
    ]);
    expect(evals.map((e) => e.name)).toEqual(['asdiv', 'promptfoo-output']);
    await expectMetricsExist(dir, evals);
    expect(Object.keys(evals[0]!.metrics ?? {})).toEqual(['acc']);
    // 0.92 at n=50 (stderr 0.0388): the Wilson interval of 46/50 is wider than the t interval, lower 0.8116
    expect(evals[0]!.metrics?.['acc']).toEqual({ min: 0.81 });
    expect(evals[1]!.metrics?.['accuracy']).toEqual({ min: 0 }); // observed 0 (every test failed)
    expect(read(dir, 'lastmile.yml')).toMatch(/TODO review each bar/);
    expect(read(dir, 'lastmile.yml')).toContain("n=50 is under the policy's min_samples 100: eval.thresholds stays inconclusive until there are more; review");

    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'init');
    const { code: checkCode, report } = await runCheck(dir, 'release/1.0');
    expect(checkCode).toBe(1);
    expect(report.errors).toEqual([]);
    expect(gate(report, 'manifest.valid').outcome).toBe('pass');
    // The evals load: no gate says a file is missing or unreadable.
    for (const id of ['eval.thresholds', 'eval.production-gap', 'eval.freshness']) {
      const g = gate(report, id);
      expect(g.reason, id).not.toMatch(/does not exist|cannot read|not found|invalid/i);
    }
    // Honest reasons: too few samples for the bar, no shared metric, no model.version declared.
    expect(['fail', 'inconclusive']).toContain(gate(report, 'eval.thresholds').outcome);
    expect(gate(report, 'eval.freshness').outcome).toBe('fail');
    expect(gate(report, 'eval.freshness').reason).toMatch(/model\.version/);
  });

  it('finds inspect, DeepEval, samples and Last Mile summaries, also without git', async () => {
    const dir = tempDir('plain-folder');
    copy(dir, 'inspect/intercode-ctf_mistral-small_n79_samples-trimmed.json', 'logs/intercode.json');
    copy(dir, 'deepeval/latest_test_run_beeai-agent_2cases-9metrics.json', '.deepeval/.latest_test_run.json');
    put(
      dir,
      'evals/prod-sample.jsonl',
      Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, correct: i % 5 !== 0, language: i % 2 ? 'en' : 'pt', latency_ms: 100 + i })).join('\n') + '\n',
    );
    put(
      dir,
      'evals/summary.json',
      JSON.stringify({ version: 1, created_at: '2026-11-20T10:00:00Z', metrics: { accuracy: { value: 0.94, n: 50, successes: 47 }, latency_p95_ms: { value: 812, n: 50, kind: 'percentile' } } }),
    );
    put(dir, 'tsconfig.json', '{"compilerOptions": {}}');
    put(dir, 'node_modules/x/prod.jsonl', '{"correct": true}\n');

    const { code } = await run(['--cwd', dir]);
    expect(code).toBe(0);
    const evals = manifestOf(dir).manifest.evals ?? [];
    expect(evals.map((e) => [e.path, e.format, e.source])).toEqual([
      ['.deepeval/.latest_test_run.json', 'deepeval', 'curated'],
      ['evals/prod-sample.jsonl', 'samples', 'production-sample'],
      ['evals/summary.json', 'lastmile', 'curated'],
      ['logs/intercode.json', 'inspect', 'curated'],
    ]);
    await expectMetricsExist(dir, evals);
    const byFormat = Object.fromEntries(evals.map((e) => [e.format, e]));
    // Lower 95 % bounds, rounded down (WILSON_PY below computed them):
    // 32/40 → 0.6524; 47/50 → 0.8378; inspect 0.3544 n=79 stderr 0.0542 → z interval 0.2483.
    expect(byFormat['samples']?.metrics).toEqual({ accuracy: { min: 0.65 } });
    expect(byFormat['lastmile']?.metrics).toEqual({ accuracy: { min: 0.83 }, latency_p95_ms: { max: 812 } }); // a percentile: its value
    expect(byFormat['inspect']?.metrics).toEqual({ accuracy: { min: 0.24 } });
    expect(byFormat['deepeval']?.metrics).toEqual({ accuracy: { min: 0 } });
    expect(read(dir, 'lastmile.yml')).toContain('# slices: [language]');
  });

  it('gates a multi-task lm-eval run per task, and never sets a bar on a non-finite metric', async () => {
    const dir = gitRepo();
    copy(dir, 'lm-eval/results_multitask-glue-group_mamba2-370m.json', 'out/mamba/results_2024-01-01T00-00-00.json');
    copy(dir, 'lm-eval/results_polymer-tg_gpt-4o-mini_nan-infinity.json', 'out/polymer/results_2024-02-01T00-00-00.json');
    const { code } = await run(['--cwd', dir]);
    expect(code).toBe(0);
    const text = read(dir, 'lastmile.yml');
    const evals = manifestOf(dir).manifest.evals ?? [];
    expect(evals.map((e) => e.name)).toEqual(['mamba-lm-eval', 'polymer-tg-prediction']);
    const glue = evals[0]!.metrics ?? {};
    expect(Object.keys(glue)).toHaveLength(9);
    // lower is better: the upper bound 7.9948 + 1.96 × 0.2179 = 8.4219, rounded up to 3 significant digits
    expect(glue['lambada_openai/perplexity']).toEqual({ max: 8.43 });
    // cola/mcc is 0 with stderr 0 and is not bounded in [0, 1]: no interval, so no threshold, and a comment says why
    expect(glue['cola/mcc']).toBeUndefined();
    expect(text).toContain('# no threshold for cola/mcc: no 95 % interval can be given (n = 1043 but no stderr, and the metric is not bounded in [0, 1])');
    expect(text).toMatch(/more metrics in the file/);
    expect(evals[1]!.metrics).toBeUndefined();
    expect(text).toContain('# not gated: mae (the file records Infinity)');
    await expectMetricsExist(dir, [evals[0]!]);
  });

  it('says when nothing was found and leaves an evals template', async () => {
    const dir = gitRepo();
    const { out } = await run(['--cwd', dir]);
    expect(out).toContain('no eval output of a supported format found');
    expect(read(dir, 'lastmile.yml')).toMatch(/^# evals:$/m);
  });
});

/*
 * Reference bounds, computed independently of src/evidence/evals/stats.ts (scipy is not needed: the Wilson
 * score interval in closed form, z = scipy.stats.norm.ppf(0.975) = 1.959963984540054,
 * norm.ppf(0.995) = 2.5758293035489004):
 *
 *   def wilson(k, n, z):
 *       p = k / n; d = 1 + z*z/n; c = (p + z*z/(2*n)) / d; h = z*sqrt(p*(1-p)/n + z*z/(4*n*n)) / d
 *       return c - h, c + h
 *
 *   wilson(912, 1000, z95) = (0.89283, 0.92802)   wilson(912, 1000, z99) = (0.88613, 0.93244)
 *   wilson(31, 1000, z95)  = (0.02192, 0.04367)   wilson(31, 1000, z99)  = (0.01968, 0.04850)
 *   wilson(340, 400, z95)  = (0.81169, 0.88166)   wilson(340, 400, z99)  = (0.79832, 0.89026)
 *   wilson(190, 200, z95)  = (0.91042, 0.97262)   wilson(190, 200, z99)  = (0.89391, 0.97719)
 *   rougeL: 41.37 − z95 × 0.5 = 40.390
 */
const EVIDENCE = path.join(ROOT, 'test/fixtures/init/evidence');

/** A promptfoo v3 output of `passed` passes and `errored` errored results (failureReason 2). */
function promptfooRun(passed: number, errored: number): string {
  const results = [
    ...Array.from({ length: passed }, (_, i) => ({ success: true, failureReason: 0, gradingResult: { pass: true, score: 1, reason: '' }, score: 1, namedScores: {}, provider: { id: 'openai:gpt-4o' }, testIdx: i, promptIdx: 0 })),
    ...Array.from({ length: errored }, (_, i) => ({ success: false, failureReason: 2, error: 'API error: 429', gradingResult: null, score: 0, namedScores: {}, provider: { id: 'openai:gpt-4o' }, testIdx: passed + i, promptIdx: 0 })),
  ];
  return JSON.stringify({
    evalId: 'eval-init-2026-11-20T10:00:00',
    results: { version: 3, timestamp: '2026-11-20T10:00:00.000Z', prompts: [], results, stats: { successes: passed, failures: 0, errors: errored } },
    config: {},
    shareableUrl: null,
    metadata: { promptfooVersion: '0.121.2', exportedAt: '2026-11-20T10:05:00.000Z', evaluationCreatedAt: '2026-11-20T10:00:00.000Z' },
  });
}

/** The fixture repository, plus a promptfoo run of 190 passes and 10 errors. */
function evidenceRepo(): string {
  const dir = gitRepo();
  cpSync(EVIDENCE, dir, { recursive: true });
  put(dir, 'evals/pf/output.json', promptfooRun(190, 10));
  return dir;
}

/** The eval.thresholds detail line of one metric. */
function detail(report: Report, label: string): string {
  const lines = gate(report, 'eval.thresholds').details ?? [];
  const hit = lines.find((l) => l.replace(/^[a-z]+: /, '').startsWith(`${label} =`));
  if (!hit) throw new Error(`no eval.thresholds line for ${label} in:\n${lines.join('\n')}`);
  return hit;
}

describe('thresholds init picks from the evidence it finds (SPEC §9)', () => {
  it('writes what the evidence clears, marked for review, and eval.thresholds then passes on that evidence', async () => {
    const dir = evidenceRepo();
    const { code, out } = await run(['--cwd', dir]);
    expect(code).toBe(0);
    const evals = manifestOf(dir).manifest.evals ?? [];
    const byName = Object.fromEntries(evals.map((e) => [e.name, e.metrics]));
    expect(Object.keys(byName).sort()).toEqual(['curated', 'pf-output', 'prod-sample']);
    expect(byName['curated']).toEqual({
      accuracy: { min: 0.89 }, // lower bound 0.89283, rounded down to 2 decimals
      error_rate: { max: 0.05 }, // lower is better: upper bound 0.04367, rounded up
      latency_p95_ms: { max: 813 }, // a percentile: the point estimate 812.4, rounded up
      rougeL: { min: 40.3 }, // unbounded: lower bound 40.390, rounded down to 3 significant digits
    });
    expect(byName['prod-sample']).toEqual({ accuracy: { min: 0.81 } }); // 340/400: lower 0.81169
    // 190 passes and 10 errors: the errored results count as failures (190/200, lower 0.91042), not 190/190
    expect(byName['pf-output']).toEqual({ accuracy: { min: 0.91 } });

    const text = read(dir, 'lastmile.yml');
    // each threshold says where it came from and asks for review, on its own line
    expect(text).toContain('      accuracy: { min: 0.89 }   # from evals/curated.json: 0.912 [0.893, 0.928] n=1000 — lower bound 0.8928 at 95 %, rounded down; review\n');
    expect(text).toContain('      error_rate: { max: 0.05 }   # from evals/curated.json: 0.0310 [0.0219, 0.0437] n=1000 — upper bound 0.04367 at 95 %, rounded up; review\n');
    expect(text).toContain('      latency_p95_ms: { max: 813 }   # from evals/curated.json: 812 (point estimate) n=1000 — a percentile, compared as a point estimate: the value found, rounded up; review\n');
    expect(text).toContain('      accuracy: { min: 0.91 }   # from evals/pf/output.json: 0.950 [0.910, 0.973] n=200, 10 errored — lower bound 0.9104 at 95 %, rounded down; review\n');
    // unknown direction, and no defensible interval: a comment in place of a threshold
    expect(text).toContain('      # no threshold for mean_tokens: nothing says whether higher or lower is better');
    expect(text).toContain('      # no threshold for bleu: no 95 % interval can be given (n = 1000 but no stderr, and the metric is not bounded in [0, 1]); found 23.4 n=1000 in evals/curated.json\n');
    // and the output says so
    expect(out).toContain('      accuracy ≥ 0.89: 0.912 [0.893, 0.928] n=1000 — lower bound 0.8928 at 95 %, rounded down');
    expect(out).toContain('      rougeL ≥ 40.3: 41.4 [40.4, 42.3] n=1000 — lower bound 40.39 at 95 %, rounded down');
    expect(out).toContain('thresholds: 6 from what the evidence clears at 95 % confidence; each is marked "review" in lastmile.yml');
    expect(out).toContain('2 metrics without a defensible threshold are left as comments in lastmile.yml');
    expect(out).toMatch(/review the eval thresholds/);

    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'init');
    const { report } = await runCheck(dir, 'main');
    expect(report.errors).toEqual([]);
    const g = gate(report, 'eval.thresholds');
    expect(g.outcome, (g.details ?? []).join('\n')).toBe('pass');
    for (const label of ['curated accuracy', 'curated error_rate', 'curated latency_p95_ms', 'curated rougeL', 'prod-sample accuracy', 'pf-output accuracy']) {
      expect(detail(report, label), label).toMatch(/^pass: /);
    }
    expect(g.details).toHaveLength(6);
  });

  it('a model worse than the evidence init saw fails the bar it wrote', async () => {
    const dir = evidenceRepo();
    await run(['--cwd', dir]);
    // the curated run again, 0.032 worse (880/1000): below the min 0.89 that init wrote
    const curated = JSON.parse(read(dir, 'evals/curated.json')) as { metrics: Record<string, { value: number; successes?: number }> };
    curated.metrics['accuracy'] = { ...curated.metrics['accuracy']!, value: 0.88, successes: 880 };
    put(dir, 'evals/curated.json', JSON.stringify(curated));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'worse');
    const { report } = await runCheck(dir, 'main');
    expect(gate(report, 'eval.thresholds').outcome).toBe('fail');
    expect(detail(report, 'curated accuracy')).toMatch(/^fail: curated accuracy = 0\.880 .* needs ≥ 0\.89/);
  });

  it("keeps a valid policy in the tree: its floors are the thresholds, and its confidence sets the bounds", async () => {
    const dir = evidenceRepo();
    const policy = 'version: 1\nevals:\n  confidence: 0.99\n  thresholds:\n    error_rate: { max: 0.04 }\n';
    put(dir, '.github/lastmile-policy.yml', policy);
    const { code, out } = await run(['--cwd', dir]);
    expect(code).toBe(0);
    expect(read(dir, '.github/lastmile-policy.yml')).toBe(policy);
    expect(out).not.toContain('wrote .github/lastmile-policy.yml');
    expect(out).toContain('policy: keeping the existing .github/lastmile-policy.yml; the thresholds follow its floors and confidence');
    const byName = Object.fromEntries((manifestOf(dir).manifest.evals ?? []).map((e) => [e.name, e.metrics]));
    expect(byName['curated']).toEqual({
      accuracy: { min: 0.88 }, // 99 %: lower 0.88613
      error_rate: { max: 0.04 }, // the floor, although the evidence alone would give 0.05
      latency_p95_ms: { max: 813 },
      rougeL: { min: 40.0 }, // 41.37 − 2.5758 × 0.5 = 40.082
    });
    expect(byName['prod-sample']).toEqual({ accuracy: { min: 0.79 } }); // 99 %: lower 0.79832
    expect(byName['pf-output']).toEqual({ accuracy: { min: 0.89 } }); // 99 %: lower 0.89391
    const text = read(dir, 'lastmile.yml');
    expect(text).toContain(
      "      error_rate: { max: 0.04 }   # the policy's floor (.github/lastmile-policy.yml evals.thresholds); found 0.0310 [0.0197, 0.0485] n=1000 in evals/curated.json; the evidence does not clear it at 99 % yet; review\n",
    );
    expect(text).toContain('      accuracy: { min: 0.88 }   # from evals/curated.json: 0.912 [0.886, 0.932] n=1000 — lower bound 0.8861 at 99 %, rounded down; review\n');
    expect(out).toContain('thresholds: 5 from what the evidence clears at 99 % confidence, 1 from the policy\'s floors');

    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'init');
    const { report } = await runCheck(dir, 'main');
    // the floor is the release managers' bar, which this evidence does not settle; every bar init chose passes
    expect(detail(report, 'curated error_rate')).toMatch(/^inconclusive: /);
    for (const label of ['curated accuracy', 'curated latency_p95_ms', 'curated rougeL', 'prod-sample accuracy', 'pf-output accuracy']) {
      expect(detail(report, label), label).toMatch(/^pass: /);
    }
  });

  it('with --force, the policy is replaced by the default and the thresholds follow the default', async () => {
    const dir = evidenceRepo();
    put(dir, '.github/lastmile-policy.yml', 'version: 1\nevals:\n  confidence: 0.99\n  thresholds:\n    error_rate: { max: 0.04 }\n');
    const { out } = await run(['--cwd', dir, '--force']);
    expect(out).toContain('overwrote .github/lastmile-policy.yml');
    expect(out).toContain('--force replaces the existing .github/lastmile-policy.yml with the built-in default');
    const curated = (manifestOf(dir).manifest.evals ?? []).find((e) => e.name === 'curated');
    expect(curated?.metrics?.['error_rate']).toEqual({ max: 0.05 });
    expect(curated?.metrics?.['accuracy']).toEqual({ min: 0.89 });
  });

  it('rounds in the safe direction: 2 decimals in [0, 1], else 3 significant digits; a value on the grid stays', () => {
    expect(roundSafe(0.89283, 'min', true)).toBe(0.89);
    expect(roundSafe(0.89, 'min', true)).toBe(0.89); // 0.89 × 100 = 88.99999999999999 in floating point
    expect(roundSafe(0.29, 'min', true)).toBe(0.29);
    expect(roundSafe(0.04367, 'max', true)).toBe(0.05);
    expect(roundSafe(0.07, 'max', true)).toBe(0.07);
    expect(roundSafe(0.001, 'max', true)).toBe(0.01);
    expect(roundSafe(40.39, 'min', false)).toBe(40.3);
    expect(roundSafe(8.42185, 'max', false)).toBe(8.43);
    expect(roundSafe(1234.5, 'max', false)).toBe(1240);
    expect(roundSafe(812, 'max', false)).toBe(812);
    expect(roundSafe(0.000412, 'max', false)).toBe(0.000412);
    expect(roundSafe(-0.1234, 'min', false)).toBe(-0.124);
    expect(roundSafe(0, 'min', true)).toBe(0);
  });
});

describe('never overwrites without --force', () => {
  it('refuses, naming each file that exists, and writes nothing', async () => {
    const dir = gitRepo();
    put(dir, 'lastmile.yml', 'version: 1\nsystem: mine\n');
    put(dir, '.github/workflows/last-mile.yml', 'name: mine\n');
    const { code, out } = await run(['--cwd', dir]);
    expect(code).toBe(1);
    expect(out).toContain('lastmile.yml');
    expect(out).toContain('.github/workflows/last-mile.yml');
    expect(out).not.toContain('lastmile-policy.yml');
    expect(out).toContain('--force');
    expect(read(dir, 'lastmile.yml')).toBe('version: 1\nsystem: mine\n');
    expect(read(dir, '.github/workflows/last-mile.yml')).toBe('name: mine\n');
    expect(existsSync(path.join(dir, '.github/lastmile-policy.yml'))).toBe(false);
  });

  it('overwrites with --force', async () => {
    const dir = gitRepo();
    put(dir, 'lastmile.yml', 'version: 1\nsystem: mine\n');
    const { code, out } = await run(['--cwd', dir, '--force']);
    expect(code).toBe(0);
    expect(out).toContain('overwrote lastmile.yml');
    expect(out).toContain('wrote .github/lastmile-policy.yml');
    expect(manifestOf(dir).manifest.system).toBe('support-triage');
  });

  it('--dry-run prints the files and writes nothing', async () => {
    const dir = gitRepo();
    const { code, out } = await run(['--cwd', dir, '--dry-run']);
    expect(code).toBe(0);
    expect(out).toContain('--- lastmile.yml (would write) ---');
    expect(out).toContain(MANIFEST_SCHEMA_COMMENT);
    expect(out).toContain('uses: last-mile/last-mile@v1');
    expect(out).toContain('nothing was written');
    expect(existsSync(path.join(dir, 'lastmile.yml'))).toBe(false);
    expect(existsSync(path.join(dir, '.github'))).toBe(false);
  });
});

describe('arguments', () => {
  it('prints help', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toBe(INIT_HELP);
  });

  it('throws UsageError for unknown options, positionals and a missing --cwd', async () => {
    await expect(run(['--nope'])).rejects.toThrow(UsageError);
    await expect(run(['somewhere'])).rejects.toThrow(UsageError);
    await expect(run(['--cwd', path.join(tmpdir(), 'does-not-exist-lm-init')])).rejects.toThrow(/not a directory/);
  });
});

describe('helpers', () => {
  it('reads the repository name from remote URLs', () => {
    expect(repoNameFromUrl('git@github.com:acme/support-triage.git')).toBe('support-triage');
    expect(repoNameFromUrl('https://github.com/acme/Support.Triage')).toBe('Support.Triage');
    expect(repoNameFromUrl('ssh://git@host:22/acme/repo.git/')).toBe('repo');
    expect(repoNameFromUrl('/srv/git/thing.git')).toBe('thing');
    expect(slug('Support.Triage')).toBe('support-triage');
    expect(slug('__')).toBe('');
  });

  it('infers the source from the path', () => {
    expect(evalSource('evals/prod-sample.jsonl')).toBe('production-sample');
    expect(evalSource('production/results.json')).toBe('production-sample');
    expect(evalSource('evals/product-catalogue.json')).toBe('curated');
    expect(evalSource('evals/red-team.json')).toBe('red-team');
    expect(evalSource('evals/curated.json')).toBe('curated');
  });
});

/** Every declared metric is one the adapter reads from the file, and the bar does not exceed what was observed. */
async function expectMetricsExist(dir: string, evals: EvalEntry[]): Promise<void> {
  for (const e of evals) {
    const load = await loadEvalFile(path.join(dir, e.path), e.format as EvalFormat, e.path);
    expect(load.ok, e.path).toBe(true);
    if (!load.ok) continue;
    const metrics = Object.entries(e.metrics ?? {});
    expect(metrics.length, e.path).toBeGreaterThan(0);
    for (const [name, t] of metrics) {
      const m = load.result.metrics[name];
      expect(m, `${e.path}: ${name}`).toBeDefined();
      if ('min' in t) expect(t.min).toBeLessThanOrEqual(m!.value);
      else expect(t.max).toBeGreaterThanOrEqual(m!.value);
    }
  }
}

