/**
 * The metric catalogue (SPEC §5.1 "Direction of worse"): which known metric names are better
 * high and which are better low, and which are bounded in [0, 1].
 *
 * Why a catalogue: the direction a metric gets worse in must come from the metric, never from the
 * pull request (a PR must not be able to turn a drop in accuracy into an "improvement" by
 * declaring `max:`). The gates take the catalogue first, then the base manifest's threshold, then
 * the policy; a name the catalogue does not know returns `undefined` so that the gate can say so.
 *
 * Names are matched on their final metric part, so that every format's naming (SPEC §4) resolves:
 * `arc_easy/acc,none` (lm-eval task/metric,filter), `match/accuracy` (inspect scorer/metric),
 * `Answer Relevancy` (DeepEval, spaces and case folded).
 */
import type { Metric } from './types';

export type Direction = 'min' | 'max';

/** The final metric part of a name, lower-cased: `Task/Acc_Norm,none` → `acc_norm`. */
export function baseMetricName(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  const comma = last.indexOf(',');
  const bare = comma >= 0 ? last.slice(0, comma) : last;
  return bare.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

// Lower is better. Checked before HIGHER so that `brier_score`, `toxicity_score` or
// `mean_squared_error` are not caught by a generic `_score` / `error`-free higher rule.
const LOWER: readonly RegExp[] = [
  /^latency(_|$)/, // latency_p50_ms, latency_mean
  /_(ms|seconds|secs|sec)$/, // anything measured in time
  /(^|_)(cost|costs|price)(_|$)/,
  /(^|_)(error|errors|err)(_rate)?$/, // error_rate, error, parse_error_rate
  /(^|_)error_rate(_|$)/,
  /(^|_)(failure|fail)_rate$/,
  /^(word_|byte_)?perplexity$/,
  /^ppl$/,
  /^bits_per_byte$/,
  /(^|_)loss$/,
  /^(wer|cer|ter)$/,
  /^(mae|mse|rmse|ece|brier|brier_score)$/,
  /(^|_)(mean_absolute|mean_squared|root_mean_squared|calibration)_error$/,
  /^toxicity(_|$)/,
  /^hallucination(_|$)/,
  /^bias(_|$)/,
  /(^|_)refusal_rate$/,
];

// Throughput (`tokens_per_sec`) is better high, although it ends in a unit of time.
const PER_TIME = /(^throughput|_per_(second|seconds|sec|s|minute|min))$/;

// Higher is better.
const HIGHER: readonly RegExp[] = [
  /^accuracy(_|$)/,
  /_accuracy$/,
  /^acc(_|$)/, // acc, acc_norm, acc_mutual_info
  /^(pass_rate|success_rate|win_rate|match_rate)$/,
  /^pass@\d+$/,
  /^(f1|macro_f1|micro_f1|weighted_f1)$/,
  /^f1_/,
  /_f1$/,
  /^(exact_match|em|exact|quasi_exact_match|contains|includes)$/,
  /^(bleu|sacrebleu|chrf|chrf\+\+|meteor|bertscore|bleurt)(_|$)/,
  /^rouge/, // rouge1, rouge2, rougeL, rougeLsum, rouge1_max
  /(^|_)precision(_|$)/,
  /(^|_)recall(_|$)/,
  /^(auc|auroc|roc_auc|pr_auc|auprc|map|mrr|ndcg)(_|@|$)/,
  /^mcc$/,
  /^score$/,
  /_score$/, // f1_score, g_eval_score (lower-better *_score names are in LOWER)
  /^(faithfulness|answer_relevancy|relevancy|correctness|coherence|helpfulness|groundedness)$/,
];

/**
 * The direction a known metric gets worse in: `'min'` (higher is better: a threshold is a
 * minimum, a drop is a fall), `'max'` (lower is better: error rates, latencies, cost), or
 * `undefined` for a name the catalogue does not know (the gate then falls back to the base
 * manifest's threshold, then the policy, SPEC §5.1).
 *
 * `catalogueDirection('arc_easy/acc_norm,none')` → 'min'; `catalogueDirection('latency_p95_ms')`
 * → 'max'; `catalogueDirection('mean')` → undefined.
 */
export function catalogueDirection(name: string): Direction | undefined {
  const base = baseMetricName(name);
  if (base === '') return undefined;
  if (PER_TIME.test(base)) return 'min';
  if (LOWER.some((r) => r.test(base))) return 'max';
  if (HIGHER.some((r) => r.test(base))) return 'min';
  return undefined;
}

/**
 * The direction of a metric as loaded: what the file itself records (`higherIsBetter`, e.g.
 * lm-eval's `higher_is_better`, or an adapter's pass share), else the catalogue; a percentile is
 * a latency (lower is better). `undefined` when nothing fixes it.
 *
 * Why the file first: a DeepEval metric named `Toxicity` is read as the share of test cases that
 * passed it (higher is better), not as a toxicity score; the adapter records that.
 */
export function metricDirection(name: string, metric?: Pick<Metric, 'higherIsBetter' | 'kind'>): Direction | undefined {
  if (metric?.higherIsBetter === true) return 'min';
  if (metric?.higherIsBetter === false) return 'max';
  const d = catalogueDirection(name);
  if (d !== undefined) return d;
  if (metric?.kind === 'percentile') return 'max';
  return undefined;
}

// Names whose values are shares or scores in [0, 1] in every format we read. Not bleu, rouge or
// chrf: lm-eval and sacrebleu report them on 0..100. Not mcc ([-1, 1]).
const UNIT: readonly RegExp[] = [
  /^accuracy(_|$)/,
  /_accuracy$/,
  /^acc(_|$)/,
  /^(pass_rate|success_rate|win_rate|match_rate|failure_rate|fail_rate|refusal_rate)$/,
  /(^|_)error_rate$/,
  /^pass@\d+$/,
  /^(f1|macro_f1|micro_f1|weighted_f1)$/,
  /^(exact_match|em|exact|quasi_exact_match|contains|includes)$/,
  /^(precision|recall)$/,
  /^(auc|auroc|roc_auc|pr_auc|auprc)$/,
  /^hallucination_rate$/,
];

/**
 * Whether a metric is bounded in [0, 1] (a proportion or a score in [0, 1]), which decides that
 * its interval is never narrower than Wilson's and that scalar `max_gap` / `max_drop` limits apply
 * to it (SPEC §5.1). True for a `proportion`, for a metric whose declared `range` lies within
 * [0, 1], and for a catalogue name known to be a share (accuracy, acc, f1, exact_match, …) whose
 * value lies in [0, 1]. Never for a percentile, nor for a metric whose declared range is wider.
 */
export function isUnitBounded(name: string, metric: Pick<Metric, 'kind' | 'range' | 'value'>): boolean {
  if (metric.kind === 'percentile') return false;
  if (metric.range) return metric.range[0] >= 0 && metric.range[1] <= 1;
  if (metric.kind === 'proportion') return true;
  const inUnit = metric.value >= 0 && metric.value <= 1;
  return inUnit && UNIT.some((r) => r.test(baseMetricName(name)));
}
