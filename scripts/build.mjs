// Bundles the action and the CLI with ncc. ncc builds are deterministic, so CI compares
// the committed dist/ with a fresh build byte for byte.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js';
rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of [
  ['src/action/index.ts', 'dist'],
  ['src/cli/index.ts', 'dist/cli'],
]) {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--minify', '--no-source-map-register', '--license', 'licenses.txt', '-q'], {
    stdio: 'inherit',
  });
}
