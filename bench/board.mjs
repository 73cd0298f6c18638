// The readiness board at scale (issue 18): `last-mile board` (the CLI built from src/ with ncc)
// against the fake GitHub API of the tests (built with ncc), holding 200 repositories of 1–5
// ready systems each (a monorepo layout, services/sNN/lastmile.yml), the server adding 50 ms to
// every request.
//
// - board_200_repos_ms: wall time of the board's process.
// - board_requests_per_repo: API requests per repository (max and mean), as the board reports them.
//
// `node bench/board.mjs` prints one line per figure, then one JSON object (the last line).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
const REPOS = 200;
const LATENCY_MS = 50;

function build(entry, out) {
  execFileSync(process.execPath, [ncc, 'build', path.join(root, entry), '-o', out, '-q', '--transpile-only'], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  return path.join(out, 'index.js');
}

/** The example's ready system under `dir`, with its own id (as test/e2e/harness.ts readySystem). */
function readySystem(dir, id) {
  const ex = path.join(root, 'examples', 'support-triage');
  const manifest = readFileSync(path.join(ex, 'lastmile.yml'), 'utf8')
    .replace(/ {2}- kind: data-governance\n {4}status: requested\n {4}ticket: DG-2301\n {4}requested_on: 2026-11-02\n/, '')
    .replace('    timeout_ms: 3000\n', '    timeout_ms: 3000\n    fallback: queue and retry\n')
    .replace(/^system: .*$/m, `system: ${id}`);
  const recent = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const redate = (t) => t.replace(/"created_at": ?"[^"]+"/g, (m) => m.replace(/"[^"]+"$/, `"${recent}"`));
  return {
    [`${dir}/lastmile.yml`]: manifest,
    [`${dir}/evals/curated.json`]: redate(readFileSync(path.join(ex, 'evals', 'curated.json'), 'utf8')),
    [`${dir}/evals/prod-sample.jsonl`]: redate(readFileSync(path.join(ex, 'evals', 'prod-sample.jsonl'), 'utf8')),
    [`${dir}/ops/alerts/support-triage.yml`]: readFileSync(path.join(ex, 'ops', 'alerts', 'support-triage.yml'), 'utf8'),
    [`${dir}/docs/runbook.md`]: '# runbook\n',
    [`${dir}/docs/rollout-comms.md`]: '# comms\n',
  };
}

export async function benchBoard(log = console.log) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'last-mile-bench-board-'));
  try {
    log('building the CLI and the fake GitHub API…');
    const cli = build('src/cli/index.ts', path.join(tmp, 'cli'));
    const server = build('test/support/github-server.ts', path.join(tmp, 'server'));
    const { startGitHubServer } = await import(pathToFileURL(server).href);
    const specFile = path.join(root, 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');
    const gh = await startGitHubServer({ repository: 'bench/r000', defaultBranch: 'main', specFile });
    const policy = readFileSync(path.join(root, 'examples', 'support-triage', '.github', 'lastmile-policy.yml'), 'utf8').replace(/^signoffs:\n(?: {2}.*\n)+/m, 'signoffs: {}\n');
    const names = [];
    let systems = 0;
    for (let i = 0; i < REPOS; i++) {
      const name = `bench/r${String(i).padStart(3, '0')}`;
      names.push(name);
      gh.addRepo({ owner: 'bench', name: name.split('/')[1], defaultBranch: 'main' });
      const sha = (i + 1).toString(16).padStart(40, '0');
      gh.setBranch('main', sha, name);
      gh.setFile(sha, '.github/lastmile-policy.yml', policy, name);
      const n = 1 + (i % 5);
      systems += n;
      for (let s = 1; s <= n; s++) for (const [p, t] of Object.entries(readySystem(`services/s${s}`, `r${i}-s${s}`))) gh.setFile(sha, p, t, name);
    }
    gh.onRequest(() => new Promise((r) => setTimeout(r, LATENCY_MS)));
    const json = path.join(tmp, 'board.json');
    const t0 = process.hrtime.bigint();
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, 'board', '--owner', 'bench', '--branches', '', '--max-requests', '200', '--concurrency', '8', '--json', json], {
        env: { PATH: process.env.PATH ?? '', GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'bench-token' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('close', resolve);
    });
    const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
    const violations = gh.violations.length;
    await gh.close();
    if (code !== 0) throw new Error(`the board exited with ${code}`);
    if (violations > 0) throw new Error('the fake API saw requests GitHub does not serve');
    const board = JSON.parse(readFileSync(json, 'utf8'));
    const ready = board.systems.filter((s) => s.stage === 'staging').length;
    if (board.systems.length !== systems || ready !== systems) throw new Error(`expected ${systems} systems at staging, found ${board.systems.length} (${ready} at staging)`);
    const per = board.repositories.map((r) => r.requests);
    const max = Math.max(...per);
    const mean = Math.round((per.reduce((a, b) => a + b, 0) / per.length) * 10) / 10;
    log(`board of ${REPOS} repositories (${systems} systems, ${LATENCY_MS} ms per request, concurrency 8): ${ms} ms; requests per repository: max ${max}, mean ${mean} (4 + 4 per system here)`);
    return { board_200_repos_ms: ms, board_requests_per_repo_max: max, board_requests_per_repo_mean: mean };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchBoard()));
}
