// Report → GitHub-flavoured Markdown for the pull request comment and the job summary.
// Fits GitHub's 65,536-character limit by collapsing detail, never by cutting mid-table.
import { gateInfo } from '../../gates/catalogue';
import type { GateId } from '../../gates/catalogue';
import type { GateResult, Location, Outcome } from '../../gates/types';
import type { Change } from '../changes';
import { areaOf, blocking, countLine, headline, ICON } from '../counts';
import { code, md } from '../escape';
import type { MetricRow, Report, SystemReport } from '../types';

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

type Detail = 'full' | 'compact' | 'minimal';

export function renderMarkdown(r: Report, opts: MarkdownOptions = {}): string {
  const limit = opts.limit ?? COMMENT_LIMIT;
  const trailer = opts.trailer ?? '';
  for (const level of ['full', 'compact', 'minimal'] as Detail[]) {
    const body = render(r, opts, level) + trailer;
    if (body.length <= limit) return body;
  }
  // Even the minimal form is too long (thousands of systems): list what blocks, whole lines only.
  const head = `${title(r)}\n\n${countLine(r)}. The report is too long for a comment; the job summary and the \`report\` output have all of it.\n`;
  const lines: string[] = [];
  let size = head.length + trailer.length + 100;
  for (const s of r.systems.filter((x) => x.status === 'fail')) {
    const line = `- ${ICON.fail} ${md(s.system)}: ${s.gates.filter(blocking).map((g) => g.id).join(', ')}\n`;
    if (size + line.length > limit) break;
    size += line.length;
    lines.push(line);
  }
  return `${head}\n${lines.join('')}${trailer}`;
}

function title(r: Report): string {
  const icon = r.verdict === 'pass' ? '✅' : r.verdict === 'fail' ? '❌' : '⚠️';
  return `### ${icon} Last Mile: ${md(headline(r))}`;
}

function render(r: Report, opts: MarkdownOptions, level: Detail): string {
  const out: string[] = [title(r), ''];
  const systems = r.systems.length;
  out.push(`**${countLine(r)}** · ${systems} system${systems === 1 ? '' : 's'} · stage ${code(r.stage)} (${r.enforce}) · policy ${code(r.policy.source)}`);
  out.push('');
  for (const e of r.errors) {
    out.push('> [!CAUTION]');
    for (const line of e.split('\n')) out.push(`> ${md(line)}`);
    out.push('');
  }
  for (const n of r.notes) out.push(`> ${md(n)}`, '');
  if (opts.changes && opts.changes.length > 0) out.push(...renderChanges(opts.changes, level), '');
  if (systems > 0 && level !== 'minimal') out.push(...areaTable(r), '');
  const repoBlocking = r.repositoryGates.filter((g) => blocking(g) || g.outcome === 'waived' || g.id === 'policy.integrity');
  for (const g of repoBlocking) {
    if (g.outcome === 'pass' && !/changes the policy|loosens the bar/.test(g.reason)) continue;
    out.push(...gateBlock(g, opts, level), '');
  }
  const failing = r.systems.filter((s) => s.status === 'fail');
  const passing = r.systems.filter((s) => s.status === 'pass');
  for (const s of failing) out.push(...systemSection(s, opts, level), '');
  if (passing.length > 0) {
    if (level === 'minimal' && passing.length > 20) {
      out.push(`${ICON.pass} ${passing.length} systems ready: ${passing.map((s) => md(s.system)).join(', ')}`, '');
    } else {
      for (const s of passing) {
        const ran = s.gates.filter((g) => g.outcome !== 'skipped').length;
        const waived = s.gates.filter((g) => g.outcome === 'waived').length;
        out.push(`${ICON.pass} **${md(s.system)}** ready: ${ran} gate${ran === 1 ? '' : 's'} pass${waived ? ` (${waived} waived)` : ''} · ${link(s.manifest, { file: s.manifest, line: 1 }, opts)}`);
        out.push(...keptLines(s, level));
      }
      out.push('');
    }
  }
  if (level === 'full') out.push(...allGates(r), '');
  out.push(`<sub>Last Mile · ${md(r.event)}${r.headSha ? ` · ${r.headSha.slice(0, 7)}` : ''}</sub>`);
  return `${out.join('\n')}\n`;
}

function renderChanges(changes: Change[], level: Detail): string[] {
  const shown = level === 'full' ? changes.slice(0, 30) : changes.slice(0, 10);
  const lines = shown.map((c) => {
    const [system, ...rest] = c.key.split('/');
    const what = c.kind === 'gate' ? `**${md(rest.join('/'))}**${system ? ` (${md(system)})` : ''}` : `${md(rest.join(' '))}${system ? ` (${md(system)})` : ''}`;
    return `- ${c.better ? '🟢' : '🔴'} ${what}: ${md(c.from)} → ${md(c.to)}`;
  });
  if (changes.length > shown.length) lines.push(`- … and ${changes.length - shown.length} more`);
  return ['**What changed since the last run**', '', ...lines];
}

function areaTable(r: Report): string[] {
  const areas = new Map<string, Record<Outcome, number>>();
  for (const g of [...r.repositoryGates, ...r.systems.flatMap((s) => s.gates)]) {
    const a = areaOf(g.id);
    const row = areas.get(a) ?? { pass: 0, fail: 0, inconclusive: 0, waived: 0, skipped: 0 };
    row[g.outcome]++;
    areas.set(a, row);
  }
  const lines = ['| area | result | ✅ pass | ❌ fail | ⚠️ inconclusive | 🟡 waived | ⏭️ skipped |', '|---|:-:|--:|--:|--:|--:|--:|'];
  for (const [a, c] of areas) {
    const icon = c.fail > 0 ? ICON.fail : c.inconclusive > 0 ? ICON.inconclusive : c.waived > 0 ? ICON.waived : c.pass > 0 ? ICON.pass : ICON.skipped;
    lines.push(`| ${a} | ${icon} | ${c.pass} | ${c.fail} | ${c.inconclusive} | ${c.waived} | ${c.skipped} |`);
  }
  return lines;
}

function systemSection(s: SystemReport, opts: MarkdownOptions, level: Detail): string[] {
  const out = [`#### ${ICON.fail} ${md(s.system)} · ${link(s.manifest, { file: s.manifest, line: 1 }, opts)}`, ''];
  const bad = s.gates.filter(blocking);
  for (const g of bad) out.push(...gateBlock(g, opts, level));
  const waived = s.gates.filter((g) => g.outcome === 'waived');
  for (const g of waived) {
    out.push(`- ${ICON.waived} **${g.id}** waived until ${md(g.waiver?.expires_on ?? '?')} by ${md(g.waiver?.approved_by ?? '?')}: ${md(g.waiver?.reason ?? '')}`);
  }
  out.push(...keptLines(s, level));
  if (level !== 'minimal' && s.evalTable && s.evalTable.length > 0) out.push('', ...evalTable(s.evalTable));
  if (level === 'full' && s.evalTable && s.evalTable.length > 0) out.push('', ...evalChart(s.evalTable));
  if (level === 'full' && s.notes.length > 0) out.push('', ...s.notes.slice(0, 10).map((n) => `> ${md(n)}`));
  return out;
}

/** SPEC §6: each value the base's bar keeps although the pull request loosens it, one line each. */
function keptLines(s: SystemReport, level: Detail): string[] {
  const kept = s.keptFromBase ?? [];
  if (kept.length === 0) return [];
  const why = 'a loosening applies after merge';
  if (level === 'minimal') return [`- ↩️ ${kept.length} value${kept.length === 1 ? '' : 's'} kept from the base until merge (${why})`];
  const shown = kept.slice(0, level === 'full' ? 10 : 5);
  const more = kept.length - shown.length;
  return [...shown.map((k) => `- ↩️ Kept from the base (${why}): ${md(k)}`), ...(more > 0 ? [`- ↩️ … ${more} more kept from the base, in the job summary`] : [])];
}

function gateBlock(g: GateResult, opts: MarkdownOptions, level: Detail): string[] {
  const where = g.location ? ` (${link(`${g.location.file}:${g.location.line}`, g.location, opts)})` : '';
  const out = [`- ${ICON[g.outcome]} **${g.id}** ${g.outcome}: ${md(g.reason)}${where}`];
  if (g.fix && g.outcome !== 'pass') out.push(`  <br>**Fix:** ${md(g.fix)}`);
  if (level === 'full' && g.details && g.details.length > 0) {
    const shown = g.details.slice(0, 12);
    for (const d of shown) out.push(`  - ${md(d)}`);
    if (g.details.length > shown.length) out.push(`  - … ${g.details.length - shown.length} more in the job summary`);
  }
  return out;
}

export function evalTable(rows: MetricRow[]): string[] {
  const cell = (c: MetricRow['curated']): string => {
    if (!c) return '–';
    const ci = c.lower !== undefined && c.upper !== undefined ? ` [${num(c.lower)}, ${num(c.upper)}]` : '';
    return `${num(c.value)}${ci}${c.n !== undefined ? ` n=${c.n}` : ''}`;
  };
  const lines = ['| metric | curated | production-sample | gap | max gap |', '|---|--:|--:|--:|--:|'];
  for (const r of rows) {
    const over = r.gap !== undefined && r.maxGap !== undefined && r.gap > r.maxGap;
    lines.push(`| ${md(r.metric)} (${r.direction}) | ${cell(r.curated)} | ${cell(r.production)} | ${r.gap !== undefined ? `${over ? '❌ ' : ''}${num(r.gap)}` : '–'} | ${r.maxGap !== undefined ? num(r.maxGap) : '–'} |`);
  }
  return lines;
}

/**
 * Curated vs production-sample as a Mermaid bar chart (GitHub renders it). Only rates in [0, 1]
 * are charted; labels are reduced to safe characters, since Mermaid text is not Markdown-escaped.
 */
export function evalChart(rows: MetricRow[]): string[] {
  const charted = rows.filter((r) => r.curated && r.production && [r.curated.value, r.production.value].every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).slice(0, 6);
  if (charted.length === 0) return [];
  const label = (m: string): string => `"${m.replace(/[^A-Za-z0-9_./ -]/g, '_').slice(0, 40)}"`;
  return [
    '```mermaid',
    'xychart-beta',
    '  title "curated (first bar) vs production-sample (second bar)"',
    `  x-axis [${charted.map((r) => label(r.metric)).join(', ')}]`,
    '  y-axis 0 --> 1',
    `  bar [${charted.map((r) => num(r.curated!.value)).join(', ')}]`,
    `  bar [${charted.map((r) => num(r.production!.value)).join(', ')}]`,
    '```',
  ];
}

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3);
}

function allGates(r: Report): string[] {
  const rows: string[] = [];
  const row = (system: string, g: GateResult): string => `| ${md(system)} | ${g.id} | ${ICON[g.outcome]} ${g.outcome} | ${md(g.reason)} |`;
  for (const g of r.repositoryGates) rows.push(row('(repository)', g));
  for (const s of r.systems) for (const g of s.gates) rows.push(row(s.system, g));
  return ['<details><summary>All gates</summary>', '', '| system | gate | result | reason |', '|---|---|---|---|', ...rows, '', '</details>'];
}

function link(text: string, loc: Location, opts: MarkdownOptions): string {
  const label = code(text);
  if (!opts.repository || !opts.sha) return label;
  const server = opts.serverUrl ?? 'https://github.com';
  // Parentheses too: an unbalanced `)` would end the link destination early.
  const path = loc.file.split('/').map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  return `[${label}](${server}/${opts.repository}/blob/${opts.sha}/${path}#L${loc.line})`;
}

export function gateTitle(id: GateId): string {
  return gateInfo(id).title;
}
