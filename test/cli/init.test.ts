// `last-mile init`, called directly on temporary directories.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYamlText } from 'yaml';
import { UsageError } from '../../src/cli/args';
import { check } from '../../src/cli/check';
import { init, INIT_HELP, MANIFEST_SCHEMA_COMMENT, POLICY_SCHEMA_COMMENT, WORKFLOW_YAML, evalSource, repoNameFromUrl, slug } from '../../src/cli/init';
import { loadEvalFile } from '../../src/evals/load';
import type { EvalFormat } from '../../src/evals/types';
import { parseManifest } from '../../src/manifest/parse';
import type { EvalEntry } from '../../src/manifest/schema';
import { parsePolicy } from '../../src/policy/parse';
import type { Report } from '../../src/report/types';

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
    expect(evals[0]!.metrics?.['acc']).toEqual({ min: 0.9 }); // observed 0.92
    expect(evals[1]!.metrics?.['accuracy']).toEqual({ min: 0 }); // observed 0 (every test failed)
    expect(read(dir, 'lastmile.yml')).toMatch(/TODO set the bar/);

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
    expect(byFormat['samples']?.metrics).toEqual({ accuracy: { min: 0.8 } });
    expect(byFormat['lastmile']?.metrics).toEqual({ accuracy: { min: 0.9 }, latency_p95_ms: { max: 812 } });
    expect(byFormat['inspect']?.metrics).toEqual({ accuracy: { min: 0.35 } });
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
    expect(Object.keys(glue)).toHaveLength(10);
    expect(glue['lambada_openai/perplexity']).toEqual({ max: 8 }); // lower is better (higher_is_better: false)
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
