// `npm test`: runs vitest with its JSON reporter next to the default one, then prints
// "N passed, M failed" from the JSON (CI reads that line, not vitest's own summary).
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = process.env.LASTMILE_VITEST_JSON ?? join(tmpdir(), `last-mile-vitest-${process.pid}.json`);
const vitest = 'node_modules/vitest/vitest.mjs';
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
const summary = spawnSync(process.execPath, ['scripts/test-summary.mjs', out], { stdio: 'inherit' });
process.exit(run.status === 0 && summary.status === 0 ? 0 : 1);
