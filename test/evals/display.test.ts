import { describe, expect, it } from 'vitest';
import { formatInterval, formatMetric } from '../../src/evidence/evals/display';
import type { Metric } from '../../src/evidence/evals/types';

describe('formatMetric', () => {
  it.each([
    [0.0004, '0.000400'], // never 0
    [0.04, '0.0400'],
    [0.912, '0.912'],
    [0.91234, '0.912'],
    [0.9996, '0.9996'], // never "1.00" for a value that is not 1
    [0.99999, '0.99999'],
    [12.345, '12.3'],
    [412.3, '412'],
    [1234.5, '1235'],
    [1000, '1000'], // counts are integers
    [0, '0'],
    [1, '1'],
    [-0.0213, '-0.0213'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
  ])('%s → %s', (x, s) => {
    expect(formatMetric(x)).toBe(s);
  });
});

describe('formatInterval', () => {
  const prop = (k: number, n: number, extra: Partial<Metric> = {}): Metric => ({ name: 'accuracy', value: k / n, n, successes: k, kind: 'proportion', range: [0, 1], ...extra });
  it('value [lower, upper] n=…', () => {
    expect(formatInterval(prop(912, 1000))).toBe('0.912 [0.893, 0.928] n=1000');
    expect(formatInterval(prop(47, 50))).toBe('0.940 [0.838, 0.979] n=50');
  });
  it('shows the errored results counted in it (SPEC §5.1: 400 passes + 600 errors)', () => {
    expect(formatInterval(prop(400, 1000, { errors: 600 }))).toBe('0.400 [0.370, 0.431] n=1000, 600 errored');
  });
  it('percentiles are point estimates; inconclusive metrics say why', () => {
    expect(formatInterval({ name: 'latency_p95_ms', value: 812.4, n: 50, kind: 'percentile' })).toBe('812 (point estimate) n=50');
    expect(formatInterval({ name: 'bleu', value: 31.2, n: 4, kind: 'mean' })).toBe('31.2 (no interval: n = 4 but no stderr, and the metric is not bounded in [0, 1]) n=4');
  });
  it('with a direction, unfolded errored results are counted in the estimate and n', () => {
    const m: Metric = { name: 'mean', value: 55 / 78, n: 78, kind: 'mean', range: [0, 1], unfoldedErrors: 2 };
    expect(formatInterval(m, 0.95, 'min')).toMatch(/^0\.688 \[0\.\d+, 0\.\d+\] n=80, 2 errored$/);
  });
});
