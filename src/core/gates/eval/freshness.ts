// eval.freshness: results are for the manifest's model version (or the head commit) and recent.
import { at, result } from '../result';
import type { GateResult, SystemContext } from '../../types';
import { defineGate } from '../define';
import { isoDay, plural, today } from '../../../lib/dates';
import { COMMIT_ID } from '../../../evidence/evals/formats/provenance';
import type { EvalResult } from '../../../evidence/evals/types';
import { evalsProblem, loadedEvals, loadProblem, usable } from './common';

const gate = defineGate({ id: 'eval.freshness', scope: 'system', requires: 'evals', run: (ctx) => evalsProblem(ctx, 'eval.freshness') ?? check(ctx) });
export default gate;
/** The gate run alone, on a context with or without its bar (tests, the bench). */
export const freshness = gate.run;

const DAY_MS = 86_400_000;

function check(ctx: SystemContext): GateResult {
  const { max_age_days } = ctx.policy.evals;
  const want = ctx.system.manifest.manifest.model?.version;
  const lines: { bad: 'fail' | 'inconclusive' | undefined; text: string; index: number }[] = [];
  for (const e of loadedEvals(ctx)) {
    const p = loadProblem(e);
    if (p) {
      lines.push({ bad: 'fail', text: `${e.entry.name}: ${p}`, index: e.index });
      continue;
    }
    const r = usable(e)!;
    const name = e.entry.name;
    const impossible = impossibleValue(r, ctx.now);
    if (impossible) {
      lines.push({ bad: 'fail', text: `${name}: invalid: ${impossible}`, index: e.index });
      continue;
    }
    // Version: every version the file names must be the manifest's; a matching commit also counts.
    const versions = [...new Set([...(r.modelVersions ?? []), ...(r.model?.version ? [r.model.version] : [])])];
    const commitOk = !!(r.commit && COMMIT_ID.test(r.commit) && ctx.headSha && (ctx.headSha.startsWith(r.commit) || r.commit.startsWith(ctx.headSha)));
    let versionNote: string;
    if (!r.versionRecorded) {
      versionNote = `${r.format} records no model version: judged on age alone`;
    } else if (commitOk) {
      versionNote = `for the head commit ${ctx.headSha!.slice(0, 7)}`;
    } else if (want === undefined) {
      lines.push({ bad: 'fail', text: `${name}: the manifest declares no model.version to check ${r.file} against`, index: e.index });
      continue;
    } else if (versions.length === 0) {
      lines.push({ bad: 'fail', text: `${name}: ${r.file} names no model version (the manifest's is ${want})`, index: e.index });
      continue;
    } else if (versions.some((v) => v !== want)) {
      lines.push({ bad: 'fail', text: `${name}: ${r.file} is for model version ${versions.filter((v) => v !== want).join(', ')}, not ${want}`, index: e.index });
      continue;
    } else {
      versionNote = `for model version ${want}`;
    }
    const time = r.createdAt ?? ctx.system.evalTimes?.[name]?.time;
    const timeSource = r.createdAt ? 'recorded in the file' : ctx.system.evalTimes?.[name]?.source;
    if (!time || Number.isNaN(Date.parse(time))) {
      lines.push({ bad: 'inconclusive', text: `${name}: ${r.file} records no time and no fallback was available (${versionNote})`, index: e.index });
      continue;
    }
    const age = Math.floor((ctx.now.getTime() - Date.parse(time)) / DAY_MS);
    const when = `${plural(Math.max(age, 0), 'day')} old (${timeSource})`;
    if (age > max_age_days) {
      lines.push({ bad: 'fail', text: `${name}: ${when}, over max_age_days ${max_age_days}; ${versionNote}`, index: e.index });
    } else {
      lines.push({ bad: undefined, text: `${name}: ${when}; ${versionNote}`, index: e.index });
    }
  }
  if (lines.length === 0) return result('eval.freshness', 'fail', 'no eval results to judge', { location: at(ctx, ['evals']) });
  const worst = lines.find((l) => l.bad === 'fail') ?? lines.find((l) => l.bad === 'inconclusive');
  const details = lines.map((l) => `${l.bad ?? 'ok'}: ${l.text}`);
  if (!worst) return result('eval.freshness', 'pass', `${lines.length} result${lines.length === 1 ? '' : 's'} current`, { location: at(ctx, ['model']), details });
  return result('eval.freshness', worst.bad!, worst.text, { location: at(ctx, ['evals', worst.index]), details });
}

/**
 * A value no real run can have (SPEC §6), as "file:line key: expected …, found …": a time on a
 * later UTC day than the evaluation's (it would stay "0 days old" for ever), or a commit id of
 * fewer than 7 hex digits (it would match every head that starts with it). The adapters refuse
 * malformed commits already; this also covers results built any other way.
 */
function impossibleValue(r: EvalResult, now: Date): string | undefined {
  const when = r.newestTime ?? (r.createdAt ? { time: r.createdAt, key: 'created_at' } : undefined);
  if (when && today(new Date(when.time)) > today(now)) {
    const line = 'line' in when && when.line !== undefined ? `:${when.line}` : '';
    return `${r.file}${line} ${when.key}: expected a time no later than today (${isoDay(now)}, UTC), found ${when.time} (in the future)`;
  }
  if (r.commit !== undefined && !COMMIT_ID.test(r.commit)) {
    return `${r.file} commit: expected a commit id of at least 7 hex digits, found ${JSON.stringify(r.commit)}`;
  }
  return undefined;
}
