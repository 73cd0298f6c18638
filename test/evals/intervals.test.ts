// The evidence rules of SPEC §5.1 against reference values computed independently of this code:
// printed t tables, closed forms, Newcombe (1998) Table II, and the SPEC's own worked examples.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differenceInterval, sliceDropInterval } from '../../src/evidence/evals/differences';
import { incompleteBeta, tQuantile } from '../../src/evidence/evals/distributions';
import { addErrored, foldErrors, isInconclusive, metricInterval, wilson } from '../../src/evidence/evals/intervals';
import type { Interval, IntervalResult } from '../../src/evidence/evals/intervals';
import { judge, meets, samplesToMeet, samplesToSettleDifference, samplesToSettleSlice } from '../../src/evidence/evals/stats';
import type { Metric } from '../../src/evidence/evals/types';

function ok(r: IntervalResult): Interval {
  if (isInconclusive(r)) throw new Error(`inconclusive: ${r.inconclusive}`);
  return r;
}

const prop = (name: string, successes: number, n: number): Metric => ({ name, value: successes / n, n, successes, kind: 'proportion', range: [0, 1] });

describe('tQuantile', () => {
  // Two-sided critical values from a printed Student t table (e.g. NIST/SEMATECH e-Handbook of
  // Statistical Methods §1.3.6.7.2, "Critical values of the Student's t distribution"), 6 decimals.
  it.each([
    [0.975, 1, 12.706205],
    [0.975, 2, 4.302653],
    [0.975, 4, 2.776445],
    [0.975, 9, 2.262157],
    [0.975, 29, 2.04523],
    [0.975, 30, 2.042272],
    [0.975, 100, 1.983972],
    [0.95, 5, 2.015048],
    [0.995, 10, 3.169273],
    [0.995, 1, 63.656741],
  ])('t(%s, %s) = %s', (p, df, t) => {
    expect(Math.abs(tQuantile(p, df) - t)).toBeLessThan(1e-6);
  });
  it('matches the closed forms for 1 df (Cauchy: tan(π(p − ½))) and 2 df ((2p − 1)/√(2p(1 − p)))', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p) => {
        const t1 = Math.tan(Math.PI * (p - 0.5));
        const t2 = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        return Math.abs(tQuantile(p, 1) - t1) < 1e-8 * Math.max(1, Math.abs(t1)) && Math.abs(tQuantile(p, 2) - t2) < 1e-8 * Math.max(1, Math.abs(t2));
      }),
    );
  });
  it('is antisymmetric, approaches z for large df and works for fractional df (Welch)', () => {
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262157, 6);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 5);
    const t = tQuantile(0.975, 12.5);
    expect(t).toBeGreaterThan(tQuantile(0.975, 13));
    expect(t).toBeLessThan(tQuantile(0.975, 12));
  });
  it('incompleteBeta matches closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a, I_½(a, a) = ½', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.7, 3.5, 1)).toBeCloseTo(0.7 ** 3.5, 12);
    expect(incompleteBeta(0.5, 7.25, 7.25)).toBeCloseTo(0.5, 12);
  });
});

describe('meets (SPEC §5.1: comparisons at the limit pass)', () => {
  it('passes at equality and through floating-point rounding', () => {
    expect(meets(0.9, 0.9, 'min')).toBe(true);
    expect(meets(0.9, 0.9, 'max')).toBe(true);
    // 92/100 → 90/100 is a drop of 0.020000000000000018 in floating point: it meets max_drop 0.02
    expect(0.92 - 0.9).toBeGreaterThan(0.02);
    expect(meets(0.92 - 0.9, 0.02, 'max')).toBe(true);
    expect(meets(0.1 + 0.2, 0.3, 'max')).toBe(true);
  });
  it('fails beyond the tolerance, and on NaN', () => {
    expect(meets(0.9 - 2e-9, 0.9, 'min')).toBe(false);
    expect(meets(0.02 + 2e-9, 0.02, 'max')).toBe(false);
    expect(meets(NaN, 0.9, 'min')).toBe(false);
    expect(meets(0.9, NaN, 'max')).toBe(false);
  });
});

describe('judge', () => {
  it('passes, fails or leaves unsettled', () => {
    expect(judge({ lower: 0.91, upper: 0.95 }, 0.9, 'min')).toBe('pass');
    expect(judge({ lower: 0.85, upper: 0.9 }, 0.9, 'min')).toBe('unsettled');
    expect(judge({ lower: 0.8, upper: 0.89 }, 0.9, 'min')).toBe('fail');
    expect(judge({ lower: -0.01, upper: 0.02 }, 0.02, 'max')).toBe('pass');
    expect(judge({ lower: 0.01, upper: 0.05 }, 0.02, 'max')).toBe('unsettled');
    expect(judge({ lower: 0.021, upper: 0.05 }, 0.02, 'max')).toBe('fail');
  });
});

describe('metricInterval', () => {
  it('Wilson for a proportion: 47/50 → [0.838, 0.979] (SPEC §5)', () => {
    const i = ok(metricInterval(prop('accuracy', 47, 50), 0.95));
    expect(i.method).toBe('wilson');
    expect(i.lower).toBeCloseTo(0.8378, 4);
    expect(i.upper).toBeCloseTo(0.9794, 4);
  });
  it('400 passes + 600 errors = 0.40 [0.370, 0.431] (SPEC §5.1)', () => {
    const m = addErrored(prop('accuracy', 400, 400), 600, 'min');
    expect(m).toMatchObject({ value: 0.4, n: 1000, successes: 400, errors: 600 });
    const i = ok(metricInterval(m, 0.95));
    expect(i.lower).toBeCloseTo(0.370, 3);
    expect(i.upper).toBeCloseTo(0.431, 3);
    expect(meets(i.lower, 0.9, 'min')).toBe(false);
  });
  it('stderr 0 on a [0, 1] score falls back to Wilson (never zero-width)', () => {
    const i = ok(metricInterval({ name: 'score', value: 1, n: 20, stderr: 0, kind: 'mean', range: [0, 1] }, 0.95));
    expect(i.method).toBe('wilson');
    expect(i.upper).toBe(1);
    expect(i.lower).toBeCloseTo(wilson(20, 20, 0.95).lower, 12); // 0.8389
    expect(i.lower).toBeCloseTo(0.8389, 4);
    expect(i.note).toMatch(/stderr 0/);
  });
  it('a [0, 1] value with n but no stderr or successes: Wilson of the mean (0.91, n = 100)', () => {
    const i = ok(metricInterval({ name: 'accuracy', value: 0.91, n: 100, kind: 'mean' }, 0.95));
    expect(i.method).toBe('wilson');
    // Wilson(91/100) at 95 %: [0.8377, 0.9519]; so it does not clear min 0.90 "at 95 % confidence"
    expect(i.lower).toBeCloseTo(0.8377, 4);
    expect(i.upper).toBeCloseTo(0.9519, 4);
    expect(judge(i, 0.9, 'min')).toBe('unsettled');
  });
  it('uses t(n − 1) for a stderr when n < 30 and z from 30 on', () => {
    // a metric not bounded in [0, 1], so that no Wilson floor applies
    const small = ok(metricInterval({ name: 'bleu', value: 30, n: 5, stderr: 2, kind: 'mean' }, 0.95));
    expect(small.method).toBe('t');
    expect(small.lower).toBeCloseTo(30 - 2.776445 * 2, 5);
    expect(small.upper).toBeCloseTo(30 + 2.776445 * 2, 5);
    const n30 = ok(metricInterval({ name: 'bleu', value: 30, n: 30, stderr: 2, kind: 'mean' }, 0.95));
    expect(n30.method).toBe('normal');
    expect(n30.upper).toBeCloseTo(30 + 1.959964 * 2, 5);
    const n29 = ok(metricInterval({ name: 'bleu', value: 30, n: 29, stderr: 2, kind: 'mean' }, 0.95));
    expect(n29.upper).toBeCloseTo(30 + 2.048407 * 2, 5); // t(0.975, 28) = 2.048407
  });
  it('inspect 1/3 with stderr 0.333 (n = 3): clipped to the range, never [-0.32, 0.987]', () => {
    const i = ok(metricInterval({ name: 'accuracy', value: 1 / 3, n: 3, stderr: 0.3333, kind: 'mean' }, 0.95));
    expect(i.lower).toBe(0);
    expect(i.upper).toBe(1);
  });
  it('widens a too-narrow stderr interval to Wilson for [0, 1] metrics', () => {
    // lm-eval style: acc 0.5 ± 0.001 over n = 100 would claim far more than 100 samples can
    const i = ok(metricInterval({ name: 'acc', value: 0.5, n: 100, stderr: 0.001, kind: 'mean' }, 0.95));
    const w = wilson(50, 100, 0.95);
    expect(i.lower).toBeCloseTo(w.lower, 12);
    expect(i.upper).toBeCloseTo(w.upper, 12);
    expect(i.note).toMatch(/Wilson/);
  });
  it('normal from stderr without n, clipped to the range', () => {
    const i = ok(metricInterval({ name: 'accuracy', value: 0.99, stderr: 0.02, kind: 'mean', range: [0, 1] }, 0.95));
    expect(i.method).toBe('normal');
    expect(i.upper).toBe(1);
    expect(i.lower).toBeCloseTo(0.99 - 1.959964 * 0.02, 5);
  });
  it('is inconclusive where nothing supports an interval', () => {
    const cases: Metric[] = [
      { name: 'bleu', value: 30, n: 100, kind: 'mean' }, // n, no stderr, not in [0, 1]
      { name: 'accuracy', value: 0.9, kind: 'mean' }, // neither n nor stderr
      { name: 'accuracy', value: 0.9, stderr: 0, kind: 'mean' }, // stderr 0 and no n
      { name: 'accuracy', value: NaN, n: 10, kind: 'mean' },
      { name: 'p95', value: 800, n: 100, kind: 'percentile' },
      { name: 'accuracy', value: 1.2, n: 10, kind: 'mean', range: [0, 1] },
      { name: 'mean', value: 0.7, n: 78, kind: 'mean', unfoldedErrors: 2 }, // direction not given
    ];
    for (const m of cases) expect(isInconclusive(metricInterval(m, 0.95)), JSON.stringify(m)).toBe(true);
  });
  it('counts unfolded errors once a direction is given', () => {
    // inspect cvebench: mean 0.705 over 78 scored, 2 errored; a [0, 1] score of unknown direction
    const m: Metric = { name: 'mean', value: 55 / 78, n: 78, kind: 'mean', range: [0, 1], unfoldedErrors: 2 };
    expect(isInconclusive(metricInterval(m, 0.95))).toBe(true);
    const i = ok(metricInterval(m, 0.95, 'min'));
    expect(i.estimate).toBeCloseTo(55 / 80, 12);
    const j = ok(metricInterval(m, 0.95, 'max'));
    expect(j.estimate).toBeCloseTo(57 / 80, 12);
    // an unbounded metric has no worst value: still inconclusive
    expect(isInconclusive(metricInterval({ name: 'mean', value: 3, n: 10, stderr: 1, kind: 'mean', unfoldedErrors: 1 }, 0.95, 'min'))).toBe(true);
  });

  const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });
  it('property: proportions bracket k/n and stay in [0, 1], never zero-width', () => {
    const counts = fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(counts, confidence, ([k, n], c) => {
        const i = ok(metricInterval(prop('accuracy', k, n), c));
        return i.lower >= 0 && i.upper <= 1 && i.lower <= k / n && k / n <= i.upper && i.upper > i.lower;
      }),
    );
  });
  it('property: [0, 1] means with any n and stderr bracket the value, stay in range and are at least as wide as Wilson', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.oneof(fc.constant(undefined), fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
        confidence,
        (v, n, se, c) => {
          const m: Metric = { name: 'score', value: v, n, kind: 'mean', range: [0, 1] };
          if (se !== undefined) m.stderr = se;
          const i = ok(metricInterval(m, c));
          const w = wilson(v * n, n, c);
          return i.lower >= 0 && i.upper <= 1 && i.lower <= v && v <= i.upper && i.upper > i.lower && i.lower <= w.lower + 1e-12 && i.upper >= w.upper - 1e-12;
        },
      ),
    );
  });
  it('property: unbounded means with a positive stderr bracket the value, with or without n', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.oneof(fc.constant(undefined), fc.integer({ min: 2, max: 10_000 })),
        fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
        confidence,
        (v, n, se, c) => {
          const m: Metric = { name: 'bleu', value: v, stderr: se, kind: 'mean' };
          if (n !== undefined) m.n = n;
          const i = ok(metricInterval(m, c));
          return i.lower < v && v < i.upper;
        },
      ),
    );
  });
});

describe('addErrored / foldErrors', () => {
  it('a hit for a max metric', () => {
    const m = addErrored(prop('error_rate', 10, 100), 5, 'max');
    expect(m).toMatchObject({ n: 105, successes: 15, errors: 5 });
    expect(m.value).toBeCloseTo(15 / 105, 12);
  });
  it('a [0, 1] mean gains the errored results at the worst value, with the stderr of the joined sample', () => {
    // sample {1, 0, 1, 1}: mean 0.75, sd (n − 1) = 0.5, stderr 0.25; plus 2 errored (0 for min)
    // joined {1, 0, 1, 1, 0, 0}: mean 0.5, sd = √(1.5/5) = 0.5477, stderr 0.5477/√6 = 0.22361
    const m = addErrored({ name: 'score', value: 0.75, n: 4, stderr: 0.25, kind: 'mean', range: [0, 1] }, 2, 'min');
    expect(m.value).toBeCloseTo(0.5, 12);
    expect(m.n).toBe(6);
    expect(m.stderr).toBeCloseTo(Math.sqrt(0.3 / 6), 12);
  });
  it('an unbounded metric keeps them unfolded', () => {
    const m = addErrored({ name: 'bleu', value: 30, n: 10, stderr: 2, kind: 'mean' }, 3, 'min');
    expect(m).toMatchObject({ n: 10, value: 30, unfoldedErrors: 3 });
    expect(foldErrors(m, 'min').unfoldedErrors).toBe(3);
  });
});

describe('differenceInterval', () => {
  // Newcombe RG (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Statistics in Medicine 17:873–890, Table II, method 10 (score
  // method, hybrid of Wilson intervals, no continuity correction). Note: 56/70 − 48/80 = 0.2000.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])('Newcombe Table II: %i/%i − %i/%i → [%s, %s]', (k1, n1, k2, n2, lo, hi) => {
    const i = ok(differenceInterval(prop('accuracy', k1, n1), prop('accuracy', k2, n2), 0.95));
    expect(i.method).toBe('newcombe');
    expect(i.estimate).toBeCloseTo(k1 / n1 - k2 / n2, 12);
    expect(i.lower).toBeCloseTo(lo, 4);
    expect(i.upper).toBeCloseTo(hi, 4);
  });
  it('from stderrs: z for large n, t with Welch–Satterthwaite df when small', () => {
    const a: Metric = { name: 'bleu', value: 30, n: 100, stderr: 3, kind: 'mean' };
    const b: Metric = { name: 'bleu', value: 25, n: 100, stderr: 4, kind: 'mean' };
    const i = ok(differenceInterval(a, b, 0.95));
    expect(i.method).toBe('normal');
    expect(i.lower).toBeCloseTo(5 - 1.959964 * 5, 5);
    // equal stderrs and n = 10 each: Welch df = (2s²)² / (2 s⁴/9) = 18; t(0.975, 18) = 2.100922
    const c: Metric = { name: 'bleu', value: 30, n: 10, stderr: 1, kind: 'mean' };
    const d: Metric = { name: 'bleu', value: 28, n: 10, stderr: 1, kind: 'mean' };
    const j = ok(differenceInterval(c, d, 0.95));
    expect(j.method).toBe('t');
    expect(j.upper).toBeCloseTo(2 + 2.100922 * Math.SQRT2, 5);
  });
  it('inconclusive where either side is, naming it', () => {
    const r = differenceInterval(prop('accuracy', 9, 10), { name: 'accuracy', value: 0.9, kind: 'mean' }, 0.95);
    expect(isInconclusive(r) && r.inconclusive).toMatch(/^b: /);
  });
  it('property: brackets the difference and stays in [-1, 1] for any two proportions', () => {
    const counts = fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(counts, counts, ([k1, n1], [k2, n2]) => {
        const i = ok(differenceInterval(prop('accuracy', k1, n1), prop('accuracy', k2, n2), 0.95));
        const d = k1 / n1 - k2 / n2;
        return i.lower >= -1 && i.upper <= 1 && i.lower <= d + 1e-12 && d <= i.upper + 1e-12 && i.upper > i.lower;
      }),
    );
  });
  it('property: mixed kinds (stderr vs proportion) bracket the difference', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 50 }), (v, n, se, k) => {
        const a: Metric = { name: 'acc', value: v, n, stderr: se, kind: 'mean' };
        const i = ok(differenceInterval(a, prop('acc', k, 50), 0.95));
        const d = v - k / 50;
        return i.lower <= d + 1e-12 && d <= i.upper + 1e-12 && i.lower >= -1 && i.upper <= 1;
      }),
    );
  });
});

describe('sliceDropInterval', () => {
  it('is (rest − slice) × n_rest / n for proportions', () => {
    // whole 900/1000, slice 80/100 → rest 820/900; drop 0.9 − 0.8 = 0.1 = (0.9111 − 0.8) × 0.9
    const whole = prop('accuracy', 900, 1000);
    const slice = prop('accuracy', 80, 100);
    const i = ok(sliceDropInterval(whole, slice, 0.95));
    const d = ok(differenceInterval(prop('accuracy', 820, 900), slice, 0.95));
    expect(i.estimate).toBeCloseTo(0.1, 12);
    expect(i.lower).toBeCloseTo(d.lower * 0.9, 12);
    expect(i.upper).toBeCloseTo(d.upper * 0.9, 12);
    expect(i.lower).toBeGreaterThan(0);
  });
  it('orients by direction: slice − whole for a max metric', () => {
    const whole = prop('error_rate', 100, 1000);
    const slice = prop('error_rate', 20, 100);
    const i = ok(sliceDropInterval(whole, slice, 0.95, 'max'));
    expect(i.estimate).toBeCloseTo(0.1, 12);
    expect(i.lower).toBeGreaterThan(0);
  });
  it('a slice that is the whole has drop exactly 0; inconsistent counts are inconclusive', () => {
    const w = prop('accuracy', 90, 100);
    expect(ok(sliceDropInterval(w, w, 0.95))).toMatchObject({ lower: 0, upper: 0, method: 'exact' });
    expect(isInconclusive(sliceDropInterval(w, prop('accuracy', 10, 200), 0.95))).toBe(true);
    expect(isInconclusive(sliceDropInterval(w, prop('accuracy', 20, 10), 0.95))).toBe(true);
  });
  it('property: brackets the point drop', () => {
    const arb = fc
      .tuple(fc.integer({ min: 2, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([n, fs, ps, pr]) => {
        const ns = Math.max(1, Math.min(n - 1, Math.round(fs * n)));
        const ks = Math.round(ps * ns);
        const kr = Math.round(pr * (n - ns));
        return { whole: prop('accuracy', ks + kr, n), slice: prop('accuracy', ks, ns) };
      });
    fc.assert(
      fc.property(arb, ({ whole, slice }) => {
        const i = ok(sliceDropInterval(whole, slice, 0.95));
        const d = whole.value - slice.value;
        return i.lower <= d + 1e-12 && d <= i.upper + 1e-12 && i.upper > i.lower;
      }),
    );
  });
});

describe('samples to settle', () => {
  it('samplesToMeet: 0.94 against min 0.9 needs 217 (as samplesNeeded)', () => {
    expect(samplesToMeet(prop('accuracy', 47, 50), 0.9, 0.95, 'min')).toBe(217);
    expect(samplesToMeet(prop('accuracy', 45, 50), 0.9, 0.95, 'min')).toBeUndefined(); // at the limit
    expect(samplesToMeet(prop('accuracy', 40, 50), 0.9, 0.95, 'min')).toBeUndefined(); // below it
  });
  it('samplesToSettleDifference: the smallest n that settles, and the n before it does not', () => {
    const curated = prop('accuracy', 920, 1000);
    const production = prop('accuracy', 27, 30); // gap 0.02 against max_gap 0.05: unsettled at n = 30
    expect(judge(ok(differenceInterval(curated, production, 0.95)), 0.05, 'max')).toBe('unsettled');
    const n = samplesToSettleDifference(curated, production, 0.05, 0.95, 'b') as number;
    expect(n).toBeGreaterThan(30);
    const at = (k: number): Metric => ({ ...production, n: k, successes: 0.9 * k });
    expect(judge(ok(differenceInterval(curated, at(n), 0.95)), 0.05, 'max')).toBe('pass');
    expect(judge(ok(differenceInterval(curated, at(n - 1), 0.95)), 0.05, 'max')).toBe('unsettled');
    // a gap exactly at the limit never settles
    expect(samplesToSettleDifference(prop('accuracy', 95, 100), prop('accuracy', 90, 100), 0.05, 0.95, 'b')).toBeUndefined();
  });
  it('samplesToSettleSlice: grows the slice (and the rest in proportion) until the drop interval excludes max_drop', () => {
    const whole = prop('accuracy', 900, 1000);
    const slice = prop('accuracy', 17, 20); // drop 0.05 against 0.02: unsettled at n = 20
    expect(judge(ok(sliceDropInterval(whole, slice, 0.95)), 0.02, 'max')).toBe('unsettled');
    const n = samplesToSettleSlice(whole, slice, 0.02, 0.95) as number;
    expect(n).toBeGreaterThan(20);
    // rest 883/980 at 49 rest samples per slice sample; slice at 0.85
    const at = (k: number): { w: Metric; s: Metric } => {
      const nr = 49 * k;
      const kr = (883 / 980) * nr;
      return { w: { ...whole, n: nr + k, successes: kr + 0.85 * k, value: (kr + 0.85 * k) / (nr + k) }, s: { ...slice, n: k, successes: 0.85 * k, value: 0.85 } };
    };
    const a = at(n);
    const b = at(n - 1);
    expect(judge(ok(sliceDropInterval(a.w, a.s, 0.95)), 0.02, 'max')).toBe('fail');
    expect(judge(ok(sliceDropInterval(b.w, b.s, 0.95)), 0.02, 'max')).toBe('unsettled');
  });
});

describe('differences never throw on a side of one sample', () => {
  it('a stderr with n = 1 on one side falls back to the sides\' own intervals (the settle search tries n = 1)', async () => {
    const { differenceInterval, samplesToSettleDifference } = await import('../../src/evidence/evals/stats');
    const a = { name: 'score', value: 0.8, n: 400, stderr: 0.01, kind: 'mean' as const, range: [0, 1] as [number, number] };
    const b = { name: 'score', value: 0.75, n: 1, stderr: 0.2, kind: 'mean' as const, range: [0, 1] as [number, number] };
    expect(() => differenceInterval(a, b, 0.95)).not.toThrow();
    expect(() => samplesToSettleDifference(a, { ...b, n: 40, stderr: 0.03 }, 0.05, 0.95, 'b')).not.toThrow();
  });
});
