import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSamples, parseSamplesText } from '../../src/evidence/evals/formats/samples';
import { readSampleLine } from '../../src/evidence/evals/formats/samples-line';
import { loadEvalFile } from '../../src/collect/evals';
import { percentile } from '../../src/evidence/evals/quantiles';
import { err, metric, ok, real } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'lastmile-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** 200 samples: language en/pt/de, channel email/chat; pt is worse. */
function generated(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 200; i++) {
    const language = ['en', 'pt', 'de'][i % 3] as string;
    rows.push({
      id: `s${i}`,
      correct: language === 'pt' ? i % 2 === 0 : i % 10 !== 0,
      score: (i % 5) / 4,
      latency_ms: 100 + i,
      language,
      channel: i < 120 ? 'email' : 'chat',
      priority: i % 4, // number slice
      vip: i % 7 === 0, // boolean slice
      model_version: '2026-11-01',
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      meta: { nested: true }, // not a slice field
    });
  }
  return rows;
}

describe('samples adapter', () => {
  it('aggregates a generated file with slices, streamed from disk', async () => {
    const rows = generated();
    const r = ok(await loadEvalFile(file('gen.jsonl', jsonl(rows)), 'samples', 'evals/gen.jsonl', { slices: ['language', 'channel'] }));
    const k = rows.filter((x) => x['correct'] === true).length;
    expect(metric(r, 'accuracy')).toMatchObject({ value: k / 200, n: 200, successes: k, kind: 'proportion' });
    const scores = rows.map((x) => x['score'] as number);
    const mean = scores.reduce((a, b) => a + b, 0) / 200;
    const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / 199);
    expect(metric(r, 'score').value).toBeCloseTo(mean, 12);
    expect(metric(r, 'score').stderr).toBeCloseTo(sd / Math.sqrt(200), 12);
    expect(metric(r, 'latency_p50_ms')).toMatchObject({ value: 199.5, n: 200, kind: 'percentile' });
    expect(metric(r, 'latency_p95_ms').value).toBeCloseTo(289.05, 10);
    expect(r.slices.map((s) => `${s.field}=${s.value}:${s.count}`)).toEqual(['language=de:66', 'language=en:67', 'language=pt:67', 'channel=chat:80', 'channel=email:120']);
    const pt = r.slices.find((s) => s.field === 'language' && s.value === 'pt');
    const ptRows = rows.filter((x) => x['language'] === 'pt');
    expect(pt?.metrics['accuracy']).toMatchObject({ n: 67, successes: ptRows.filter((x) => x['correct'] === true).length });
    expect(r.modelVersions).toEqual(['2026-11-01']);
    expect(r.model).toEqual({ version: '2026-11-01' });
    expect(r.versionRecorded).toBe(true);
    expect(r.createdAt).toBe('2026-11-01T00:00:00.000Z');
    expect(r.timeRecorded).toBe(true);
    expect(r.file).toBe('evals/gen.jsonl');
    expect(r.warnings).toEqual([]);
  });

  it('without requested slices, every scalar non-reserved field is a slice field', () => {
    const r = ok(parseSamplesText(jsonl(generated()), 'g.jsonl'));
    expect([...new Set(r.slices.map((s) => s.field))]).toEqual(['language', 'channel', 'priority', 'vip']);
    expect(r.slices.filter((s) => s.field === 'priority').map((s) => s.value)).toEqual(['0', '1', '2', '3']);
    expect(r.slices.filter((s) => s.field === 'vip').map((s) => s.value)).toEqual(['false', 'true']);
  });

  it('a field with too many distinct values is dropped when auto-discovered, truncated when requested', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ correct: true, question: `q${i}`, lang: 'en' }));
    const auto = ok(parseSamplesText(jsonl(rows), 'a.jsonl', { maxSliceValues: 10 }));
    expect(auto.slices.map((s) => s.field)).toEqual(['lang']);
    expect(auto.warnings).toContain('not treated as slice fields: "question" (more than 10 distinct values)');
    const req = ok(parseSamplesText(jsonl(rows), 'a.jsonl', { slices: ['question'], maxSliceValues: 10 }));
    expect(req.slices).toHaveLength(10);
    expect(req.truncatedSliceFields).toEqual(['question']);
  });

  it('property: slice metrics equal a brute-force recount', () => {
    const row = fc.record({
      correct: fc.option(fc.boolean(), { nil: undefined }),
      score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      latency_ms: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
      region: fc.constantFrom('eu', 'us', 'apac'),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 80 }), (rows) => {
        const text = jsonl(rows.map((x) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined))));
        const load = parseSamplesText(text, 'p.jsonl');
        const hasAny = rows.some((x) => x.correct !== undefined || x.score !== undefined || x.latency_ms !== undefined);
        if (!hasAny) return !load.ok;
        if (!load.ok) return false;
        for (const s of load.result.slices) {
          const sub = rows.filter((x) => x.region === s.value);
          if (s.count !== sub.length) return false;
          const c = sub.filter((x) => x.correct !== undefined);
          const acc = s.metrics['accuracy'];
          if (c.length === 0 ? acc !== undefined : acc?.n !== c.length || acc.successes !== c.filter((x) => x.correct).length) return false;
          const lat = sub.flatMap((x) => (x.latency_ms === undefined ? [] : [x.latency_ms])).sort((a, b) => a - b);
          const p95 = s.metrics['latency_p95_ms'];
          if (lat.length === 0 ? p95 !== undefined : p95?.value !== percentile(lat, 0.95)) return false;
          const sc = sub.flatMap((x) => (x.score === undefined ? [] : [x.score]));
          const m = s.metrics['score'];
          if (sc.length === 0 ? m !== undefined : Math.abs((m?.value ?? NaN) - sc.reduce((a, b) => a + b, 0) / sc.length) > 1e-9) return false;
        }
        return true;
      }),
    );
  });

  it('skips blank lines, handles CRLF, a BOM and a last line without newline', async () => {
    const text = '\ufeff{"correct": true}\r\n\r\n   \n{"correct": false}\r\n{"correct": true}';
    const r = ok(await loadEvalFile(file('crlf.jsonl', text), 'samples', 'crlf.jsonl'));
    expect(metric(r, 'accuracy')).toMatchObject({ n: 3, successes: 2 });
    expect(ok(parseSamplesText(text, 'crlf.jsonl')).metrics['accuracy']).toMatchObject({ n: 3, successes: 2 });
  });

  it('a line that is not JSON is an error naming file and line', async () => {
    const text = '{"correct": true}\n\n{"correct": tru\n{"correct": true}\n';
    const e = err(await loadEvalFile(file('bad.jsonl', text), 'samples', 'evals/bad.jsonl'));
    expect(e).toMatchObject({ file: 'evals/bad.jsonl', line: 3 });
    expect(e.message).toMatch(/^line 3 is not valid JSON/);
  });

  it('a score out of range, NaN, or a non-boolean correct is an error with the line', () => {
    expect(err(parseSamplesText('{"score": 0.5}\n{"score": 1.5}\n', 's.jsonl'))).toMatchObject({
      line: 2,
      message: 'line 2: "score" must be a number from 0 to 1, found 1.5',
    });
    expect(err(parseSamplesText('{"score": NaN}\n', 's.jsonl'))).toMatchObject({ line: 1, message: expect.stringMatching(/NaN and Infinity are not valid JSON/) as string });
    expect(err(parseSamplesText('{"correct": 1}\n', 's.jsonl'))).toMatchObject({ line: 1, message: 'line 1: "correct" must be true or false, found 1' });
    expect(err(parseSamplesText('{"correct": "yes"}\n', 's.jsonl')).message).toBe('line 1: "correct" must be true or false, found "yes"');
    expect(err(parseSamplesText('{"correct": true, "latency_ms": -3}\n', 's.jsonl')).message).toMatch(/latency_ms/);
    expect(err(parseSamplesText('{"correct": true, "created_at": "yesterday"}\n', 's.jsonl')).message).toMatch(/ISO 8601/);
    expect(err(parseSamplesText('[1, 2]\n', 's.jsonl')).message).toMatch(/not a JSON object/);
  });

  it('an empty file is an error ("no samples")', async () => {
    expect(err(await loadEvalFile(file('empty.jsonl', ''), 'samples', 'empty.jsonl')).message).toBe('no samples: the file is empty');
    expect(err(await loadEvalFile(file('blank.jsonl', '\n\n  \n'), 'samples', 'blank.jsonl')).message).toBe('no samples: the file has only blank lines');
  });

  it('lines with nothing to measure are an error that names the fields found (lm-eval samples declared as samples)', async () => {
    const e = err(await loadEvalFile(join(import.meta.dirname, '../fixtures/real/lm-eval/samples_asdiv_llama-3-8b-instruct_limit50.jsonl'), 'samples', 'asdiv.jsonl'));
    expect(e.message).toBe('no sample has "correct", "score" or "latency_ms", so there is nothing to measure; numeric or boolean fields found: "doc_id", "acc"');
  });

  it('a JSON (not JSONL) file declared as samples is an error', () => {
    const e = err(parseSamplesText(real('deepeval/latest_test_run_beeai-agent_2cases-9metrics.json'), 'd.json'));
    expect(e.message).toBe(
      'not a samples JSONL file: no sample has "correct", "score" or "latency_ms", so there is nothing to measure; fields found: "testRunData"; it looks like a DeepEval test run (`.deepeval/.latest_test_run.json`): declare `format: deepeval`',
    );
    const pretty = err(parseSamplesText('{\n  "version": 1\n}\n', 'p.json'));
    expect(pretty).toMatchObject({ line: 1, message: expect.stringMatching(/^line 1 is not valid JSON: .*pretty-printed JSON; samples must be JSONL/) as string });
  });

  it('mixed versions, missing timestamps and missing outcomes are reported', () => {
    const text = jsonl([
      { correct: true, model_version: 'a', created_at: '2026-11-02T00:00:00+02:00' },
      { correct: false, model_version: 'b', created_at: '2026-11-01T23:00:00Z' },
      { correct: true },
      { score: 0.5, lang: 'en' },
    ]);
    const r = ok(parseSamplesText(text, 'm.jsonl'));
    expect(r.modelVersions).toEqual(['a', 'b']);
    expect(r.model).toBeUndefined();
    expect(r.createdAt).toBe('2026-11-01T22:00:00.000Z'); // the oldest, in UTC
    expect(r.warnings).toEqual([
      'accuracy is over the 3 of 4 samples that have "correct"',
      'score is over the 1 of 4 samples that have "score"',
      '2 of 4 samples have no "model_version"',
      '2 of 4 samples have no "created_at"',
    ]);
  });

  it('a requested slice field that no sample has, or a reserved one, is warned about', () => {
    const r = ok(parseSamplesText(jsonl([{ correct: true, lang: 'en' }]), 's.jsonl', { slices: ['region', 'model_version'] }));
    expect(r.slices).toEqual([]);
    expect(r.warnings).toEqual(['slice field "region" is in no sample', 'slice field "model_version" is a reserved key, not a slice field']);
  });

  it('parseSamples takes an async iterable of lines', async () => {
    async function* lines() {
      yield '{"correct": true, "lang": "en"}';
      yield '{"correct": false, "lang": "pt"}';
    }
    const r = ok(await parseSamples(lines(), 'it.jsonl'));
    expect(metric(r, 'accuracy')).toMatchObject({ n: 2, successes: 1 });
    expect(r.slices).toHaveLength(2);
  });

  it('streams a file much larger than the read chunk without holding it (lines split across chunks)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) lines.push(JSON.stringify({ id: i, correct: i % 4 !== 0, latency_ms: i % 1000, pad: 'x'.repeat(i % 97), tier: `t${i % 5}` }));
    const p = file('big.jsonl', lines.join('\n'));
    const r = ok(await loadEvalFile(p, 'samples', 'big.jsonl', { slices: ['tier'] }));
    expect(metric(r, 'accuracy')).toMatchObject({ n: 30_000, successes: 22_500 });
    const p95 = metric(r, 'latency_p95_ms');
    expect(p95.n).toBe(30_000);
    expect(Math.abs(p95.value - 949) / 949).toBeLessThan(0.005 + 1e-9); // sketch past 4,096 values
    expect(r.slices.map((s) => s.count)).toEqual([6000, 6000, 6000, 6000, 6000]);
  });
});

describe('readSampleLine', () => {
  it('skips blank lines, drops a BOM on line 1 and a CR, and reads the reserved keys', () => {
    expect(readSampleLine(' \r', 4, true)).toBeUndefined();
    expect(readSampleLine('\ufeff{"correct": true, "score": null, "model_version": 3, "created_at": "2026-01-02T00:00:00Z", "lang": "de"}\r', 1, true)).toEqual({
      object: { correct: true, score: null, model_version: 3, created_at: '2026-01-02T00:00:00Z', lang: 'de' },
      correct: true,
      score: undefined,
      latency: undefined,
      createdAt: Date.parse('2026-01-02T00:00:00Z'),
      modelVersion: '3',
    });
  });
  it('says why a line makes the file invalid, with the column where its JSON breaks', () => {
    expect(readSampleLine('{"correct": true,}', 7, false)).toEqual({ error: "line 7 is not valid JSON: expected a double-quoted key, found '}'", column: 18 });
    expect(readSampleLine('{"latency_ms": -1}', 2, false)).toEqual({ error: 'line 2: "latency_ms" must be a number ≥ 0, found -1' });
    expect(readSampleLine('[1]', 3, false)).toEqual({ error: 'line 3 is not a JSON object (each line must be one sample, e.g. {"correct": true})' });
  });
});
