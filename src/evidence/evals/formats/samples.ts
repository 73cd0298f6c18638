/**
 * `samples`: JSONL, one scored sample per line (SPEC §4), aggregated incrementally so that memory
 * does not grow with the number of lines. samples-line.ts reads and checks each line; this module
 * aggregates the samples into the metrics of the whole file and of each slice.
 *
 * Reserved keys: `correct` (boolean), `score` (number in [0, 1]), `latency_ms` (number ≥ 0), `id`,
 * `model_version`, `created_at` (ISO 8601). A reserved key whose value is `null` counts as absent.
 * Every other top-level string, number or boolean field is a slice field.
 *
 * Metrics (for the whole file and for each slice): `accuracy` (share of lines with `correct: true`
 * among lines that have `correct`; proportion with n and successes), `score` (mean of `score`, with
 * n and stderr = sd/√n), `latency_p50_ms` and `latency_p95_ms` (percentiles with n; exact up to
 * 4,096 values (1,000 per slice), then within a relative error of 0.5 %, see
 * {@link QuantileSketch}).
 *
 * What it cannot prove: that ids are unique (that would take memory growing with the file), that
 * the lines are a fair sample of production, or that a slice field is categorical (without
 * requested slice fields, a field with more than 1,000 distinct values, or a value longer than 256
 * characters, is taken not to be one and is dropped with a warning).
 */
import { QuantileSketch } from '../quantiles';
import { sniffFormat, wrongFormatGuess } from '../sniff';
import type { EvalError, EvalFormat, EvalLoad, EvalOptions, Metric, SliceMetrics } from '../types';
import { proportionMetric, record } from '../util';
import { readSampleLine } from './samples-line';

export const RESERVED_KEYS: ReadonlySet<string> = new Set(['correct', 'score', 'latency_ms', 'id', 'model_version', 'created_at']);

export interface SamplesOptions extends EvalOptions {
  /** Most distinct values tracked per slice field (default 1,000). */
  maxSliceValues?: number;
  /** Most slice fields discovered when none are requested (default 100). */
  maxSliceFields?: number;
}

const MAX_AUTO_VALUE_LENGTH = 256;
const MAX_MODEL_VERSIONS = 100;

class Group {
  count = 0;
  correctN = 0;
  correctK = 0;
  scoreN = 0;
  // Plain sums (not Welford): scores lie in [0, 1], so the variance loses no useful precision.
  scoreSum = 0;
  scoreSumSq = 0;
  latency: QuantileSketch | undefined;

  constructor(
    private readonly exactCap: number,
    private readonly accuracy: number,
  ) {}

  add(correct: boolean | undefined, score: number | undefined, latency: number | undefined): void {
    this.count++;
    if (correct !== undefined) {
      this.correctN++;
      if (correct) this.correctK++;
    }
    if (score !== undefined) {
      this.scoreN++;
      this.scoreSum += score;
      this.scoreSumSq += score * score;
    }
    if (latency !== undefined) {
      this.latency ??= new QuantileSketch(this.exactCap, this.accuracy);
      this.latency.add(latency);
    }
  }

  metrics(): Record<string, Metric> {
    const out = record<Metric>();
    if (this.correctN > 0) out['accuracy'] = proportionMetric('accuracy', this.correctK, this.correctN);
    if (this.scoreN > 0) {
      const n = this.scoreN;
      const mean = Math.min(1, Math.max(0, this.scoreSum / n));
      const m: Metric = { name: 'score', value: mean, n, kind: 'mean', range: [0, 1] };
      if (n >= 2) m.stderr = Math.sqrt(Math.max(0, this.scoreSumSq - this.scoreSum * mean) / (n - 1) / n);
      out['score'] = m;
    }
    const lat = this.latency;
    if (lat && lat.count > 0) {
      for (const [name, q] of [
        ['latency_p50_ms', 0.5],
        ['latency_p95_ms', 0.95],
      ] as const) {
        out[name] = { name, value: lat.quantile(q) ?? NaN, n: lat.count, kind: 'percentile' };
      }
    }
    return out;
  }
}

interface FieldState {
  name: string;
  groups: Map<string, Group>;
  /** Auto-discovered field found not to be categorical: ignored from then on. */
  dropped?: string;
  /** Requested field with more distinct values than the cap. */
  truncated: boolean;
}

/**
 * Aggregates `samples` lines one at a time. Feed every physical line (without its newline) to
 * {@link line}; stop at the first error it returns; then call {@link finish}.
 */
export class SamplesAccumulator {
  private lineNo = 0;
  private samples = 0;
  private readonly whole = new Group(4096, 0.005);
  private readonly fields = new Map<string, FieldState>();
  private readonly requested: string[] | undefined;
  /** The requested, non-reserved slice fields (undefined: discover every field). */
  private readonly requestedFields: FieldState[] | undefined;
  private readonly maxValues: number;
  private readonly maxFields: number;
  private fieldsCapped = false;
  private noOutcome = 0;
  private noCreatedAt = 0;
  private noModelVersion = 0;
  private oldest: number | undefined;
  /** The newest `created_at` and its line: one in the future makes the file invalid (SPEC §6). */
  private newest = -Infinity;
  private newestLine = 0;
  private readonly versions = new Set<string>();
  private versionsCapped = false;
  private readonly otherKeys = new Set<string>();
  private readonly numericKeys = new Set<string>();
  /** What the first sample looks like, when it looks like another format's whole file. */
  private firstGuess: EvalFormat | undefined;

  constructor(
    private readonly file: string,
    opts: SamplesOptions = {},
  ) {
    this.maxValues = opts.maxSliceValues ?? 1000;
    this.maxFields = opts.maxSliceFields ?? 100;
    const req = opts.slices?.filter((s) => s.length > 0);
    if (req && req.length > 0) {
      this.requested = [...new Set(req)];
      this.requestedFields = [];
      for (const name of this.requested) {
        if (RESERVED_KEYS.has(name)) continue;
        const field: FieldState = { name, groups: new Map(), truncated: false };
        this.fields.set(name, field);
        this.requestedFields.push(field);
      }
    }
  }

  private error(message: string, column?: number): EvalError {
    const e: EvalError = { file: this.file, line: this.lineNo, message };
    if (column !== undefined) e.column = column;
    return e;
  }

  /** Adds one line; returns the error that makes the file invalid, if any. */
  line(raw: string): EvalError | undefined {
    this.lineNo++;
    const sample = readSampleLine(raw, this.lineNo, this.samples === 0);
    if (sample === undefined) return undefined;
    if ('error' in sample) return this.error(sample.error, sample.column);
    const { object: o, correct, score, latency, createdAt, modelVersion } = sample;

    if (createdAt !== undefined) {
      if (this.oldest === undefined || createdAt < this.oldest) this.oldest = createdAt;
      if (createdAt > this.newest) {
        this.newest = createdAt;
        this.newestLine = this.lineNo;
      }
    } else {
      this.noCreatedAt++;
    }
    if (modelVersion !== undefined) {
      if (!this.versions.has(modelVersion)) {
        if (this.versions.size < MAX_MODEL_VERSIONS) this.versions.add(modelVersion);
        else this.versionsCapped = true;
      }
    } else {
      this.noModelVersion++;
    }

    if (this.samples === 0) {
      this.firstGuess = sniffFormat(o);
    }
    this.samples++;
    if (correct === undefined && score === undefined && latency === undefined) {
      this.noOutcome++;
      this.noteKeys(o);
    }
    this.whole.add(correct, score, latency);

    if (this.requestedFields) {
      for (const field of this.requestedFields) {
        const v = o[field.name];
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') this.addToSlice(field, v, correct, score, latency);
      }
    } else {
      for (const key in o) {
        const v = o[key];
        if ((typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') || RESERVED_KEYS.has(key)) continue;
        let field = this.fields.get(key);
        if (field === undefined) {
          if (this.fields.size >= this.maxFields) {
            this.fieldsCapped = true;
            continue;
          }
          field = { name: key, groups: new Map(), truncated: false };
          this.fields.set(key, field);
        }
        if (field.dropped === undefined) this.addToSlice(field, v, correct, score, latency);
      }
    }
    return undefined;
  }

  private addToSlice(field: FieldState, v: string | number | boolean, correct: boolean | undefined, score: number | undefined, latency: number | undefined): void {
    const value = typeof v === 'string' ? v : String(v);
    let group = field.groups.get(value);
    if (group === undefined) {
      if (!this.requestedFields && value.length > MAX_AUTO_VALUE_LENGTH) {
        field.dropped = `a value longer than ${MAX_AUTO_VALUE_LENGTH} characters`;
        field.groups.clear();
        return;
      }
      if (field.groups.size >= this.maxValues) {
        if (!this.requestedFields) {
          field.dropped = `more than ${this.maxValues} distinct values`;
          field.groups.clear();
        } else {
          field.truncated = true;
        }
        return;
      }
      group = new Group(1000, 0.005);
      field.groups.set(value, group);
    }
    group.add(correct, score, latency);
  }

  /** Remembers a few field names of a line with nothing to measure, for the error message. */
  private noteKeys(o: Record<string, unknown>): void {
    for (const key in o) {
      if (RESERVED_KEYS.has(key)) continue;
      const v = o[key];
      if (typeof v === 'number' || typeof v === 'boolean') {
        if (this.numericKeys.size < 20) this.numericKeys.add(key);
      } else if (this.otherKeys.size < 20) {
        this.otherKeys.add(key);
      }
    }
  }

  /** The aggregated result, or the error for a file with no usable sample. */
  finish(): EvalLoad {
    const file = this.file;
    if (this.samples === 0) {
      return { ok: false, error: { file, message: this.lineNo === 0 ? 'no samples: the file is empty' : 'no samples: the file has only blank lines' } };
    }
    const w = this.whole;
    if (w.correctN === 0 && w.scoreN === 0 && !w.latency) {
      const quote = (keys: Set<string>): string => [...keys].slice(0, 8).map((k) => `"${k}"`).join(', ');
      const hint =
        this.numericKeys.size > 0
          ? `; numeric or boolean fields found: ${quote(this.numericKeys)}`
          : this.otherKeys.size > 0
            ? `; fields found: ${quote(this.otherKeys)}`
            : '';
      const reason = `no sample has "correct", "score" or "latency_ms", so there is nothing to measure${hint}`;
      const message = this.firstGuess ? wrongFormatGuess('samples', this.firstGuess, reason) : reason;
      return { ok: false, error: { file, message } };
    }
    const warnings: string[] = [];
    if (this.noOutcome > 0) warnings.push(`${this.noOutcome} of ${this.samples} samples have no "correct", "score" or "latency_ms"`);
    if (w.correctN > 0 && w.correctN < this.samples) warnings.push(`accuracy is over the ${w.correctN} of ${this.samples} samples that have "correct"`);
    if (w.scoreN > 0 && w.scoreN < this.samples) warnings.push(`score is over the ${w.scoreN} of ${this.samples} samples that have "score"`);

    const slices: SliceMetrics[] = [];
    const truncated: string[] = [];
    const dropped: string[] = [];
    const fieldNames = this.requested ?? [...this.fields.keys()];
    for (const name of fieldNames) {
      if (RESERVED_KEYS.has(name)) {
        warnings.push(`slice field "${name}" is a reserved key, not a slice field`);
        continue;
      }
      const field = this.fields.get(name);
      if (!field) continue;
      if (field.dropped !== undefined) {
        dropped.push(`"${name}" (${field.dropped})`);
        continue;
      }
      if (this.requested && field.groups.size === 0) {
        warnings.push(`slice field "${name}" is in no sample`);
        continue;
      }
      if (field.truncated) {
        truncated.push(name);
        warnings.push(`slice field "${name}" has more than ${this.maxValues} distinct values; only the first ${this.maxValues} were computed`);
      }
      const values = [...field.groups.keys()].sort();
      for (const value of values) {
        const g = field.groups.get(value) as Group;
        slices.push({ field: name, value, count: g.count, metrics: g.metrics() });
      }
    }
    if (dropped.length > 0) warnings.push(`not treated as slice fields: ${dropped.join(', ')}`);
    if (this.fieldsCapped) warnings.push(`more than ${this.maxFields} candidate slice fields; only the first ${this.maxFields} were computed`);

    const versions = [...this.versions].sort();
    if (versions.length > 0 && this.noModelVersion > 0) warnings.push(`${this.noModelVersion} of ${this.samples} samples have no "model_version"`);
    if (this.versionsCapped) warnings.push(`more than ${MAX_MODEL_VERSIONS} distinct model versions; only the first ${MAX_MODEL_VERSIONS} are listed`);
    if (this.oldest !== undefined && this.noCreatedAt > 0) warnings.push(`${this.noCreatedAt} of ${this.samples} samples have no "created_at"`);

    const result: EvalLoad = {
      ok: true,
      result: {
        format: 'samples',
        file,
        metrics: w.metrics(),
        slices,
        versionRecorded: versions.length > 0,
        timeRecorded: this.oldest !== undefined,
        status: 'complete',
        warnings,
      },
    };
    const r = result.result;
    if (truncated.length > 0) r.truncatedSliceFields = truncated;
    if (versions.length > 0) r.modelVersions = versions;
    if (versions.length === 1) r.model = { version: versions[0] as string };
    if (this.oldest !== undefined) r.createdAt = new Date(this.oldest).toISOString();
    if (this.newestLine > 0) r.newestTime = { time: new Date(this.newest).toISOString(), key: 'created_at', line: this.newestLine };
    return result;
  }
}

/** Aggregates `samples` lines from any (async) iterable of lines. Never throws for bad input. */
export async function parseSamples(
  lines: AsyncIterable<string> | Iterable<string>,
  file: string,
  opts: SamplesOptions = {},
): Promise<EvalLoad> {
  const acc = new SamplesAccumulator(file, opts);
  for await (const line of lines) {
    const err = acc.line(line);
    if (err) return { ok: false, error: err };
  }
  return acc.finish();
}

/** Aggregates `samples` JSONL held in memory (e.g. a file read from the base branch). */
export function parseSamplesText(text: string, file: string, opts: SamplesOptions = {}): EvalLoad {
  const acc = new SamplesAccumulator(file, opts);
  let start = 0;
  for (;;) {
    const idx = text.indexOf('\n', start);
    const line = idx === -1 ? text.slice(start) : text.slice(start, idx);
    if (idx !== -1 || line.length > 0) {
      const err = acc.line(line);
      if (err) return { ok: false, error: err };
    }
    if (idx === -1) break;
    start = idx + 1;
  }
  return acc.finish();
}
