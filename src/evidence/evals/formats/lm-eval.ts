/**
 * `lm-eval`: an EleutherAI lm-evaluation-harness `results_<date>.json`.
 *
 * The file is Python `json.dumps` output and may hold the bare tokens `NaN`, `Infinity` and
 * `-Infinity` (e.g. `"mae,none": Infinity`): they are read as numbers, kept in the result (so that
 * a gate on that metric fails closed) and reported in a warning.
 *
 * Metrics, for every task in `results` and every group in `groups`: `<task>/<metric>,<filter>`;
 * also `<task>/<metric>` for filter `none`; also bare `<metric>` for filter `none` when the file
 * has a single task. stderr from `<metric>_stderr,<filter>` when it is a finite number ("N/A" →
 * absent). n from `n-samples[task].effective` (else `original`); for a group, the sum over its
 * subtasks (`group_subtasks`, recursively) that report the same metric. Files of lm-eval 0.3
 * (keys `acc`, `acc_stderr` with no filter suffix, and no `n-samples`) are read as filter `none`,
 * under the same names (SPEC §4); they record no n, so their intervals come from stderr alone
 * (a warning says so). For `acc`, `acc_norm`
 * and `exact_match` in [0, 1] whose value × n is a whole number, `successes` is set too (these are
 * 0/1 per document), so the Wilson interval applies. `higher_is_better` is carried.
 *
 * Model: `model_name`, else `pretrained=` / `model=` in `config.model_args`; version: the
 * `model_sha` (top level or in `config`), else `model_revision` (a branch name such as "main" is
 * reported with a warning, it pins nothing). commit: `git_hash`. createdAt: `date` (epoch s).
 *
 * What it cannot prove: that `git_hash` is the commit of the system under test (the harness
 * records the git hash of the directory it ran in), that `limit` did not make the run partial
 * (a warning says when effective < original), or anything from a `samples_*.jsonl` (the results
 * file is authoritative for n and stderr; the samples file is not read).
 */
import { locatePath, parseEvalJson } from '../json';
import { wrongFormat } from '../sniff';
import type { EvalLoad, Metric } from '../types';
import { fail, isRecord, nonNegInt, parseTime, record, str } from '../util';
import type { JsonObject } from '../util';
import { COMMIT_ID, commitProblem, newestTime } from './provenance';

/** The largest time a JavaScript Date holds, in milliseconds either side of 1970. */
const MAX_TIME_MS = 8.64e15;

const BINARY_METRICS = new Set(['acc', 'acc_norm', 'exact_match']);

interface TaskMetric {
  metric: string;
  filter: string;
  value: number;
  stderr?: number;
}

/** A task in the lm-eval 0.3 layout: metric keys without a `,<filter>` suffix (`acc`, `acc_stderr`). */
function isLegacyTask(task: JsonObject): boolean {
  return !Object.keys(task).some((k) => k.indexOf(',') > 0);
}

function taskMetrics(task: JsonObject): TaskMetric[] {
  const out: TaskMetric[] = [];
  // 0.4 tasks also hold comma-less keys (`alias`, …): read them as metrics only in a 0.3 task.
  const legacy = isLegacyTask(task);
  for (const key of Object.keys(task)) {
    const comma = key.indexOf(',');
    if (comma <= 0 && !legacy) continue;
    const metric = comma > 0 ? key.slice(0, comma) : key;
    const filter = comma > 0 ? key.slice(comma + 1) : 'none';
    if (metric.endsWith('_stderr')) continue;
    const value = task[key];
    if (typeof value !== 'number') continue;
    const m: TaskMetric = { metric, filter, value };
    const se = task[comma > 0 ? `${metric}_stderr,${filter}` : `${metric}_stderr`];
    if (typeof se === 'number' && Number.isFinite(se) && se >= 0) m.stderr = se;
    out.push(m);
  }
  return out;
}

/** Parses an lm-evaluation-harness results file. Never throws for bad input. */
export function parseLmEval(text: string, file: string): EvalLoad {
  const parsed = parseEvalJson(text, 'lm-eval', true);
  if (!parsed.ok) return fail(file, parsed.message, parsed.line, parsed.column);
  const root = parsed.value;
  if (!isRecord(root) || !isRecord(root['results'])) {
    return fail(file, wrongFormat('lm-eval', root, 'expected a "results" object of tasks'));
  }
  const results = root['results'];
  const groups = isRecord(root['groups']) ? root['groups'] : {};
  const taskNames = Object.keys(results);
  for (const g of Object.keys(groups)) if (!(g in results)) taskNames.push(g);
  if (taskNames.length === 0) return fail(file, 'no tasks: "results" is empty');
  for (const t of taskNames) {
    const task = (results as JsonObject)[t] ?? groups[t];
    if (!isRecord(task)) return fail(file, wrongFormat('lm-eval', root, `results["${t}"] is not an object of metrics`));
  }

  const nSamples = isRecord(root['n-samples']) ? root['n-samples'] : {};
  const groupSubtasks = isRecord(root['group_subtasks']) ? root['group_subtasks'] : {};
  const higher = isRecord(root['higher_is_better']) ? root['higher_is_better'] : {};
  const warnings: string[] = [];
  const partial: string[] = [];

  const leafN = (task: string): number | undefined => {
    const ns = nSamples[task];
    if (!isRecord(ns)) return undefined;
    const effective = nonNegInt(ns['effective']);
    const original = nonNegInt(ns['original']);
    if (effective !== undefined && original !== undefined && effective < original) partial.push(`${task} ${effective} of ${original}`);
    return effective ?? original;
  };
  const taskOf = (t: string): JsonObject | undefined => {
    const v = (results as JsonObject)[t] ?? groups[t];
    return isRecord(v) ? v : undefined;
  };
  /** n of `key` ("acc,none") for a task or group. */
  const nFor = (t: string, key: string, depth = 0): number | undefined => {
    const own = leafN(t);
    if (own !== undefined) return own;
    const subs = groupSubtasks[t];
    if (!Array.isArray(subs) || subs.length === 0 || depth > 20) return undefined;
    let sum = 0;
    let any = false;
    for (const s of subs) {
      if (typeof s !== 'string') continue;
      const st = taskOf(s);
      if (!st || typeof st[key] !== 'number') continue;
      const n = nFor(s, key, depth + 1);
      if (n === undefined) return undefined;
      sum += n;
      any = true;
    }
    return any ? sum : undefined;
  };

  const metrics = record<Metric>();
  const nonFinite: string[] = [];
  const single = taskNames.length === 1;
  for (const t of taskNames) {
    const task = taskOf(t) as JsonObject;
    const hib = isRecord(higher[t]) ? higher[t] : undefined;
    for (const tm of taskMetrics(task)) {
      const key = `${tm.metric},${tm.filter}`;
      const m: Metric = { name: `${t}/${key}`, value: tm.value, kind: 'mean' };
      const n = nFor(t, key);
      if (n !== undefined) m.n = n;
      if (tm.stderr !== undefined) m.stderr = tm.stderr;
      const h = hib?.[tm.metric];
      if (typeof h === 'boolean') m.higherIsBetter = h;
      if (BINARY_METRICS.has(tm.metric) && tm.value >= 0 && tm.value <= 1) {
        m.range = [0, 1];
        if (n !== undefined && n > 0) {
          const k = tm.value * n;
          if (Math.abs(k - Math.round(k)) < 1e-6) {
            m.kind = 'proportion';
            m.successes = Math.round(k);
          }
        }
      }
      if (!Number.isFinite(tm.value)) nonFinite.push(`${t}/${key} = ${tm.value}`);
      const names = [`${t}/${key}`];
      if (tm.filter === 'none') names.push(`${t}/${tm.metric}`);
      if (tm.filter === 'none' && single) names.push(tm.metric);
      for (const name of names) metrics[name] = { ...m, name };
    }
  }
  if (Object.keys(metrics).length === 0) return fail(file, 'no numeric metrics in "results"');
  // lm-eval 0.3 records no per-task n; a whole-number `limit` still bounds it from above.
  const cfg = isRecord(root['config']) ? root['config'] : {};
  const limit = nonNegInt(cfg['limit']);
  if (limit !== undefined && limit > 0) for (const m of Object.values(metrics)) if (m.n === undefined) m.nAtMost = limit;
  if (nonFinite.length > 0) warnings.push(`non-finite metric values (a gate on them fails): ${nonFinite.join(', ')}`);
  if (parsed.nonFinite > 0 && nonFinite.length === 0) {
    warnings.push(`the file holds ${parsed.nonFinite} NaN/Infinity value(s) outside the metric values (e.g. in a stderr)`);
  }
  if (partial.length > 0) warnings.push(`evaluated on a subset (limit): ${partial.join(', ')}`);
  if (taskNames.some((t) => isLegacyTask(taskOf(t) as JsonObject)) && Object.keys(nSamples).length === 0) {
    warnings.push('an lm-eval 0.3 results file: no per-task sample counts, so intervals come from stderr alone');
  }

  const config = isRecord(root['config']) ? root['config'] : {};
  let name = str(root['model_name']);
  const args = str(config['model_args']);
  if (name === undefined && args !== undefined) {
    const m = /(?:^|,)\s*(?:pretrained|model)=([^,]+)/.exec(args);
    if (m?.[1]) name = m[1].trim();
  }
  const sha = str(root['model_sha']) ?? str(config['model_sha']);
  const revision = str(root['model_revision']) ?? str(config['model_revision']);
  const version = sha ?? revision;
  if (sha === undefined && revision !== undefined && /^(main|master|head)$/i.test(revision)) {
    warnings.push(`the model revision is "${revision}", a branch, which pins no version`);
  }
  const date = root['date'];
  const dateMs = typeof date === 'number' && Number.isFinite(date) ? date * 1000 : parseTime(date);
  if (dateMs !== undefined && !(Math.abs(dateMs) <= MAX_TIME_MS)) {
    // new Date(…).toISOString() throws beyond ±100,000,000 days
    const at = locatePath(text, ['date'], true);
    return fail(file, `"date" is not a time: ${String(date)} seconds since 1970 is outside any calendar`, at?.line, at?.column);
  }
  const createdAt = dateMs !== undefined ? new Date(dateMs).toISOString() : undefined;

  const result: EvalLoad = {
    ok: true,
    result: {
      format: 'lm-eval',
      file,
      metrics,
      slices: [],
      versionRecorded: version !== undefined,
      timeRecorded: createdAt !== undefined,
      status: 'complete',
      warnings,
    },
  };
  const r = result.result;
  if (name !== undefined || version !== undefined) {
    r.model = {};
    if (name !== undefined) r.model.name = name;
    if (version !== undefined) r.model.version = version;
  }
  if (version !== undefined) r.modelVersions = [version];
  const gitHash = str(root['git_hash']);
  if (gitHash !== undefined) {
    // The harness records `git describe --always`: a bare hash, or `<tag>-<n>-g<hash>` in a
    // tagged checkout. Anything else (a short or non-hex id) would match any head starting with it.
    const described = /-g([0-9a-f]{7,64})$/i.exec(gitHash)?.[1];
    const commit = COMMIT_ID.test(gitHash) ? gitHash : described;
    if (commit === undefined) {
      const loc = locatePath(text, ['git_hash'], true);
      return fail(file, `git_hash: ${commitProblem(gitHash) ?? 'not a commit id'}`, loc?.line, loc?.column);
    }
    r.commit = commit;
  }
  if (createdAt !== undefined) r.createdAt = createdAt;
  const newest = newestTime(text, [{ path: ['date'], ms: dateMs }], true);
  if (newest) r.newestTime = newest;
  return result;
}
