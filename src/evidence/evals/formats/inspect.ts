/**
 * `inspect`: a UK AISI inspect_ai eval log in JSON (log `version` 2; header-only logs, without
 * `samples` and without `version`, are read too). The binary `.eval` format is not: convert it with
 * `inspect log convert --to json`.
 *
 * Metrics: for every entry of `results.scores`, `<name>/<metric>` for each key of its `metrics`;
 * and bare `<metric>` for the first entry. stderr: the `stderr` metric of the same entry (else
 * `bootstrap_stderr`), attached to its `accuracy` and `mean`. n: the entry's `scored_samples`;
 * for writers without it, `completed_samples` divided by the number of epochs (metrics are
 * computed over samples after the epoch reducer, so an epoch is not a sample).
 *
 * Status: `success` → complete; `cancelled` or `error` with scored samples → partial ("cancelled
 * after 3 of 100 samples"); `error` or `started` with none, or a log marked `invalidated` →
 * inconclusive.
 *
 * Errored samples (SPEC §5.1: never evidence of success): in a successful run, the samples that
 * did not complete (total − completed, in samples after epochs); in any run, the samples in
 * `samples` that carry an `error` (the larger of the two counts). They count in each metric's n
 * at its worst value where the catalogue knows the metric's direction and that it lies in [0, 1]
 * (`accuracy`: as failures; `Metric.errors`), else they are left in `Metric.unfoldedErrors` for the
 * gate to count once it knows the direction (`mean`). `errored` holds their number.
 *
 * Model: `eval.model` is the name; inspect records no model version (`versionRecorded` is false
 * unless `eval.model_args.revision` is given). commit: `eval.revision.commit` (the commit of the
 * eval's repository). createdAt: the older of `eval.created` and `stats.started_at`.
 *
 * What it cannot prove: a model version, that the scorer (often an LLM grader, see
 * `stats.model_usage`) is right, or anything from trimmed `samples` (the header is authoritative).
 */
import { locatePath, parseEvalJson } from '../json';
import { wrongFormat } from '../sniff';
import { catalogueDirection } from '../metrics';
import { addErrored } from '../intervals';
import type { EvalLoad, Metric } from '../types';
import { fail, isRecord, nonNegInt, oldestIso, parseTime, record, str } from '../util';
import { commitProblem, newestTime } from './provenance';

const STDERR_TARGETS = new Set(['accuracy', 'mean']);

/** Parses an inspect_ai JSON eval log. Never throws for bad input. */
export function parseInspect(text: string, file: string): EvalLoad {
  if (text.startsWith('PK\u0003\u0004')) {
    return fail(file, 'this is a binary .eval log (a zip archive); convert it with `inspect log convert --to json` and point the manifest at the .json');
  }
  const parsed = parseEvalJson(text, 'inspect', true);
  if (!parsed.ok) return fail(file, parsed.message, parsed.line, parsed.column);
  const root = parsed.value;
  if (!isRecord(root) || !isRecord(root['eval']) || typeof root['eval']['model'] !== 'string') {
    return fail(file, wrongFormat('inspect', root, 'expected an "eval" object naming the "model"'));
  }
  const version = root['version'];
  const warnings: string[] = [];
  if (typeof version === 'number' && version !== 2 && version !== 1) warnings.push(`inspect log version ${version}; this reader knows version 2`);
  const ev = root['eval'];
  const status = str(root['status']) ?? 'success';
  const results = isRecord(root['results']) ? root['results'] : undefined;
  const config = isRecord(ev['config']) ? ev['config'] : {};
  const epochs = nonNegInt(config['epochs']) ?? 1;
  const total = nonNegInt(results?.['total_samples']);
  const completed = nonNegInt(results?.['completed_samples']);
  const dataset = isRecord(ev['dataset']) ? ev['dataset'] : {};
  const datasetSamples = nonNegInt(dataset['samples']);
  const limit = config['limit'];

  const metrics = record<Metric>();
  const scores = Array.isArray(results?.['scores']) ? (results['scores'] as unknown[]) : [];
  let maxScored = 0;
  const nonFinite: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!isRecord(s) || !isRecord(s['metrics'])) {
      return fail(file, wrongFormat('inspect', root, `results.scores[${i}] has no "metrics" object`));
    }
    const scorer = str(s['name']) ?? str(s['scorer']) ?? `scorer${i + 1}`;
    let n = nonNegInt(s['scored_samples']);
    if (n === undefined && completed !== undefined) n = epochs > 1 && completed % epochs === 0 ? completed / epochs : completed;
    if (n !== undefined) maxScored = Math.max(maxScored, n);
    const ms = s['metrics'];
    const valueOf = (key: string): number | undefined => {
      const m = ms[key];
      return isRecord(m) && typeof m['value'] === 'number' && Number.isFinite(m['value']) && m['value'] >= 0 ? m['value'] : undefined;
    };
    const stderr = valueOf('stderr') ?? valueOf('bootstrap_stderr');
    if (seen.has(scorer)) warnings.push(`scorer "${scorer}" appears more than once (e.g. one entry per reducer); its first entry is used`);
    for (const key of Object.keys(ms)) {
      const em = ms[key];
      if (!isRecord(em) || typeof em['value'] !== 'number') continue;
      const value = em['value'];
      const m: Metric = { name: key, value, kind: 'mean' };
      if (n !== undefined) m.n = n;
      if (stderr !== undefined && STDERR_TARGETS.has(key)) m.stderr = stderr;
      if (!Number.isFinite(value)) nonFinite.push(`${scorer}/${key} = ${value}`);
      const names = seen.has(scorer) ? [] : [`${scorer}/${key}`];
      if (i === 0) names.push(key);
      for (const name of names) if (!(name in metrics)) metrics[name] = { ...m, name };
    }
    seen.add(scorer);
  }
  if (nonFinite.length > 0) warnings.push(`non-finite metric values (a gate on them fails): ${nonFinite.join(', ')}`);

  const planned = (() => {
    // what the run set out to do, and how that relates to the dataset
    const parts: string[] = [];
    if (datasetSamples !== undefined && total !== undefined && datasetSamples * epochs !== total) {
      parts.push(`the dataset has ${datasetSamples}${typeof limit === 'number' ? `, limit ${limit}` : ''}`);
    }
    if (epochs > 1) parts.push(`${epochs} epochs`);
    return parts.length > 0 ? ` (${parts.join('; ')})` : '';
  })();
  const errorMessage = isRecord(root['error']) ? str(root['error']['message']) : undefined;

  let st: 'complete' | 'partial' | 'inconclusive' = 'complete';
  let reason: string | undefined;
  let errored: number | undefined;
  if (root['invalidated'] === true) {
    st = 'inconclusive';
    reason = 'the log is marked invalidated';
  } else if (status === 'success') {
    if (scores.length === 0) {
      st = 'inconclusive';
      reason = 'the log has no scores';
    } else if (total !== undefined && completed !== undefined && completed < total) {
      errored = Math.ceil((total - completed) / epochs);
    }
  } else if (status === 'cancelled' || status === 'error') {
    const done = completed ?? maxScored;
    const of = total !== undefined ? ` of ${total}` : '';
    if (maxScored === 0 || scores.length === 0) {
      st = 'inconclusive';
      reason = `${status === 'error' ? 'the run errored' : 'the run was cancelled'} with no scored sample${errorMessage ? `: ${errorMessage.split('\n')[0]}` : ''}`;
    } else {
      st = 'partial';
      reason =
        status === 'cancelled'
          ? `cancelled after ${done}${of} planned samples${planned}`
          : `errored after ${done}${of} planned samples${planned}${errorMessage ? `: ${errorMessage.split('\n')[0]}` : ''}`;
    }
  } else {
    st = 'inconclusive';
    reason = `the run has status "${status}" (not finished)`;
  }
  if (st !== 'inconclusive' && Object.keys(metrics).length === 0) {
    st = 'inconclusive';
    reason = 'the log has no metrics';
  }

  // Samples that carry an error (where the log kept its samples), counted once per sample id.
  const samples = Array.isArray(root['samples']) ? (root['samples'] as unknown[]) : [];
  const withError = new Set<string>();
  samples.forEach((x, i) => {
    if (isRecord(x) && x['error'] !== undefined && x['error'] !== null) withError.add(String(x['id'] ?? `#${i}`));
  });
  if (withError.size > (errored ?? 0)) errored = withError.size;
  if (errored !== undefined && errored > 0 && st !== 'inconclusive') {
    let unfolded = 0;
    for (const [name, m] of Object.entries(metrics)) {
      const dir = catalogueDirection(name);
      const folded = dir === undefined ? { ...m, unfoldedErrors: errored } : addErrored(m, errored, dir);
      if (folded.unfoldedErrors !== undefined) unfolded++;
      metrics[name] = folded;
    }
    const of = total !== undefined ? ` of ${Math.ceil(total / epochs)}` : '';
    warnings.push(
      `${errored}${of} samples errored or did not complete: counted in n as the worse outcome${unfolded > 0 ? ' (for metrics of unknown direction, once the gate knows it)' : ''}`,
    );
  }

  const stats = isRecord(root['stats']) ? root['stats'] : {};
  const createdAt = oldestIso([parseTime(ev['created']), parseTime(stats['started_at'])]);
  const modelArgs = isRecord(ev['model_args']) ? ev['model_args'] : {};
  const modelVersion = str(modelArgs['revision']);
  const revision = isRecord(ev['revision']) ? ev['revision'] : undefined;
  const commit = str(revision?.['commit']);
  const badCommit = commit === undefined ? undefined : commitProblem(commit);
  if (badCommit) {
    // A short or non-hex commit would match any head starting with it (SPEC §6: invalid).
    const loc = locatePath(text, ['eval', 'revision', 'commit'], true);
    return fail(file, `eval.revision.commit: ${badCommit}`, loc?.line, loc?.column);
  }
  if (revision?.['dirty'] === true) warnings.push(`the eval ran from a working tree with uncommitted changes (revision ${commit ?? '?'} dirty)`);
  const usage = isRecord(stats['model_usage']) ? Object.keys(stats['model_usage']) : [];
  const others = usage.filter((m) => m !== ev['model']);
  if (others.length > 0) warnings.push(`other models were used in the run (e.g. as graders): ${others.join(', ')}`);

  const result: EvalLoad = {
    ok: true,
    result: {
      format: 'inspect',
      file,
      metrics,
      slices: [],
      model: { name: ev['model'] as string },
      versionRecorded: modelVersion !== undefined,
      timeRecorded: createdAt !== undefined,
      status: st,
      warnings,
    },
  };
  const r = result.result;
  if (modelVersion !== undefined) {
    (r.model as { version?: string }).version = modelVersion;
    r.modelVersions = [modelVersion];
  }
  if (reason !== undefined) r.statusReason = reason;
  if (errored !== undefined) r.errored = errored;
  if (commit !== undefined) r.commit = commit;
  if (createdAt !== undefined) r.createdAt = createdAt;
  const newest = newestTime(text, [
    { path: ['eval', 'created'], ms: parseTime(ev['created']) },
    { path: ['stats', 'started_at'], ms: parseTime(stats['started_at']) },
    { path: ['stats', 'completed_at'], ms: parseTime(stats['completed_at']) },
  ], true);
  if (newest) r.newestTime = newest;
  return result;
}
