import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantileSketch, percentile } from '../../src/evidence/evals/quantiles';

describe('QuantileSketch', () => {
  it('is exact up to its cap', () => {
    const s = new QuantileSketch(100);
    const values = Array.from({ length: 100 }, (_, i) => (i * 37) % 101);
    for (const v of values) s.add(v);
    expect(s.isExact).toBe(true);
    const sorted = [...values].sort((a, b) => a - b);
    expect(s.quantile(0.5)).toBe(percentile(sorted, 0.5));
    expect(s.quantile(0.95)).toBe(percentile(sorted, 0.95));
  });
  it('is undefined when empty', () => {
    expect(new QuantileSketch().quantile(0.5)).toBeUndefined();
  });
  it('past the cap, stays within its relative accuracy of the exact type-7 percentile (one definition either side)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 1e6, noNaN: true }), { minLength: 50, maxLength: 2000 }), fc.constantFrom(0, 0.5, 0.9, 0.95, 0.99, 1), (xs, q) => {
        const s = new QuantileSketch(10, 0.01);
        for (const x of xs) s.add(x);
        const sorted = [...xs].sort((a, b) => a - b);
        const truth = percentile(sorted, q) as number;
        const est = s.quantile(q) as number;
        return !s.isExact && Math.abs(est - truth) <= 0.01 * truth + 1e-9;
      }),
    );
  });
  it('interpolates between ranks past the cap as below it: p50 of {10 × 100, 10 × 200} is 150, not 100 or 200', () => {
    const exact = new QuantileSketch(100, 0.001);
    const sketch = new QuantileSketch(4, 0.001);
    for (const x of [...Array<number>(10).fill(100), ...Array<number>(10).fill(200)]) {
      exact.add(x);
      sketch.add(x);
    }
    expect(exact.isExact).toBe(true);
    expect(sketch.isExact).toBe(false);
    expect(exact.quantile(0.5)).toBe(150); // h = 9.5: halfway between the 10th and 11th values
    expect(Math.abs((sketch.quantile(0.5) as number) - 150) / 150).toBeLessThan(0.001);
  });
  it('stays bounded for extreme values', () => {
    const s = new QuantileSketch(0, 0.005);
    for (const x of [1e-300, 0, 1e-3, 5, 1e300, Number.MAX_VALUE]) s.add(x);
    expect(s.bucketCount).toBeLessThan(4300);
    expect(s.quantile(0)).toBe(0);
    expect(s.quantile(1)).toBeCloseTo(1e12, -10);
  });
  it('counts zeros and keeps memory bounded by buckets, not values', () => {
    const s = new QuantileSketch(16, 0.005);
    for (let i = 0; i < 200_000; i++) s.add(i % 10 === 0 ? 0 : 100 + (i % 900));
    expect(s.count).toBe(200_000);
    expect(s.quantile(0.05)).toBe(0);
    const p95 = s.quantile(0.95) as number;
    expect(Math.abs(p95 - 955) / 955).toBeLessThan(0.02);
    // 100..999 spans ln(10)/(2·0.005) ≈ 230 buckets
    expect(s.bucketCount).toBeLessThan(300);
  });
});
