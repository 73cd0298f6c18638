/**
 * Which eval format a parsed file looks like, for error messages such as "it looks like a
 * promptfoo output: declare `format: promptfoo`". Heuristic; never used to accept a file. Pure.
 */
import type { EvalFormat } from './types';
import { isRecord } from './util';

/** Guesses which eval format a parsed JSON value is. */
export function sniffFormat(v: unknown): EvalFormat | undefined {
  if (!isRecord(v)) return undefined;
  const results = v['results'];
  if (isRecord(results) && Array.isArray(results['results'])) return 'promptfoo';
  if (isRecord(v['eval']) && (typeof v['status'] === 'string' || isRecord(v['results']))) return 'inspect';
  if (isRecord(results) && (isRecord(v['n-samples']) || isRecord(v['versions']) || isRecord(v['configs']))) return 'lm-eval';
  if (isRecord(v['testRunData']) || (Array.isArray(v['testCases']) && Array.isArray(v['metricsScores']))) return 'deepeval';
  if (v['version'] === 1 && isRecord(v['metrics'])) return 'lastmile';
  return undefined;
}

const FORMAT_LABEL: Record<EvalFormat, string> = {
  lastmile: 'a Last Mile summary',
  samples: 'a samples JSONL file',
  promptfoo: 'a promptfoo output (`promptfoo eval -o`)',
  'lm-eval': 'an lm-evaluation-harness results file',
  inspect: 'an inspect_ai eval log',
  deepeval: 'a DeepEval test run (`.deepeval/.latest_test_run.json`)',
};

/** "; it looks like <guess>: declare `format: <guess>`" where the guess is another format, else "". */
export function looksLike(expected: EvalFormat, guess: EvalFormat | undefined): string {
  return guess !== undefined && guess !== expected ? `; it looks like ${FORMAT_LABEL[guess]}: declare \`format: ${guess}\`` : '';
}

/** "not an inspect_ai eval log: <reason>; it looks like a promptfoo output…" */
export function wrongFormat(expected: EvalFormat, value: unknown, reason: string): string {
  return wrongFormatGuess(expected, sniffFormat(value), reason);
}

/** As {@link wrongFormat}, with the format already guessed. */
export function wrongFormatGuess(expected: EvalFormat, guess: EvalFormat | undefined, reason: string): string {
  return `not ${FORMAT_LABEL[expected]}: ${reason}${looksLike(expected, guess)}`;
}
