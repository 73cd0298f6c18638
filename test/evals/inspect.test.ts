import { describe, expect, it } from 'vitest';
import { parseInspect } from '../../src/evidence/evals/formats/inspect';
import { interval } from '../../src/evidence/evals/intervals';
import { err, metric, ok, real } from './helpers';

const load = (name: string) => parseInspect(real(`inspect/${name}`), name);

describe('inspect adapter on real logs', () => {
  it('popularity: cancelled after 3 samples → partial, accuracy 0.667 ± 0.333, commit', () => {
    const r = ok(load('popularity_gpt-4o-mini_cancelled-3of100.json'));
    expect(r.status).toBe('partial');
    // The run had `limit: 3` on a 100-sample dataset and was cancelled: the reason says both.
    expect(r.statusReason).toBe('cancelled after 3 of 3 planned samples (the dataset has 100, limit 3)');
    const acc = metric(r, 'accuracy');
    expect(acc.value).toBeCloseTo(0.667, 3);
    expect(acc.stderr).toBeCloseTo(0.333, 3);
    expect(acc.n).toBe(3);
    expect(metric(r, 'match/accuracy').value).toBeCloseTo(0.667, 3);
    expect(metric(r, 'match/stderr').value).toBeCloseTo(0.333, 3);
    expect(r.model).toEqual({ name: 'openai/gpt-4o-mini' });
    expect(r.versionRecorded).toBe(false);
    expect(r.commit).toBe('e9a9d7161');
    expect(r.createdAt).toBe('2025-05-13T00:28:13.000Z'); // 20:28:13-04:00
  });

  it('simpleqa header-only (no samples, no version): n 1000, accuracy 0.431 ± 0.0157, grader warned', () => {
    const r = ok(load('simpleqa-verified_claude-opus-4-6_header-only_n1000.json'));
    expect(r.status).toBe('complete');
    const acc = metric(r, 'accuracy');
    expect(acc.value).toBe(0.431);
    expect(acc.stderr).toBeCloseTo(0.0157, 4);
    expect(acc.n).toBe(1000);
    expect(metric(r, 'simpleqa_scorer/accuracy').n).toBe(1000);
    const i = interval(acc, 0.95);
    expect(i?.method).toBe('normal');
    expect(i?.lower).toBeCloseTo(0.4003, 4);
    expect(r.model?.name).toBe('anthropic/claude-opus-4-6');
    expect(r.warnings).toContain('other models were used in the run (e.g. as graders): google/gemini-2.0-flash-001');
    expect(r.commit).toBeUndefined();
  });

  it('cvebench: mean 0.705 with no stderr, n 78 scored of 80, 2 not completed', () => {
    const r = ok(load('cvebench_claude-opus-4-6_78of80-completed_mean-metric.json'));
    const mean = metric(r, 'mean');
    expect(mean.value).toBeCloseTo(0.705, 3);
    expect(mean.stderr).toBeUndefined();
    expect(mean.n).toBe(78);
    expect(metric(r, 'check_exploit/mean').n).toBe(78);
    expect(r.metrics['accuracy']).toBeUndefined();
    expect(r.status).toBe('complete');
    expect(r.errored).toBe(2);
    expect(r.warnings).toContain('2 of 80 samples errored or did not complete: counted in n as the worse outcome (for metrics of unknown direction, once the gate knows it)');
    // `mean` has no catalogue direction: its 2 errored samples wait for the gate's direction
    expect(mean.unfoldedErrors).toBe(2);
    expect(r.warnings.some((w) => w.includes('uncommitted changes'))).toBe(true);
    expect(r.commit).toBe('5b525c0');
    expect(interval(mean, 0.95)).toBeUndefined(); // nothing to build an interval from
  });

  it('errored samples count as failures in accuracy: simpleqa with 10 of 1,010 samples not completed', () => {
    const log = JSON.parse(real('inspect/simpleqa-verified_claude-opus-4-6_header-only_n1000.json')) as { results: Record<string, unknown> };
    log.results['total_samples'] = 1010;
    const r = ok(parseInspect(JSON.stringify(log), 'e.json'));
    expect(r.errored).toBe(10);
    const acc = metric(r, 'accuracy');
    expect(acc).toMatchObject({ n: 1010, errors: 10 });
    expect(acc.value).toBeCloseTo(431 / 1010, 12);
    // the stderr of the joined sample (431 ones, 569 zeros, 10 more zeros): √(p(1 − p)/(n − 1)) with p = 431/1010
    const p = 431 / 1010;
    expect(acc.stderr).toBeCloseTo(Math.sqrt((p * (1 - p) * 1010) / 1009 / 1010), 4);
    expect(metric(r, 'simpleqa_scorer/accuracy')).toMatchObject({ n: 1010, errors: 10 });
  });

  it('intercode-ctf: 79 scored though samples were trimmed to 1; accuracy 0.354 ± 0.054', () => {
    const r = ok(load('intercode-ctf_mistral-small_n79_samples-trimmed.json'));
    const acc = metric(r, 'accuracy');
    expect(acc.value).toBeCloseTo(0.354, 3);
    expect(acc.stderr).toBeCloseTo(0.054, 3);
    expect(acc.n).toBe(79); // from the header, not the samples array
    expect(metric(r, 'includes/accuracy').value).toBeCloseTo(0.354, 3);
  });

  it('cyse2 with 4 epochs: n is samples (2340 / 4 = 585), not sample-epochs; no stderr', () => {
    const r = ok(load('cyse2-vuln-exploit_mistral-large_epochs4_no-stderr.json'));
    expect(metric(r, 'accuracy').n).toBe(585);
    expect(metric(r, 'accuracy').stderr).toBeUndefined();
    expect(metric(r, 'mean').value).toBeCloseTo(0.381, 3);
    expect(metric(r, 'std').value).toBeCloseTo(0.3116, 4);
    expect(metric(r, 'vul_exploit_scorer/std').stderr).toBeUndefined();
  });

  it('an older writer (0.3.43): revision null, model_graded_fact scorer, n 1', () => {
    const r = ok(load('input-task_gpt-4o-mini_model-graded-fact_v0.3.43.json'));
    expect(metric(r, 'model_graded_fact/accuracy').value).toBe(1);
    expect(metric(r, 'accuracy').n).toBe(1);
    expect(metric(r, 'accuracy').stderr).toBe(0);
    expect(r.commit).toBeUndefined();
    expect(r.createdAt).toBe('2024-11-05T18:31:45.000Z');
  });
});

describe('inspect adapter on edge cases', () => {
  const log = (over: Record<string, unknown>) =>
    JSON.stringify({
      version: 2,
      status: 'success',
      eval: { model: 'openai/m', created: '2026-01-01T00:00:00Z', config: {}, dataset: { samples: 100 } },
      results: { total_samples: 100, completed_samples: 100, scores: [{ name: 's', scorer: 's', scored_samples: 100, metrics: { accuracy: { name: 'accuracy', value: 0.9 } } }] },
      ...over,
    });

  it('several scorers: bare names from the first, <scorer>/<metric> for all; stderr attaches to accuracy and mean only', () => {
    const r = ok(
      parseInspect(
        log({
          results: {
            total_samples: 100,
            completed_samples: 100,
            scores: [
              { name: 'match', scored_samples: 100, metrics: { accuracy: { name: 'accuracy', value: 0.9 }, stderr: { name: 'stderr', value: 0.03 } } },
              { name: 'judge', scored_samples: 98, metrics: { accuracy: { name: 'accuracy', value: 0.7 }, mean: { name: 'mean', value: 0.7 }, var: { name: 'var', value: 0.2 }, stderr: { name: 'stderr', value: 0.05 } } },
              { name: 'judge', reducer: 'max', scored_samples: 98, metrics: { accuracy: { name: 'accuracy', value: 0.8 } } },
            ],
          },
        }),
        'm.json',
      ),
    );
    expect(metric(r, 'accuracy')).toMatchObject({ value: 0.9, n: 100, stderr: 0.03 });
    expect(metric(r, 'match/accuracy').value).toBe(0.9);
    expect(metric(r, 'judge/accuracy')).toMatchObject({ value: 0.7, n: 98, stderr: 0.05 });
    expect(metric(r, 'judge/mean').stderr).toBe(0.05);
    expect(metric(r, 'judge/var').stderr).toBeUndefined();
    expect(r.metrics['mean']).toBeUndefined(); // not a metric of the first scorer
    expect(r.warnings).toContain('scorer "judge" appears more than once (e.g. one entry per reducer); its first entry is used');
  });

  it('status error with no scored sample → inconclusive, never a score', () => {
    const r = ok(parseInspect(log({ status: 'error', results: null, error: { message: 'RateLimitError: 429\ntraceback' } }), 'e.json'));
    expect(r.status).toBe('inconclusive');
    expect(r.statusReason).toBe('the run errored with no scored sample: RateLimitError: 429');
    expect(r.metrics).toEqual({});
  });
  it('status error with scored samples → partial', () => {
    const r = ok(
      parseInspect(
        log({
          status: 'error',
          error: { message: 'boom' },
          results: { total_samples: 100, completed_samples: 40, scores: [{ name: 's', scored_samples: 40, metrics: { accuracy: { name: 'accuracy', value: 0.5 } } }] },
        }),
        'e.json',
      ),
    );
    expect(r.status).toBe('partial');
    expect(r.statusReason).toBe('errored after 40 of 100 planned samples: boom');
    expect(metric(r, 'accuracy').n).toBe(40);
  });
  it('status started → inconclusive', () => {
    expect(ok(parseInspect(log({ status: 'started', results: undefined }), 's.json')).status).toBe('inconclusive');
  });
  it('an invalidated log → inconclusive', () => {
    const r = ok(parseInspect(log({ invalidated: true }), 'i.json'));
    expect(r.status).toBe('inconclusive');
    expect(r.statusReason).toBe('the log is marked invalidated');
  });
  it('a NaN metric value (no scored sample) parses and is reported', () => {
    const text = log({}).replace('"value":0.9', '"value":NaN');
    const r = ok(parseInspect(text, 'n.json'));
    expect(Number.isNaN(metric(r, 'accuracy').value)).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('non-finite metric values'))).toBe(true);
  });
  it('a binary .eval log is an error with the fix', () => {
    expect(err(parseInspect('PK\u0003\u0004....', 'x.eval')).message).toMatch(/inspect log convert --to json/);
  });
  it('a promptfoo output declared as inspect is an error that says so', () => {
    const e = err(parseInspect(real('promptfoo/nicheiq-2providers-30tests-allfail.json'), 'p.json'));
    expect(e.file).toBe('p.json');
    expect(e.message).toBe(
      'not an inspect_ai eval log: expected an "eval" object naming the "model"; it looks like a promptfoo output (`promptfoo eval -o`): declare `format: promptfoo`',
    );
  });
  it('a truncated log is an error with the line', () => {
    const text = real('inspect/popularity_gpt-4o-mini_cancelled-3of100.json');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const e = err(parseInspect(cut, 'pop.json'));
    expect(e.message).toMatch(/unexpected end of file/);
    expect(e.line).toBe(cut.split('\n').length);
  });
});
