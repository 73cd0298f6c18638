import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanMetric, oldestIso, parseTime } from '../../src/evidence/evals/util';

describe('parseTime', () => {
  it('parses ISO 8601 dates and date-times strictly', () => {
    expect(parseTime('2026-11-20T10:00:00Z')).toBe(Date.UTC(2026, 10, 20, 10));
    expect(parseTime('2026-11-20T10:00:00.123456Z')).toBe(Date.UTC(2026, 10, 20, 10, 0, 0, 123));
    expect(parseTime('2026-11-20T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 20, 9));
    expect(parseTime('2026-11-20T10:00-0130')).toBe(Date.UTC(2026, 10, 20, 11, 30));
    expect(parseTime('2026-11-20 10:00:00')).toBe(Date.UTC(2026, 10, 20, 10));
    expect(parseTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2026-02-29', '2026-02-30T00:00:00Z', '2026-13-01', '2026-01-01T24:00:00Z', '2026-01-01T10:00:60Z', 'yesterday', '2026-1-1', '2026-01-01T10:00:00ZZ', '2026-01-01T10:00:00.Z', '1767261600', '']) {
      expect(parseTime(bad), bad).toBeUndefined();
    }
    expect(parseTime(1767261600)).toBeUndefined();
  });
  it('agrees with Date.parse on valid date-times with a zone', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (date, off) => {
        const local = new Date(date.getTime() + off * 60000).toISOString().slice(0, 23);
        const sign = off >= 0 ? '+' : '-';
        const a = Math.abs(off);
        const s = `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
        return parseTime(s) === Date.parse(s) && parseTime(s) === date.getTime();
      }),
    );
  });
  it('gives the same answer in any order: its prefix cache never leaks between strings', () => {
    // Strings built from few days, hours and minutes, so that consecutive ones share prefixes
    // (the cached case) and differ just after them; some are invalid right after a shared prefix.
    const part = (xs: string[]): fc.Arbitrary<string> => fc.constantFrom(...xs);
    const stamp = fc
      .tuple(
        part(['2026-11-20', '2026-11-21', '2024-02-29', '2026-02-29']),
        part(['T', ' ', 't', 'X']),
        part(['10:04', '10:05', '23:59', '24:00', '10:60']),
        part(['', ':00', ':59', ':60', ':07.250', ':07.', ':7']),
        part(['', 'Z', 'z', '+01:00', '-0130', '+24:00', 'ZZ', '+01']),
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(stamp, part(['2026-11-20', '2026-11-20T10:04']), fc.string()), { minLength: 1, maxLength: 30 }), (xs) => {
        const inOrder = xs.map((x) => parseTime(x));
        // Each string again, right after a string that fills the cache with another prefix.
        const alone = xs.map((x) => (parseTime('1999-01-01T00:00:00Z'), parseTime(x)));
        expect(inOrder).toEqual(alone);
        for (let i = 0; i < xs.length; i++) {
          const t = inOrder[i];
          if (t !== undefined) expect(new Date(t).getTime()).toBe(t);
          // A valid Z string agrees with Date.parse.
          if (t !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(xs[i]!)) expect(t).toBe(Date.parse(xs[i]!));
        }
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });
});

describe('oldestIso / meanMetric', () => {
  it('takes the oldest time, in UTC', () => {
    expect(oldestIso([parseTime('2026-11-02T00:00:00+02:00'), undefined, parseTime('2026-11-01T23:00:00Z')])).toBe('2026-11-01T22:00:00.000Z');
    expect(oldestIso([undefined])).toBeUndefined();
  });
  it('computes a mean with stderr = sd/√n, none for n < 2', () => {
    const m = meanMetric('x', [0.2, 0.4, 0.6]);
    expect(m.value).toBeCloseTo(0.4, 12);
    expect(m.stderr).toBeCloseTo(0.2 / Math.sqrt(3), 12);
    expect(meanMetric('y', [1]).stderr).toBeUndefined();
  });
});
