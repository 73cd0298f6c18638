// `npm run bench`: each figure next to a baseline measured in the same run. The last line is
// one JSON object with every figure. `npm run bench -- --only sim` runs the statistical simulation
// alone (bench/sim.ts); `--replicates`, `--seed` and `--no-table` tune it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SamplesRun } from './samples';
import type { SimReport } from './sim';

const args = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    runs: { type: 'string', default: '11' },
    rounds: { type: 'string', default: '5' },
    root: { type: 'string', default: process.cwd() },
    only: { type: 'string' },
    replicates: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20261120' },
    'no-table': { type: 'boolean', default: false },
    // Internal: the simulation, in a fresh process of its own.
    'sim-run': { type: 'boolean', default: false },
    // Internal: one measured samples run, in the fresh process main() starts for it.
    'samples-run': { type: 'string' },
    which: { type: 'string' },
  },
}).values;
const root = path.resolve(args.root ?? '.');

/** The statistical simulation (bench/sim.ts) in a fresh process; its human lines pass through. */
function spawnSim(): SimReport {
  const child = spawnSync(
    process.execPath,
    [process.argv[1]!, '--sim-run', '--replicates', args.replicates!, '--seed', args.seed!, ...(args['no-table'] ? ['--no-table'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`the simulation failed (exit ${child.status})`);
  const lines = child.stdout.trim().split('\n');
  for (const line of lines.slice(0, -1)) console.log(line);
  return JSON.parse(lines[lines.length - 1]!) as SimReport;
}

async function main(): Promise<void> {
  if (args.only === 'sim') {
    const sim = spawnSim();
    console.log(JSON.stringify(sim));
    if (!sim.sim_targets_met) process.exitCode = 1;
    return;
  }
  if (args.only !== undefined) throw new Error(`--only takes "sim", got ${args.only}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'last-mile-bench-'));
  try {
    // 1. Streaming samples adapter vs plain read + split + JSON.parse.
    const { benchSamples, generateSamples } = await import('./samples');
    const mb = Number(args.mb);
    const file = path.join(dir, 'samples.jsonl');
    console.log(`generating ${mb} MB of samples JSONL…`);
    await generateSamples(file, mb);
    // Each run in a fresh process that loads only the eval adapters (this file imports the rest
    // lazily), so that a peak RSS is that run's: not the generator's, this harness's, or an
    // earlier run's grown heap.
    const spawnRun = async (which: 'adapter' | 'baseline'): Promise<SamplesRun> => {
      const child = spawnSync(process.execPath, [process.argv[1]!, '--samples-run', file, '--which', which], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      if (child.status !== 0) throw new Error(`the samples benchmark (${which}) failed: ${child.stderr}`);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as SamplesRun;
    };
    const samples = await benchSamples(file, spawnRun, Number(args.rounds));
    console.log(`samples: ${samples.samples_mb_per_s} MB/s vs baseline ${samples.baseline_mb_per_s} MB/s (ratio ${samples.ratio}); peak RSS ${samples.samples_peak_rss_mb} MB (baseline ${samples.baseline_peak_rss_mb} MB)`);
    rmSync(file);

    // 2. Start-up is measured by bench/startup.mjs against a control action in the same run;
    // here only the bundle's size.
    const bundleKb = Math.round(statSync(path.join(root, 'dist', 'index.js')).size / 1024);
    console.log(`bundle: ${bundleKb} KB`);

    // 3. AI inventory on a synthetic monorepo of 100,000 tracked files.
    const { benchInventory } = await import('../src/evidence/inventory/synthetic');
    const inv = benchInventory(100_000, 3);
    const inventoryMs = Math.round(inv.ms);
    console.log(`inventory: ${inventoryMs} ms for ${inv.n} files (${inv.findings.length} findings)`);

    // 4. Scale: 500 manifests in one monorepo, 10,000 sign-off records.
    const { benchScale } = await import('./scale');
    const scale = await benchScale((line) => console.log(line));

    // 5. Statistics: a seeded simulation of the standard manifest through the real eval gates.
    const sim = spawnSim();

    console.log(
      JSON.stringify({
        file_mb: samples.file_mb,
        samples_mb_per_s: samples.samples_mb_per_s,
        baseline_mb_per_s: samples.baseline_mb_per_s,
        ratio: samples.ratio,
        peak_rss_mb: samples.samples_peak_rss_mb,
        baseline_peak_rss_mb: samples.baseline_peak_rss_mb,
        bundle_kb: bundleKb,
        inventory_ms_100k: inventoryMs,
        manifests_500_ms: scale.manifests_500_ms,
        manifests_500_rss_mb: scale.manifests_500_rss_mb,
        signoffs_10k_ms: scale.signoffs_10k_ms,
        ...sim,
      }),
    );
    if (!sim.sim_targets_met) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args['sim-run']) {
  const { runSimulation } = await import('./sim');
  const report = runSimulation(Number(args.replicates), Number(args.seed), !args['no-table'], (line) => console.log(line));
  console.log(JSON.stringify(report));
} else if (args['samples-run']) {
  const { runSamples } = await import('./samples');
  console.log(JSON.stringify(await runSamples(args['samples-run'], args.which === 'baseline' ? 'baseline' : 'adapter')));
} else {
  await main();
}
