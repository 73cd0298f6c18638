/** Small helpers shared by the adapters. Pure. */
import type { EvalError, EvalLoad, Metric } from './types';

export type JsonObject = { [key: string]: unknown };

export function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A record without a prototype, so that keys such as `__proto__` taken from a file are plain keys. */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function fail(file: string, message: string, line?: number, column?: number): EvalLoad {
  const error: EvalError = { file, message };
  if (line !== undefined) error.line = line;
  if (column !== undefined) error.column = column;
  return { ok: false, error };
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

export function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function nonNegInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** Parses an ISO 8601 date-time (or date) string; returns epoch milliseconds, or undefined. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  // Date.parse accepts many non-ISO forms; require an ISO-looking shape first.
  if (!/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/.test(v.trim())) return undefined;
  const t = Date.parse(v.trim());
  return Number.isFinite(t) ? t : undefined;
}

/** The oldest of some epoch-millisecond times, as an ISO 8601 UTC string. */
export function oldestIso(times: (number | undefined)[]): string | undefined {
  let min: number | undefined;
  for (const t of times) if (t !== undefined && (min === undefined || t < min)) min = t;
  return min === undefined ? undefined : new Date(min).toISOString();
}

/** Mean and standard error (sample sd / √n; absent for n < 2) of some values. */
export function meanMetric(name: string, values: number[]): Metric {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  let k = 0;
  for (const x of values) {
    k++;
    const d = x - mean;
    mean += d / k;
    m2 += d * (x - mean);
  }
  const m: Metric = { name, value: n === 0 ? NaN : mean, n, kind: 'mean' };
  if (n >= 2) m.stderr = Math.sqrt(m2 / (n - 1) / n);
  return m;
}

export function proportionMetric(name: string, successes: number, n: number): Metric {
  return { name, value: n === 0 ? NaN : successes / n, n, successes, kind: 'proportion', range: [0, 1] };
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
