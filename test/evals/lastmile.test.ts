import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lastmileJsonSchema, lastmileSchema, parseLastmile } from '../../src/evidence/evals/formats/lastmile';
import { interval } from '../../src/evidence/evals/intervals';
import { err, metric, ok } from './helpers';

const good = {
  version: 1,
  model: { name: 'triage-classifier', version: '2026-11-01' },
  commit: '5abecd6',
  created_at: '2026-11-20T10:00:00+01:00',
  metrics: {
    accuracy: { value: 0.94, n: 50, successes: 47 },
    latency_p95_ms: { value: 812, n: 50, kind: 'percentile' },
    f1: { value: 0.88, stderr: 0.02, n: 50, range: [0, 1], higher_is_better: true },
  },
  slices: [{ field: 'language', value: 'pt', metrics: { accuracy: { value: 0.8, n: 10, successes: 8 } } }],
};
const text = (v: unknown) => JSON.stringify(v, null, 2);

describe('lastmile adapter', () => {
  it('reads a valid summary', () => {
    const r = ok(parseLastmile(text(good), 'evals/summary.json'));
    expect(metric(r, 'accuracy')).toEqual({ name: 'accuracy', value: 0.94, n: 50, successes: 47, kind: 'proportion', range: [0, 1] });
    expect(metric(r, 'latency_p95_ms')).toMatchObject({ kind: 'percentile', value: 812 });
    expect(metric(r, 'f1')).toMatchObject({ kind: 'mean', stderr: 0.02, range: [0, 1], higherIsBetter: true });
    expect(r.slices).toEqual([{ field: 'language', value: 'pt', count: 10, metrics: { accuracy: expect.objectContaining({ successes: 8 }) as unknown } }]);
    expect(r.model).toEqual({ name: 'triage-classifier', version: '2026-11-01' });
    expect(r.modelVersions).toEqual(['2026-11-01']);
    expect(r.versionRecorded).toBe(true);
    expect(r.commit).toBe('5abecd6');
    expect(r.createdAt).toBe('2026-11-20T09:00:00.000Z');
    expect(r.status).toBe('complete');
    expect(interval(metric(r, 'accuracy'), 0.95)?.lower).toBeCloseTo(0.838, 3);
  });

  it('rejects unknown keys, naming the key and its line', () => {
    const bad = { ...good, metrics: { accuracy: { value: 0.94, n: 50, sucesses: 47 } } };
    const e = err(parseLastmile(text(bad), 's.json'));
    expect(e.message).toBe('metrics.accuracy.sucesses: unknown key "sucesses"');
    expect(e.line).toBe(text(bad).split('\n').findIndex((l) => l.includes('"sucesses"')) + 1);
  });

  it('rejects a wrong type with the path and line', () => {
    const bad = { ...good, metrics: { accuracy: { value: 'high' } } };
    const e = err(parseLastmile(text(bad), 's.json'));
    expect(e.message).toMatch(/^metrics\.accuracy\.value: /);
    expect(e.line).toBe(text(bad).split('\n').findIndex((l) => l.includes('"high"')) + 1);
  });

  it('rejects inconsistent or out-of-range metrics', () => {
    const cases: [unknown, RegExp][] = [
      [{ value: 0.9, n: 50, successes: 47 }, /does not match successes \/ n = 47\/50/],
      [{ value: 1.2, kind: 'proportion' }, /proportion must be from 0 to 1/],
      [{ value: 0.5, successes: 3 }, /"successes" needs "n"/],
      [{ value: 1, n: 3, successes: 4 }, /more than "n"/],
      [{ value: 5, range: [0, 1] }, /outside its range/],
      [{ value: 0.5, range: [1, 0] }, /min < max/],
    ];
    for (const [m, re] of cases) {
      const e = err(parseLastmile(text({ ...good, metrics: { m } }), 's.json'));
      expect(e.message).toMatch(re);
      expect(e.message.startsWith('metrics.m: ')).toBe(true);
      expect(e.line).toBeGreaterThan(1);
    }
  });

  it('rejects a missing or zone-less created_at, a wrong version, no metrics', () => {
    const { created_at: _omit, ...noTime } = good;
    expect(err(parseLastmile(text(noTime), 's.json')).message).toMatch(/^created_at: /);
    expect(err(parseLastmile(text({ ...good, created_at: '2026-11-20T10:00:00' }), 's.json')).message).toMatch(/with a time zone/);
    expect(err(parseLastmile(text({ ...good, version: 2 }), 's.json')).message).toMatch(/^version: /);
    expect(err(parseLastmile(text({ ...good, metrics: {} }), 's.json')).message).toBe('metrics: no metrics');
  });

  it('non-finite numbers are not JSON, so they fail with a line', () => {
    const e = err(parseLastmile('{\n "version": 1,\n "metrics": {"a": {"value": NaN}}\n}', 's.json'));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/NaN and Infinity are not valid JSON/);
  });

  it('a duplicate slice is an error', () => {
    const bad = { ...good, slices: [good.slices[0], good.slices[0]] };
    expect(err(parseLastmile(text(bad), 's.json')).message).toBe('slices[1]: slice language=pt appears twice');
  });

  it('carries a declared partial status', () => {
    const r = ok(parseLastmile(text({ ...good, status: 'partial', status_reason: 'stopped at 50 of 200' }), 's.json'));
    expect(r.status).toBe('partial');
    expect(r.statusReason).toBe('stopped at 50 of 200');
  });

  it('a file of another format is an error that says which', () => {
    const e = err(parseLastmile(JSON.stringify({ testRunData: { testCases: [] } }), 'd.json'));
    expect(e.message).toMatch(/^not a Last Mile summary: .*looks like a DeepEval test run/);
  });

  it('exports a zod schema that converts to a JSON Schema', () => {
    expect(lastmileSchema().safeParse(good).success).toBe(true);
    const js = lastmileJsonSchema();
    expect(js['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(js['additionalProperties']).toBe(false);
    expect(js['required']).toEqual(['version', 'created_at', 'metrics']);
    expect(JSON.stringify(z.toJSONSchema(lastmileSchema()))).toBe(JSON.stringify(js));
  });
});
