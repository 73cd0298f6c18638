// `npm run demo`: runs the bundled CLI on the example system for its staging branch (main)
// and for a release branch. It is ready for staging, not for production.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'dist', 'cli', 'index.js');
const cwd = path.join(here, 'support-triage');
// The example's eval results are dated; evaluate as of a fixed day so the demo does not rot.
const asOf = '2026-11-25';
let ok = true;
for (const [branch, expected] of [['main', 0], ['release/1.0', 1]]) {
  console.log(`\n$ last-mile check --cwd examples/support-triage --branch ${branch} --now ${asOf}\n`);
  const r = spawnSync(process.execPath, [cli, 'check', '--cwd', cwd, '--branch', branch, '--now', asOf], { stdio: 'inherit' });
  console.log(`exit code ${r.status} (expected ${expected})`);
  if (r.status !== expected) ok = false;
}
process.exit(ok ? 0 : 1);
