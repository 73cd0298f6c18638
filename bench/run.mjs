// Builds bench/main.ts with ncc into a temporary folder and runs it: `npm run bench -- --mb 1024`.
// Transpile only: types are checked by `npm run typecheck` (tsconfig covers bench/), not here.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const out = mkdtempSync(path.join(tmpdir(), 'last-mile-bench-build-'));
try {
  execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', 'bench/main.ts', '-o', out, '-q', '--transpile-only'], { stdio: 'inherit' });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  // main.ts's lines go out as they come but its last (the JSON of every figure), which waits for
  // bench/api.mjs (request counts and wall time of the two base read paths), bench/board.mjs and
  // bench/startup.mjs to join it.
  const child = spawn(process.execPath, [path.join(out, 'index.js'), '--root', process.cwd(), ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });
  const closed = new Promise((resolve) => child.on('close', resolve));
  let last;
  for await (const line of createInterface({ input: child.stdout })) {
    if (last !== undefined) console.log(last);
    last = line;
  }
  const status = await closed;
  const api = status === 0 ? await (await import('./api.mjs')).benchApi() : {};
  // The readiness board at scale (issue 18): board_200_repos_ms and requests per repository.
  const board = status === 0 ? await (await import('./board.mjs')).benchBoard() : {};
  // Start-up against a control action built with @actions/core and @actions/github, in the same
  // run (bench/startup.mjs): its startup_ms and bare_node_ms replace main.ts's.
  const startup = status === 0 ? await (await import('./startup.mjs')).benchStartup() : {};
  if (last !== undefined) console.log(status === 0 ? JSON.stringify({ ...JSON.parse(last), ...api, ...board, ...startup }) : last);
  process.exitCode = status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
