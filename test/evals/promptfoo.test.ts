import { describe, expect, it } from 'vitest';
import { parsePromptfoo } from '../../src/evidence/evals/formats/promptfoo';
import { interval, isInconclusive, metricInterval } from '../../src/evidence/evals/intervals';
import { err, metric, ok, real } from './helpers';

describe('promptfoo adapter on real outputs', () => {
  it('redteam: 4 passed, 2 failed; named scores; one provider; no version', () => {
    const r = ok(parsePromptfoo(real('promptfoo/redteam-azure-harmful-6tests.json'), 'rt.json'));
    const acc = metric(r, 'accuracy');
    expect(acc).toMatchObject({ value: 4 / 6, n: 6, successes: 4, kind: 'proportion' });
    expect(metric(r, 'pass_rate')).toMatchObject({ value: 4 / 6, n: 6, successes: 4 });
    expect(metric(r, 'Harmful/Iterative')).toMatchObject({ value: 0.5, n: 2, kind: 'mean', stderr: 0.5 });
    expect(metric(r, 'Harmful/Crescendo')).toMatchObject({ value: 0.5, n: 2 });
    expect(metric(r, 'Harmful')).toMatchObject({ value: 1, n: 2, stderr: 0 });
    expect(r.errored).toBeUndefined();
    expect(r.status).toBe('complete');
    expect(r.versionRecorded).toBe(false);
    expect(r.model).toEqual({ name: 'azure:chat:gpt-4o-with-guardrails' });
    expect(r.createdAt).toBe('2025-08-19T03:31:48.732Z');
    expect(r.timeRecorded).toBe(true);
    expect(r.slices).toHaveLength(1);
    expect(r.slices[0]).toMatchObject({ field: 'provider', value: 'Cat Azure OpenAI', count: 6 });
    expect(interval(acc, 0.95)?.method).toBe('wilson');
    expect(r.warnings).toEqual([]);
  });

  it('nicheiq: 30 results all failed by assertions → accuracy 0 over 30, not inconclusive', () => {
    const r = ok(parsePromptfoo(real('promptfoo/nicheiq-2providers-30tests-allfail.json'), 'n.json'));
    expect(r.status).toBe('complete');
    expect(metric(r, 'accuracy')).toMatchObject({ value: 0, n: 30, successes: 0 });
    expect(r.errored).toBeUndefined();
    // createdAt is the run, not the later export
    expect(r.createdAt).toBe('2026-03-21T20:25:02.992Z');
    expect(r.model).toBeUndefined(); // two providers
    const bySlice = Object.fromEntries(r.slices.map((s) => [s.value, s]));
    expect(bySlice['gpt-4o']?.count).toBe(15);
    expect(bySlice['gpt-4o-mini']?.metrics['accuracy']).toMatchObject({ value: 0, n: 15 });
    expect(r.warnings).toContain(
      'the results mix 2 providers (openai:gpt-4o, openai:gpt-4o-mini); the metrics pool them, the "provider" slices split them',
    );
    expect(r.warnings).toContain('16 of the 30 failures came from an assertion that threw an error, which may be a bug in the test rather than in the model');
  });

  it('a requested slice field is read from vars', () => {
    const r = ok(parsePromptfoo(real('promptfoo/nicheiq-2providers-30tests-allfail.json'), 'n.json', { slices: ['nosuchvar'] }));
    expect(r.warnings).toContain('slice field "nosuchvar" is in no result\'s vars or metadata');
  });
});

/** A promptfoo v3 output built by hand (SOURCES.md: no licensed all-errored run exists). */
function run(results: Record<string, unknown>[], stats?: Record<string, number>): string {
  return JSON.stringify({
    evalId: 'eval-abc-2026-11-20T10:00:00',
    results: {
      version: 3,
      timestamp: '2026-11-20T10:00:00.000Z',
      prompts: [],
      results,
      stats: stats ?? { successes: 0, failures: 0, errors: results.length },
    },
    config: {},
    shareableUrl: null,
    metadata: { promptfooVersion: '0.121.2', exportedAt: '2026-11-20T10:05:00.000Z', evaluationCreatedAt: '2026-11-20T10:00:00.000Z' },
  });
}
const errored = (i: number) => ({
  success: false,
  failureReason: 2,
  error: 'API error: 401 Unauthorized\nstack',
  gradingResult: null,
  score: 0,
  namedScores: {},
  provider: { id: 'openai:gpt-4o' },
  testIdx: i,
  promptIdx: 0,
});
const graded = (i: number, success: boolean, named: Record<string, number> = {}) => ({
  success,
  failureReason: success ? 0 : 1,
  gradingResult: { pass: success, score: success ? 1 : 0, reason: '' },
  score: success ? 1 : 0,
  namedScores: named,
  provider: { id: 'openai:gpt-4o' },
  vars: { language: i % 2 === 0 ? 'en' : 'pt' },
  testIdx: i,
  promptIdx: 0,
});

describe('promptfoo adapter on hand-built runs', () => {
  it('every result errored → inconclusive, never accuracy 0', () => {
    const r = ok(parsePromptfoo(run([errored(0), errored(1), errored(2)]), 'e.json'));
    expect(r.status).toBe('inconclusive');
    expect(r.statusReason).toBe('all 3 results errored (first error: API error: 401 Unauthorized)');
    expect(r.errored).toBe(3);
    expect(r.metrics['accuracy']).toBeUndefined();
    expect(r.metrics['pass_rate']).toBeUndefined();
  });
  it('errored results count in n as failures (SPEC §5.1, as promptfoo: successes / (successes + failures + errors))', () => {
    const r = ok(parsePromptfoo(run([graded(0, true, { tone: 0.8 }), graded(1, false, { tone: 0.4 }), errored(2)], { successes: 1, failures: 1, errors: 1 }), 'm.json'));
    expect(metric(r, 'accuracy')).toMatchObject({ value: 1 / 3, n: 3, successes: 1, errors: 1, higherIsBetter: true });
    expect(metric(r, 'pass_rate')).toMatchObject({ value: 1 / 3, n: 3, successes: 1, errors: 1 });
    // a named score of unknown direction: the errored result waits for the gate's direction
    expect(metric(r, 'tone')).toMatchObject({ value: 0.6000000000000001, n: 2, unfoldedErrors: 1 });
    expect(r.errored).toBe(1);
    expect(r.status).toBe('complete');
    expect(r.warnings).toContain('1 of 3 results errored (counted in n as failures)');
  });
  it('400 passes and 600 errors: 0.40 [0.370, 0.431], never 400/400 (SPEC §5.1)', () => {
    const results = [...Array.from({ length: 400 }, (_, i) => graded(i, true, { f1: 0.9 })), ...Array.from({ length: 600 }, (_, i) => errored(400 + i))];
    const r = ok(parsePromptfoo(run(results, { successes: 400, failures: 0, errors: 600 }), 'big.json', { slices: ['language'] }));
    const acc = metric(r, 'accuracy');
    expect(acc).toMatchObject({ value: 0.4, n: 1000, successes: 400, errors: 600 });
    const i = metricInterval(acc, 0.95);
    if (isInconclusive(i)) throw new Error(i.inconclusive);
    expect(i.lower).toBeCloseTo(0.370, 3);
    expect(i.upper).toBeCloseTo(0.431, 3);
    // a named score the catalogue knows (f1, higher is better, in [0, 1]): errored results count as 0
    expect(metric(r, 'f1')).toMatchObject({ n: 1000, errors: 600 });
    expect(metric(r, 'f1').value).toBeCloseTo(0.36, 12);
    // errored results have no vars here: the language slices hold only the graded ones
    expect(r.slices.filter((s) => s.field === 'language').map((s) => s.metrics['accuracy']?.n)).toEqual([200, 200]);
    // the provider slice holds them all
    expect(r.slices.find((s) => s.field === 'provider')?.metrics['accuracy']).toMatchObject({ n: 1000, errors: 600 });
  });
  it('a slice whose results all errored has no estimate', () => {
    const other = { ...errored(2), provider: { id: 'openai:gpt-4o-mini' } };
    const r = ok(parsePromptfoo(run([graded(0, true), graded(1, true), other], { successes: 2, failures: 0, errors: 1 }), 'p.json'));
    const providers = r.slices.filter((s) => s.field === 'provider');
    expect(providers.map((s) => [s.value, s.count, s.metrics['accuracy']?.value])).toEqual([
      ['openai:gpt-4o', 2, 1],
      ['openai:gpt-4o-mini', 1, undefined],
    ]);
  });
  it('an older writer without failureReason: error and no grading = errored', () => {
    const old = errored(0) as Record<string, unknown>;
    delete old['failureReason'];
    const r = ok(parsePromptfoo(run([old, graded(1, true)], { successes: 1, failures: 0, errors: 1 }), 'o.json'));
    expect(r.errored).toBe(1);
    expect(metric(r, 'accuracy')).toMatchObject({ value: 0.5, n: 2, errors: 1 });
  });
  it('slices by a var; stats disagreeing with the list are warned about', () => {
    const r = ok(parsePromptfoo(run([graded(0, true), graded(1, false), graded(2, true)], { successes: 3, failures: 0, errors: 0 }), 's.json', { slices: ['language'] }));
    const lang = r.slices.filter((s) => s.field === 'language');
    expect(lang.map((s) => [s.value, s.metrics['accuracy']?.value, s.count])).toEqual([
      ['en', 1, 2],
      ['pt', 0, 1],
    ]);
    expect(r.warnings).toContain('results.stats says 3 passed, 0 failed, 0 errored; the results list has 2, 1, 0');
  });
  it('an empty results list is an error', () => {
    expect(err(parsePromptfoo(run([]), 'e.json')).message).toBe('no test results: "results.results" is empty');
  });
  it('an inspect log declared as promptfoo is an error that says so', () => {
    const e = err(parsePromptfoo(real('inspect/simpleqa-verified_claude-opus-4-6_header-only_n1000.json'), 'i.json'));
    expect(e.message).toMatch(/^not a promptfoo output .*looks like an inspect_ai eval log: declare `format: inspect`$/);
  });
  it('a truncated output is an error naming file and line', () => {
    const text = real('promptfoo/redteam-azure-harmful-6tests.json');
    const e = err(parsePromptfoo(text.slice(0, 5000), 'out/rt.json'));
    expect(e.file).toBe('out/rt.json');
    expect(e.line).toBe(text.slice(0, 5000).split('\n').length);
    expect(e.message).toMatch(/unexpected end of file/);
  });
});
