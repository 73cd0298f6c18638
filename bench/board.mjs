// The readiness board at scale (issue 18): `last-mile board` (the CLI built from src/ with ncc)
// against the fake GitHub API of the tests (built with ncc), holding 200 repositories of 1–5
// ready systems each (a monorepo layout, services/sNN/lastmile.yml), the server adding 50 ms to
// every request.
//
// - board_200_repos_ms: wall time of the board's process.
// - board_requests_per_repo: API requests per repository (max and mean), as the board reports them.
//
// `node bench/board.mjs` prints one line per figure, then one JSON object (the last line).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, readySystem, root } from './fixtures.mjs';

const REPOS = 200;
const LATENCY_MS = 50;

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
