/**
 * Reads one line of a `samples` JSONL file (SPEC §4) into the sample it holds: the line parsed as
 * a JSON object and its reserved keys checked (`correct` boolean, `score` number in [0, 1],
 * `latency_ms` number ≥ 0, `created_at` ISO 8601, `model_version` string; `null` counts as
 * absent), or the reason the line makes the file invalid. `JSON.parse` reads the line; only a line
 * it rejects goes through the JSON scanner, for the position and wording of the error. Pure.
 */
import { scanJson } from '../json-scanner';
import { parseTime } from '../util';

/** One sample: the line's object and its reserved keys, checked. */
export interface Sample {
  object: Record<string, unknown>;
  correct: boolean | undefined;
  score: number | undefined;
  latency: number | undefined;
  /** `created_at` in milliseconds since the epoch. */
  createdAt: number | undefined;
  /** `model_version`, a number written as a string. */
  modelVersion: string | undefined;
}

/** Why a line makes the file invalid; `column` (1-based) where the JSON breaks. */
export interface LineError {
  error: string;
  column?: number;
}

/**
 * Reads line `lineNo` (without its newline): undefined for a blank line, else the sample or the
 * error. `first`: no sample came before it (a lone `{` or `[` then reads as pretty-printed JSON).
 */
export function readSampleLine(raw: string, lineNo: number, first: boolean): Sample | LineError | undefined {
  let text = raw;
  if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return undefined;

  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    const scan = scanJson(text);
    const message = scan ? scan.message : e instanceof Error ? e.message : String(e);
    const hint = first && /^\s*[[{]\s*$/.test(text) ? ' (this looks like pretty-printed JSON; samples must be JSONL, one object per line)' : '';
    const out: LineError = { error: `line ${lineNo} is not valid JSON: ${message}${hint}` };
    if (scan) out.column = scan.offset + 1;
    return out;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return { error: `line ${lineNo} is not a JSON object (each line must be one sample, e.g. {"correct": true})` };
  }
  const o = obj as Record<string, unknown>;

  // Reserved keys are read by name: lines share a shape, so these reads are cheap.
  let correct: boolean | undefined;
  let score: number | undefined;
  let latency: number | undefined;
  let createdAt: number | undefined;
  let modelVersion: string | undefined;
  const c = o['correct'];
  if (c !== undefined && c !== null) {
    if (typeof c !== 'boolean') return { error: `line ${lineNo}: "correct" must be true or false, found ${show(c)}` };
    correct = c;
  }
  const sc = o['score'];
  if (sc !== undefined && sc !== null) {
    if (typeof sc !== 'number' || !(sc >= 0 && sc <= 1)) return { error: `line ${lineNo}: "score" must be a number from 0 to 1, found ${show(sc)}` };
    score = sc;
  }
  const lat = o['latency_ms'];
  if (lat !== undefined && lat !== null) {
    if (typeof lat !== 'number' || !(lat >= 0) || lat === Infinity) return { error: `line ${lineNo}: "latency_ms" must be a number ≥ 0, found ${show(lat)}` };
    latency = lat;
  }
  const ca = o['created_at'];
  if (ca !== undefined && ca !== null) {
    createdAt = parseTime(ca);
    if (createdAt === undefined) return { error: `line ${lineNo}: "created_at" must be an ISO 8601 date-time, found ${show(ca)}` };
  }
  const mv = o['model_version'];
  if (mv !== undefined && mv !== null) {
    if (typeof mv !== 'string' && typeof mv !== 'number') return { error: `line ${lineNo}: "model_version" must be a string, found ${show(mv)}` };
    modelVersion = typeof mv === 'string' ? mv : String(mv);
  }
  return { object: o, correct, score, latency, createdAt, modelVersion };
}

/** A value as an error message quotes it: strings cut at 40 characters, containers by kind. */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}
