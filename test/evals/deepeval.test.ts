import { describe, expect, it } from 'vitest';
import { parseDeepeval } from '../../src/evidence/evals/formats/deepeval';
import { err, metric, ok, real } from './helpers';

describe('deepeval adapter on real test runs', () => {
  it('2 cases × 9 metrics: pass counts per metric, accuracy = cases passing every metric', () => {
    const r = ok(parseDeepeval(real('deepeval/latest_test_run_beeai-agent_2cases-9metrics.json'), 'd.json'));
    expect(metric(r, 'accuracy')).toMatchObject({ value: 0, n: 2, successes: 0 }); // both fail Argument Correctness
    expect(metric(r, 'Exact Match')).toMatchObject({ value: 0.5, n: 2, successes: 1 });
    expect(metric(r, 'Argument Correctness')).toMatchObject({ value: 0, n: 2, successes: 0 });
    for (const name of ['AnswerLLMJudgeMetric', 'Answer Relevancy', 'Contextual Recall', 'Faithfulness', 'Tool Correctness', 'ToolUsageMetric', 'FactsSimilarityMetric']) {
      expect(metric(r, name)).toMatchObject({ value: 1, n: 2, successes: 2 });
    }
    expect(metric(r, 'ToolUsageMetric/score')).toMatchObject({ value: 0.875, n: 2 });
    expect(r.versionRecorded).toBe(false);
    expect(r.timeRecorded).toBe(false);
    expect(r.createdAt).toBeUndefined();
    expect(r.status).toBe('complete');
    expect(r.warnings).toEqual([]); // agrees with metricsScores and each case's success
  });
  it('1 case with 1 passing and 1 failing metric', () => {
    const r = ok(parseDeepeval(real('deepeval/latest_test_run_beeai-agent_1case-2metrics.json'), 'd.json'));
    expect(metric(r, 'Exact Match')).toMatchObject({ value: 1, n: 1 });
    expect(metric(r, 'ToolUsageMetric')).toMatchObject({ value: 0, n: 1 });
    expect(metric(r, 'accuracy')).toMatchObject({ value: 0, n: 1 });
  });
});

describe('deepeval adapter on edge cases', () => {
  const tc = (metrics: { name: string; success: boolean | null; score: number | null }[], success?: boolean) => ({
    name: 'c',
    success,
    metricsData: metrics.map((m) => ({ ...m, threshold: 0.5 })),
  });
  it('a bare (unwrapped) test run is read; errored metrics count as failures (SPEC §5.1)', () => {
    const text = JSON.stringify({
      testCases: [
        tc([{ name: 'F', success: true, score: 0.9 }, { name: 'G', success: null, score: null }]),
        tc([{ name: 'F', success: false, score: 0.2 }, { name: 'G', success: true, score: 1 }], false),
        tc([{ name: 'F', success: true, score: 0.8 }, { name: 'G', success: true, score: 1 }], true),
      ],
      metricsScores: [],
    });
    const r = ok(parseDeepeval(text, 'd.json'));
    expect(metric(r, 'F')).toMatchObject({ value: 2 / 3, n: 3, higherIsBetter: true });
    expect(metric(r, 'F').errors).toBeUndefined();
    expect(metric(r, 'G')).toMatchObject({ value: 2 / 3, n: 3, successes: 2, errors: 1 });
    // case 1 errored on G: a failed case, not one left out
    expect(metric(r, 'accuracy')).toMatchObject({ value: 1 / 3, n: 3, successes: 1, errors: 1 });
    // G's scores (1, 1) with success = score ≥ 0.5: higher is better, the errored case counts as 0
    expect(metric(r, 'G/score')).toMatchObject({ value: 2 / 3, n: 3, errors: 1, higherIsBetter: true, range: [0, 1] });
    expect(metric(r, 'F/score')).toMatchObject({ n: 3, higherIsBetter: true });
    expect(r.errored).toBe(1);
    expect(r.warnings).toContain('metrics that errored on some test cases: G (1)');
    expect(r.warnings).toContain('1 of 3 test cases had a metric that errored (counted as failed in accuracy)');
  });
  it('reads a lower-is-better score (Toxicity: success = score ≤ threshold) from the data', () => {
    const text = JSON.stringify({
      testCases: [
        tc([{ name: 'Toxicity', success: true, score: 0.1 }]),
        tc([{ name: 'Toxicity', success: false, score: 0.9 }]),
        tc([{ name: 'Toxicity', success: null, score: null }]),
      ],
    });
    const r = ok(parseDeepeval(text, 'd.json'));
    expect(metric(r, 'Toxicity')).toMatchObject({ value: 1 / 3, n: 3, errors: 1, higherIsBetter: true });
    // the errored case counts at the worst score, 1
    expect(metric(r, 'Toxicity/score')).toMatchObject({ n: 3, errors: 1, higherIsBetter: false });
    expect(metric(r, 'Toxicity/score').value).toBeCloseTo(2 / 3, 12);
  });
  it('every metric errored → inconclusive', () => {
    const text = JSON.stringify({ testRunData: { testCases: [tc([{ name: 'F', success: null, score: null }])] } });
    const r = ok(parseDeepeval(text, 'd.json'));
    expect(r.status).toBe('inconclusive');
    expect(r.statusReason).toBe('every test case (1) had a metric that errored');
    expect(r.metrics).toEqual({});
  });
  it('a metricsScores that disagrees is warned about', () => {
    const text = JSON.stringify({
      testRunData: { testCases: [tc([{ name: 'F', success: true, score: 1 }], true)], metricsScores: [{ metric: 'F', scores: [1], passes: 0, fails: 1, errors: 0 }] },
    });
    expect(ok(parseDeepeval(text, 'd.json')).warnings).toContain('metricsScores for "F" says 0 passed, 1 failed, 0 errored; the test cases have 1, 0, 0');
  });
  it('no test cases is an error; an lm-eval file is the wrong format', () => {
    expect(err(parseDeepeval('{"testRunData": {"testCases": []}}', 'd.json')).message).toBe('no test cases');
    expect(err(parseDeepeval(real('lm-eval/results_asdiv_llama-3-8b-instruct_limit50.json'), 'l.json')).message).toMatch(
      /^not a DeepEval test run .*looks like an lm-evaluation-harness results file: declare `format: lm-eval`$/,
    );
  });
});
