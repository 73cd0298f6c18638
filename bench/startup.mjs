// Start-up of the action against a control, in the same run (issue 15): Last Mile's dist/index.js
// on a no-op run vs the smallest action built the usual way (bench/control/index.js: an input, an
// octokit, the run's context, an output and a log line with @actions/core and @actions/github),
// bundled with the same ncc settings as dist/index.js (scripts/build.mjs). Target: Last Mile's
// start-up within 1.6 × the control's.
//
// Both run in the environment bench/main.ts used for its start-up figure: a workflow_dispatch on
// an empty workspace, so that Last Mile finds no manifest, needs no API and makes no request
// (GITHUB_API_URL points at a closed port all the same). Runs alternate (Last Mile, control,
// bare node, in a rotating order) so that the three share the machine's noise; figures are medians.
//
// - startup_ms / control_startup_ms / bare_node_ms: wall time of the process, spawn to exit.
// - startup_ratio: startup_ms / control_startup_ms; startup_target_met: that ratio ≤ 1.6.
//
// `node bench/startup.mjs [--runs 15] [--action path/to/index.js]` prints one human line, then one
// JSON object (the last line). `npm run bench` runs it and merges the figures into its JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 1.6;

/** bench/control/index.js bundled as scripts/build.mjs bundles the action; returns its path. */
function buildControl(out) {
  const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  const entry = path.join(root, 'bench', 'control', 'index.js');
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--minify', '--no-source-map-register', '--license', 'licenses.txt', '-q'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return path.join(out, 'index.js');
}

/** The no-op run's environment (as bench/main.ts's start-up figure): no request to make. */
function noopEnv(dir) {
  const ws = path.join(dir, 'ws');
  mkdirSync(ws);
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ repository: { name: 'r', owner: { login: 'o' }, default_branch: 'main' } }));
  writeFileSync(path.join(dir, 'out'), '');
  return {
    PATH: process.env.PATH,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: event,
    GITHUB_WORKSPACE: ws,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_REF_NAME: 'feature/x',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: path.join(dir, 'out'),
    'INPUT_GITHUB-TOKEN': 'x',
    'INPUT_CHECK-NAME': '',
  };
}

/** Wall time of one run in ms; a failure or a run past 30 s (a network retry) stops the benchmark. */
function timeRun(args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: 'ignore', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw new Error(`node ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Medians of `runs` interleaved runs (after `warmups` of each) of the action, the control and
 * bare node. `action` defaults to the committed dist/index.js.
 */
export async function benchStartup({ runs = 15, warmups = 2, action = path.join(root, 'dist', 'index.js'), log = console.log } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'last-mile-startup-'));
  try {
    const control = buildControl(path.join(dir, 'control'));
    const env = noopEnv(dir);
    const subjects = [
      { name: 'action', args: [action], times: [] },
      { name: 'control', args: [control], times: [] },
      { name: 'bare', args: ['-e', ''], times: [] },
    ];
    for (let i = 0; i < warmups; i++) for (const s of subjects) timeRun(s.args, env);
    for (let i = 0; i < runs; i++) {
      // A rotating order: none of the three always runs right after another.
      for (let j = 0; j < subjects.length; j++) {
        const s = subjects[(i + j) % subjects.length];
        s.times.push(timeRun(s.args, env));
      }
    }
    const [startup, controlMs, bare] = subjects.map((s) => median(s.times));
    const ratio = Math.round((startup / controlMs) * 100) / 100;
    const kb = (file) => Math.round(statSync(file).size / 1024);
    log(
      `start-up: ${Math.round(startup)} ms vs control (@actions/core + @actions/github) ${Math.round(controlMs)} ms, ratio ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}); ` +
        `bare node ${Math.round(bare)} ms (median of ${runs}); bundles ${kb(action)} KB vs ${kb(control)} KB`,
    );
    return {
      startup_ms: Math.round(startup),
      control_startup_ms: Math.round(controlMs),
      bare_node_ms: Math.round(bare),
      startup_ratio: ratio,
      startup_target_met: startup / controlMs <= TARGET_RATIO,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, action: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive integer, got ${values.runs}`);
  console.log(JSON.stringify(await benchStartup({ runs, ...(values.action ? { action: path.resolve(values.action) } : {}) })));
}
