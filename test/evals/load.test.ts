import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadEvalFile, parseEval, streamSamples } from '../../src/collect/evals';
import type { EvalFormat } from '../../src/evidence/evals/types';
import { EVAL_FORMATS } from '../../src/evidence/evals/types';
import { REAL, err, metric, ok } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'lastmile-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURES: [string, EvalFormat][] = readdirSync(REAL, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(REAL, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, EvalFormat] => [`${d.name}/${f}`, d.name as EvalFormat]),
  );

describe('fixtures', () => {
  it('are the byte-for-byte copies SOURCES.md lists (git blob hashes)', () => {
    const sources = readFileSync(join(REAL, 'SOURCES.md'), 'utf8');
    const files = readdirSync(REAL, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(REAL, d.name)).map((f) => `${d.name}/${f}`));
    expect(files).toHaveLength(18);
    for (const f of files) {
      const row = new RegExp(`\`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` \\(blob \`([0-9a-f]{8})…`).exec(sources);
      expect(row, `${f} is listed with its blob in SOURCES.md`).not.toBeNull();
      const bytes = readFileSync(join(REAL, f));
      const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
      expect(blob.startsWith((row as RegExpExecArray)[1] as string), f).toBe(true);
    }
  });
});

describe('loadEvalFile', () => {
  it.each(FIXTURES)('reads %s as %s', async (rel, format) => {
    const r = ok(await loadEvalFile(join(REAL, rel), format, rel));
    expect(r.format).toBe(format);
    expect(r.file).toBe(rel);
    expect(Object.keys(r.metrics).length).toBeGreaterThan(0);
  });

  it('every real fixture declared as any other format is an error naming the file', () => {
    for (const [rel, actual] of FIXTURES) {
      const text = readFileSync(join(REAL, rel), 'utf8');
      for (const declared of EVAL_FORMATS) {
        if (declared === actual) continue;
        const load = parseEval(text, declared, rel);
        expect(load.ok, `${rel} declared as ${declared}`).toBe(false);
        if (!load.ok) {
          expect(load.error.file).toBe(rel);
          if (declared !== 'samples') expect(load.error.message, `${rel} as ${declared}`).toMatch(new RegExp(`declare \`format: ${actual}\``));
        }
      }
    }
  });

  it('truncating any real fixture makes it an error with a line, never a throw', () => {
    for (const [rel, format] of FIXTURES) {
      const text = readFileSync(join(REAL, rel), 'utf8');
      for (const frac of [0.1, 0.5, 0.99]) {
        const cut = text.slice(0, Math.floor(text.length * frac));
        const e = err(parseEval(cut, format, rel));
        expect(e.file).toBe(rel);
        expect(e.line, `${rel} cut at ${frac}`).toBe(cut.split('\n').length);
        expect(e.message).toMatch(/^invalid JSON: /);
      }
    }
  });

  it('a missing file, a directory, an unknown format', async () => {
    expect(err(await loadEvalFile(join(dir, 'nope.json'), 'promptfoo', 'nope.json'))).toEqual({ file: 'nope.json', message: 'file not found' });
    expect(err(await loadEvalFile(dir, 'inspect', 'evals/'))).toEqual({ file: 'evals/', message: 'expected a regular file of eval results, found a directory' });
    expect(err(await loadEvalFile(join(dir, 'x'), 'csv' as EvalFormat, 'x')).message).toMatch(/unknown eval format "csv"/);
    expect(err(await loadEvalFile(join(dir, 'nope.jsonl'), 'samples', 'nope.jsonl')).message).toBe('file not found');
  });

  it('an lm-eval directory: the newest results_*.json, one level down, is read with a warning', async () => {
    const out = join(dir, 'lm-out');
    mkdirSync(join(out, 'org__model'), { recursive: true });
    const older = readFileSync(join(REAL, 'lm-eval/results_mmlu-abstract-algebra_gemma-2-2b-sae-steered_n100.json'));
    const newer = readFileSync(join(REAL, 'lm-eval/results_asdiv_llama-3-8b-instruct_limit50.json'));
    writeFileSync(join(out, 'org__model', 'results_2025-01-01T00-00-00.json'), older);
    writeFileSync(join(out, 'org__model', 'results_2025-06-01T00-00-00.json'), newer);
    writeFileSync(join(out, 'org__model', 'samples_asdiv_2025-06-01T00-00-00.jsonl'), '{}\n');
    const r = ok(await loadEvalFile(out, 'lm-eval', 'lm-out'));
    expect(metric(r, 'acc').value).toBe(0.92);
    expect(r.warnings[0]).toBe('read org__model/results_2025-06-01T00-00-00.json, the newest lm-eval results file in the directory');
    mkdirSync(join(dir, 'empty-out'));
    expect(err(await loadEvalFile(join(dir, 'empty-out'), 'lm-eval', 'empty-out')).message).toMatch(/no lm-eval results/);
  });

  it('parseEval reads samples JSONL from memory (e.g. from the base branch)', () => {
    const r = ok(parseEval('{"correct": true}\n{"correct": false}\n', 'samples', 'base:evals/prod.jsonl'));
    expect(metric(r, 'accuracy')).toMatchObject({ value: 0.5, n: 2 });
    expect(r.file).toBe('base:evals/prod.jsonl');
  });

  it('random bytes never throw', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '{}[]",:0123456789.eE+-truefalsnNaIiy \n\\';
    for (let i = 0; i < 300; i++) {
      const s = Array.from({ length: Math.floor(rnd() * 80) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      for (const f of EVAL_FORMATS) {
        const load = parseEval(s, f, 'r.json');
        expect(typeof load.ok).toBe('boolean');
      }
    }
  });
});

describe('samples streaming: lines and characters cut at read boundaries', () => {
  // The reader splits bytes at newlines and carries the rest of a line to the next read. With
  // tiny reads every boundary case occurs: a multi-byte character, a CRLF, a BOM or a line cut
  // anywhere, a line spread over many reads. The result must equal parsing the whole text.
  const value = fc.oneof(fc.constantFrom('en', 'pt', 'ß', '日本', '😀x', 'a\u00e9'), fc.string({ unit: 'grapheme', maxLength: 6 }));
  const sample = fc.record({ correct: fc.boolean(), score: fc.double({ min: 0, max: 1, noNaN: true }), lang: value, created_at: fc.constantFrom('2026-11-20T10:04:05Z', '2026-11-20T10:05:00.5Z') }, { requiredKeys: ['lang'] });
  const line = fc.oneof({ weight: 8, arbitrary: sample.map((o) => JSON.stringify(o)) }, { weight: 1, arbitrary: fc.constantFrom('', '   ', '{"correct": tru', '[1]') });
  const file = fc.record({
    bom: fc.boolean(),
    crlf: fc.boolean(),
    lines: fc.array(line, { minLength: 0, maxLength: 25 }),
    trailing: fc.boolean(),
    chunk: fc.integer({ min: 1, max: 40 }),
  });
  it('gives the same result as parsing the whole text, for any read size', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(file, async ({ bom, crlf, lines, trailing, chunk }) => {
        const text = (bom ? '\ufeff' : '') + lines.join(crlf ? '\r\n' : '\n') + (trailing && lines.length > 0 ? '\n' : '');
        const path = join(dir, `chunks-${k++}.jsonl`);
        writeFileSync(path, text);
        const opts = { slices: ['lang'] };
        expect(await streamSamples(path, 'e.jsonl', opts, chunk)).toEqual(parseEval(text, 'samples', 'e.jsonl', opts));
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
  it('a line longer than many reads is read whole', async () => {
    const long = JSON.stringify({ correct: true, note: 'é'.repeat(5000) });
    const path = join(dir, 'long.jsonl');
    writeFileSync(path, `{"correct": false}\n${long}\n{"correct": true}`);
    const load = await streamSamples(path, 'e.jsonl', {}, 7);
    const r = ok(load);
    expect(r.metrics['accuracy']).toMatchObject({ value: 2 / 3, n: 3 });
  });
});
