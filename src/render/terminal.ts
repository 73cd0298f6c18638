// Report → terminal text for `last-mile check` and the action log. Every string in a report may
// come from the pull request (names, paths, keys, reasons quoting file contents): each is shown
// with its control characters escaped (plain), and no line may start as a workflow command.
import type { GateResult, Outcome } from '../core/types';
import { blocking, countLine, headline } from './counts';
import { guardLines, plain as p } from '../lib/escape';
import { freshDetails } from './explain';
import type { Report } from '../model/report';

const COLOURS: Record<Outcome, number> = { pass: 32, fail: 31, inconclusive: 33, waived: 36, skipped: 90 };

export function renderTerminal(r: Report, opts: { colour?: boolean; verbose?: boolean } = {}): string {
  const c = (code: number, s: string): string => (opts.colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const tag = (o: Outcome): string => c(COLOURS[o], o.toUpperCase().padEnd(12));
  const out: string[] = [];
  const verdictColour = r.verdict === 'pass' ? 32 : r.verdict === 'fail' ? 31 : 33;
  out.push(c(verdictColour, `Last Mile: ${p(headline(r))} — verdict ${r.verdict}`));
  out.push(`${countLine(r)}; policy ${p(r.policy.source)}`);
  for (const e of r.errors) out.push(c(31, `error: ${p(e)}`));
  for (const n of r.notes) out.push(`note: ${p(n)}`);
  const gateLines = (g: GateResult, indent: string): void => {
    if (g.outcome === 'skipped' && !opts.verbose) return;
    const where = g.location ? ` (${p(g.location.file)}:${g.location.line})` : '';
    out.push(`${indent}${tag(g.outcome)} ${g.id}: ${p(g.reason)}${where}`);
    if (blocking(g) && g.fix) out.push(`${indent}${' '.repeat(13)}fix: ${p(g.fix)}`);
    // A blocking gate's details without the line its reason already says (each reason once).
    const details = blocking(g) && !opts.verbose ? freshDetails(g, { keepOk: true }) : opts.verbose ? (g.details ?? []) : [];
    for (const d of details.slice(0, 20)) out.push(`${indent}${' '.repeat(13)}- ${p(d)}`);
  };
  out.push('');
  out.push('repository');
  for (const g of r.repositoryGates) gateLines(g, '  ');
  for (const s of r.systems) {
    out.push('');
    out.push(`${s.status === 'pass' ? c(32, '✔') : c(31, '✘')} ${p(s.system)} (${p(s.manifest)})`);
    for (const g of s.gates) gateLines(g, '  ');
    for (const row of s.evalTable ?? []) {
      out.push(`  ${p(row.metric)}: curated ${fmt(row.curated?.value)} vs production-sample ${fmt(row.production?.value)}, gap ${fmt(row.gap)} (max ${fmt(row.maxGap)})`);
    }
  }
  // A metric named `::add-mask::x` would otherwise start its line (after the indent the runner trims).
  return `${guardLines(out.join('\n'))}\n`;
}

function fmt(x: number | undefined): string {
  return x === undefined ? '–' : Number.isFinite(x) ? x.toFixed(3) : String(x);
}
