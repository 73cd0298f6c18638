// Factories for eval results in the one internal shape (src/evidence/evals/types.ts).
import type { EvalLoad, EvalResult, Metric, SliceMetrics } from '../../src/evidence/evals/types';

/** A proportion with its successes and n (Wilson interval applies). */
export function prop(successes: number, n: number, name = 'accuracy'): Metric {
  return { name, value: successes / n, n, successes, kind: 'proportion', range: [0, 1] };
}

/** A mean with an optional stderr and n. */
export function mean(value: number, extra: Partial<Metric> = {}, name = 'score'): Metric {
  return { name, value, kind: 'mean', ...extra };
}

export function latency(value: number, n: number, name = 'latency_p95_ms'): Metric {
  return { name, value, n, kind: 'percentile', higherIsBetter: false };
}

export function slice(field: string, value: string, count: number, metrics: Record<string, Metric>): SliceMetrics {
  return { field, value, count, metrics };
}

export function evalResult(over: Partial<EvalResult> = {}): EvalResult {
  return {
    format: 'samples',
    file: 'evals/prod-sample.jsonl',
    metrics: { accuracy: prop(920, 1000) },
    slices: [],
    modelVersions: ['2026-11-01'],
    createdAt: '2026-11-15T00:00:00Z',
    versionRecorded: true,
    timeRecorded: true,
    status: 'complete',
    warnings: [],
    ...over,
  };
}

export function okLoad(over: Partial<EvalResult> = {}): EvalLoad {
  return { ok: true, result: evalResult(over) };
}

export function errLoad(file: string, message: string, line?: number): EvalLoad {
  return { ok: false, error: { file, message, ...(line !== undefined ? { line } : {}) } };
}

/** Results for the two evals of SPEC §2's manifest that pass every eval gate of SPEC §3's policy. */
export function goodEvals(): Record<string, EvalLoad> {
  return {
    curated: okLoad({
      format: 'promptfoo',
      file: 'evals/curated.json',
      metrics: { accuracy: prop(940, 1000) },
      modelVersions: undefined,
      versionRecorded: false,
      createdAt: '2026-11-14T09:00:00Z',
    }),
    'production-sample': okLoad({
      format: 'samples',
      file: 'evals/prod-sample.jsonl',
      metrics: { accuracy: prop(920, 1000) },
      slices: [
        slice('language', 'en', 700, { accuracy: prop(651, 700) }),
        slice('language', 'pt', 300, { accuracy: prop(269, 300) }),
        slice('channel', 'email', 500, { accuracy: prop(460, 500) }),
        slice('channel', 'chat', 500, { accuracy: prop(460, 500) }),
      ],
    }),
  };
}
