import { describe, expect, it } from 'vitest';
import { parseLmEval } from '../../src/evidence/evals/formats/lm-eval';
import { interval } from '../../src/evidence/evals/intervals';
import { err, metric, ok, real } from './helpers';

const load = (name: string) => parseLmEval(real(`lm-eval/${name}`), name);

describe('lm-eval adapter on real outputs', () => {
  it('asdiv: acc 0.92, n 50 (effective, of 2305), stderr 0.0388, model, commit, date', () => {
    const r = ok(load('results_asdiv_llama-3-8b-instruct_limit50.json'));
    for (const name of ['acc', 'asdiv/acc', 'asdiv/acc,none']) {
      const m = metric(r, name);
      expect(m.value).toBe(0.92);
      expect(m.n).toBe(50);
      expect(m.stderr).toBeCloseTo(0.0388, 4);
      expect(m.kind).toBe('proportion');
      expect(m.successes).toBe(46);
      expect(m.higherIsBetter).toBe(true);
    }
    expect(r.model).toEqual({ name: 'meta-llama/Meta-Llama-3-8B-Instruct', version: 'e1945c40cd546c78e41f1151f4db032b271faeaa' });
    expect(r.versionRecorded).toBe(true);
    expect(r.commit).toBe('59170e85');
    expect(r.createdAt).toBe('2024-08-21T03:43:56.101Z');
    expect(r.timeRecorded).toBe(true);
    expect(r.status).toBe('complete');
    expect(r.warnings).toContain('evaluated on a subset (limit): asdiv 50 of 2305');
    // Wilson on 46/50
    expect(interval(metric(r, 'acc'), 0.95)?.lower).toBeCloseTo(0.8117, 3);
  });

  it('polymer: NaN/Infinity parse without throwing; the non-finite metric is reported', () => {
    const r = ok(load('results_polymer-tg_gpt-4o-mini_nan-infinity.json'));
    const mae = metric(r, 'mae');
    expect(mae.value).toBe(Infinity);
    expect(mae.stderr).toBeUndefined(); // NaN stderr → absent
    expect(mae.n).toBe(24);
    expect(mae.higherIsBetter).toBe(false);
    expect(metric(r, 'polymer_tg_prediction/mae,none').value).toBe(Infinity);
    expect(r.warnings.some((w) => w.includes('non-finite') && w.includes('polymer_tg_prediction/mae,none = Infinity'))).toBe(true);
    expect(interval(mae, 0.95)).toBeUndefined();
    // an API model: no sha, no revision
    expect(r.model).toEqual({ name: 'gpt-4o-mini' });
    expect(r.versionRecorded).toBe(false);
    expect(r.commit).toBe('cffb9ad0');
  });

  it('mmlu abstract algebra: acc 0.34 ± 0.0476, n 100 of 100, model sha from config', () => {
    const r = ok(load('results_mmlu-abstract-algebra_gemma-2-2b-sae-steered_n100.json'));
    const acc = metric(r, 'acc');
    expect(acc.value).toBe(0.34);
    expect(acc.stderr).toBeCloseTo(0.0476, 4);
    expect(acc.n).toBe(100);
    expect(metric(r, 'mmlu_abstract_algebra/acc').value).toBe(0.34);
    expect(r.model?.version).toBe('c5ebcd40d208330abc697524c919956e692655cf');
    expect(r.warnings).toEqual([]);
  });

  it('en-it translation: n 4, four metrics with stderr, chrf on a 0-100 scale without a range', () => {
    const r = ok(load('results_en-it-translation_phi-3.5-mini_n4.json'));
    for (const name of ['bleu_score', 'chrf_score', 'bleurt_score', 'comet_score']) {
      expect(metric(r, name).n).toBe(4);
      expect(metric(r, name).stderr).toBeGreaterThan(0);
      expect(metric(r, name).kind).toBe('mean');
    }
    const chrf = metric(r, 'chrf_score');
    expect(chrf.value).toBeCloseTo(63.987, 3);
    expect(chrf.range).toBeUndefined();
    expect(chrf.stderr).toBeCloseTo(3.3798, 4);
  });

  it('multitask with a glue group: per-task names, no bare names, group n summed over subtasks', () => {
    const r = ok(load('results_multitask-glue-group_mamba2-370m.json'));
    expect(r.metrics['acc']).toBeUndefined(); // many tasks: no bare metric name
    expect(metric(r, 'sciq/acc_norm').value).toBe(0.78);
    expect(metric(r, 'sciq/acc_norm').n).toBe(1000);
    expect(metric(r, 'lambada_openai/perplexity').n).toBe(5153);
    expect(metric(r, 'lambada_openai/perplexity').higherIsBetter).toBe(false);
    expect(metric(r, 'hellaswag/acc').n).toBe(10042);
    const glue = metric(r, 'glue/acc');
    expect(glue.value).toBeCloseTo(0.38908, 5);
    expect(glue.stderr).toBeCloseTo(0.001873, 6);
    expect(glue.n).toBe(71 + 872 + 277 + 40430 + 5463 + 408 + 9832 + 9815); // subtasks with acc (not cola)
    expect(metric(r, 'glue/mcc').n).toBe(1043); // only cola reports mcc
    expect(metric(r, 'glue/f1').n).toBe(408 + 40430); // mrpc + qqp
    expect(r.commit).toBeUndefined(); // git_hash null
    expect(r.model?.name).toBe('state-spaces/mamba2-370m');
  });
});

describe('lm-eval adapter on edge cases', () => {
  const base = (results: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ results, 'n-samples': { t: { original: 10, effective: 10 } }, versions: {}, ...extra });

  it('"N/A" stderr is absent, not a number', () => {
    const r = ok(parseLmEval(base({ t: { 'acc,none': 0.5, 'acc_stderr,none': 'N/A' } }), 'x.json'));
    expect(metric(r, 'acc').stderr).toBeUndefined();
    expect(metric(r, 'acc').successes).toBe(5);
  });
  it('lm-eval 0.3 files (no filter suffix, no n-samples) read under the same names as 0.4 (SPEC §4)', () => {
    // the 0.3 layout: results, versions and config (model, model_args, num_fewshot, limit, …)
    const v03 = JSON.stringify({
      results: { arc_easy: { acc: 0.7462, acc_stderr: 0.0089, acc_norm: 0.7016, acc_norm_stderr: 0.0094 } },
      versions: { arc_easy: 0 },
      config: { model: 'hf-causal', model_args: 'pretrained=EleutherAI/pythia-1.4b', num_fewshot: 0, batch_size: 8, device: 'cuda:0', no_cache: false, limit: null, bootstrap_iters: 100000, description_dict: {} },
    });
    const r = ok(parseLmEval(v03, 'v03.json'));
    for (const name of ['acc', 'arc_easy/acc', 'arc_easy/acc,none']) expect(metric(r, name)).toMatchObject({ value: 0.7462, stderr: 0.0089 });
    expect(metric(r, 'arc_easy/acc_norm')).toMatchObject({ value: 0.7016, stderr: 0.0094 });
    expect(metric(r, 'acc').n).toBeUndefined();
    expect(metric(r, 'acc').nAtMost).toBeUndefined(); // limit: null, the whole split
    const limited = ok(parseLmEval(v03.replace('"limit":null', '"limit":20'), 'v03.json'));
    expect(metric(limited, 'acc')).toMatchObject({ nAtMost: 20 });
    expect(r.metrics['acc_stderr']).toBeUndefined();
    expect(r.model?.name).toBe('EleutherAI/pythia-1.4b');
    expect(r.warnings).toContain('an lm-eval 0.3 results file: no per-task sample counts, so intervals come from stderr alone');
    // the same run written by 0.4 gives the same names and values
    const v04 = ok(parseLmEval(base({ arc_easy: { alias: 'arc_easy', sample_len: 2376, 'acc,none': 0.7462, 'acc_stderr,none': 0.0089, 'acc_norm,none': 0.7016, 'acc_norm_stderr,none': 0.0094 } }), 'v04.json'));
    for (const name of ['acc', 'arc_easy/acc', 'arc_easy/acc,none', 'acc_norm']) expect(metric(v04, name).value).toBe(metric(r, name).value);
    // a 0.4 task's comma-less keys, numeric or not, are not metrics
    expect(v04.metrics['sample_len']).toBeUndefined();
    expect(v04.metrics['alias']).toBeUndefined();
  });
  it('a non-"none" filter has only the full name', () => {
    const r = ok(parseLmEval(base({ t: { 'exact_match,strict-match': 0.3, 'exact_match,flexible-extract': 0.4 } }), 'x.json'));
    expect(metric(r, 't/exact_match,strict-match').value).toBe(0.3);
    expect(metric(r, 't/exact_match,flexible-extract').value).toBe(0.4);
    expect(r.metrics['exact_match']).toBeUndefined();
    expect(r.metrics['t/exact_match']).toBeUndefined();
  });
  it('model from model_args when model_name is absent; a branch revision is flagged', () => {
    const r = ok(parseLmEval(base({ t: { 'acc,none': 0.5 } }, { config: { model_args: 'pretrained=org/m,dtype=float16', model_revision: 'main' } }), 'x.json'));
    expect(r.model).toEqual({ name: 'org/m', version: 'main' });
    expect(r.warnings.some((w) => w.includes('"main", a branch'))).toBe(true);
  });
  it('a truncated file is an error with the file and line', () => {
    const text = real('lm-eval/results_asdiv_llama-3-8b-instruct_limit50.json');
    const e = err(parseLmEval(text.slice(0, 300), 'lm/results.json'));
    expect(e.file).toBe('lm/results.json');
    expect(e.message).toMatch(/invalid JSON: unexpected end of file/);
    expect(e.line).toBe(text.slice(0, 300).split('\n').length);
  });
  it('a promptfoo output declared as lm-eval is an error that says so', () => {
    const e = err(parseLmEval(real('promptfoo/redteam-azure-harmful-6tests.json'), 'p.json'));
    expect(e.message).toMatch(/^not an lm-evaluation-harness results file: .*looks like a promptfoo output/);
  });
  it('no numeric metric is an error', () => {
    expect(err(parseLmEval(base({ t: { alias: 't' } }), 'x.json')).message).toBe('no numeric metrics in "results"');
  });
});
