/**
 * `promptfoo`: the JSON that `promptfoo eval -o results.json` writes (`results.version` 3; 2 is
 * read too).
 *
 * Each entry of `results.results` is one test case run against one prompt and one provider. An
 * entry is *errored* when `failureReason` is 2 (ERROR), or, for writers without `failureReason`,
 * when it has an `error` and no `gradingResult`. An errored entry is never evidence of success
 * (SPEC §5.1): it counts in n as a failure, as promptfoo's own command line counts its pass rate
 * (successes / (successes + failures + errors)), and in `errored` and each metric's `errors`.
 * `failureReason` 1 (ASSERT) is an assertion that rejected the output: a failure, not an error,
 * even when the assertion itself threw (a warning says so).
 *
 * Metrics: `accuracy` and its alias `pass_rate` (passed / all entries; proportion with n and
 * successes), and each `namedScores` key (mean over the entries that have it, with n and stderr =
 * sd/√n; errored entries count at the worst value where the catalogue knows the score's direction
 * and that it lies in [0, 1], else they are left in `unfoldedErrors` for the gate). When every
 * entry errored the result is `inconclusive` with no metric, never 0 %; likewise a slice.
 * Slices: `provider` (label, else id) always; a requested slice field is looked up in each entry's
 * `vars`, then `metadata`, then `testCase.metadata`.
 *
 * What it cannot prove: the model version (promptfoo records provider ids such as
 * "openai:gpt-4o", not versions: `versionRecorded` is false), that the test cases match the
 * production distribution, or that an assertion is correct.
 */
import { parseEvalJson } from '../json';
import { wrongFormat } from '../sniff';
import { catalogueDirection } from '../metrics';
import { addErrored } from '../intervals';
import type { EvalLoad, EvalOptions, Metric, SliceMetrics } from '../types';
import { fail, isRecord, meanMetric, oldestIso, parseTime, proportionMetric, record, str } from '../util';
import type { JsonObject } from '../util';
import { newestTime } from './provenance';

const ERROR = 2;

interface Tally {
  count: number;
  passed: number;
  graded: number;
  /** Errored entries: in `count`, not in `graded`; counted as failures by metricsOf. */
  errored: number;
  named: Map<string, number[]>;
}

function tally(): Tally {
  return { count: 0, passed: 0, graded: 0, errored: 0, named: new Map() };
}

function addErroredEntry(t: Tally): void {
  t.count++;
  t.errored++;
}

function add(t: Tally, passed: boolean, named: JsonObject | undefined): void {
  t.count++;
  t.graded++;
  if (passed) t.passed++;
  if (named) {
    for (const key of Object.keys(named)) {
      const v = named[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      let list = t.named.get(key);
      if (!list) t.named.set(key, (list = []));
      list.push(v);
    }
  }
}

function metricsOf(t: Tally, warnings: string[] | undefined): Record<string, Metric> {
  const out = record<Metric>();
  // Nothing graded (every entry errored): no estimate at all, never 0 % (SPEC §4).
  if (t.graded === 0) return out;
  for (const name of ['accuracy', 'pass_rate']) {
    const m: Metric = { ...proportionMetric(name, t.passed, t.graded + t.errored), higherIsBetter: true };
    if (t.errored > 0) m.errors = t.errored;
    out[name] = m;
  }
  for (const [key, values] of t.named) {
    if (key === 'accuracy' || key === 'pass_rate') {
      warnings?.push(`named score "${key}" is hidden by the built-in ${key} (share of passed tests)`);
      continue;
    }
    const m = meanMetric(key, values);
    const dir = catalogueDirection(key);
    if (t.errored === 0) out[key] = m;
    else if (dir !== undefined) out[key] = addErrored(m, t.errored, dir);
    else out[key] = { ...m, unfoldedErrors: t.errored };
  }
  return out;
}

function providerLabel(p: unknown): string | undefined {
  if (typeof p === 'string') return p;
  if (isRecord(p)) return str(p['label']) ?? str(p['id']);
  return undefined;
}

function providerId(p: unknown): string | undefined {
  if (typeof p === 'string') return p;
  if (isRecord(p)) return str(p['id']) ?? str(p['label']);
  return undefined;
}

function lookup(entry: JsonObject, field: string): string | undefined {
  const sources = [entry['vars'], entry['metadata'], isRecord(entry['testCase']) ? entry['testCase']['metadata'] : undefined];
  for (const s of sources) {
    if (!isRecord(s)) continue;
    const v = s[field];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return undefined;
}

/** Parses a promptfoo output. Never throws for bad input. */
export function parsePromptfoo(text: string, file: string, opts: EvalOptions = {}): EvalLoad {
  const parsed = parseEvalJson(text, 'promptfoo', false);
  if (!parsed.ok) return fail(file, parsed.message, parsed.line, parsed.column);
  const root = parsed.value;
  const summary = isRecord(root) ? root['results'] : undefined;
  if (!isRecord(root) || !isRecord(summary) || !Array.isArray(summary['results'])) {
    return fail(file, wrongFormat('promptfoo', root, 'expected "results.results" to be an array of test results'));
  }
  const version = summary['version'];
  const warnings: string[] = [];
  if (typeof version === 'number' && version !== 3 && version !== 2) {
    warnings.push(`promptfoo results version ${version}; this reader knows versions 2 and 3`);
  }
  const entries = summary['results'] as unknown[];
  if (entries.length === 0) return fail(file, 'no test results: "results.results" is empty');

  const whole = tally();
  const slices = new Map<string, Map<string, Tally>>();
  const fields = ['provider', ...(opts.slices ?? []).filter((f) => f !== 'provider' && f.length > 0)];
  for (const f of fields) slices.set(f, new Map());
  const providers = new Set<string>();
  let errored = 0;
  let assertThrew = 0;
  let firstError: string | undefined;

  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!isRecord(e) || typeof e['success'] !== 'boolean') {
      return fail(file, wrongFormat('promptfoo', root, `results.results[${i}] has no boolean "success"`));
    }
    const id = providerId(e['provider']);
    if (id !== undefined) providers.add(id);
    const reason = e['failureReason'];
    const hasError = typeof e['error'] === 'string' && e['error'].length > 0;
    const isErrored = reason === ERROR || (reason === undefined && hasError && !isRecord(e['gradingResult']) && e['success'] === false);
    if (isErrored) {
      errored++;
      firstError ??= typeof e['error'] === 'string' ? e['error'].split('\n')[0] : undefined;
      addErroredEntry(whole);
      for (const f of fields) {
        const value = f === 'provider' ? providerLabel(e['provider']) : lookup(e, f);
        if (value === undefined) continue;
        const byValue = slices.get(f) as Map<string, Tally>;
        let t = byValue.get(value);
        if (!t) byValue.set(value, (t = tally()));
        addErroredEntry(t);
      }
      continue;
    }
    const passed = e['success'];
    if (!passed && hasError && /^Custom function threw error|threw error/i.test(e['error'] as string)) assertThrew++;
    const named = isRecord(e['namedScores']) ? e['namedScores'] : undefined;
    add(whole, passed, named);
    for (const f of fields) {
      const value = f === 'provider' ? providerLabel(e['provider']) : lookup(e, f);
      if (value === undefined) continue;
      const byValue = slices.get(f) as Map<string, Tally>;
      let t = byValue.get(value);
      if (!t) byValue.set(value, (t = tally()));
      add(t, passed, named);
    }
  }

  const total = entries.length;
  const stats = summary['stats'];
  if (isRecord(stats)) {
    const s = stats['successes'];
    const f = stats['failures'];
    const er = stats['errors'];
    if (typeof s === 'number' && typeof f === 'number' && typeof er === 'number') {
      if (s !== whole.passed || f !== whole.graded - whole.passed || er !== errored) {
        warnings.push(
          `results.stats says ${s} passed, ${f} failed, ${er} errored; the results list has ${whole.passed}, ${whole.graded - whole.passed}, ${errored}`,
        );
      }
    }
  }
  if (providers.size > 1) {
    warnings.push(`the results mix ${providers.size} providers (${[...providers].join(', ')}); the metrics pool them, the "provider" slices split them`);
  }
  if (assertThrew > 0) {
    warnings.push(`${assertThrew} of the ${whole.graded - whole.passed} failures came from an assertion that threw an error, which may be a bug in the test rather than in the model`);
  }
  if (errored > 0 && errored < total) warnings.push(`${errored} of ${total} results errored (counted in n as failures)`);

  const sliceList: SliceMetrics[] = [];
  for (const f of fields) {
    const byValue = slices.get(f) as Map<string, Tally>;
    if (byValue.size === 0) {
      if (f !== 'provider') warnings.push(`slice field "${f}" is in no result's vars or metadata`);
      continue;
    }
    for (const value of [...byValue.keys()].sort()) {
      const t = byValue.get(value) as Tally;
      sliceList.push({ field: f, value, count: t.count, metrics: metricsOf(t, undefined) });
    }
  }

  const metadata = isRecord(root['metadata']) ? root['metadata'] : undefined;
  const runTimes = [parseTime(summary['timestamp']), parseTime(metadata?.['evaluationCreatedAt'])];
  let createdAt = oldestIso(runTimes);
  if (createdAt === undefined) {
    createdAt = oldestIso([parseTime(metadata?.['exportedAt'])]);
    if (createdAt !== undefined) warnings.push('the run time is not recorded; using the export time (metadata.exportedAt), which may be later');
  }

  const result: EvalLoad = {
    ok: true,
    result: {
      format: 'promptfoo',
      file,
      metrics: metricsOf(whole, warnings),
      slices: sliceList,
      versionRecorded: false,
      timeRecorded: createdAt !== undefined,
      status: 'complete',
      warnings,
    },
  };
  const r = result.result;
  if (errored > 0) r.errored = errored;
  if (errored === total) {
    r.status = 'inconclusive';
    r.statusReason = `all ${total} results errored${firstError ? ` (first error: ${firstError.slice(0, 200)})` : ''}`;
  }
  if (providers.size === 1) r.model = { name: [...providers][0] as string };
  if (createdAt !== undefined) r.createdAt = createdAt;
  const newest = newestTime(text, [
    { path: ['results', 'timestamp'], ms: runTimes[0] },
    { path: ['metadata', 'evaluationCreatedAt'], ms: runTimes[1] },
    { path: ['metadata', 'exportedAt'], ms: parseTime(metadata?.['exportedAt']) },
  ]);
  if (newest) r.newestTime = newest;
  return result;
}
