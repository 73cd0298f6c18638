// Shared by the benchmarks that run the built action or CLI against the fake GitHub API
// (bench/api.mjs, bench/board.mjs): an ncc build of an entry, and the example's ready system.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

/** Builds `entry` (transpile only) into `out` as an ES module; returns the bundle's path. */
export function build(entry, out) {
  execFileSync(process.execPath, [ncc, 'build', path.join(root, entry), '-o', out, '-q', '--transpile-only'], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  return path.join(out, 'index.js');
}

/** The example's ready system under `dir`, with its own id (as test/e2e/harness.ts readySystem). */
export function readySystem(dir, id) {
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
