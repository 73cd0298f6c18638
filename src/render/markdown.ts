// Report → GitHub-flavoured Markdown for the pull request comment and the job summary (SPEC §7).
// It leads with what blocks (lead.ts), explains only failures and collapses the rest
// (explain.ts). It fits GitHub's 65,536 characters by dropping passing detail first, then
// explanations, then whole systems' lines after the lead, never by cutting a line or a table.
import type { Location } from '../model/result';
import type { Change } from './changes';
import { blocking, countLine, headline, ICON, naturalCompare } from './counts';
import { code, md, prose } from '../lib/escape';
import type { Report, SystemReport } from '../model/report';
import { collapsed, detailLines, evalTable, keptLines, passingSummary, passingTable, readyList, tableGate, waiverLine } from './explain';
import { blockers, commonFix, failingSystems, gateLine, groupLine, groups, LEAD_ITEMS, moreLine } from './lead';
import type { Blocker } from './lead';

export { evalTable } from './explain';

export const COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** For links to manifest lines: https://github.com/<repo>/blob/<sha>/<file>#L<line> */
  serverUrl?: string;
  repository?: string;
  sha?: string;
  changes?: Change[];
  /** Appended verbatim (hidden markers); counted against the limit. */
  trailer?: string;
  limit?: number;
}

/** How much explanation fits: full, compact (no passing detail), minimal (reasons and fixes only). */
type Detail = 'full' | 'compact' | 'minimal';
const DETAILS: Record<Detail, number> = { full: 12, compact: 3, minimal: 0 };

export function renderMarkdown(r: Report, opts: MarkdownOptions = {}): string {
  const limit = opts.limit ?? COMMENT_LIMIT;
  const trailer = opts.trailer ?? '';
  for (const level of ['full', 'compact', 'minimal'] as Detail[]) {
    const body = render(r, opts, level) + trailer;
    if (body.length <= limit) return body;
  }
  return packed(r, opts, limit - trailer.length) + trailer;
}

function multi(r: Report): boolean {
  return r.systems.length > 1;
}

function heading(r: Report): string {
  const icon = r.verdict === 'pass' ? ICON.pass : r.verdict === 'fail' ? ICON.fail : ICON.inconclusive;
  // The terminal's wording (counts.ts), so the log and the comment say the same.
  const text = md(headline(r));
  const failing = r.systems.filter((s) => s.status === 'fail').length;
  const of = multi(r) ? (failing > 0 ? ` — ${failing} of ${r.systems.length} systems` : ` — ${r.systems.length} systems`) : '';
  return `### ${icon} Last Mile: ${text}${of}`;
}

/** The lead: fatal errors, then every blocking gate, one line each (the first five, then a count). */
function lead(r: Report, opts: MarkdownOptions, maxNames = 12): string[] {
  const out: string[] = [];
  for (const e of r.errors) out.push(`- ${ICON.fail} **error**: ${prose(e.split('\n')[0] ?? '')}${e.includes('\n') ? ' (more below)' : ''}`);
  if (multi(r)) {
    const gs = groups(r);
    out.push(...gs.slice(0, LEAD_ITEMS).map((g) => groupLine(g, maxNames)));
    const rest = gs.slice(LEAD_ITEMS);
    if (rest.length > 0) out.push(moreLine(rest.length, `blocking gate${rest.length === 1 ? '' : 's'}`, rest.map((g) => g.id)));
  } else {
    const bs = blockers(r);
    out.push(...bs.slice(0, LEAD_ITEMS).map((b) => gateLine(b, where(b, opts))));
    const rest = bs.slice(LEAD_ITEMS);
    if (rest.length > 0) out.push(moreLine(rest.length, `blocking gate${rest.length === 1 ? '' : 's'}`, rest.map((b) => b.gate.id)));
  }
  return out;
}

function where(b: Blocker, opts: MarkdownOptions): string {
  const l = b.gate.location;
  return l ? ` (${link(`${l.file}:${l.line}`, l, opts)})` : '';
}

/** One line of context after the lead, and what changed since the last run in one more. */
function context(r: Report, opts: MarkdownOptions): string[] {
  const parts: string[] = [];
  const only = r.systems.length === 1 ? r.systems[0]! : undefined;
  if (only) parts.push(`**${md(only.system)}** ${link(only.manifest, { file: only.manifest, line: 1 }, opts)}${only.owner ? ` (${md(only.owner)})` : ''}`);
  else parts.push(`${r.systems.length} system${r.systems.length === 1 ? '' : 's'}`);
  if (r.stage !== 'none') parts.push(`stage ${code(r.stage)} (${r.enforce})`);
  parts.push(`policy ${code(r.policy.source)}`, countLine(r));
  const out = [parts.join(' · ')];
  if (opts.changes && opts.changes.length > 0) out.push('', changesLine(opts.changes));
  return out;
}

function changesLine(changes: Change[]): string {
  const shown = changes.slice(0, 5).map((c) => {
    const [system, ...rest] = c.key.split('/');
    const of = system ? ` (${md(system)})` : '';
    const what = c.kind === 'gate' ? `${code(rest.join('/'))}${of}` : `${md(rest.join(' '))}${of}`;
    return `${c.better ? '🟢' : '🔴'} ${what} ${md(c.from)} → ${md(c.to)}`;
  });
  const more = changes.length - shown.length;
  return `**Since the last run:** ${shown.join(' · ')}${more > 0 ? ` · and ${more} more` : ''}`;
}

function render(r: Report, opts: MarkdownOptions, level: Detail): string {
  const out: string[] = [heading(r), ...lead(r, opts), '', ...context(r, opts), ''];
  for (const e of r.errors) {
    out.push('> [!CAUTION]', ...e.split('\n').map((l) => `> ${prose(l)}`), '');
  }
  for (const n of r.notes) out.push(`> ${prose(n)}`, '');
  out.push(...(multi(r) ? monorepo(r, opts, level) : single(r, opts, level)));
  out.push(`<sub>Last Mile · ${md(r.event)}${r.headSha ? ` · ${r.headSha.slice(0, 7)}` : ''}</sub>`);
  return `${out.join('\n')}\n`;
}

/** Repository gates that are not blocking but worth a line (waivers, a changed policy). */
function repositoryNotes(r: Report): string[] {
  return r.repositoryGates.filter((g) => g.outcome === 'waived' || (g.id === 'policy.integrity' && /changes the policy|loosens the bar/.test(g.reason))).map((g) => (g.outcome === 'waived' ? waiverLine(g) : `- ${ICON[g.outcome]} **${g.id}** ${g.outcome}: ${prose(g.reason)}`));
}

function single(r: Report, opts: MarkdownOptions, level: Detail): string[] {
  const out: string[] = [];
  const s = r.systems[0];
  const visible = [...repositoryNotes(r), ...(s ? [...s.gates.filter((g) => g.outcome === 'waived').map((g) => waiverLine(g)), ...keptLines(s, level === 'full' ? 10 : level === 'compact' ? 5 : 0)] : [])];
  if (visible.length > 0) out.push(...visible, '');
  const bs = blockers(r);
  // Past the lead's five: the rest of the blocking gates, in full.
  const rest = bs.slice(LEAD_ITEMS);
  if (rest.length > 0) out.push(...rest.map((b) => gateLine(b, where(b, opts))), '');
  if (level !== 'minimal') out.push(...explanations(bs, level));
  if (s && level === 'full') out.push(...passingDetail(r, [s]));
  return out;
}

/** Under each blocking gate's name: what adds to its reason (details, the eval table). */
function explanations(bs: Blocker[], level: Detail): string[] {
  const out: string[] = [];
  for (const b of bs) {
    const details = detailLines(b.gate, DETAILS[level], '');
    const table = b.system && tableGate(b.system) === b.gate ? evalTable(b.system.evalTable!) : [];
    if (details.length === 0 && table.length === 0) continue;
    out.push(`**Why ${code(b.gate.id)} ${b.gate.outcome === 'fail' ? 'fails' : 'is inconclusive'}**`, '');
    if (details.length > 0) out.push(...details, '');
    if (table.length > 0) out.push(...table, '');
  }
  return out;
}

/** Passing gates, a passing eval table and notes, collapsed. */
function passingDetail(r: Report, systems: SystemReport[]): string[] {
  const withSystem = systems.length > 1;
  const rows = [...r.repositoryGates.map((gate) => ({ gate })), ...systems.flatMap((s) => s.gates.map((gate) => ({ system: s.system, gate })))].filter((x) => !blocking(x.gate));
  if (rows.length === 0) return [];
  const body = passingTable(rows, withSystem);
  for (const s of systems) {
    if (s.evalTable && s.evalTable.length > 0 && !tableGate(s)) body.push('', `${withSystem ? `${md(s.system)}: ` : ''}curated vs production-sample`, '', ...evalTable(s.evalTable));
    if (s.notes.length > 0) body.push('', ...s.notes.slice(0, 10).map((n) => `- ${withSystem ? `${md(s.system)}: ` : ''}${prose(n)}`));
  }
  const summary = passingSummary(rows.map((x) => x.gate));
  return [...collapsed(withSystem ? `All gates that do not block: ${summary}` : summary, body), ''];
}

function monorepo(r: Report, opts: MarkdownOptions, level: Detail): string[] {
  const out: string[] = [];
  const repoNotes = repositoryNotes(r);
  if (repoNotes.length > 0) out.push(...repoNotes, '');
  const repoBlockers = blockers(r).filter((b) => !b.system);
  if (repoBlockers.length > 0) out.push('**the repository**', '', ...repoBlockers.map((b) => gateLine(b, where(b, opts), { who: false })), '');
  const shared = sharedFixes(r);
  for (const s of failingSystems(r)) out.push(...systemBlock(s, opts, level, shared), '');
  const passing = r.systems.filter((s) => s.status === 'pass').sort((a, b) => naturalCompare(a.system, b.system));
  // Waivers and values kept from the base stay visible, also for a ready system.
  const noted = passing.flatMap((s) => [...s.gates.filter((g) => g.outcome === 'waived').map((g) => waiverLine(g, s.system)), ...keptLines(s, level === 'minimal' ? 0 : 5, s.system)]);
  if (noted.length > 0) out.push(...noted, '');
  if (passing.length > 0) out.push(...readyList(passing), '');
  if (level === 'full') out.push(...passingDetail(r, r.systems));
  return out;
}

/** Gate ids whose fix is said once, in the lead, because every system it blocks shares it. */
function sharedFixes(r: Report): Set<string> {
  return new Set(groups(r).filter((g) => g.blockers.length > 1 && commonFix(g.blockers) !== undefined).map((g) => g.id));
}

/** A failing system: its name, then each blocking gate with reason and fix, then what explains them. */
function systemBlock(s: SystemReport, opts: MarkdownOptions, level: Detail, shared: Set<string>): string[] {
  const out = [`**${ICON.fail} ${md(s.system)}** · ${link(s.manifest, { file: s.manifest, line: 1 }, opts)}${s.owner ? ` · ${md(s.owner)}` : ''}`, ''];
  const table = level === 'minimal' ? undefined : tableGate(s);
  for (const g of s.gates.filter(blocking)) {
    out.push(gateLine({ gate: g, system: s }, where({ gate: g }, opts), { who: false, fix: !shared.has(g.id) }));
    if (level !== 'minimal') out.push(...detailLines(g, DETAILS[level]));
  }
  out.push(...s.gates.filter((g) => g.outcome === 'waived').map((g) => waiverLine(g)), ...keptLines(s, level === 'full' ? 10 : level === 'compact' ? 5 : 0));
  if (table) out.push('', ...evalTable(s.evalTable!));
  return out;
}

/**
 * Past the minimal form (hundreds of failing systems): the lead, then each failing system's
 * blocking reasons and fixes, whole systems in natural order while they fit, then a count.
 */
function packed(r: Report, opts: MarkdownOptions, budget: number): string {
  const tail = `<sub>Last Mile · ${md(r.event)}${r.headSha ? ` · ${r.headSha.slice(0, 7)}` : ''}</sub>\n`;
  const head = [heading(r), ...lead(r, opts, 3), '', ...context(r, opts), ''].join('\n');
  const passing = r.systems.length - failingSystems(r).length;
  const failing = failingSystems(r);
  const shared = sharedFixes(r);
  const blocks: string[] = [];
  let size = head.length + tail.length + 400;
  let shown = 0;
  const repo = blockers(r).filter((b) => !b.system);
  if (repo.length > 0) {
    const text = `${repo.map((b) => gateLine(b, '', { who: false })).join('\n')}\n\n`;
    blocks.push(text);
    size += text.length;
  }
  // Room for the names of the systems not shown (up to 4,000 characters), kept as systems are added.
  const suffix = new Array<number>(failing.length + 1).fill(0);
  for (let i = failing.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + md(failing[i]!.system).length + 2;
  const nameRoom = (from: number): number => Math.min(4000, suffix[from]!);
  for (const [i, s] of failing.entries()) {
    const text = `${systemBlock(s, {}, 'minimal', shared).join('\n')}\n\n`;
    if (size + text.length + nameRoom(i + 1) > budget) break;
    blocks.push(text);
    size += text.length;
    shown++;
  }
  const more = failing.length - shown;
  // The rest are named while their names fit (cheap, and a reviewer can search for one).
  const names: string[] = [];
  let left = nameRoom(shown); // reserved by the loop above
  for (const s of failing.slice(shown)) {
    const n = md(s.system);
    if ((left -= n.length + 2) < 0) break;
    names.push(n);
  }
  const unnamed = more - names.length;
  const list = names.length > 0 ? `: ${names.join(', ')}${unnamed > 0 ? ` and ${unnamed} more` : ''}` : '';
  const count = [
    ...(more > 0 ? [`- ${ICON.fail} … and ${more} more blocked system${more === 1 ? '' : 's'}${list}. The job summary and the \`report\` output have their reasons and fixes.`] : []),
    ...(passing > 0 ? [`- ${ICON.pass} ${passing} system${passing === 1 ? '' : 's'} ready.`] : []),
  ];
  return `${head}\n${blocks.join('')}${count.length > 0 ? `${count.join('\n')}\n\n` : ''}${tail}`;
}

function link(text: string, loc: Location, opts: MarkdownOptions): string {
  const label = code(text);
  if (!opts.repository || !opts.sha) return label;
  const server = opts.serverUrl ?? 'https://github.com';
  // Parentheses too: an unbalanced `)` would end the link destination early.
  const path = loc.file.split('/').map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  return `[${label}](${server}/${opts.repository}/blob/${opts.sha}/${path}#L${loc.line})`;
}

