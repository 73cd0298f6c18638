// End to end through dist/index.js (issue 14, SPEC §5 and §5.1): every green and every red of the
// eval gates is one a release manager can defend in front of a statistician. One test per false
// green and false red the issue names; each asserts the verdict AND that the comment shows the
// interval or the errored count behind it, and has its control (the same run without the defect,
// or for a false red, a real drop that still fails). The report JSON carries each gate's outcome,
// reason and details; a passing gate's line in the comment carries no numbers, so the controls
// that pass assert their intervals on the report's details. The comment is read as plain text
// (`plain`); its layout (bullets, bold, headings, tables) is not asserted.
//
// | issue 14 case                                              | the rule (SPEC §5.1)                              |
// |------------------------------------------------------------|---------------------------------------------------|
// | promptfoo: 400 passed, 600 errored vs `min: 0.9`            | errored results count in n as failures            |
// | `score: 1` on every line; lastmile `stderr: 0`              | never zero-width: Wilson of the mean and n        |
// | inspect 1/3 with stderr 1/3                                 | t(n − 1) for n < 30, clipped to [0, 1]            |
// | a production sample of 3 lines without thresholds           | min_samples on every required source              |
// | lastmile `{ value: 0.91, n: 100 }` vs `min: 0.90`           | n without successes/stderr: Wilson, not the point |
// | an unchanged model re-run (curated 1,000, production 400)   | regression fails only on the drop's lower bound   |
// | 92/100 → 90/100 with max_drop 0.02                          | at the limit passes (tolerance 1e-9)              |
// | an lm-eval 0.3 results file (`acc`, `acc_stderr`)           | read under the same names as 0.4 (SPEC §4)        |
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { FIXTURES, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { POLICY_PATH, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, finishTest, plain, prEvent } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

function policy(minSamples = 30): string {
  return `version: 1
branches:
  - { pattern: "release/**", stage: production, enforce: block }
stages:
  production: { require: [ownership, evals] }
signoffs: {}
evals:
  confidence: 0.95
  min_samples: ${minSamples}
  max_age_days: 30
  require_sources: [curated, production-sample]
  max_gap: { accuracy: 0.05 }
  slices: { min_samples: 30, max_drop: 0.10 }
  regression: { max_drop: 0.02 }
`;
}

const RECENT = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// Eval files

/** A `lastmile` summary file with the given metrics. */
function lastmile(metrics: Record<string, Record<string, unknown>>): string {
  return `${JSON.stringify({ version: 1, model: { name: 'triage-classifier', version: '2026-11-01' }, created_at: RECENT, metrics }, null, 2)}\n`;
}

/** A `lastmile` summary with one accuracy proportion of `successes` / `n`. */
function accuracy(successes: number, n: number): string {
  return lastmile({ accuracy: { value: successes / n, n, successes } });
}

/** `samples` JSONL: `lines` objects, each with the reserved provenance keys added. */
function samples(lines: Record<string, unknown>[]): string {
  return `${lines.map((l, i) => JSON.stringify({ id: `t-${i + 1}`, ...l, model_version: '2026-11-01', created_at: RECENT })).join('\n')}\n`;
}

type Json = Record<string, unknown>;
const REAL = path.join(FIXTURES, 'real');

/**
 * A promptfoo `-o results.json` of one provider: the envelope (evalId, config, metadata, prompt)
 * and each result's keys come from the real output in test/fixtures/real/promptfoo (promptfoo
 * 0.121.2); `passed` results pass their assertion, `failed` ones fail it (failureReason 1), and
 * `errored` ones are provider errors (failureReason 2, `error`, `gradingResult: null`), as
 * promptfoo writes them for a rate-limited provider.
 */
function promptfoo(o: { passed: number; failed?: number; errored?: number }): string {
  const real = JSON.parse(readFileSync(path.join(REAL, 'promptfoo', 'nicheiq-2providers-30tests-allfail.json'), 'utf8')) as Json;
  const results = real.results as Json;
  const template = (results.results as Json[]).find((e) => (e.provider as Json).id === 'openai:gpt-4o')!;
  const prompt = (results.prompts as Json[]).find((p) => p.id === template.promptId) ?? (results.prompts as Json[])[0]!;
  const failed = o.failed ?? 0;
  const errored = o.errored ?? 0;
  const total = o.passed + failed + errored;
  const rateLimited =
    'API error: 429 Too Many Requests\n{"error":{"message":"Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 30000, Requested 812.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}';
  const entries: Json[] = [];
  for (let i = 0; i < total; i++) {
    const kind = i < o.passed ? 'passed' : i < o.passed + failed ? 'failed' : 'errored';
    const vars = { ticket: `Ticket ${i + 1}: my invoice is wrong`, expected: 'billing' };
    const common: Json = {
      cost: kind === 'errored' ? 0 : template.cost,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      latencyMs: template.latencyMs,
      namedScores: {},
      prompt: template.prompt,
      promptId: template.promptId,
      promptIdx: template.promptIdx,
      provider: template.provider,
      testCase: { description: `route ticket ${i + 1}`, vars, assert: [{ type: 'icontains', value: 'billing' }] },
      testIdx: i,
      vars,
      metadata: {},
    };
    if (kind === 'errored') {
      entries.push({ ...common, error: rateLimited, gradingResult: null, response: { error: rateLimited }, score: 0, success: false, failureReason: 2 });
    } else {
      const pass = kind === 'passed';
      const reason = pass ? 'All assertions passed' : 'Expected output to contain "billing"';
      entries.push({
        ...common,
        gradingResult: { pass, score: pass ? 1 : 0, reason, namedScores: {}, tokensUsed: { total: 0, prompt: 0, completion: 0, cached: 0, numRequests: 0 }, componentResults: [{ pass, score: pass ? 1 : 0, reason, assertion: { type: 'icontains', value: 'billing' } }] },
        response: { output: pass ? 'billing' : 'technical-support', tokenUsage: { total: 12, prompt: 10, completion: 2 }, cached: false, latencyMs: template.latencyMs, finishReason: 'stop' },
        score: pass ? 1 : 0,
        success: pass,
        failureReason: pass ? 0 : 1,
      });
    }
  }
  const metrics = { ...(prompt.metrics as Json), testPassCount: o.passed, testFailCount: failed, testErrorCount: errored };
  const out = {
    evalId: real.evalId,
    results: {
      version: 3,
      timestamp: RECENT,
      prompts: [{ ...prompt, metrics }],
      results: entries,
      stats: { successes: o.passed, failures: failed, errors: errored, tokenUsage: (results.stats as Json).tokenUsage },
    },
    config: real.config,
    shareableUrl: null,
    metadata: { ...(real.metadata as Json), exportedAt: RECENT, evaluationCreatedAt: RECENT },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * An inspect_ai JSON log: the real header of test/fixtures/real/inspect/intercode-ctf_… (inspect
 * 0.3.75, scorer `includes` with `accuracy` and `stderr`), rerun on `n` samples, dated recently.
 */
function inspectLog(n: number, acc: number, stderr: number): string {
  const j = JSON.parse(readFileSync(path.join(REAL, 'inspect', 'intercode-ctf_mistral-small_n79_samples-trimmed.json'), 'utf8')) as Json;
  const ev = j.eval as Json;
  ev.created = RECENT;
  const dataset = ev.dataset as Json;
  dataset.samples = n;
  dataset.sample_ids = Array.from({ length: n }, (_, i) => String(i));
  const stats = j.stats as Json;
  stats.started_at = RECENT;
  stats.completed_at = RECENT;
  const results = j.results as Json;
  results.total_samples = n;
  results.completed_samples = n;
  const metrics = ((results.scores as Json[])[0]!.metrics as Json) as Record<string, Json>;
  metrics.accuracy!.value = acc;
  metrics.stderr!.value = stderr;
  return `${JSON.stringify(j, null, 2)}\n`;
}

/** The real lm-eval 0.3.0 results file (test/fixtures/lm-eval-0.3/SOURCES.md). */
const LM_EVAL_03 = readFileSync(path.join(FIXTURES, 'lm-eval-0.3', 'results_gsm8k_llama-30b_8shot.json'), 'utf8');

/**
 * The same run in the lm-eval 0.4 layout (derived: keys with the `,none` filter suffix, `n-samples`
 * for the 1,319 GSM8K test questions, `higher_is_better`, a `date`), for the control.
 */
function lmEval04(): string {
  const v03 = JSON.parse(LM_EVAL_03) as { results: { gsm8k: { acc: number; acc_stderr: number } }; config: Json };
  const { acc, acc_stderr } = v03.results.gsm8k;
  return `${JSON.stringify(
    {
      results: { gsm8k: { alias: 'gsm8k', 'acc,none': acc, 'acc_stderr,none': acc_stderr } },
      group_subtasks: { gsm8k: [] },
      configs: { gsm8k: { task: 'gsm8k', num_fewshot: 8 } },
      versions: { gsm8k: 3.0 },
      'n-shot': { gsm8k: 8 },
      higher_is_better: { gsm8k: { acc: true } },
      'n-samples': { gsm8k: { original: 1319, effective: 1319 } },
      config: { model: 'hf', model_args: v03.config.model_args, batch_size: 'auto', limit: null, bootstrap_iters: 100000 },
      date: Math.floor(Date.parse(RECENT) / 1000),
    },
    null,
    2,
  )}\n`;
}

// ---------------------------------------------------------------------------------------------
// Systems and runs

interface EvalEntry {
  name: string;
  source: 'curated' | 'production-sample' | 'shadow' | 'red-team' | 'load';
  path: string;
  format: 'lastmile' | 'samples' | 'promptfoo' | 'lm-eval' | 'inspect' | 'deepeval';
  metrics?: Record<string, { min?: number; max?: number }>;
}

const CURATED = (min = 0.9, format: EvalEntry['format'] = 'lastmile', file = 'evals/curated.json'): EvalEntry => ({
  name: 'curated',
  source: 'curated',
  path: file,
  format,
  metrics: { accuracy: { min } },
});
const PRODUCTION: EvalEntry = { name: 'production-sample', source: 'production-sample', path: 'evals/prod.json', format: 'lastmile', metrics: { accuracy: { min: 0.85 } } };

/** The example's ready system with exactly these evals and eval files, under `pol`. */
function system(evals: EvalEntry[], files: Record<string, string>, pol = policy()): Record<string, string> {
  const ready = readySystem();
  delete ready['evals/curated.json'];
  delete ready['evals/prod-sample.jsonl'];
  ready['lastmile.yml'] = editYaml(ready['lastmile.yml']!, (doc) => {
    doc.set('evals', doc.createNode(evals));
    doc.delete('waivers');
  });
  return { [POLICY_PATH]: pol, ...ready, ...files };
}

async function runPr(base: Record<string, string>, head: Record<string, string>): Promise<{ r: RunResult; comment: string }> {
  gh = await fakeGitHub({ baseFiles: base });
  const r = await runAction({ apiUrl: gh.url, workspace: workspace(head), ...prEvent() });
  expectNoStackTrace(r);
  const comments = gh.comments(2);
  expect(comments).toHaveLength(1);
  return { r, comment: plain(comments[0]!.body) };
}

interface Gate {
  outcome: string;
  reason: string;
  details?: string[];
}

function gate(r: RunResult, id: string): Gate {
  const systems = (r.report?.systems ?? []) as { gates: (Gate & { id: string })[] }[];
  const found = systems.flatMap((s) => s.gates).find((g) => g.id === id);
  expect(found, `gate ${id} in the report:\n${r.stdout}\n${r.stderr}`).toBeDefined();
  return found!;
}

interface Cell {
  value: number;
  lower?: number;
  upper?: number;
  n?: number;
  errors?: number;
}

function evalRow(r: RunResult, metric: string): { curated?: Cell; production?: Cell; gap?: number; gapLower?: number; gapUpper?: number } {
  const rows = ((r.report?.systems ?? []) as { evalTable?: { metric: string }[] }[]).flatMap((s) => s.evalTable ?? []);
  const row = rows.find((x) => x.metric === metric);
  expect(row, `evalTable row ${metric}`).toBeDefined();
  return row as ReturnType<typeof evalRow>;
}

/** The base holds only the policy: eval.regression is skipped and the head's evals are judged alone. */
const BASE = { [POLICY_PATH]: policy() };

// ---------------------------------------------------------------------------------------------

describe('false greens', () => {
  describe('errored results count as failures (promptfoo failureReason 2)', () => {
    // Production at 0.95 (n = 1,000): a curated pass rate of 0.96 is within max_gap of it.
    const run = (curated: string) => system([CURATED(0.9, 'promptfoo'), PRODUCTION], { 'evals/curated.json': curated, 'evals/prod.json': accuracy(950, 1000) });

    it('400 passed and 600 errored of 1,000 is 0.400 [0.370, 0.431], never 400/400, and fails `min: 0.9`', async () => {
      const head = run(promptfoo({ passed: 400, errored: 600 }));
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('fail');
      expect(g.reason).toContain('curated accuracy = 0.400 [0.370, 0.431] n=1000, 600 errored, needs ≥ 0.9');
      expect(comment).toContain('0.400 [0.370, 0.431] n=1000, 600 errored');
      // The side-by-side table counts them too.
      const row = evalRow(r, 'accuracy');
      expect(row.curated).toMatchObject({ value: 0.4, n: 1000, errors: 600 });
      expect(row.curated!.lower).toBeCloseTo(0.3701, 4);
      expect(row.curated!.upper).toBeCloseTo(0.4307, 4);
      // Nowhere the 400/400 that ignoring the errors would give.
      expect(comment).not.toMatch(/n=400\b/);
    });

    it('control: the same run without the rate limit (960 passed, 40 failed) passes', async () => {
      const { r, comment } = await runPr(BASE, run(promptfoo({ passed: 960, failed: 40 })));
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      expect(g.details).toContain('pass: curated accuracy = 0.960 [0.946, 0.970] n=1000 ≥ 0.9 at 95 % confidence');
      expect(comment).not.toContain('errored');
      expect(evalRow(r, 'accuracy').curated).toMatchObject({ value: 0.96, n: 1000 });
    });

    it('a few errored results are counted and shown, and a run that clears its bar with them still passes (960 passed, 40 errored)', async () => {
      const { r } = await runPr(BASE, run(promptfoo({ passed: 960, errored: 40 })));
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      // A passing gate's comment line carries no numbers: the report JSON carries them.
      expect(g.details).toContain('pass: curated accuracy = 0.960 [0.946, 0.970] n=1000, 40 errored ≥ 0.9 at 95 % confidence');
      expect(evalRow(r, 'accuracy').curated).toMatchObject({ value: 0.96, n: 1000, errors: 40 });
    });

    it('a run whose 1,000 results all errored is inconclusive with no estimate, never a score of 0', async () => {
      const { r, comment } = await runPr(BASE, run(promptfoo({ passed: 0, errored: 1000 })));
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('curated: all 1000 results errored (first error: API error: 429 Too Many Requests)');
      expect(gate(r, 'eval.production-gap').outcome).toBe('inconclusive');
      expect(comment).toContain('all 1000 results errored');
      expect(comment).not.toMatch(/accuracy = 0(\.0+)? /);
    });
  });

  describe('no zero-width interval for a score of 1 on every line', () => {
    // Wilson lower bound of 1 at n: n / (n + z²), z = 1.959964: 50 → 0.9287 (< 0.95); 73 → 0.95001.
    const shadow = (file: string, format: EvalEntry['format']): EvalEntry => ({ name: 'shadow', source: 'shadow', path: file, format, metrics: { score: { min: 0.95 } } });
    const evals = (file: string, format: EvalEntry['format']): EvalEntry[] => [CURATED(), PRODUCTION, shadow(file, format)];
    const files = { 'evals/curated.json': accuracy(940, 1000), 'evals/prod.json': accuracy(930, 1000) };

    it('samples with `score: 1` on each of 50 lines: 1 [0.929, 1] n=50, not [1, 1]; inconclusive against `min: 0.95`', async () => {
      const head = system(evals('evals/shadow.jsonl', 'samples'), { ...files, 'evals/shadow.jsonl': samples(Array.from({ length: 50 }, () => ({ score: 1 }))) });
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('shadow score = 1 [0.929, 1] n=50: the lower bound of its 95 % interval is below 0.95; about 73 samples at this rate would settle it');
      expect(comment).toContain('1 [0.929, 1] n=50');
      expect(comment).not.toContain('[1, 1]');
    });

    it('control: the 73 lines the gate asked for settle it (1 [0.950, 1] n=73 passes)', async () => {
      const head = system(evals('evals/shadow.jsonl', 'samples'), { ...files, 'evals/shadow.jsonl': samples(Array.from({ length: 73 }, () => ({ score: 1 }))) });
      const { r } = await runPr(BASE, head);
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      expect(g.details).toContain('pass: shadow score = 1 [0.950, 1] n=73 ≥ 0.95 at 95 % confidence');
    });

    it('a lastmile accuracy of 1 with `stderr: 0` (n = 50) is judged on Wilson: 1 [0.929, 1] n=50, inconclusive', async () => {
      const shadowFile = lastmile({ accuracy: { value: 1, n: 50, stderr: 0 } });
      const pipeline: EvalEntry = { name: 'shadow', source: 'shadow', path: 'evals/shadow.json', format: 'lastmile', metrics: { accuracy: { min: 0.95 } } };
      const head = system([CURATED(), PRODUCTION, pipeline], { ...files, 'evals/shadow.json': shadowFile });
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('shadow accuracy = 1 [0.929, 1] n=50: the lower bound of its 95 % interval is below 0.95');
      expect(comment).toContain('1 [0.929, 1] n=50');
      expect(comment).not.toContain('[1, 1]');
    });
  });

  describe('inspect 1/3 (accuracy 0.333 ± 0.333, n = 3)', () => {
    const evals = [CURATED(), PRODUCTION, { name: 'shadow', source: 'shadow', path: 'evals/shadow.json', format: 'inspect', metrics: { accuracy: { min: 0.3 } } } as EvalEntry];
    const files = { 'evals/curated.json': accuracy(940, 1000), 'evals/prod.json': accuracy(930, 1000) };

    it('is 0.333 [0, 1] n=3 (t with 2 df, clipped), never [-0.32, 0.987], and inconclusive under min_samples', async () => {
      const head = system(evals, { ...files, 'evals/shadow.json': inspectLog(3, 1 / 3, 1 / 3) });
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('shadow accuracy = 0.333 [0, 1] n=3: fewer than min_samples 30');
      expect(comment).toContain('0.333 [0, 1] n=3');
      expect(comment).not.toMatch(/-0\.32|0\.987/);
    });

    it('with min_samples 3 met, the interval itself leaves it inconclusive (lower bound 0 < 0.3)', async () => {
      const pol = policy(3);
      const head = system(evals, { ...files, 'evals/shadow.json': inspectLog(3, 1 / 3, 1 / 3) }, pol);
      const { r, comment } = await runPr({ [POLICY_PATH]: pol }, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('shadow accuracy = 0.333 [0, 1] n=3: the lower bound of its 95 % interval is below 0.3');
      expect(comment).toContain('0.333 [0, 1] n=3');
    });

    it('control: the same task on 1,000 samples (0.940 ± 0.0075) passes', async () => {
      const head = system(evals, { ...files, 'evals/shadow.json': inspectLog(1000, 0.94, Math.sqrt((0.94 * 0.06) / 999)) });
      const { r } = await runPr(BASE, head);
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      // 0.94 ± 1.96 × 0.0075 = [0.9253, 0.9547], widened below to Wilson's 0.9235 (940 of 1,000).
      expect(g.details).toContain('pass: shadow accuracy = 0.940 [0.924, 0.955] n=1000 ≥ 0.3 at 95 % confidence');
    });
  });

  describe('min_samples applies to every required source in eval.production-gap', () => {
    // The production sample declares no threshold, so eval.thresholds never looks at its size.
    const bare: EvalEntry = { name: 'production-sample', source: 'production-sample', path: 'evals/prod.jsonl', format: 'samples' };
    const lines = (n: number, correct: number) => samples(Array.from({ length: n }, (_, i) => ({ correct: i < correct })));

    it('a production sample of 3 lines (all correct) is inconclusive, not a pass on a point-estimate gap', async () => {
      const head = system([CURATED(), bare], { 'evals/curated.json': accuracy(940, 1000), 'evals/prod.jsonl': lines(3, 3) });
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.production-gap');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toBe('production-sample (production-sample): 3 samples, fewer than min_samples 30');
      expect(comment).toContain('3 samples, fewer than min_samples 30');
      expect(gate(r, 'eval.thresholds').outcome).toBe('pass');
    });

    it('control: 400 production lines (372 correct) pass on the interval of the gap', async () => {
      const head = system([CURATED(), bare], { 'evals/curated.json': accuracy(940, 1000), 'evals/prod.jsonl': lines(400, 372) });
      const { r } = await runPr(BASE, head);
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.production-gap');
      expect(g.outcome).toBe('pass');
      expect(g.details).toContain('pass: accuracy: curated 0.940 [0.924, 0.953] n=1000, production-sample 0.930 [0.901, 0.951] n=400, gap 0.0100 [-0.0168, 0.0421] (max 0.05)');
      const row = evalRow(r, 'accuracy');
      expect(row.production).toMatchObject({ value: 0.93, n: 400 });
      expect(row.gapUpper!).toBeLessThanOrEqual(0.05);
    });
  });

  describe('a value with n but neither successes nor stderr is judged on Wilson', () => {
    const evals = [CURATED(0.9), PRODUCTION];

    it('lastmile `{ value: 0.91, n: 100 }` vs `min: 0.90` is inconclusive: 0.910 [0.838, 0.952] n=100', async () => {
      const head = system(evals, { 'evals/curated.json': lastmile({ accuracy: { value: 0.91, n: 100 } }), 'evals/prod.json': accuracy(930, 1000) });
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('curated accuracy = 0.910 [0.838, 0.952] n=100: the lower bound of its 95 % interval is below 0.9; about 3458 samples at this rate would settle it');
      expect(comment).toContain('0.910 [0.838, 0.952] n=100');
    });

    it('control: the 3,458 samples it asked for settle it (Wilson lower bound 0.9000010 ≥ 0.9)', async () => {
      const head = system(evals, { 'evals/curated.json': lastmile({ accuracy: { value: 0.91, n: 3458 } }), 'evals/prod.json': accuracy(930, 1000) });
      const { r } = await runPr(BASE, head);
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      expect(g.details).toContain('pass: curated accuracy = 0.910 [0.900, 0.919] n=3458 ≥ 0.9 at 95 % confidence');
    });
  });
});

describe('false reds', () => {
  describe('an unchanged model re-run does not block eval.regression', () => {
    const evals = [CURATED(), PRODUCTION];
    const files = (curated: [number, number], prod: [number, number]) => system(evals, { 'evals/curated.json': accuracy(...curated), 'evals/prod.json': accuracy(...prod) });

    it('curated 930/1000 → 921/1000 and production 380/400 → 370/400 (point drop 0.025 > max_drop 0.02) passes with a note', async () => {
      const { r, comment } = await runPr(files([930, 1000], [380, 400]), files([921, 1000], [370, 400]));
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.regression');
      expect(g.outcome).toBe('pass');
      expect(g.reason).toContain(
        'no drop beyond max_drop that the evidence shows (1 unsettled): production-sample accuracy: 0.950 [0.924, 0.967] n=400 on base → 0.925 [0.895, 0.947] n=400, drop 0.0250',
      );
      // Newcombe: 0.025 [-0.0090, 0.0597]; the base's own n = 400 keeps 0.02 inside whatever the head's n.
      expect(g.reason).toContain(
        "drop 0.0250 [-0.00901, 0.0597] (max_drop 0.02): the point drop exceeds max_drop but its 95 % interval does not show it; the base's own sample is too small for the head alone to settle it: more samples on both would",
      );
      expect(g.details).toContain('curated accuracy: 0.930 [0.912, 0.944] n=1000 on base → 0.921 [0.903, 0.936] n=1000, drop 0.00900 [-0.0142, 0.0322] (max_drop 0.02)');
      expect(comment).toContain('0.950 [0.924, 0.967] n=400 on base → 0.925 [0.895, 0.947] n=400, drop 0.0250 [-0.00901, 0.0597]');
    });

    it('control: a real drop (production 380/400 → 320/400) still fails, with its interval', async () => {
      const { r, comment } = await runPr(files([930, 1000], [380, 400]), files([921, 1000], [320, 400]));
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.regression');
      expect(g.outcome).toBe('fail');
      expect(g.reason).toMatch(/production-sample accuracy: 0\.950 \[0\.924, 0\.967\] n=400 on base → 0\.800 \[0\.758, 0\.836\] n=400, drop 0\.150 \[0\.\d+, 0\.\d+\] \(max_drop 0\.02\)/);
      expect(comment).toContain('0.800 [0.758, 0.836] n=400');
    });
  });

  describe('a drop exactly at max_drop is not a failure by floating-point rounding', () => {
    // 0.92 − 0.90 = 0.020000000000000018 in binary floating point.
    const evals = [CURATED(0.8), PRODUCTION];
    const files = (k: number) => system(evals, { 'evals/curated.json': accuracy(k, 100), 'evals/prod.json': accuracy(380, 400) });

    it('92/100 → 90/100 with max_drop 0.02 passes, with no "exceeds max_drop" note', async () => {
      const { r, comment } = await runPr(files(92), files(90));
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.regression');
      expect(g.outcome).toBe('pass');
      expect(g.reason).toBe('2 metrics no worse than on the base beyond max_drop at 95 % confidence');
      expect(comment).toContain('2 metrics no worse than on the base beyond max_drop at 95 % confidence');
      expect(comment).not.toContain('exceeds max_drop');
      expect(g.details).toContain('curated accuracy: 0.920 [0.850, 0.959] n=100 on base → 0.900 [0.826, 0.945] n=100, drop 0.0200 [-0.0631, 0.104] (max_drop 0.02)');
    });

    it('control: 92/100 → 89/100 (0.03 over max_drop, unsettled at n = 100) passes with the note', async () => {
      const { r, comment } = await runPr(files(92), files(89));
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.regression');
      expect(g.outcome).toBe('pass');
      expect(g.reason).toContain('curated accuracy: 0.920 [0.850, 0.959] n=100 on base → 0.890 [0.814, 0.937] n=100, drop 0.0300');
      expect(g.reason).toContain('the point drop exceeds max_drop but its 95 % interval does not show it');
      expect(comment).toContain('0.920 [0.850, 0.959] n=100 on base → 0.890 [0.814, 0.937] n=100, drop 0.0300 [-0.0546, 0.116]');
    });
  });

  describe('lm-eval 0.3 results (`acc`, `acc_stderr` without `,none`) read under the same names', () => {
    // A second curated eval: eval.production-gap compares the first, so this one is judged by
    // eval.thresholds (and eval.freshness, on the file's git commit time: 0.3 records no date).
    // A 0.3 file records no n: its interval is value ± z·stderr, and eval.thresholds does not check
    // min_samples for it today (this run is the full 1,319-question test set, `limit: null`).
    const bench = (metrics: EvalEntry['metrics']): EvalEntry => ({ name: 'gsm8k', source: 'curated', path: 'evals/gsm8k.json', format: 'lm-eval', metrics });
    const files = { 'evals/curated.json': accuracy(940, 1000), 'evals/prod.json': accuracy(930, 1000) };
    const names = { acc: { min: 0.27 }, 'gsm8k/acc': { min: 0.27 }, 'gsm8k/acc,none': { min: 0.27 } };

    it('the real 0.3.0 file passes `acc`, `gsm8k/acc` and `gsm8k/acc,none` on its stderr interval 0.305 [0.280, 0.330]', async () => {
      const head = system([CURATED(), PRODUCTION, bench(names)], { ...files, 'evals/gsm8k.json': LM_EVAL_03 });
      const { r } = await runPr(BASE, head);
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      // 0.30478 ± 1.959964 × 0.012679 (z: 0.3 records no n, so no t and no Wilson widening).
      for (const name of Object.keys(names)) expect(g.details).toContain(`pass: gsm8k ${name} = 0.305 [0.280, 0.330] ≥ 0.27 at 95 % confidence`);
      expect(gate(r, 'eval.freshness').outcome).toBe('pass');
    });

    it('the same file is inconclusive against `min: 0.29` (the bound, not the point 0.305, is judged)', async () => {
      const head = system([CURATED(), PRODUCTION, bench({ acc: { min: 0.29 } })], { ...files, 'evals/gsm8k.json': LM_EVAL_03 });
      const { r, comment } = await runPr(BASE, head);
      expectVerdict(r, 'fail');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('inconclusive');
      expect(g.reason).toContain('gsm8k acc = 0.305 [0.280, 0.330]: the lower bound of its 95 % interval is below 0.29; more samples would narrow it');
      expect(comment).toContain('0.305 [0.280, 0.330]');
    });

    it('control: the same run in the 0.4 layout passes under the same names (Wilson on n = 1319)', async () => {
      const head = system([CURATED(), PRODUCTION, bench(names)], { ...files, 'evals/gsm8k.json': lmEval04() });
      const { r } = await runPr(BASE, head);
      expectVerdict(r, 'pass');
      const g = gate(r, 'eval.thresholds');
      expect(g.outcome).toBe('pass');
      // 402 of 1,319: Wilson [0.2805, 0.3302].
      for (const name of Object.keys(names)) expect(g.details).toContain(`pass: gsm8k ${name} = 0.305 [0.281, 0.330] n=1319 ≥ 0.27 at 95 % confidence`);
    });
  });
});
