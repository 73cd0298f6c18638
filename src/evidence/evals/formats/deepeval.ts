/**
 * `deepeval`: DeepEval's `.deepeval/.latest_test_run.json`. DeepEval writes the test run wrapped
 * as `{ "testRunData": { "testCases": [...], "metricsScores": [...], ... } }`; a bare test run (the
 * inner object) is read too.
 *
 * Each test case (`testCases` and `conversationalTestCases`) has `metricsData[]` with `name`,
 * `success`, `score`, `threshold`. A metric whose `success` or `score` is null errored (DeepEval's
 * own rule). An errored metric is never evidence of success (SPEC §5.1): it counts in n as a
 * failure. Metrics: each metric name → share of test cases that passed it (proportion, n = every
 * case that ran it, `errors` = those where it errored); `<name>/score` → mean score with stderr,
 * its direction read from the data (success = score ≥ threshold, or ≤ for Toxicity-like metrics)
 * and errored cases counted at the worst score where that direction and the [0, 1] range are
 * clear (else left in `unfoldedErrors`); `accuracy` → share of test cases that passed every
 * metric (a case with an errored metric counts as failed; their number is `errored`). A metric
 * or accuracy that nothing was scored for has no estimate; every metric errored → inconclusive.
 *
 * What it cannot prove: when the run happened (no timestamp: `timeRecorded` false), which model
 * version was tested (`versionRecorded` false; `hyperparameters.model` is used as the name when
 * logged), or that the LLM judge (`evaluationModel`) is right.
 */
import { parseEvalJson } from '../json';
import { wrongFormat } from '../sniff';
import type { EvalLoad, Metric } from '../types';
import { addErrored } from '../intervals';
import { fail, isRecord, meanMetric, proportionMetric, record, str } from '../util';

interface PerMetric {
  passes: number;
  fails: number;
  errors: number;
  scores: number[];
  /** Every scored case agrees with success = score ≥ threshold (resp. ≤): the score's direction. */
  higherAgrees: boolean;
  lowerAgrees: boolean;
}

/** A tally from the file, for a message: a number as it is, anything else by its type (String() of a deeply nested list overflows the stack). */
function tally(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'a list' : typeof v === 'string' ? JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v) : `a ${typeof v}`;
}

/** Parses a DeepEval test run. Never throws for bad input. */
export function parseDeepeval(text: string, file: string): EvalLoad {
  const parsed = parseEvalJson(text, 'deepeval', true);
  if (!parsed.ok) return fail(file, parsed.message, parsed.line, parsed.column);
  const root = parsed.value;
  const run = isRecord(root) && isRecord(root['testRunData']) ? root['testRunData'] : root;
  if (!isRecord(run) || (!Array.isArray(run['testCases']) && !Array.isArray(run['conversationalTestCases']))) {
    return fail(file, wrongFormat('deepeval', root, 'expected "testRunData.testCases" to be an array of test cases'));
  }
  const cases = [
    ...(Array.isArray(run['testCases']) ? (run['testCases'] as unknown[]) : []),
    ...(Array.isArray(run['conversationalTestCases']) ? (run['conversationalTestCases'] as unknown[]) : []),
  ];
  if (cases.length === 0) return fail(file, 'no test cases');

  const warnings: string[] = [];
  const per = new Map<string, PerMetric>();
  let passedAll = 0;
  let evaluated = 0;
  let errored = 0;
  let noMetrics = 0;
  let disagree = 0;
  for (let i = 0; i < cases.length; i++) {
    const tc = cases[i];
    if (!isRecord(tc)) return fail(file, wrongFormat('deepeval', root, `test case ${i + 1} is not an object`));
    const md = tc['metricsData'];
    if (!Array.isArray(md) || md.length === 0) {
      noMetrics++;
      continue;
    }
    let anyError = false;
    let allPass = true;
    for (const d of md) {
      if (!isRecord(d) || typeof d['name'] !== 'string') {
        return fail(file, wrongFormat('deepeval', root, `test case ${i + 1} has a metric without a "name"`));
      }
      let p = per.get(d['name']);
      if (!p) per.set(d['name'], (p = { passes: 0, fails: 0, errors: 0, scores: [], higherAgrees: true, lowerAgrees: true }));
      const success = d['success'];
      const score = d['score'];
      if (typeof success !== 'boolean' || typeof score !== 'number' || !Number.isFinite(score)) {
        p.errors++;
        anyError = true;
        continue;
      }
      p.scores.push(score);
      const threshold = d['threshold'];
      if (typeof threshold === 'number' && Number.isFinite(threshold)) {
        if (success !== score >= threshold) p.higherAgrees = false;
        if (success !== score <= threshold) p.lowerAgrees = false;
      } else {
        p.higherAgrees = p.lowerAgrees = false;
      }
      if (success) p.passes++;
      else {
        p.fails++;
        allPass = false;
      }
    }
    if (anyError) {
      errored++;
      continue;
    }
    evaluated++;
    if (allPass) passedAll++;
    if (typeof tc['success'] === 'boolean' && tc['success'] !== allPass) disagree++;
  }

  const metrics = record<Metric>();
  const share = (name: string, passes: number, scored: number, errors: number): Metric => {
    const m: Metric = { ...proportionMetric(name, passes, scored + errors), higherIsBetter: true };
    if (errors > 0) m.errors = errors;
    return m;
  };
  if (evaluated > 0) metrics['accuracy'] = share('accuracy', passedAll, evaluated, errored);
  for (const [name, p] of per) {
    const n = p.passes + p.fails;
    if (n === 0) continue;
    if (name === 'accuracy') {
      warnings.push('a DeepEval metric named "accuracy" is hidden by the built-in accuracy (share of cases that passed every metric)');
    } else {
      metrics[name] = share(name, p.passes, n, p.errors);
    }
    let score = meanMetric(`${name}/score`, p.scores);
    // A direction only where the data shows one (all ties fit both: none).
    if (p.higherAgrees !== p.lowerAgrees) score.higherIsBetter = p.higherAgrees;
    if (p.scores.every((x) => x >= 0 && x <= 1)) score.range = [0, 1];
    if (p.errors > 0) {
      score = score.higherIsBetter === undefined ? { ...score, unfoldedErrors: p.errors } : addErrored(score, p.errors, score.higherIsBetter ? 'min' : 'max');
    }
    metrics[`${name}/score`] = score;
  }

  // DeepEval's own per-metric tallies, as a cross-check.
  if (Array.isArray(run['metricsScores'])) {
    for (const s of run['metricsScores'] as unknown[]) {
      if (!isRecord(s) || typeof s['metric'] !== 'string') continue;
      const p = per.get(s['metric']);
      if (p && (s['passes'] !== p.passes || s['fails'] !== p.fails || s['errors'] !== p.errors)) {
        warnings.push(
          `metricsScores for "${s['metric']}" says ${tally(s['passes'])} passed, ${tally(s['fails'])} failed, ${tally(s['errors'])} errored; the test cases have ${p.passes}, ${p.fails}, ${p.errors}`,
        );
      }
    }
  }
  if (noMetrics > 0) warnings.push(`${noMetrics} of ${cases.length} test cases have no metric data (not counted)`);
  if (errored > 0 && evaluated > 0) warnings.push(`${errored} of ${cases.length} test cases had a metric that errored (counted as failed in accuracy)`);
  if (disagree > 0) warnings.push(`${disagree} of ${cases.length} test cases have a "success" that disagrees with their metrics`);
  const erroredMetrics = [...per].filter(([, p]) => p.errors > 0).map(([name, p]) => `${name} (${p.errors})`);
  if (erroredMetrics.length > 0) warnings.push(`metrics that errored on some test cases: ${erroredMetrics.join(', ')}`);

  const result: EvalLoad = {
    ok: true,
    result: {
      format: 'deepeval',
      file,
      metrics,
      slices: [],
      versionRecorded: false,
      timeRecorded: false,
      status: 'complete',
      warnings,
    },
  };
  const r = result.result;
  if (errored > 0) r.errored = errored;
  if (evaluated === 0) {
    const why = errored > 0 ? `every test case (${errored}) had a metric that errored` : 'no test case has metric data';
    // Some metrics may still have non-errored scores; only accuracy is then missing.
    r.status = Object.keys(metrics).length > 0 ? 'partial' : 'inconclusive';
    r.statusReason = r.status === 'partial' ? `${why}, so accuracy cannot be computed` : why;
  }
  const hp = isRecord(run['hyperparameters']) ? run['hyperparameters'] : undefined;
  const model = str(hp?.['model']);
  if (model !== undefined) r.model = { name: model };
  return result;
}
