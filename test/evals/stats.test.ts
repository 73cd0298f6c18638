import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalQuantile, zFor } from '../../src/evidence/evals/distributions';
import { interval, normalBounds, wilson } from '../../src/evidence/evals/intervals';
import { percentile } from '../../src/evidence/evals/quantiles';
import { samplesNeeded } from '../../src/evidence/evals/stats';
import type { Metric } from '../../src/evidence/evals/types';

describe('zFor / normalQuantile', () => {
  it('gives the standard two-sided critical values', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 6);
    expect(zFor(0.9)).toBeCloseTo(1.644854, 6);
    expect(zFor(0.99)).toBeCloseTo(2.575829, 6);
    expect(zFor(0.5)).toBeCloseTo(0.67449, 5);
  });
  it('is accurate in the tails (Acklam) and antisymmetric', () => {
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0.5)).toBe(0);
    fc.assert(fc.property(fc.double({ min: 1e-9, max: 0.5, noNaN: true }), (p) => Math.abs(normalQuantile(p) + normalQuantile(1 - p)) < 1e-7));
  });
  it('rejects confidences outside (0, 1)', () => {
    expect(() => zFor(0)).toThrow(RangeError);
    expect(() => zFor(1)).toThrow(RangeError);
    expect(() => zFor(95)).toThrow(RangeError);
    expect(() => zFor(NaN)).toThrow(RangeError);
  });
});

describe('wilson', () => {
  it('47/50 at 0.95 is [0.838, 0.979] (SPEC §5)', () => {
    const b = wilson(47, 50, 0.95);
    expect(b.lower).toBeCloseTo(0.8378, 4);
    expect(b.upper).toBeCloseTo(0.9794, 4);
  });
  it('n = 0 (0/0) gives no evidence: [0, 1]', () => {
    expect(wilson(0, 0, 0.95)).toEqual({ lower: 0, upper: 1 });
  });
  it('50/50 has upper exactly 1 and lower < 1', () => {
    const b = wilson(50, 50, 0.95);
    expect(b.upper).toBe(1);
    expect(b.lower).toBeCloseTo(0.92865, 5);
  });
  it('0/50 has lower exactly 0', () => {
    const b = wilson(0, 50, 0.95);
    expect(b.lower).toBe(0);
    expect(b.upper).toBeCloseTo(0.07135, 5);
  });
  it('widens with confidence', () => {
    const a = wilson(30, 60, 0.9);
    const b = wilson(30, 60, 0.99);
    expect(b.lower).toBeLessThan(a.lower);
    expect(b.upper).toBeGreaterThan(a.upper);
  });

  const counts = fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
  const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });

  it('property: bounds lie within [0, 1] and around the observed rate', () => {
    fc.assert(
      fc.property(counts, confidence, ([k, n], c) => {
        const { lower, upper } = wilson(k, n, c);
        const p = k / n;
        return lower >= 0 && upper <= 1 && lower <= p + 1e-12 && p <= upper + 1e-12;
      }),
    );
  });
  it('property: the interval narrows as n grows at a fixed rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 50 }), confidence, (a, extra, m, c) => {
        const n = a + extra; // k = a of n, then k·m of n·m: same rate
        const small = wilson(a, n, c);
        const big = wilson(a * m, n * m, c);
        return big.upper - big.lower < small.upper - small.lower;
      }),
    );
  });
});

describe('normalBounds', () => {
  it('is value ± z·stderr', () => {
    const b = normalBounds(0.431, 0.0156679, 0.95);
    expect(b.lower).toBeCloseTo(0.431 - 1.959964 * 0.0156679, 6);
    expect(b.upper).toBeCloseTo(0.431 + 1.959964 * 0.0156679, 6);
    expect(b.lower).toBeCloseTo(0.4003, 4);
  });
  it('is clamped to the range when given, not otherwise', () => {
    expect(normalBounds(0.667, 0.333, 0.95, [0, 1])).toEqual({ lower: expect.closeTo(0.0143, 3) as number, upper: 1 });
    expect(normalBounds(0.667, 0.333, 0.95).upper).toBeGreaterThan(1);
    expect(normalBounds(0.02, 0.05, 0.95, [0, 1]).lower).toBe(0);
  });
  it('stderr 0 gives a point', () => {
    expect(normalBounds(0.5, 0, 0.95)).toEqual({ lower: 0.5, upper: 0.5 });
  });
  it('property: lower ≤ value ≤ upper, symmetric without a range', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e3, noNaN: true }), (v, se) => {
        const { lower, upper } = normalBounds(v, se, 0.95);
        return lower <= v && v <= upper && Math.abs(v - lower - (upper - v)) <= 1e-6 * Math.max(1, Math.abs(v));
      }),
    );
  });
});

describe('samplesNeeded', () => {
  it('47/50 vs min 0.9: 217 samples at the same rate would do', () => {
    const n = samplesNeeded(0.94, 0.9, 0.95, 'min');
    expect(n).toBe(217);
    expect(wilson(0.94 * 217, 217, 0.95).lower).toBeGreaterThanOrEqual(0.9);
    expect(wilson(0.94 * 216, 216, 0.95).lower).toBeLessThan(0.9);
    // and the 50 we have are not enough
    expect(wilson(47, 50, 0.95).lower).toBeLessThan(0.9);
  });
  it('is undefined when the observed rate does not meet the threshold', () => {
    expect(samplesNeeded(0.85, 0.9, 0.95, 'min')).toBeUndefined();
    expect(samplesNeeded(0.2, 0.1, 0.95, 'max')).toBeUndefined();
  });
  it('is undefined when the rate equals the threshold (no n is enough)', () => {
    expect(samplesNeeded(0.9, 0.9, 0.95, 'min')).toBeUndefined();
  });
  it('mirrors for max thresholds (error rates)', () => {
    expect(samplesNeeded(0.06, 0.1, 0.95, 'max')).toBe(samplesNeeded(0.94, 0.9, 0.95, 'min'));
  });
  it('is 1 for a trivially met threshold and small for a perfect rate', () => {
    expect(samplesNeeded(0.5, 0, 0.95, 'min')).toBe(1);
    const n = samplesNeeded(1, 0.9, 0.95, 'min') as number;
    expect(n).toBe(35);
    expect(wilson(n, n, 0.95).lower).toBeGreaterThanOrEqual(0.9);
    expect(wilson(n - 1, n - 1, 0.95).lower).toBeLessThan(0.9);
  });
  it('rejects rates outside [0, 1]', () => {
    expect(samplesNeeded(1.2, 0.9, 0.95, 'min')).toBeUndefined();
    expect(samplesNeeded(NaN, 0.9, 0.95, 'min')).toBeUndefined();
  });
  it('property: the returned n is the smallest that meets the threshold', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.999, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (p, t) => {
        const n = samplesNeeded(p, t, 0.95, 'min');
        if (p < t) return n === undefined;
        if (n === undefined) return p - t < 1e-3; // only when p is (almost) at the threshold
        const meets = (m: number): boolean => wilson(p * m, m, 0.95).lower >= t;
        return meets(n) && (n === 1 || !meets(n - 1));
      }),
    );
  });
});

describe('percentile', () => {
  it('interpolates between ranks (numpy default)', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 0.5)).toBe(5.5);
    expect(percentile(v, 0.95)).toBeCloseTo(9.55, 10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 1)).toBe(10);
    expect(percentile([42], 0.95)).toBe(42);
    expect(percentile([], 0.5)).toBeUndefined();
  });
});

describe('interval', () => {
  const base = { name: 'm' };
  it('uses Wilson for a proportion with n and successes', () => {
    const m: Metric = { ...base, value: 0.94, n: 50, successes: 47, stderr: 0.0336, kind: 'proportion' };
    const i = interval(m, 0.95);
    expect(i?.method).toBe('wilson');
    expect(i?.lower).toBeCloseTo(0.8378, 4);
  });
  it('uses the normal interval from stderr otherwise, clamped to the range', () => {
    const m: Metric = { ...base, value: 0.431, n: 1000, stderr: 0.0156679, kind: 'mean' };
    expect(interval(m, 0.95)).toEqual({ lower: expect.closeTo(0.4003, 4) as number, upper: expect.closeTo(0.4617, 4) as number, method: 'normal' });
    const clamped = interval({ ...base, value: 0.99, stderr: 0.02, kind: 'mean', range: [0, 1] }, 0.95);
    expect(clamped?.upper).toBe(1);
    // a proportion without successes is clamped to [0, 1] too
    expect(interval({ ...base, value: 0.99, stderr: 0.02, kind: 'proportion' }, 0.95)?.upper).toBe(1);
  });
  it('gives none for percentiles, non-finite values, or no n/stderr', () => {
    expect(interval({ ...base, value: 800, n: 100, kind: 'percentile' }, 0.95)).toBeUndefined();
    expect(interval({ ...base, value: Infinity, stderr: 1, kind: 'mean' }, 0.95)).toBeUndefined();
    expect(interval({ ...base, value: NaN, n: 10, successes: 5, kind: 'proportion' }, 0.95)).toBeUndefined();
    expect(interval({ ...base, value: 0.705, n: 78, kind: 'mean' }, 0.95)).toBeUndefined();
    expect(interval({ ...base, value: 0.5, stderr: NaN, kind: 'mean' }, 0.95)).toBeUndefined();
  });
});
