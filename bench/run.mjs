// Builds bench/main.ts with ncc into a temporary folder and runs it: `npm run bench -- --mb 1024`.
// Transpile only: types are checked by `npm run typecheck` (tsconfig covers bench/), not here.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const out = mkdtempSync(path.join(tmpdir(), 'last-mile-bench-build-'));
try {
  execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', 'bench/main.ts', '-o', out, '-q', '--transpile-only'], { stdio: 'inherit' });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  const r = spawnSync(process.execPath, [path.join(out, 'index.js'), '--root', process.cwd(), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
