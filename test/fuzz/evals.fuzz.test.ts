// Fuzz: every eval format's adapter (through parseEval), and the evaluation core on mutated
// eval results: a file that cannot be read never lets the eval gates pass.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEval } from '../../src/collect/evals';
import { EVAL_FORMATS } from '../../src/evidence/evals/types';
import type { EvalFormat, EvalLoad, Metric } from '../../src/evidence/evals/types';
import { evaluate } from '../../src/core/evaluate';
import { SPEC_POLICY } from '../helpers/fixtures';
import { makeInput } from '../helpers/report';
import { jsonMutants, lineCount, lineMutants, oddString, oddValue, params, timeout } from './fuzz';
import type { Mutant } from './fuzz';
import { READY } from './subjects';

const REAL = join(import.meta.dirname, '..', 'fixtures', 'real');
const DISPLAY = 'evals/results.json';

/** The real outputs of each tool (test/fixtures/real), by the format that reads them. */
const REAL_FILES: Record<Exclude<EvalFormat, 'lastmile' | 'samples'>, string[]> = {
  promptfoo: readdirSync(join(REAL, 'promptfoo')).map((f) => `promptfoo/${f}`),
  'lm-eval': readdirSync(join(REAL, 'lm-eval')).filter((f) => f.endsWith('.json')).map((f) => `lm-eval/${f}`),
  inspect: readdirSync(join(REAL, 'inspect')).map((f) => `inspect/${f}`),
  deepeval: readdirSync(join(REAL, 'deepeval')).map((f) => `deepeval/${f}`),
};

/** A Last Mile summary that passes SPEC §3's thresholds as the curated eval. */
const LASTMILE = JSON.stringify(
  {
    version: 1,
    model: { name: 'triage-classifier', version: '2026-11-01' },
    commit: '5abecd6',
    created_at: '2026-11-14T09:00:00Z',
    metrics: { accuracy: { value: 0.94, n: 1000, successes: 940 }, latency_p95_ms: { value: 812, n: 1000, kind: 'percentile' } },
    slices: [{ field: 'language', value: 'pt', metrics: { accuracy: { value: 0.9, n: 100, successes: 90 } } }],
  },
  null,
  2,
);

/** 1,000 samples that pass SPEC §3's policy as the production-sample eval (accuracy 0.92). */
const SAMPLES =
  Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      id: `s${i}`,
      correct: i % 25 >= 2,
      latency_ms: 100 + (i % 50),
      language: i < 700 ? 'en' : 'pt',
      channel: i % 2 === 0 ? 'chat' : 'email',
      model_version: '2026-11-01',
      created_at: `2026-11-1${i % 5}T10:00:00Z`,
    }),
  ).join('\n') + '\n';

const SAMPLE_KEYS = ['id', 'correct', 'score', 'latency_ms', 'language', 'channel', 'model_version', 'created_at', '__proto__', 'extra'];

/** Samples mutants: one field of one line set to an odd value (or a bare NaN), plus line-level damage. */
function samplesMutants(base: string): fc.Arbitrary<Mutant> {
  const lines = base.split('\n');
  const objects = lines.filter((l) => l.trim() !== '').length;
  const field = fc.tuple(fc.integer({ min: 0, max: objects - 1 }), fc.constantFrom(...SAMPLE_KEYS), fc.oneof(oddValue.map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('NaN', 'Infinity', '-1', '1.5', '1e999', '"true"', '"2026-02-30T00:00:00Z"', '"2026-11-14"'))).map(([i, key, valueText]) => {
    const ls = [...lines];
    const obj = JSON.parse(ls[i]!) as Record<string, unknown>;
    obj[key] = '\u0001V\u0001';
    ls[i] = JSON.stringify(obj).replace('"\\u0001V\\u0001"', valueText);
    return { text: ls.join('\n'), how: `line ${i + 1} ${key} := ${valueText.slice(0, 80)}`, [fc.toStringMethod]: () => `line ${i + 1} ${key} := ${valueText.slice(0, 80)}` } as Mutant;
  });
  const junkLine = fc.oneof(oddString, oddValue.map((v) => JSON.stringify(v) ?? 'undefined'), fc.constantFrom('{', '[', '{"correct": true', '{"correct": true}}', '{"correct": true} {"correct": false}', '   ', '\t', '//comment', '{"correct": tru}'));
  return fc.oneof({ arbitrary: field, weight: 3 }, { arbitrary: lineMutants(base, junkLine), weight: 2 });
}

function expectMetric(m: Metric, how: string): void {
  expect(typeof m.value, how).toBe('number');
  if (m.n !== undefined) expect(Number.isInteger(m.n) && m.n >= 0, `n = ${m.n} (${how})`).toBe(true);
  if (m.successes !== undefined) {
    expect(Number.isInteger(m.successes) && m.successes >= 0, `successes = ${m.successes} (${how})`).toBe(true);
    if (m.n !== undefined) expect(m.successes, how).toBeLessThanOrEqual(m.n);
  }
  if (m.stderr !== undefined) expect(Number.isFinite(m.stderr) && m.stderr >= 0, `stderr = ${m.stderr} (${how})`).toBe(true);
  expect(['proportion', 'mean', 'percentile']).toContain(m.kind);
  if (m.range) expect(m.range[0] <= m.range[1], `range ${m.range.join('..')} (${how})`).toBe(true);
}

/** A load is either a usable result or a clear error: the file, a line inside it where given, no thrown bug. */
function expectWellFormed(load: EvalLoad, format: EvalFormat, text: string, how: string): void {
  if (!load.ok) {
    const e = load.error;
    expect(e.file).toBe(DISPLAY);
    expect(e.message.trim(), how).not.toBe('');
    // parseEval turns a thrown exception into this message: it must never be needed.
    expect(e.message, how).not.toMatch(/^could not read the eval results/);
    if (e.line !== undefined) {
      expect(Number.isInteger(e.line) && e.line >= 1, `line ${e.line} (${how})`).toBe(true);
      expect(e.line, how).toBeLessThanOrEqual(lineCount(text) + 1);
    }
    if (e.column !== undefined) expect(Number.isInteger(e.column) && e.column >= 1, `column ${e.column} (${how})`).toBe(true);
    // JSONL: every error names its line, except those about the whole file.
    if (format === 'samples' && e.line === undefined) expect(e.message, how).toMatch(/^(no samples|no sample has|not a samples JSONL file)/);
    return;
  }
  const r = load.result;
  expect(r.format).toBe(format);
  expect(r.file).toBe(DISPLAY);
  expect(['complete', 'partial', 'inconclusive']).toContain(r.status);
  for (const m of Object.values(r.metrics)) expectMetric(m, how);
  for (const s of r.slices) {
    expect(Number.isInteger(s.count) && s.count >= 0, how).toBe(true);
    for (const m of Object.values(s.metrics)) expectMetric(m, how);
  }
  if (r.createdAt !== undefined) expect(Number.isNaN(Date.parse(r.createdAt)), `createdAt ${r.createdAt} (${how})`).toBe(false);
}

/** True when `cut` is `base` cut short before the end of its last value. */
function cutShort(base: string, cut: string): boolean {
  return cut.trimEnd().length < base.trimEnd().length;
}

describe('fuzz: eval adapters (parseEval), one format at a time', () => {
  const bases: [EvalFormat, string, string][] = [
    ['lastmile', 'synthetic summary', LASTMILE],
    ...Object.entries(REAL_FILES).flatMap(([format, files]) => files.map((f): [EvalFormat, string, string] => [format as EvalFormat, f, readFileSync(join(REAL, f), 'utf8')])),
  ];

  for (const [format, name, base] of bases) {
    // Large files cost more per case: fewer cases, the same seed.
    const cases = base.length > 100_000 ? 40 : base.length > 20_000 ? 80 : 150;
    it(
      `${format} (${name}): never throws on a mutated file; an error names the file and a line inside it`,
      () => {
        expectWellFormed(parseEval(base, format, DISPLAY), format, base, 'unmutated');
        fc.assert(
          fc.property(jsonMutants(base), (mut) => {
            expectWellFormed(parseEval(mut.text, format, DISPLAY), format, mut.text, mut.how);
          }),
          params(cases),
        );
      },
      timeout(),
    );

    it(
      `${format} (${name}): a truncated file is always an error at a line of the file`,
      () => {
        // Files under 1 KB at every byte, larger ones at sampled offsets.
        const offsets = base.length <= 1000 ? fc.constant(null) : fc.integer({ min: 0, max: base.length - 1 });
        const checkCut = (at: number) => {
          const text = base.slice(0, at);
          if (!cutShort(base, text)) return;
          const load = parseEval(text, format, DISPLAY);
          const how = `cut at ${at}`;
          expectWellFormed(load, format, text, how);
          expect(load.ok, how).toBe(false);
          if (!load.ok && text.trim() !== '') expect(load.error.line, `${how}: ${load.error.message}`).toBeGreaterThanOrEqual(1);
        };
        if (base.length <= 1000) {
          for (let at = 0; at < base.length; at++) checkCut(at);
          return;
        }
        fc.assert(fc.property(offsets as fc.Arbitrary<number>, checkCut), params(cases));
      },
      timeout(),
    );

    it(`${format} (${name}): read as every other format, it is a clear error or a result, never a crash`, () => {
      for (const other of EVAL_FORMATS) expectWellFormed(parseEval(base, other, DISPLAY), other, base, `as ${other}`);
    });
  }

  it(
    'samples: never throws on a mutated file; every error names its line (or is about the whole file)',
    () => {
      const lmEvalSamples = readFileSync(join(REAL, 'lm-eval', 'samples_en-it-translation_phi-3.5-mini_n4.jsonl'), 'utf8');
      for (const base of [SAMPLES, lmEvalSamples]) {
        expectWellFormed(parseEval(base, 'samples', DISPLAY, { slices: ['language', 'channel'] }), 'samples', base, 'unmutated');
        fc.assert(
          fc.property(samplesMutants(base), fc.boolean(), (mut, sliced) => {
            const load = parseEval(mut.text, 'samples', DISPLAY, sliced ? { slices: ['language', 'channel'] } : {});
            expectWellFormed(load, 'samples', mut.text, mut.how);
          }),
          params(base === SAMPLES ? 200 : 100),
        );
      }
    },
    timeout(),
  );

  it(
    'samples: a file cut inside a line is an error on exactly that line',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: SAMPLES.length - 2 }), (at) => {
          const text = SAMPLES.slice(0, at);
          const lastNewline = text.lastIndexOf('\n');
          const partial = text.slice(lastNewline + 1);
          const load = parseEval(text, 'samples', DISPLAY);
          expectWellFormed(load, 'samples', text, `cut at ${at}`);
          if (partial.trim() === '' || partial.endsWith('}')) return; // cut at a line end: a valid shorter file
          expect(load.ok, `cut at ${at}`).toBe(false);
          if (!load.ok) expect(load.error.line, `cut at ${at}`).toBe(text.split('\n').length);
        }),
        params(200),
      );
    },
    timeout(),
  );
});

describe('fuzz: evaluation core on mutated eval results (release/1.0, SPEC §3 policy)', () => {
  const manifest = READY.replace('format: promptfoo', 'format: lastmile');
  const opts = { slices: ['language', 'channel'] };
  const run = (curated: EvalLoad, production: EvalLoad) =>
    evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'release/1.0', systems: [{ manifestYaml: manifest, evals: { curated, 'production-sample': production } }] }));
  const evalGates = (r: ReturnType<typeof run>) => (r.systems[0]?.gates ?? []).filter((g) => g.id.startsWith('eval.'));

  it('the unmutated results pass, so that "never pass" below is not vacuous', () => {
    const r = run(parseEval(LASTMILE, 'lastmile', 'evals/curated.json'), parseEval(SAMPLES, 'samples', 'evals/prod-sample.jsonl', opts));
    expect(r.systems[0]?.gates.filter((g) => g.outcome !== 'pass' && g.outcome !== 'skipped')).toEqual([]);
    expect(r.verdict).toBe('pass');
  });

  it(
    'a curated file that cannot be read never yields pass; one that is read passes only on finite metrics that meet the threshold',
    () => {
      const production = parseEval(SAMPLES, 'samples', 'evals/prod-sample.jsonl', opts);
      let rejected = 0;
      fc.assert(
        fc.property(jsonMutants(LASTMILE), (mut) => {
          const curated = parseEval(mut.text, 'lastmile', 'evals/curated.json');
          const r = run(curated, production);
          if (!curated.ok) {
            rejected++;
            expect(r.verdict, mut.how).not.toBe('pass');
            // The gates that read this file fail (a waiver may cover eval.slices alone).
            for (const g of evalGates(r).filter((x) => x.id !== 'eval.regression' && x.id !== 'eval.slices')) expect(g.outcome, `${g.id}: ${mut.how}`).toBe('fail');
            return;
          }
          if (r.verdict !== 'pass') return;
          const acc = curated.result.metrics['accuracy'];
          expect(acc, mut.how).toBeDefined();
          expect(Number.isFinite(acc!.value) && acc!.value >= 0.9, `accuracy ${acc?.value} (${mut.how})`).toBe(true);
        }),
        params(150),
      );
      expect(rejected).toBeGreaterThan(0);
    },
    timeout(),
  );

  it(
    'a production-sample file that cannot be read never yields pass',
    () => {
      const curated = parseEval(LASTMILE, 'lastmile', 'evals/curated.json');
      let rejected = 0;
      fc.assert(
        fc.property(samplesMutants(SAMPLES), (mut) => {
          const production = parseEval(mut.text, 'samples', 'evals/prod-sample.jsonl', opts);
          const r = run(curated, production);
          if (!production.ok) {
            rejected++;
            expect(r.verdict, mut.how).not.toBe('pass');
            for (const g of evalGates(r).filter((x) => x.id !== 'eval.regression' && x.id !== 'eval.slices')) expect(g.outcome, `${g.id}: ${mut.how}`).toBe('fail');
            return;
          }
          if (r.verdict !== 'pass') return;
          const acc = production.result.metrics['accuracy'];
          expect(Number.isFinite(acc?.value) && acc!.value >= 0.85, `accuracy ${acc?.value} (${mut.how})`).toBe(true);
        }),
        params(150),
      );
      expect(rejected).toBeGreaterThan(0);
    },
    timeout(),
  );
});
