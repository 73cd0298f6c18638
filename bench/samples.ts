/**
 * Benchmark of the streaming `samples` adapter against a same-run baseline: plain Node reading the
 * same file, splitting it into lines and `JSON.parse`-ing each (no aggregation). Targets: the
 * adapter reaches ≥ 0.7 × the baseline's throughput, and its peak RSS stays ≤ 100 MB on a 1 GB
 * file (memory must not grow with the file).
 *
 * bench/main.ts generates the file, then runs {@link runSamples} in a fresh process per run and
 * combines the runs with {@link benchSamples}. RSS is sampled every 10 ms during each run.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { loadEvalFile } from '../src/collect/evals';
import { percentile } from '../src/evidence/evals/stats';

export interface SamplesBench {
  file_mb: number;
  lines: number;
  samples_mb_per_s: number;
  baseline_mb_per_s: number;
  /** The adapter's throughput over the baseline's (median of paired rounds); target ≥ 0.7. */
  ratio: number;
  samples_seconds: number;
  baseline_seconds: number;
  /** Peak RSS observed while the adapter ran (MB); target ≤ 100 on a 1 GB file. */
  samples_peak_rss_mb: number;
  baseline_peak_rss_mb: number;
  /** The accuracy the adapter computed, as a sanity check. */
  accuracy: number;
}

const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'ja'];
const CHANNELS = ['email', 'chat', 'phone', 'web'];

/**
 * Writes about `mb` megabytes of realistic `samples` JSONL to `file` (streamed: memory stays
 * flat): id, correct, score, latency_ms, language, channel, model_version, created_at and a short
 * free-text field. Deterministic. Resolves to the number of lines written.
 */
export async function generateSamples(file: string, mb: number): Promise<number> {
  const target = mb * 1024 * 1024;
  const out = createWriteStream(file);
  let written = 0;
  let lines = 0;
  let seed = 42;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const base = Date.UTC(2026, 10, 1);
  while (written < target) {
    const chunk: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const language = LANGUAGES[Math.floor(rnd() * LANGUAGES.length)] as string;
      const line = JSON.stringify({
        id: `ticket-${lines}`,
        correct: rnd() < (language === 'pt' ? 0.78 : 0.92),
        score: Math.round(rnd() * 1000) / 1000,
        latency_ms: Math.round(200 + rnd() * rnd() * 3000),
        language,
        channel: CHANNELS[Math.floor(rnd() * CHANNELS.length)],
        model_version: '2026-11-01',
        created_at: new Date(base + lines * 1000).toISOString(),
        note: 'customer asks about invoice '.repeat(1 + Math.floor(rnd() * 3)),
      });
      chunk.push(line);
      lines++;
    }
    const text = chunk.join('\n') + '\n';
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

/** The baseline: read, split into lines, JSON.parse each. Returns the number of lines. */
async function baseline(file: string): Promise<number> {
  let lines = 0;
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8' }) as AsyncIterable<string>) {
    const s = carry + chunk;
    let start = 0;
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', start)) {
      if (i > start) {
        JSON.parse(s.slice(start, i));
        lines++;
      }
      start = i + 1;
    }
    carry = s.slice(start);
  }
  if (carry.trim() !== '') {
    JSON.parse(carry);
    lines++;
  }
  return lines;
}

async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const t0 = process.hrtime.bigint();
  try {
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds, peakRssMb: peak / 1048576 };
  } finally {
    clearInterval(timer);
  }
}

export interface SamplesRun {
  seconds: number;
  peak_rss_mb: number;
  /** The accuracy the adapter computed (adapter runs) or the number of lines parsed (baseline). */
  value: number;
}

/**
 * One measured run in this process: the adapter (with two requested slice fields, as a manifest
 * would ask) or the baseline. Meant for a fresh process per run, so that each peak RSS is that
 * run's alone: a process that has already streamed a file keeps its grown heap.
 */
export async function runSamples(file: string, which: 'adapter' | 'baseline'): Promise<SamplesRun> {
  if (which === 'baseline') {
    const r = await measure(() => baseline(file));
    return { seconds: r.seconds, peak_rss_mb: r.peakRssMb, value: r.value };
  }
  const r = await measure(() => loadEvalFile(file, 'samples', file, { slices: ['language', 'channel'] }));
  if (!r.value.ok) throw new Error(`the samples adapter failed: ${r.value.error.message}`);
  return { seconds: r.seconds, peak_rss_mb: r.peakRssMb, value: r.value.result.metrics['accuracy']?.value ?? NaN };
}

/**
 * Runs the adapter and the baseline on `file`, back to back, `rounds` times, each run in a fresh
 * process started by `spawnRun`. This machine's speed drifts by tens of percent within a minute,
 * so each round's two runs are compared with each other: `ratio` is the median of the rounds'
 * ratios, the throughputs are the medians of the runs, and the peak RSS is the highest seen.
 */
export async function benchSamples(file: string, spawnRun: (which: 'adapter' | 'baseline') => Promise<SamplesRun>, rounds = 5): Promise<SamplesBench> {
  const { size } = await stat(file);
  const mb = size / 1048576;
  const ours: number[] = [];
  const base: number[] = [];
  const ratios: number[] = [];
  let oursPeak = 0;
  let basePeak = 0;
  let lines = 0;
  let accuracy = NaN;
  for (let r = 0; r < rounds; r++) {
    const a = await spawnRun('adapter');
    const b = await spawnRun('baseline');
    accuracy = a.value;
    lines = b.value;
    ours.push(a.seconds);
    base.push(b.seconds);
    ratios.push(b.seconds / a.seconds);
    oursPeak = Math.max(oursPeak, a.peak_rss_mb);
    basePeak = Math.max(basePeak, b.peak_rss_mb);
  }
  const oursMedian = median(ours);
  const baseMedian = median(base);
  const samplesRate = mb / oursMedian;
  const baselineRate = mb / baseMedian;
  return {
    file_mb: Math.round(mb * 10) / 10,
    lines,
    samples_mb_per_s: Math.round(samplesRate * 10) / 10,
    baseline_mb_per_s: Math.round(baselineRate * 10) / 10,
    ratio: Math.round(median(ratios) * 100) / 100,
    samples_seconds: Math.round(oursMedian * 100) / 100,
    baseline_seconds: Math.round(baseMedian * 100) / 100,
    samples_peak_rss_mb: Math.round(oursPeak),
    baseline_peak_rss_mb: Math.round(basePeak),
    accuracy,
  };
}

/** The median of some figures (the middle one, or the mean of the middle two). */
function median(xs: readonly number[]): number {
  return percentile(Float64Array.from(xs).sort(), 0.5) ?? NaN;
}
