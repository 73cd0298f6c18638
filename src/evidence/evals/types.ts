/**
 * The one internal shape every eval-result adapter produces (SPEC §4).
 *
 * Every adapter (`src/evidence/evals/formats/*.ts`) maps its tool's output to an {@link EvalResult}; the
 * gates (`src/core/gates/eval/*`) read only this shape. Adapters never throw for bad input: they return
 * `{ ok: false, error }` naming the file (and line where one can be computed).
 */

/** The eval formats a manifest may declare (`evals[].format`). */
export type EvalFormat = 'lastmile' | 'samples' | 'promptfoo' | 'lm-eval' | 'inspect' | 'deepeval';

/** Every format, in SPEC order. */
export const EVAL_FORMATS: readonly EvalFormat[] = ['lastmile', 'samples', 'promptfoo', 'lm-eval', 'inspect', 'deepeval'];

/**
 * How a metric's uncertainty may be computed.
 * - `proportion`: a share of successes; with `n` and `successes` the Wilson interval applies.
 * - `mean`: a mean (or any other statistic); with `stderr` the normal interval applies.
 * - `percentile`: a latency percentile; compared as a point estimate (no interval).
 */
export type MetricKind = 'proportion' | 'mean' | 'percentile';

export interface Metric {
  /** The name a manifest uses for it (`evals[].metrics` key). */
  name: string;
  /**
   * The point estimate. May be NaN or ±Infinity where the tool itself wrote a non-finite value
   * (lm-eval, inspect): the adapter keeps it (with a warning) so that the gate fails closed on it.
   */
  value: number;
  /** Number of samples (test cases, documents) the value is computed over, where known. */
  n?: number;
  /**
   * Where `n` is unknown, an upper bound on it that the file records (lm-eval 0.3's
   * `config.limit`): enough to know that min_samples is not met, and to use t rather than z.
   */
  nAtMost?: number;
  /** For proportions: how many of the `n` succeeded (an integer). */
  successes?: number;
  /** Standard error of `value`, where the tool recorded or we computed one (finite, ≥ 0). */
  stderr?: number;
  kind: MetricKind;
  /** The metric's possible range where known (e.g. [0, 1] for a proportion); bounds are clamped to it. */
  range?: [number, number];
  /** Whether higher is better, where the format records it (lm-eval `higher_is_better`). */
  higherIsBetter?: boolean;
  /**
   * Errored results (promptfoo `failureReason` 2, inspect samples with an error, DeepEval metrics
   * that errored) ALREADY counted in `n`, `successes`, `value` and `stderr` as the worse outcome
   * (SPEC §5.1: a failure for a `min` metric, a hit for a `max` metric). For display only: the
   * estimate needs no further adjustment.
   */
  errors?: number;
  /**
   * Errored results NOT yet counted, because the adapter could not tell which outcome is worse
   * (a metric of unknown direction, or one without a known worst value). `foldErrors` (stats.ts)
   * counts them once the gate knows the direction; `metricInterval` without a direction is
   * `inconclusive` while any remain.
   */
  unfoldedErrors?: number;
}

/** The metrics of one slice: the samples whose field `field` has the value `value`. */
export interface SliceMetrics {
  field: string;
  value: string;
  /** Samples (lines, results) in this slice. */
  count: number;
  metrics: Record<string, Metric>;
}

export type EvalStatus = 'complete' | 'partial' | 'inconclusive';

export interface EvalResult {
  format: EvalFormat;
  /** Display path, as given by the caller. */
  file: string;
  /** Keyed by the metric names of SPEC §4's table. */
  metrics: Record<string, Metric>;
  slices: SliceMetrics[];
  /**
   * Slice fields whose distinct values exceeded the cap, so that some of their slices were not
   * computed: a slices gate should not call them complete.
   */
  truncatedSliceFields?: string[];
  /** The model under test, as the file names it. */
  model?: { name?: string; version?: string };
  /** Distinct model versions named in the file (samples: every distinct `model_version`). */
  modelVersions?: string[];
  /** A commit the file names (lm-eval `git_hash`, inspect `eval.revision.commit`, lastmile `commit`). */
  commit?: string;
  /** ISO 8601 (UTC), the OLDEST timestamp where a file has several. */
  createdAt?: string;
  /** False where the file records no model version (promptfoo and DeepEval never do). */
  versionRecorded: boolean;
  /** False where the file records no timestamp (DeepEval never does). */
  timeRecorded: boolean;
  /**
   * `complete` (the run finished), `partial` (cancelled / errored part-way: the metrics cover only
   * what ran), `inconclusive` (nothing usable was scored: a gate must not read any metric as 0).
   */
  status: EvalStatus;
  /** Why the status is not `complete`, e.g. "cancelled after 3 of 100 samples". */
  statusReason?: string;
  /**
   * Results (tests, samples) that errored. They are counted in each metric's `n` as the worse
   * outcome (`Metric.errors`), or wait in `Metric.unfoldedErrors` where the adapter could not tell
   * which outcome is worse (SPEC §5.1).
   */
  errored?: number;
  /** Things a reader should know (mixed providers, non-finite metrics, …). */
  warnings: string[];
}

export interface EvalError {
  /** Display path, as given by the caller. */
  file: string;
  /** 1-based line, where known (always for JSONL; for JSON syntax errors and most schema errors). */
  line?: number;
  /** 1-based column, where known. */
  column?: number;
  message: string;
}

export type EvalLoad = { ok: true; result: EvalResult } | { ok: false; error: EvalError };

/** Options an adapter takes from the manifest. */
export interface EvalOptions {
  /** Slice fields the manifest asks for (`evals[].slices`). Without it, `samples` computes every field. */
  slices?: string[];
}
