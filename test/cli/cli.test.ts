// The command line end to end: spawns the bundled `node dist/cli/index.js` (run `npm run build`
// first) on the examples, on temporary git repositories and with bad arguments.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { GATE_IDS } from '../../src/model/catalogue';
import { parseCentral } from '../../src/collect/policy';
import { parseManifest } from '../../src/config/manifest/parse';
import { ruleFor } from '../../src/config/policy/branches';
import { parsePolicy } from '../../src/config/policy/parse';
import { reportSchema } from '../../src/model/report-schema';
import type { Report } from '../../src/model/report';
import { startGitHubServer } from '../support/github-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
// LASTMILE_E2E_CLI: another build of the command line (e.g. one made outside dist/).
const CLI = process.env.LASTMILE_E2E_CLI ?? path.join(ROOT, 'dist', 'cli', 'index.js');
const EXAMPLES = path.join(ROOT, 'examples');
/** The examples' eval results are dated November 2026; the policies want them < 30 days old. */
const NOW = '2026-11-25';
/** An ANSI escape (built from a string: the lint rule forbids control characters in regex literals). */
const ESC = '\u001b';
const ANSI = new RegExp(`${ESC}\\[`);
const SGR = new RegExp(`${ESC}\\[\\d+m`, 'g');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without colour switches or git variables a hook may have set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NO_COLOR' || k === 'FORCE_COLOR' || k.startsWith('GIT_') || k === 'GITHUB_TOKEN' || k === 'GH_TOKEN' || k === 'GITHUB_API_URL') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: cleanEnv(opts.env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function checkExample(name: string, branch: string, ...more: string[]): Run {
  return cli(['check', '--cwd', path.join('examples', name), '--branch', branch, '--now', NOW, ...more]);
}

function jsonReport(r: Run): Report {
  return reportSchema().parse(JSON.parse(r.stdout));
}

function gate(report: Report, id: string): Report['systems'][number]['gates'][number] {
  const g = [...report.repositoryGates, ...report.systems.flatMap((s) => s.gates)].find((x) => x.id === id);
  if (!g) throw new Error(`no gate ${id} in the report`);
  return g;
}

/** Gate ids by outcome, for compact assertions. */
function outcomes(report: Report): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of [...report.repositoryGates, ...report.systems.flatMap((s) => s.gates)]) (out[g.outcome] ??= []).push(g.id);
  return out;
}

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'lm-cli-'));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitInit(dir: string, branch: string): void {
  git(dir, 'init', '-q', '-b', branch);
  git(dir, 'config', 'user.email', 'release-bot@example.com');
  git(dir, 'config', 'user.name', 'release bot');
  git(dir, 'config', 'commit.gpgsign', 'false');
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/**
 * A pull request as `check --base` sees it: the example committed on `release/1.0` (as if its
 * sign-offs had been merged through earlier, reviewed pull requests) and a work branch off it.
 * `sub` puts the example in a folder of the repository instead of its root.
 */
function asPullRequest(example: string, sub = ''): { repo: string; dir: string } {
  const repo = tempDir();
  const dir = sub ? path.join(repo, sub) : repo;
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(EXAMPLES, example), dir, { recursive: true });
  gitInit(repo, 'release/1.0');
  commitAll(repo, 'release 1.0');
  git(repo, 'checkout', '-q', '-b', 'feature/next');
  return { repo, dir };
}

function checkBase(dir: string, ...more: string[]): Run {
  return cli(['check', '--cwd', dir, '--base', 'release/1.0', '--now', NOW, ...more]);
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('the examples', () => {
  const examples = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(EXAMPLES, d.name, 'lastmile.yml')))
    .map((d) => d.name);

  it('are at least the three systems and the demo, each a repository root with a README', () => {
    expect(examples).toEqual(expect.arrayContaining(['contract-review', 'invoice-extraction', 'claims-assistant', 'support-triage']));
    for (const name of examples) {
      for (const f of ['README.md', '.github/lastmile-policy.yml', '.github/CODEOWNERS']) expect(existsSync(path.join(EXAMPLES, name, f)), `${name}/${f}`).toBe(true);
      expect(readFileSync(path.join(EXAMPLES, name, 'README.md'), 'utf8'), `${name}/README.md`).toMatch(/## Expected verdict/);
      const m = parseManifest(readFileSync(path.join(EXAMPLES, name, 'lastmile.yml'), 'utf8'), 'lastmile.yml');
      expect(m.documentErrors, name).toEqual([]);
      expect(m.sectionErrors, name).toEqual({});
      const p = parsePolicy(readFileSync(path.join(EXAMPLES, name, '.github/lastmile-policy.yml'), 'utf8'), '.github/lastmile-policy.yml', 'main');
      expect(p.ok, name).toBe(true);
    }
  });

  describe('contract-review: ready for production', () => {
    it('locally, without a base, passes every gate but signoffs, which it cannot verify', () => {
      const r = checkExample('contract-review', 'release/1.0');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Last Mile: Not ready for production on release/1.0 (blocks merge) — verdict fail');
      expect(r.stdout).toContain('1 failing, 15 passing, 1 skipped');
      expect(r.stdout).toMatch(/FAIL {9}signoffs: 4 of 4 required sign-offs not in place: security: approved \(SEC-1388\) but not verified here: no base branch to verify against/);
      // SPEC §9: which review, by whom, on which commit would verify it, and that reviews are not visible here.
      expect(r.stdout).toMatch(/a local check cannot see reviews: an approving review on [0-9a-f]{7} from @alice or a member of @acme\/security on the pull request would verify it/);
      expect(r.stdout).toMatch(/fix: security: an approving review on [0-9a-f]{7} from @alice or a member of @acme\/security on the pull request; data-governance: an approving review on [0-9a-f]{7} from a member of @acme\/data-gov/);
      expect(r.stdout).not.toContain('Request the missing sign-offs');
      const report = jsonReport(checkExample('contract-review', 'release/1.0', '--json'));
      const byOutcome = outcomes(report);
      expect(Object.keys(byOutcome).sort()).toEqual(['fail', 'pass', 'skipped']);
      expect(byOutcome['fail']).toEqual(['signoffs']);
      expect(byOutcome['skipped']).toEqual(['eval.regression']);
      expect([...(byOutcome['pass'] ?? [])].sort()).toEqual(GATE_IDS.filter((id) => id !== 'signoffs' && id !== 'eval.regression').sort());
    });

    it('as a pull request into release/1.0 that holds the same sign-offs: every gate passes, exit 0', () => {
      const { dir } = asPullRequest('contract-review');
      const r = checkBase(dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Last Mile: Ready for production on release/1.0 — verdict pass');
      expect(r.stdout).toContain('17 passing; policy .github/lastmile-policy.yml@release/1.0');
      expect(r.stdout).toContain('PASS         signoffs: 4 sign-offs approved and verified: security, data-governance, compliance, business-owner');
      expect(r.stdout).toContain('PASS         eval.regression: 2 metrics no worse than on the base beyond max_drop at 95 % confidence');
      const report = jsonReport(checkBase(dir, '--json'));
      expect(report.verdict).toBe('pass');
      expect(report.failed).toBe(0);
      expect(Object.keys(outcomes(report))).toEqual(['pass']);
      expect(gate(report, 'signoffs').details).toEqual(expect.arrayContaining(['ok: security: approved by alice (SEC-1388), unchanged from the base branch']));
    });

    it('in a folder of the repository (--cwd services/x), reads the base relative to that folder', () => {
      const { dir } = asPullRequest('contract-review', 'services/contract-review');
      const r = checkBase(dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('policy .github/lastmile-policy.yml@release/1.0');
      expect(r.stdout).not.toContain('changes the policy file');
    });
  });

  describe('invoice-extraction: the benchmark trap', () => {
    it('fails eval.production-gap on release/1.0: curated 0.94 vs production 0.07 on 1,000 each', () => {
      const r = checkExample('invoice-extraction', 'release/1.0');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Last Mile: Not ready for production on release/1.0 (blocks merge) — verdict fail');
      expect(r.stdout).toContain(
        'FAIL         eval.production-gap: the model does worse on production data: accuracy: curated 0.940 [0.924, 0.955] n=1000, production-sample 0.0700 [0.0558, 0.0875] n=1000, gap 0.870 [0.846, 0.890] (max 0.05) (lastmile.yml:80)',
      );
      // The trap: the curated threshold alone is green.
      expect(r.stdout).toMatch(/PASS {9}eval\.thresholds: /);
      expect(r.stdout).toContain('accuracy: curated 0.940 vs production-sample 0.070, gap 0.870 (max 0.050)');
      const report = jsonReport(checkExample('invoice-extraction', 'release/1.0', '--json'));
      const row = report.systems[0]?.evalTable?.[0];
      expect(row).toMatchObject({ metric: 'accuracy', direction: 'min', curated: { value: 0.94, n: 1000 }, production: { value: 0.07, n: 1000 }, maxGap: 0.05 });
      expect(row?.gap).toBeCloseTo(0.87, 10);
    });

    it('as a pull request with verified sign-offs, eval.production-gap is the only failing gate', () => {
      const { dir } = asPullRequest('invoice-extraction');
      const report = jsonReport(checkBase(dir, '--json'));
      expect(report.verdict).toBe('fail');
      expect(outcomes(report).fail).toEqual(['eval.production-gap']);
      expect(outcomes(report).inconclusive).toBeUndefined();
    });

    it('on main (staging, warn) reports the same gap as a warning and exits 0', () => {
      const r = checkExample('invoice-extraction', 'main');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Last Mile: Not ready for staging on main (warning only) — verdict warn');
      expect(r.stdout).toMatch(/FAIL {9}eval\.production-gap: the model does worse on production data/);
    });
  });

  describe('claims-assistant: waiting on sign-offs', () => {
    it('fails signoffs on release/1.0, showing how long each request has waited', () => {
      const r = checkExample('claims-assistant', 'release/1.0');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('1 failing, 15 passing, 1 skipped');
      expect(r.stdout).toContain('- not ok: data-governance: requested (DG-2390), waiting 37 days; to be granted by a member of @acme/data-gov');
      expect(r.stdout).toContain('- not ok: compliance: requested (CMP-118), waiting 16 days; to be granted by @carol');
      const report = jsonReport(checkExample('claims-assistant', 'release/1.0', '--json'));
      expect(outcomes(report).fail).toEqual(['signoffs']);
    });

    it('as a pull request, the approved sign-offs verify and only the two requested ones are missing', () => {
      const { dir } = asPullRequest('claims-assistant');
      const r = checkBase(dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        'FAIL         signoffs: 2 of 4 required sign-offs not in place: data-governance: requested (DG-2390), waiting 37 days; to be granted by a member of @acme/data-gov (lastmile.yml:30)',
      );
      expect(r.stdout).toContain('- ok: security: approved by alice (SEC-1371), unchanged from the base branch');
      expect(r.stdout).toContain('- ok: business-owner: approved by grace (CLM-540), unchanged from the base branch');
      expect(outcomes(jsonReport(checkBase(dir, '--json'))).fail).toEqual(['signoffs']);
    });
  });

  describe('support-triage: the demo', () => {
    it('is ready for staging on main and not for production', () => {
      const main = checkExample('support-triage', 'main');
      expect(main.code).toBe(0);
      expect(main.stdout).toContain('Last Mile: Ready for staging on main — verdict pass');
      const release = checkExample('support-triage', 'release/1.0');
      expect(release.code).toBe(1);
      expect(release.stdout).toMatch(/FAIL {9}signoffs: 4 of 4 required sign-offs not in place/);
      expect(release.stdout).toContain('- not ok: data-governance: requested (DG-2301), waiting 23 days; to be granted by a member of @acme/data-gov');
      expect(release.stdout).toContain('FAIL         integrations: 1 of 1 integration incomplete: salesforce: missing fallback');
    });
  });
});

describe('check --json', () => {
  it('prints only the report, which parses with the report schema and has its top-level keys', () => {
    const r = checkExample('invoice-extraction', 'release/1.0', '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'report.schema.json'), 'utf8')) as { properties: Record<string, unknown>; required: string[] };
    const keys = Object.keys(json);
    expect(keys.filter((k) => !(k in schema.properties))).toEqual([]);
    expect(schema.required.filter((k) => !keys.includes(k))).toEqual([]);
    const report = reportSchema().parse(json);
    expect(Object.keys(report).sort()).toEqual([...keys].sort());
    expect(report).toMatchObject({ verdict: 'fail', stage: 'production', branch: 'release/1.0', enforce: 'block', event: 'local', generatedAt: `${NOW}T12:00:00.000Z` });
    expect(report.policy).toEqual({ source: '.github/lastmile-policy.yml', builtIn: false, changedInHead: false });
    expect(report.failed).toBe(report.counts.fail + report.counts.inconclusive);
  });

  it('has no colour even with FORCE_COLOR=1', () => {
    const r = checkExample('support-triage', 'main', '--json');
    const forced = cli(['check', '--cwd', 'examples/support-triage', '--branch', 'main', '--now', NOW, '--json'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).not.toMatch(ANSI);
    expect(JSON.parse(forced.stdout)).toEqual(JSON.parse(r.stdout));
  });
});

describe('check --markdown', () => {
  it('prints the pull request comment', () => {
    const r = checkExample('invoice-extraction', 'release/1.0', '--markdown');
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('### ❌ Last Mile: Not ready for production on release/1.0 \\(blocks merge\\)\n')).toBe(true);
    expect(r.stdout).not.toContain('| area | result |');
    expect(r.stdout).toContain('**invoice-extraction** `lastmile.yml`');
    expect(r.stdout).toContain('- ❌ **eval.production-gap** fail: the model does worse on production data');
    expect(r.stdout).toContain('| metric | curated | production-sample | gap [interval] | max gap |');
    expect(r.stdout).toMatch(/\| accuracy \(min\) \| 0\.940 \[0\.92\d, 0\.95\d\] n=1000 \| 0\.0700 \[0\.0\d+, 0\.0\d+\] n=1000 \| ❌ 0\.870 \[0\.8\d+, 0\.8\d+\] \| 0\.0500 \|/);
    expect(r.stdout).toContain('<details><summary>14 gates pass · 1 skipped</summary>');
    // Mentions are defused: no one is pinged by a local preview either.
    expect(r.stdout).not.toMatch(/(^|[^\u2060])@acme\//m);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).not.toMatch(/PASS {9}|FAIL {9}/);
  });
});

describe('check --base against a temporary git repository', () => {
  function repoWithSignoff(): string {
    const dir = tempDir();
    gitInit(dir, 'release/1.0');
    cpSync(path.join(EXAMPLES, 'contract-review'), dir, { recursive: true });
    commitAll(dir, 'release 1.0: contract-review with its sign-offs');
    git(dir, 'checkout', '-q', '-b', 'work');
    return dir;
  }

  it('counts a sign-off unchanged on the base as verified; an edited one is unverified and fails', () => {
    const dir = repoWithSignoff();
    const same = jsonReport(checkBase(dir, '--json'));
    expect(same.verdict).toBe('pass');
    expect(gate(same, 'signoffs').outcome).toBe('pass');
    expect(gate(same, 'policy.integrity').reason).toBe('judged by the policy from .github/lastmile-policy.yml@release/1.0');

    const file = path.join(dir, 'lastmile.yml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('expires_on: 2027-04-18');
    writeFileSync(file, text.replace('expires_on: 2027-04-18', 'expires_on: 2027-12-31'));
    const r = checkBase(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      // Locally no review is read (SPEC §9): it says which review would verify it, not that there is none.
      /FAIL {9}signoffs: 1 of 4 required sign-offs not in place: security: approved \(SEC-1388\) but unverified here: added or changed by this pull request; an approving review on [0-9a-f]{7} from @alice or a member of @acme\/security on the pull request would verify it \(a local check cannot see reviews\)/,
    );
    expect(r.stdout).toContain('- ok: data-governance: approved by hana (DG-2417), unchanged from the base branch');

    // Committing the edit does not make it verified either: only a review or the base can.
    commitAll(dir, 'extend the security sign-off');
    expect(checkBase(dir).code).toBe(1);
  });

  it('judges by the base policy, not the work branch edit of it', () => {
    const dir = repoWithSignoff();
    const policy = path.join(dir, '.github', 'lastmile-policy.yml');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('enforce: block', 'enforce: warn'));
    commitAll(dir, 'try to turn the gate off');
    const report = jsonReport(checkBase(dir, '--json'));
    expect(report.enforce).toBe('block');
    expect(gate(report, 'policy.integrity').reason).toContain('this pull request changes the policy file');
  });

  it('compares the evals with the base: a drop beyond max_drop fails eval.regression', () => {
    const dir = repoWithSignoff();
    const file = path.join(dir, 'evals', 'prod-sample.jsonl');
    // Turn 45 correct production samples into wrong ones: 0.950 → 0.875, a 0.075 drop whose
    // interval (n = 600 on each side) lies above max_drop 0.02.
    let flipped = 0;
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => {
        if (flipped >= 45 || !l.includes('"correct":true')) return l;
        flipped++;
        return l.replace('"correct":true', '"correct":false');
      });
    writeFileSync(file, lines.join('\n'));
    const report = jsonReport(checkBase(dir, '--json'));
    expect(gate(report, 'eval.regression')).toMatchObject({ outcome: 'fail' });
    expect(gate(report, 'eval.regression').reason).toMatch(/^regression against the base: intake-sample accuracy: 0\.950 \[[\d.]+, [\d.]+\] n=600 on base → 0\.875 \[[\d.]+, [\d.]+\] n=600, drop 0\.0750 \[0\.0[3-5]\d*, 0\.1\d*\] \(max_drop 0\.02\)$/);
  });

  it('takes the target branch from a remote base ref: origin/release/1.0 is release/1.0', () => {
    const dir = repoWithSignoff();
    git(dir, 'update-ref', 'refs/remotes/origin/release/1.0', 'release/1.0');
    for (const ref of ['origin/release/1.0', 'refs/remotes/origin/release/1.0', 'refs/heads/release/1.0']) {
      const report = jsonReport(cli(['check', '--cwd', dir, '--base', ref, '--now', NOW, '--json']));
      expect(report, ref).toMatchObject({ branch: 'release/1.0', stage: 'production', enforce: 'block', verdict: 'pass' });
      expect(report.policy.source).toBe(`.github/lastmile-policy.yml@${ref}`);
    }
    // --branch still wins.
    expect(jsonReport(cli(['check', '--cwd', dir, '--base', 'origin/release/1.0', '--branch', 'main', '--now', NOW, '--json'])).stage).toBe('staging');
  });

  it('refuses a ref git does not know, and a folder that is no git repository (exit 2)', () => {
    const dir = repoWithSignoff();
    const unknown = cli(['check', '--cwd', dir, '--base', 'release/9.9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--base release/9.9: no such commit or branch');
    expect(unknown.stderr).toContain('Usage: last-mile check');
    const plain = tempDir();
    cpSync(path.join(EXAMPLES, 'contract-review'), plain, { recursive: true });
    const r = cli(['check', '--cwd', plain, '--base', 'release/1.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a git repository');
  });
});

describe('init, then check', () => {
  it('writes a starter into an empty git repository that validates and is honestly not ready for release', () => {
    const dir = tempDir();
    gitInit(dir, 'main');
    const r = cli(['init', '--cwd', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote lastmile.yml');
    expect(r.stdout).toContain('wrote .github/lastmile-policy.yml');
    expect(r.stdout).toContain('wrote .github/workflows/last-mile.yml');
    const workflow = parseYaml(readFileSync(path.join(dir, '.github/workflows/last-mile.yml'), 'utf8')) as Workflow;
    expect(actionSteps(workflow)).toHaveLength(1);

    const release = cli(['check', '--cwd', dir, '--branch', 'release/1.0', '--now', NOW]);
    expect(release.code).toBe(1);
    expect(release.stdout).toContain('Last Mile: Not ready for production on release/1.0 (blocks merge) — verdict fail');
    expect(release.stdout).toContain('PASS         manifest.valid: the manifest is valid');
    expect(release.stdout).toMatch(/FAIL {9}ownership: missing/);
    const report = jsonReport(cli(['check', '--cwd', dir, '--branch', 'release/1.0', '--now', NOW, '--json']));
    expect(gate(report, 'manifest.valid').outcome).toBe('pass');
    expect(gate(report, 'policy.integrity').outcome).toBe('pass');
    expect(report.errors).toEqual([]);

    // On the default branch the starter only warns: adopting it never breaks a build.
    expect(cli(['check', '--cwd', dir, '--branch', 'main', '--now', NOW]).code).toBe(0);
  });

  it('finds promptfoo and lm-eval outputs already in the tree and wires them into the manifest', () => {
    const dir = tempDir();
    gitInit(dir, 'main');
    mkdirSync(path.join(dir, 'evals'));
    cpSync(path.join(EXAMPLES, 'contract-review/evals/curated-promptfoo.json'), path.join(dir, 'evals/curated-promptfoo.json'));
    cpSync(path.join(EXAMPLES, 'claims-assistant/evals/results_2026-11-17T10-42-03.json'), path.join(dir, 'evals/results_2026-11-17T10-42-03.json'));
    const r = cli(['init', '--cwd', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('evals/curated-promptfoo.json (promptfoo');
    expect(r.stdout).toContain('evals/results_2026-11-17T10-42-03.json (lm-eval');
    const report = jsonReport(cli(['check', '--cwd', dir, '--branch', 'release/1.0', '--now', NOW, '--json']));
    expect(report.verdict).toBe('fail');
    expect(gate(report, 'manifest.valid').outcome).toBe('pass');
    // Both files load: no gate complains that it cannot read them.
    const texts = report.systems.flatMap((s) => s.gates).map((g) => `${g.reason} ${(g.details ?? []).join(' ')}`);
    expect(texts.filter((t) => t.includes('cannot read'))).toEqual([]);
    expect(gate(report, 'eval.production-gap').reason).toBe('missing eval source: production-sample');
  });

  it('refuses to overwrite existing files (exit 1) and writes nothing', () => {
    const dir = tempDir();
    gitInit(dir, 'main');
    writeFileSync(path.join(dir, 'lastmile.yml'), 'version: 1\nsystem: mine\n');
    const r = cli(['init', '--cwd', dir]);
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain('lastmile.yml');
    expect(`${r.stdout}${r.stderr}`).toContain('--force');
    expect(readFileSync(path.join(dir, 'lastmile.yml'), 'utf8')).toBe('version: 1\nsystem: mine\n');
    expect(existsSync(path.join(dir, '.github', 'lastmile-policy.yml'))).toBe(false);
  });
});

describe('usage', () => {
  it.each<[string[], string, string]>([
    [['check', '--bogus'], 'Unknown option', 'Usage: last-mile check'],
    [['check', 'stray'], 'Unexpected argument', 'Usage: last-mile check'],
    [['check', '--now', 'yesterday'], '--now: expected a date', 'Usage: last-mile check'],
    [['init', '--bogus'], 'Unknown option', 'Usage: last-mile init'],
    [['schema', '--bogus'], 'Unknown option', 'Usage: last-mile schema'],
    [['deploy'], 'unknown command "deploy"', 'Usage: last-mile <command>'],
  ])('%j exits 2 and prints the help', (args, message, help) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(help);
  });

  it('without a command exits 2 with the help', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage: last-mile <command>');
  });

  it.each<[string[], string]>([
    [['--help'], 'Usage: last-mile <command>'],
    [['check', '--help'], 'Usage: last-mile check'],
    [['check', '-h'], 'Usage: last-mile check'],
    [['init', '--help'], 'Usage: last-mile init'],
    [['schema', '--help'], 'Usage: last-mile schema'],
  ])('%j exits 0 and prints the help on stdout', (args, help) => {
    const r = cli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(help);
    expect(r.stderr).toBe('');
  });

  it('check --help names every option check accepts', () => {
    const help = cli(['check', '--help']).stdout;
    for (const o of ['--manifest', '--policy', '--branch', '--base', '--cwd', '--now', '--json', '--markdown', '--verbose']) expect(help).toContain(o);
  });
});

describe('colour', () => {
  const args = ['check', '--cwd', 'examples/support-triage', '--branch', 'release/1.0', '--now', NOW];

  it('piped output has no ANSI escapes', () => {
    const r = cli(args);
    expect(r.stdout).toContain('verdict fail');
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('NO_COLOR turns colour off, also over FORCE_COLOR', () => {
    expect(cli(args, { env: { NO_COLOR: '1' } }).stdout).not.toMatch(ANSI);
    expect(cli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });

  it('FORCE_COLOR=1 colours the verdict and the outcomes, with the same text', () => {
    const plain = cli(args).stdout;
    const coloured = cli(args, { env: { FORCE_COLOR: '1' } }).stdout;
    expect(coloured).toContain(`${ESC}[31mLast Mile: Not ready for production`);
    expect(coloured).toContain(`${ESC}[31mFAIL        ${ESC}[0m signoffs`);
    expect(coloured.replace(SGR, '')).toBe(plain);
  });
});

// ---------------------------------------------------------------------------------- workflows

type Step = { uses?: string; with?: Record<string, unknown>; id?: string };
type Job = { name?: string; uses?: string; with?: Record<string, unknown>; secrets?: Record<string, unknown>; 'runs-on'?: string; steps?: Step[]; strategy?: { matrix?: Record<string, unknown> } };
type Workflow = { name?: string; on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const WORKFLOWS = path.join(EXAMPLES, 'workflows');
const ACTION = 'last-mile/last-mile@v1';
const FULL_PERMISSIONS = { contents: 'read', 'pull-requests': 'write', checks: 'write' };
const CENTRAL = 'acme/governance/policies/lastmile-policy.yml@main';

function workflow(file: string): Workflow {
  const w = parseYaml(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
  expect(w.on, file).toBeTypeOf('object');
  expect(w.jobs, file).toBeTypeOf('object');
  return w;
}

function actionSteps(w: Workflow): Step[] {
  return Object.values(w.jobs).flatMap((j) => (j.steps ?? []).filter((s) => s.uses?.startsWith('last-mile/last-mile')));
}

/** Pull request events as the README's workflow lists them, without a `paths:` filter. */
function expectPullRequestEvents(w: Workflow): void {
  expect(Object.keys(w.on)).toEqual(expect.arrayContaining(['pull_request', 'pull_request_review', 'merge_group', 'push']));
  expect((w.on['pull_request'] as { types: string[] }).types).toEqual(['opened', 'synchronize', 'reopened', 'edited']);
  expect((w.on['pull_request_review'] as { types: string[] }).types).toEqual(['submitted', 'dismissed']);
  expect((w.on['push'] as { branches: string[] }).branches).toEqual(['release/**']);
  for (const [event, spec] of Object.entries(w.on)) {
    if (spec && typeof spec === 'object') expect(Object.keys(spec), event).not.toEqual(expect.arrayContaining(['paths']));
  }
}

describe('examples/workflows', () => {
  it('has the reusable workflow, its caller, the central policy, the scheduled run and a README', () => {
    for (const f of ['reusable-last-mile.yml', 'caller.yml', 'central-policy.yml', 'scheduled.yml', 'policies/lastmile-policy.yml', 'README.md']) {
      expect(existsSync(path.join(WORKFLOWS, f)), f).toBe(true);
    }
  });

  it('reusable-last-mile.yml: on workflow_call with inputs manifests and policy, passed to the action', () => {
    const w = workflow('reusable-last-mile.yml');
    expect(Object.keys(w.on)).toEqual(['workflow_call']);
    const call = w.on['workflow_call'] as { inputs: Record<string, { type: string; default?: string }>; secrets: Record<string, { required: boolean }> };
    expect(call.inputs['manifests']).toMatchObject({ type: 'string', default: 'lastmile.yml' });
    expect(call.inputs['policy']).toMatchObject({ type: 'string', default: CENTRAL });
    expect(call.inputs['branch']).toMatchObject({ type: 'string' });
    expect(call.secrets['LAST_MILE_TOKEN']).toMatchObject({ required: false });
    expect(w.permissions).toEqual(FULL_PERMISSIONS);
    const job = w.jobs['last-mile']!;
    expect(job.name).toBe('Last Mile');
    expect(job.steps?.[0]?.uses).toBe('actions/checkout@v4');
    const [step] = actionSteps(w);
    expect(step?.uses).toBe(ACTION);
    expect(step?.with).toMatchObject({ manifests: '${{ inputs.manifests }}', policy: '${{ inputs.policy }}', branch: '${{ inputs.branch }}' });
    expect(step?.with?.['github-token']).toBe('${{ secrets.LAST_MILE_TOKEN || github.token }}');
  });

  it('caller.yml: calls the reusable workflow on every event, with a monorepo glob, granting its permissions', () => {
    const w = workflow('caller.yml');
    const reusable = workflow('reusable-last-mile.yml');
    expectPullRequestEvents(w);
    expect(w.permissions).toEqual(FULL_PERMISSIONS);
    const job = w.jobs['last-mile']!;
    expect(job.name).toBe('Last Mile');
    expect(job.uses).toBe('acme/governance/.github/workflows/last-mile.yml@v1');
    expect(job['runs-on']).toBeUndefined();
    expect(job.with).toEqual({ manifests: 'services/*/lastmile.yml' });
    // Every input and secret it passes is declared by the called workflow.
    const call = reusable.on['workflow_call'] as { inputs: Record<string, unknown>; secrets: Record<string, unknown> };
    for (const k of Object.keys(job.with ?? {})) expect(Object.keys(call.inputs)).toContain(k);
    for (const k of Object.keys(job.secrets ?? {})) expect(Object.keys(call.secrets)).toContain(k);
  });

  it('central-policy.yml: reads the policy from acme/governance with a token that can read it', () => {
    const w = workflow('central-policy.yml');
    expectPullRequestEvents(w);
    expect(w.permissions).toEqual(FULL_PERMISSIONS);
    const job = w.jobs['last-mile']!;
    expect(job.name).toBe('Last Mile');
    expect(job.steps?.[0]?.uses).toBe('actions/checkout@v4');
    const token = job.steps?.find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
    expect(token?.id).toBe('app-token');
    const [step] = actionSteps(w);
    expect(step?.uses).toBe(ACTION);
    expect(step?.with?.['policy']).toBe(CENTRAL);
    expect(step?.with?.['github-token']).toBe('${{ steps.app-token.outputs.token }}');
    expect(parseCentral(CENTRAL)).toEqual({ owner: 'acme', repo: 'governance', path: 'policies/lastmile-policy.yml', ref: 'main' });
  });

  it('scheduled.yml: a cron run per release branch, checked out and named, so its production rule applies', () => {
    const w = workflow('scheduled.yml');
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const cron = (w.on['schedule'] as { cron: string }[])[0]?.cron ?? '';
    expect(cron.split(' ')).toHaveLength(5);
    expect(w.permissions).toEqual({ contents: 'read', checks: 'write', 'pull-requests': 'read' });
    const job = w.jobs['last-mile']!;
    expect(job.name).toBe('Last Mile');
    const branches = job.strategy?.matrix?.['branch'] as string[];
    expect(branches.length).toBeGreaterThan(0);
    const central = parsePolicy(readFileSync(path.join(WORKFLOWS, 'policies/lastmile-policy.yml'), 'utf8'), 'policies/lastmile-policy.yml', 'main');
    if (!central.ok) throw new Error('the central policy is invalid');
    for (const b of branches) expect(ruleFor(central.policy.branches, b)).toMatchObject({ stage: 'production', enforce: 'block' });
    expect(job.steps?.[0]).toEqual({ uses: 'actions/checkout@v4', with: { ref: '${{ matrix.branch }}' } });
    const [step] = actionSteps(w);
    expect(step).toEqual({ uses: ACTION, with: { branch: '${{ matrix.branch }}' } });
  });

  it('policies/lastmile-policy.yml: the central policy is valid and gates release/** on every area', () => {
    const parsed = parsePolicy(readFileSync(path.join(WORKFLOWS, 'policies/lastmile-policy.yml'), 'utf8'), 'policies/lastmile-policy.yml', 'main');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(ruleFor(parsed.policy.branches, 'release/2.0')).toMatchObject({ stage: 'production', enforce: 'block' });
    expect(parsed.policy.stages['production']?.require).toEqual(expect.arrayContaining(['ownership', 'signoffs', 'monitoring', 'evals', 'inventory']));
  });

  it('uses the action as the README does', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`- uses: ${ACTION}`);
  });
});

describe('--version', () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

  it.each([['--version'], ['-v'], ['version']])('%s prints the package version and exits 0', (flag) => {
    const r = cli([flag]);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('the help names it', () => {
    expect(cli(['--help']).stdout).toMatch(/-v, --version +print the version/);
  });
});

describe('a closed pipe ends quietly', () => {
  /** Runs the CLI into `| true` (which reads nothing and exits): the CLI's exit code and stderr. */
  function intoClosedPipe(args: string[], cwd = ROOT): { code: number; stderr: string } {
    const quoted = [CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const errFile = path.join(tempDir(), 'stderr');
    const r = spawnSync('bash', ['-c', `'${process.execPath}' ${quoted} 2>'${errFile}' | true; exit "\${PIPESTATUS[0]}"`], { cwd, env: cleanEnv(), encoding: 'utf8' });
    return { code: r.status ?? -1, stderr: readFileSync(errFile, 'utf8') };
  }

  it('schema | true: exit 0, nothing on stderr (no EPIPE stack trace)', () => {
    expect(intoClosedPipe(['schema'])).toEqual({ code: 0, stderr: '' });
  });

  it('check | true keeps the verdict as the exit code: 1 for a failing example, 0 for a ready one', () => {
    expect(intoClosedPipe(['check', '--cwd', 'examples/support-triage', '--branch', 'release/1.0', '--now', NOW, '--verbose'])).toEqual({ code: 1, stderr: '' });
    expect(intoClosedPipe(['check', '--cwd', 'examples/support-triage', '--branch', 'main', '--now', NOW, '--json'])).toEqual({ code: 0, stderr: '' });
  });

  it('check | head -1 prints the headline only', () => {
    const r = spawnSync('bash', ['-c', `'${process.execPath}' '${CLI}' check --cwd examples/support-triage --branch release/1.0 --now ${NOW} | head -1`], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringContaining('Not ready for production on release/1.0')]);
    expect(r.stderr).toBe('');
  });
});

describe('a central policy (--policy owner/repo/path@ref)', () => {
  const CENTRAL_POLICY = 'acme/governance/policies/lastmile-policy.yml@main';

  /** The CLI without blocking the event loop (the fake GitHub answers from this process). */
  function cliAsync(args: string[], env: Record<string, string>): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('without GITHUB_TOKEN or GH_TOKEN: exit 2 and one plain sentence naming the token it needs', () => {
    const r = cli(['check', '--cwd', 'examples/contract-review', '--policy', CENTRAL_POLICY, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `last-mile check: the central policy ${CENTRAL_POLICY} is read through the GitHub API, so set GITHUB_TOKEN or GH_TOKEN to a token that can read acme/governance (for example GH_TOKEN=$(gh auth token)), or download the file and pass --policy <path>.\n`,
    );
    expect(r.stderr).not.toContain('Parameter token');
    // An empty variable is no token either.
    expect(cli(['check', '--cwd', 'examples/contract-review', '--policy', CENTRAL_POLICY], { env: { GITHUB_TOKEN: '' } }).stderr).toContain('set GITHUB_TOKEN or GH_TOKEN');
  });

  it.each([['GITHUB_TOKEN'], ['GH_TOKEN']])('with %s: read through the API with that token, and it judges', async (variable) => {
    const gh = await startGitHubServer({ repository: 'acme/governance', requireToken: 'central-reader-token' });
    try {
      const policy = readFileSync(path.join(EXAMPLES, 'contract-review', '.github', 'lastmile-policy.yml'), 'utf8');
      gh.setFile('main', 'policies/lastmile-policy.yml', policy);
      const r = await cliAsync(['check', '--cwd', 'examples/contract-review', '--policy', CENTRAL_POLICY, '--branch', 'release/1.0', '--now', NOW, '--json'], {
        GITHUB_API_URL: gh.url,
        [variable]: 'central-reader-token',
      });
      expect(r.stderr).toBe('');
      const report = jsonReport(r);
      expect(report.policy.source).toContain('acme/governance/policies/lastmile-policy.yml@main');
      expect(gate(report, 'policy.integrity').outcome).toBe('pass');
      expect(r.code).toBe(report.verdict === 'fail' ? 1 : 0);
      const reads = gh.requests.filter((q) => q.path.includes('/repos/acme/governance/contents/'));
      expect(reads.length).toBeGreaterThan(0);
      expect(gh.violations).toEqual([]);
    } finally {
      await gh.close();
    }
  });

  it('a token that cannot read it: the policy fails policy.integrity and the run blocks', async () => {
    const gh = await startGitHubServer({ repository: 'acme/governance', requireToken: 'central-reader-token' });
    try {
      gh.setFile('main', 'policies/lastmile-policy.yml', readFileSync(path.join(EXAMPLES, 'contract-review', '.github', 'lastmile-policy.yml'), 'utf8'));
      const r = await cliAsync(['check', '--cwd', 'examples/contract-review', '--policy', CENTRAL_POLICY, '--branch', 'release/1.0', '--now', NOW, '--json'], {
        GITHUB_API_URL: gh.url,
        GITHUB_TOKEN: 'some-other-token',
      });
      const report = jsonReport(r);
      expect(gate(report, 'policy.integrity').outcome).toBe('fail');
      expect(r.code).toBe(1);
    } finally {
      await gh.close();
    }
  });
});

describe('documented command lines', () => {
  const read = (f: string): string => readFileSync(path.join(ROOT, f), 'utf8');

  it('check --help gives the command that works today and the one that works once published', () => {
    const help = cli(['check', '--help']).stdout;
    expect(help).toContain('npx --yes github:last-mile/last-mile#v1 check');
    expect(help).toContain('node dist/cli/index.js check');
    expect(help).toMatch(/once published on npm +npx last-mile check/);
  });

  it('README, FAQ and examples/workflows agree: the CLI reads a central policy with GITHUB_TOKEN or GH_TOKEN', () => {
    const help = cli(['check', '--help']).stdout;
    expect(help).toMatch(/GITHUB_TOKEN\s+or GH_TOKEN/);
    for (const f of ['README.md', 'docs/faq.md', 'examples/workflows/README.md']) {
      const text = read(f).replace(/\s+/g, ' ');
      expect(text, f).toContain('GITHUB_TOKEN` or `GH_TOKEN`');
      expect(text, f).not.toMatch(/cannot read a central policy/i);
    }
  });

  it('README and FAQ label the command that works today and the one after publishing', () => {
    for (const f of ['README.md', 'docs/faq.md']) {
      const text = read(f);
      expect(text, f).toContain('npx --yes github:last-mile/last-mile#v1 check');
      expect(text, f).toMatch(/once .*published/i);
      expect(text, f).toContain('npx last-mile check');
    }
  });
});
