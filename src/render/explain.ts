// What explains a failure (details, the curated vs production-sample table), and what does not
// block, collapsed under <details>: passing gates, passing eval tables, notes, ready systems.
import { formatMetric } from '../evidence/evals/display';
import type { GateResult } from '../core/types';
import { blocking, ICON, naturalCompare } from './counts';
import { md, prose } from '../lib/escape';
import type { MetricRow, SystemReport } from '../model/report';

/** Eval gates whose failure the curated vs production-sample table explains. */
const TABLE_GATES = ['eval.production-gap', 'eval.thresholds'];

/** The blocking gate the system's eval table goes under, if any. */
export function tableGate(s: SystemReport): GateResult | undefined {
  if (!s.evalTable || s.evalTable.length === 0) return undefined;
  for (const id of TABLE_GATES) {
    const g = s.gates.find((x) => x.id === id && blocking(x));
    if (g) return g;
  }
  return undefined;
}

/**
 * A blocking gate's details that add to its reason: a line the reason already says (a sign-off
 * kind's verdict) or one that passes (`ok: …`) is left out, so that each reason is said once.
 */
export function freshDetails(g: GateResult, o: { keepOk?: boolean } = {}): string[] {
  return (g.details ?? []).filter((d) => (o.keepOk || !/^(?:ok|pass): /.test(d)) && !g.reason.includes(d.replace(/^(?:not ok|fail|inconclusive): /, '')));
}

export function detailLines(g: GateResult, max: number, indent = '  '): string[] {
  const d = freshDetails(g);
  const shown = d.slice(0, max);
  const out = shown.map((x) => `${indent}- ${prose(x)}`);
  if (d.length > shown.length) out.push(`${indent}- … ${d.length - shown.length} more in the job summary`);
  return out;
}

function cell(c: MetricRow['curated']): string {
  if (!c) return '–';
  const ci = c.lower !== undefined && c.upper !== undefined ? ` [${formatMetric(c.lower)}, ${formatMetric(c.upper)}]` : '';
  const tail = [...(c.n !== undefined ? [`n=${formatMetric(c.n)}`] : []), ...(c.errors ? [`${formatMetric(c.errors)} errored`] : [])];
  return `${formatMetric(c.value)}${ci}${tail.length > 0 ? ` ${tail.join(', ')}` : ''}`;
}

/** ❌ the whole interval is over the limit, ⚠️ part of it, ✅ none of it. */
function gapCell(r: MetricRow): string {
  if (r.gap === undefined) return '–';
  const ci = r.gapLower !== undefined && r.gapUpper !== undefined ? ` [${formatMetric(r.gapLower)}, ${formatMetric(r.gapUpper)}]` : '';
  let mark = '';
  if (r.maxGap !== undefined) {
    const lo = r.gapLower ?? r.gap;
    const hi = r.gapUpper ?? r.gap;
    mark = lo > r.maxGap + 1e-9 ? `${ICON.fail} ` : hi > r.maxGap + 1e-9 ? `${ICON.inconclusive} ` : '';
  }
  return `${mark}${formatMetric(r.gap)}${ci}`;
}

/** Curated vs production-sample with intervals; a blank line before and after is the caller's. */
export function evalTable(rows: MetricRow[]): string[] {
  const lines = ['| metric | curated | production-sample | gap [interval] | max gap |', '|---|--:|--:|--:|--:|'];
  for (const r of rows) {
    lines.push(`| ${md(r.metric)} (${r.direction}) | ${cell(r.curated)} | ${cell(r.production)} | ${gapCell(r)} | ${r.maxGap !== undefined ? formatMetric(r.maxGap) : '–'} |`);
  }
  return lines;
}

export function collapsed(summary: string, body: string[]): string[] {
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

/** "14 gates pass · 1 waived · 1 skipped" */
export function passingSummary(gates: GateResult[]): string {
  const count = (o: GateResult['outcome']): number => gates.filter((g) => g.outcome === o).length;
  const parts: string[] = [];
  const pass = count('pass');
  if (pass > 0) parts.push(`${pass} gate${pass === 1 ? '' : 's'} pass${pass === 1 ? 'es' : ''}`);
  if (count('waived') > 0) parts.push(`${count('waived')} waived`);
  if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
  return parts.join(' · ') || 'no other gate';
}

/** The gates that do not block, as a table (with a system column for a monorepo). */
export function passingTable(rows: { system?: string; gate: GateResult }[], withSystem: boolean): string[] {
  const head = withSystem ? ['| system | gate | result | reason |', '|---|---|---|---|'] : ['| gate | result | reason |', '|---|---|---|'];
  return [
    ...head,
    ...rows.map(({ system, gate: g }) => `|${withSystem ? ` ${md(system ?? '(repository)')} |` : ''} ${g.id} | ${ICON[g.outcome]} ${g.outcome} | ${prose(g.reason)} |`),
  ];
}

/** Waived gates stay visible: a waiver is a decision a reviewer should see. */
export function waiverLine(g: GateResult, system?: string): string {
  const w = g.waiver;
  const of = system ? ` (${md(system)})` : '';
  return `- ${ICON.waived} **${g.id}**${of} waived until ${md(w?.expires_on ?? '?')} by ${md(w?.approved_by ?? '?')}: ${prose(w?.reason ?? g.reason)}`;
}

/** SPEC §6: each value the base's bar keeps although the pull request loosens it, one line each. */
export function keptLines(s: SystemReport, max: number, system?: string): string[] {
  const kept = s.keptFromBase ?? [];
  if (kept.length === 0) return [];
  const why = 'a loosening applies after merge';
  const of = system ? ` (${md(system)})` : '';
  if (max === 0) return [`- ↩️ ${kept.length} value${kept.length === 1 ? '' : 's'} kept from the base until merge${of} (${why})`];
  const shown = kept.slice(0, max);
  const more = kept.length - shown.length;
  return [...shown.map((k) => `- ↩️ Kept from the base${of} (${why}): ${prose(k)}`), ...(more > 0 ? [`- ↩️ … ${more} more kept from the base, in the job summary`] : [])];
}

/** Ready systems in one collapsed list, natural order. */
export function readyList(passing: SystemReport[]): string[] {
  if (passing.length === 0) return [];
  const sorted = [...passing].sort((a, b) => naturalCompare(a.system, b.system));
  return collapsed(`${ICON.pass} ${passing.length} system${passing.length === 1 ? '' : 's'} ready`, [sorted.map((s) => md(s.system)).join(', ')]);
}
