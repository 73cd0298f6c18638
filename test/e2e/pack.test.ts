// The package as npm would publish it (SPEC §9, issue 17): `npm pack` gives a tarball of what
// runs (the bundled CLI and the JSON Schemas), with no runtime dependencies, whose `last-mile`
// bin runs `--version`, `init`, `check` and `schema` in a temporary git repository with nothing
// else installed: the tarball is installed offline, with an empty npm cache, outside this tree.
//
// Packs the repository itself, so dist/cli/ must be built (`npm run build`; CI builds first).
// With LASTMILE_E2E_CLI (a build made outside dist/), packs a copy of the repository's package
// files with that build as dist/cli/ instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, ROOT } from './harness';

const ROOT_PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

const temps: string[] = [];
function temp(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An environment with nothing of this project's: no NODE_PATH, no npm or git settings from the caller. */
function bareEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    // npm: a cache of its own (empty), no registry access needed and none allowed.
    npm_config_cache: path.join(home, '.npm-cache'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}

/** The directory `npm pack` runs in: the repository, or a copy with another build as dist/cli/. */
function packSource(): string {
  const repoCli = path.join(ROOT, 'dist', 'cli', 'index.js');
  if (path.resolve(CLI) === repoCli) return ROOT;
  const dir = temp('lm-pack-src-');
  for (const f of readdirSync(ROOT)) {
    // What `files` might pick up, plus some it must leave out (sources, tests, the action).
    if (['package.json', 'README.md', 'LICENSE', 'LICENSE.md', 'action.yml', 'schema', 'src', 'test'].includes(f)) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  }
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  cpSync(path.dirname(CLI), path.join(dir, 'dist', 'cli'), { recursive: true });
  writeFileSync(path.join(dir, 'dist', 'index.js'), '// the action bundle: not part of the npm package\n');
  return dir;
}

interface Packed {
  tarball: string;
  files: string[];
}

let packed: Packed;
let home: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  home = temp('lm-pack-home-');
  const dest = temp('lm-pack-out-');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: packSource(), env: bareEnv(home), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  packed = { tarball: path.join(dest, info!.filename), files: info!.files.map((f) => f.path).sort() };
}, 120_000);

describe('npm pack', () => {
  it('holds only what runs: the bundled CLI, the JSON Schemas, README and package.json', () => {
    expect(packed.tarball).toMatch(new RegExp(`last-mile-${ROOT_PKG.version.replace(/\./g, '\\.')}\\.tgz$`));
    expect(packed.files).toContain('dist/cli/index.js');
    expect(packed.files).toContain('schema/manifest.schema.json');
    expect(packed.files).toContain('package.json');
    expect(packed.files).toContain('README.md');
    const unexpected = packed.files.filter((f) => !/^(dist\/cli\/[^/]+|schema\/[^/]+\.schema\.json|package\.json|README\.md|LICENSE(\.md)?)$/.test(f));
    expect(unexpected).toEqual([]);
  });

  it('its package.json is publishable, with no runtime dependencies and the bin', () => {
    const dir = temp('lm-pack-x-');
    execFileSync('tar', ['-xzf', packed.tarball, '-C', dir]);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['private']).toBeUndefined();
    expect(pkg['name']).toBe('last-mile');
    expect(pkg['bin']).toEqual({ 'last-mile': 'dist/cli/index.js' });
    expect(Object.keys((pkg['dependencies'] as Record<string, string> | undefined) ?? {})).toEqual([]);
    expect(pkg['engines']).toEqual({ node: '>=20' });
    // Run straight from the extracted tarball, nothing installed.
    const r = spawnSync(process.execPath, [path.join(dir, 'package', 'dist', 'cli', 'index.js'), '--version'], { cwd: dir, env: bareEnv(home), encoding: 'utf8' });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${ROOT_PKG.version}\n`, stderr: '' });
  });
});

describe('the installed `last-mile` bin, in a temporary git repository', () => {
  let bin: string;
  let repo: string;

  beforeAll(() => {
    // Installed offline, with an empty cache: it can only succeed if the tarball needs nothing else.
    const project = temp('lm-pack-install-');
    writeFileSync(path.join(project, 'package.json'), '{ "name": "adopter", "version": "1.0.0", "private": true }\n');
    const r = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', packed.tarball], { cwd: project, env: bareEnv(home), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('EBADENGINE');
    expect(readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['last-mile']);
    bin = path.join(project, 'node_modules', '.bin', 'last-mile');
    expect(existsSync(bin)).toBe(true);

    repo = temp('lm-pack-repo-');
    const git = (...args: string[]): void => void execFileSync('git', args, { cwd: repo, env: bareEnv(home), stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'dev');
    git('config', 'commit.gpgsign', 'false');
    mkdirSync(path.join(repo, 'app'));
    writeFileSync(path.join(repo, 'app', 'requirements.txt'), 'openai==1.40.0\n');
    writeFileSync(path.join(repo, 'CODEOWNERS'), '* @acme/assistants\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'an AI pilot');
  }, 120_000);

  /** The bin itself (its `#!/usr/bin/env node` line and exec bit), as a user's shell runs it. */
  function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(bin, args, { cwd: repo, env: bareEnv(home, { NO_COLOR: '1' }), encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('--version prints the package version', () => {
    expect(run('--version')).toEqual({ code: 0, stdout: `${ROOT_PKG.version}\n`, stderr: '' });
  });

  it('init writes the starter manifest, policy and workflow; check then judges them', () => {
    const init = run('init');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Next steps:');
    for (const f of ['lastmile.yml', '.github/lastmile-policy.yml', '.github/workflows/last-mile.yml']) expect(existsSync(path.join(repo, f)), f).toBe(true);
    const manifest = parseYaml(readFileSync(path.join(repo, 'lastmile.yml'), 'utf8')) as Record<string, unknown>;
    expect(manifest['version']).toBe(1);

    // On main the starter policy warns; on a release branch it blocks: exit codes 0 and 1.
    const staging = run('check');
    expect(staging.stderr).toBe('');
    expect(staging.code).toBe(0);
    expect(staging.stdout).toMatch(/^Last Mile: .* on main/m);
    const production = run('check', '--branch', 'release/1.0', '--json');
    expect(production.stderr).toBe('');
    expect(production.code).toBe(1);
    const report = JSON.parse(production.stdout) as { verdict: string; branch: string; systems: { system: string }[] };
    expect(report).toMatchObject({ verdict: 'fail', branch: 'release/1.0' });
    expect(report.systems).toHaveLength(1);
  });

  it('schema prints the JSON Schemas', () => {
    const r = run('schema');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const schemas = JSON.parse(r.stdout) as Record<string, { $schema?: string }>;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['manifest', 'policy', 'report']));
    expect(schemas['manifest']?.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
