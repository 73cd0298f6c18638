import { describe, expect, it } from 'vitest';
import { baseMetricName, catalogueDirection, isUnitBounded, metricDirection } from '../../src/evidence/evals/metrics';

describe('baseMetricName', () => {
  it('takes the final metric part of every format naming (SPEC §4)', () => {
    expect(baseMetricName('arc_easy/acc_norm,none')).toBe('acc_norm');
    expect(baseMetricName('gsm8k/exact_match,strict-match')).toBe('exact_match');
    expect(baseMetricName('acc,none')).toBe('acc');
    expect(baseMetricName('match/accuracy')).toBe('accuracy');
    expect(baseMetricName('Answer Relevancy')).toBe('answer_relevancy');
    expect(baseMetricName('latency_p95_ms')).toBe('latency_p95_ms');
  });
});

describe('catalogueDirection', () => {
  it.each([
    'accuracy', 'pass_rate', 'acc', 'acc_norm', 'f1', 'exact_match', 'em', 'bleu', 'rouge1', 'rougeL', 'rougeLsum',
    'score', 'precision', 'recall', 'auc', 'mcc', 'pass@1', 'chrf', 'f1_score', 'balanced_accuracy', 'tokens_per_second',
    'arc_easy/acc,none', 'hellaswag/acc_norm,none', 'gsm8k/exact_match,flexible-extract', 'choice/accuracy', 'Faithfulness',
  ])('%s: higher is better', (name) => {
    expect(catalogueDirection(name)).toBe('min');
  });
  it.each([
    'error_rate', 'latency_p50_ms', 'latency_p95_ms', 'latency', 'ttft_ms', 'duration_seconds', 'cost', 'cost_usd', 'total_cost',
    'wer', 'cer', 'ter', 'perplexity', 'word_perplexity', 'byte_perplexity', 'bits_per_byte', 'loss', 'eval_loss', 'toxicity',
    'hallucination_rate', 'brier_score', 'mean_squared_error', 'wikitext/word_perplexity,none', 'parse_error_rate', 'Toxicity',
  ])('%s: lower is better', (name) => {
    expect(catalogueDirection(name)).toBe('max');
  });
  it.each(['mean', 'std', 'foo', 'ratio', '', 'task/'])('%s: unknown', (name) => {
    expect(catalogueDirection(name)).toBeUndefined();
  });
});

describe('metricDirection', () => {
  it('takes what the file records before the catalogue (a DeepEval pass share named Toxicity)', () => {
    expect(metricDirection('Toxicity', { kind: 'proportion', higherIsBetter: true })).toBe('min');
    expect(metricDirection('acc', { kind: 'mean', higherIsBetter: false })).toBe('max');
  });
  it('falls back to the catalogue, then to percentile = latency, else undefined', () => {
    expect(metricDirection('acc', { kind: 'mean' })).toBe('min');
    expect(metricDirection('p95', { kind: 'percentile' })).toBe('max');
    expect(metricDirection('mean', { kind: 'mean' })).toBeUndefined();
    expect(metricDirection('accuracy')).toBe('min');
  });
});

describe('isUnitBounded', () => {
  it('is true for proportions and ranges within [0, 1]', () => {
    expect(isUnitBounded('anything', { kind: 'proportion', value: 0.5 })).toBe(true);
    expect(isUnitBounded('score', { kind: 'mean', value: 0.5, range: [0, 1] })).toBe(true);
  });
  it('is true for catalogue shares whose value is in [0, 1]', () => {
    expect(isUnitBounded('arc_easy/acc,none', { kind: 'mean', value: 0.75 })).toBe(true);
    expect(isUnitBounded('f1', { kind: 'mean', value: 0.4 })).toBe(true);
    expect(isUnitBounded('error_rate', { kind: 'mean', value: 0.02 })).toBe(true);
    expect(isUnitBounded('f1', { kind: 'mean', value: 40 })).toBe(false);
  });
  it('is false for 0..100 scores, unbounded metrics, percentiles and wider declared ranges', () => {
    expect(isUnitBounded('bleu', { kind: 'mean', value: 0.3 })).toBe(false);
    expect(isUnitBounded('rouge1_max', { kind: 'mean', value: 0.3 })).toBe(false);
    expect(isUnitBounded('perplexity', { kind: 'mean', value: 0.9 })).toBe(false);
    expect(isUnitBounded('latency_p95_ms', { kind: 'percentile', value: 0.5 })).toBe(false);
    expect(isUnitBounded('accuracy', { kind: 'mean', value: 0.5, range: [0, 100] })).toBe(false);
    expect(isUnitBounded('mcc', { kind: 'mean', value: 0.5 })).toBe(false);
  });
});
