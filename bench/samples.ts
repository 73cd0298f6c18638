/**
 * Benchmark of the streaming `samples` adapter against a same-run baseline: plain Node reading the
 * same file, splitting it into lines and `JSON.parse`-ing each (no aggregation). Targets: the
 * adapter reaches ≥ 0.7 × the baseline's throughput, and its peak RSS stays ≤ 100 MB on a 1 GB
 * file (memory must not grow with the file).
 *
 * Not wired into package.json; call `generateSamples` then `benchSamples` from a runner. RSS is
 * sampled every 10 ms during each run; run with `--expose-gc` for cleaner numbers between runs.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { loadEvalFile } from '../src/evals/load';

export interface SamplesBench {
  file_mb: number;
  lines: number;
  samples_mb_per_s: number;
  baseline_mb_per_s: number;
  /** samples_mb_per_s / baseline_mb_per_s; target ≥ 0.7. */
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
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
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

/**
 * Runs the adapter (with two requested slice fields, as a manifest would) and the baseline on
 * `file`, alternating, `rounds` times each; reports the best time of each (the machine's noise
 * only ever slows a run down) and the highest peak RSS of each.
 */
export async function benchSamples(file: string, rounds = 3): Promise<SamplesBench> {
  const { size } = await stat(file);
  const mb = size / 1048576;
  let oursBest = Infinity;
  let baseBest = Infinity;
  let oursPeak = 0;
  let basePeak = 0;
  let lines = 0;
  let accuracy = NaN;
  for (let r = 0; r < rounds; r++) {
    const ours = await measure(() => loadEvalFile(file, 'samples', file, { slices: ['language', 'channel'] }));
    if (!ours.value.ok) throw new Error(`the samples adapter failed: ${ours.value.error.message}`);
    accuracy = ours.value.result.metrics['accuracy']?.value ?? NaN;
    oursBest = Math.min(oursBest, ours.seconds);
    oursPeak = Math.max(oursPeak, ours.peakRssMb);
    const base = await measure(() => baseline(file));
    lines = base.value;
    baseBest = Math.min(baseBest, base.seconds);
    basePeak = Math.max(basePeak, base.peakRssMb);
  }
  const samplesRate = mb / oursBest;
  const baselineRate = mb / baseBest;
  return {
    file_mb: Math.round(mb * 10) / 10,
    lines,
    samples_mb_per_s: Math.round(samplesRate * 10) / 10,
    baseline_mb_per_s: Math.round(baselineRate * 10) / 10,
    ratio: Math.round((samplesRate / baselineRate) * 100) / 100,
    samples_seconds: Math.round(oursBest * 100) / 100,
    baseline_seconds: Math.round(baseBest * 100) / 100,
    samples_peak_rss_mb: Math.round(oursPeak),
    baseline_peak_rss_mb: Math.round(basePeak),
    accuracy,
  };
}
