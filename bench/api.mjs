// API traffic and wall time of a pull request run on a large monorepo (SPEC §7.1, issue 17):
// the action (built from src/ with ncc) runs as the runner runs it, against the fake GitHub API
// of the tests (test/support/github-server.ts, built with ncc), once with the base read from git
// (the base commit in the workspace) and once with LASTMILE_BASE_READS=api (the API path, as
// where git cannot), in the same run.
//
// - requests_150_systems / requests_150_systems_api: every request the run made to the API, on a
//   monorepo of 150 ready systems (services/sNNN: manifest, two eval files, alerts, runbook,
//   comms), base and head identical. On the API path the base's files come in batches (one tree
//   listing, then GraphQL queries of up to 100 files, src/github/contents.ts), as many as the
//   reads the action makes together allow; the log line says how the requests split.
//   base_reads_150_systems_api: those of the API run that read the base (listing, GraphQL file
//   queries, contents requests).
// - wall_500_systems_ms / wall_500_systems_api_ms: wall time of the action's process on 500 such
//   systems, with the server adding 50 ms to every request (a realistic API round trip).
//
// `node bench/api.mjs` prints one line per figure, then one JSON object (the last line).
// `npm run bench` runs it after the other benchmarks and merges the figures into its JSON.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, readySystem, root } from './fixtures.mjs';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const HEAD_SHA = 'c'.repeat(40);
const LATENCY_MS = 50;

function monorepo(n) {
  // The example policy without sign-off kinds, so that a ready system passes with no review.
  const policy = readFileSync(path.join(root, 'examples', 'support-triage', '.github', 'lastmile-policy.yml'), 'utf8').replace(/^signoffs:\n(?: {2}.*\n)+/m, 'signoffs: {}\n');
  const files = { '.github/lastmile-policy.yml': policy };
  for (let i = 1; i <= n; i++) Object.assign(files, readySystem(`services/s${String(i).padStart(3, '0')}`, `s${String(i).padStart(3, '0')}`));
  return files;
}

/** A workspace whose history holds the base commit (base = head here); returns the base SHA. */
function workspace(dir, files) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@e' };
  const git = (...args) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  git('init', '-q', '-b', 'work');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const base = git('rev-parse', 'HEAD').trim();
  git('commit', '-q', '--allow-empty', '-m', 'head');
  return base;
}

function payload(baseSha) {
  const p = JSON.parse(readFileSync(path.join(root, 'test', 'fixtures', 'github', 'pull_request.opened.json'), 'utf8'));
  p.pull_request.number = 2;
  p.pull_request.base.ref = 'release/1.0';
  p.pull_request.base.sha = baseSha;
  p.pull_request.head.sha = HEAD_SHA;
  p.pull_request.user.login = 'Codertocat';
  return p;
}

/** One pull request run of the action; resolves with its wall time and the requests it made. */
async function runOnce({ action, startGitHubServer, specFile, tmp, files, ws, baseSha, mode, latency }) {
  const gh = await startGitHubServer({ repository: `${OWNER}/${REPO}`, defaultBranch: 'master', specFile });
  try {
    for (const [p, text] of Object.entries(files)) gh.setFile(baseSha, p, text);
    gh.addPullRequest({ number: 2, user: 'Codertocat', head: { ref: 'changes', sha: HEAD_SHA }, base: { ref: 'release/1.0', sha: baseSha } });
    if (latency) gh.onRequest(() => new Promise((r) => setTimeout(r, latency)));
    const dir = mkdtempSync(path.join(tmp, 'run-'));
    const eventPath = path.join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(payload(baseSha)));
    for (const f of ['output', 'summary.md']) writeFileSync(path.join(dir, f), '');
    mkdirSync(path.join(dir, 'runner-temp'));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: ws,
      GITHUB_OUTPUT: path.join(dir, 'output'),
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_SHA: 'd'.repeat(40),
      GITHUB_RUN_ID: '1',
      RUNNER_TEMP: path.join(dir, 'runner-temp'),
      'INPUT_GITHUB-TOKEN': 'bench-token',
      INPUT_MANIFESTS: 'services/*/lastmile.yml',
      ...(mode === 'api' ? { LASTMILE_BASE_READS: 'api' } : {}),
    };
    const t0 = process.hrtime.bigint();
    const { code, stdout } = await new Promise((resolve) => {
      const child = spawn(process.execPath, [action], { cwd: ws, env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d.toString()));
      child.on('close', (c) => resolve({ code: c, stdout: out }));
    });
    const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
    const verdict = /^verdict<<(.+)\n(.*)\n/m.exec(readFileSync(path.join(dir, 'output'), 'utf8'))?.[2];
    if (code !== 0 || verdict !== 'pass') throw new Error(`the ${mode} run did not pass (exit ${code}, verdict ${verdict}):\n${stdout.slice(-3000)}`);
    const said = mode === 'api' ? 'read through the API' : 'read from git by object id';
    if (!stdout.includes(said)) throw new Error(`the ${mode} run did not say "${said}"`);
    if (gh.violations.length > 0) throw new Error(`the fake API saw requests GitHub does not serve: ${JSON.stringify(gh.violations.slice(0, 3))}`);
    const graphqlFiles = gh.requests.filter((q) => q.operationId === 'graphql' && /\brepository\s*\(/.test(String(q.body?.query ?? ''))).length;
    const contents = gh.requests.filter((q) => q.operationId === 'repos/get-content').length;
    const trees = gh.requests.filter((q) => q.operationId === 'git/get-tree').length;
    return { ms, requests: gh.requests.length, baseReads: graphqlFiles + contents + trees, split: `${trees} tree listing(s), ${graphqlFiles} GraphQL file queries, ${contents} contents requests` };
  } finally {
    await gh.close();
  }
}

export async function benchApi(log = console.log) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'last-mile-bench-api-'));
  try {
    log('building the action and the fake GitHub API…');
    const action = build('src/action/index.ts', path.join(tmp, 'action'));
    const server = build('test/support/github-server.ts', path.join(tmp, 'server'));
    const { startGitHubServer } = await import(pathToFileURL(server).href);
    const specFile = path.join(root, 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');
    const common = { action, startGitHubServer, specFile, tmp };

    const files150 = monorepo(150);
    const ws150 = path.join(tmp, 'ws-150');
    const base150 = workspace(ws150, files150);
    const git150 = await runOnce({ ...common, files: files150, ws: ws150, baseSha: base150, mode: 'git' });
    const api150 = await runOnce({ ...common, files: files150, ws: ws150, baseSha: base150, mode: 'api' });
    log(`requests, 150 ready systems: ${git150.requests} with the base read from git vs ${api150.requests} with API-only reads (base reads: ${api150.split})`);

    const files500 = monorepo(500);
    const ws500 = path.join(tmp, 'ws-500');
    const base500 = workspace(ws500, files500);
    const git500 = await runOnce({ ...common, files: files500, ws: ws500, baseSha: base500, mode: 'git', latency: LATENCY_MS });
    const api500 = await runOnce({ ...common, files: files500, ws: ws500, baseSha: base500, mode: 'api', latency: LATENCY_MS });
    log(`wall time, 500 ready systems, ${LATENCY_MS} ms per request: ${git500.ms} ms with the base read from git (${git500.requests} requests) vs ${api500.ms} ms with API-only reads (${api500.requests} requests; base reads: ${api500.split})`);
    return {
      requests_150_systems: git150.requests,
      requests_150_systems_api: api150.requests,
      base_reads_150_systems_api: api150.baseReads,
      wall_500_systems_ms: git500.ms,
      wall_500_systems_api_ms: api500.ms,
      requests_500_systems: git500.requests,
      requests_500_systems_api: api500.requests,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchApi()));
}
