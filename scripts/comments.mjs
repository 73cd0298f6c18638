#!/usr/bin/env node
// Regenerates docs/comments/ from pull request runs of dist/index.js against the test server
// (test/e2e/docs-comments.test.ts). LASTMILE_E2E_DIST runs another build of the action.
// Then `node scripts/screenshots.mjs` renders them as GitHub would. Not run in CI.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/e2e/docs-comments.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LASTMILE_UPDATE_DOCS: '1' },
});
process.exit(r.status ?? 1);
