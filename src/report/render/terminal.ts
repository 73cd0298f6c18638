// Report → terminal text for `last-mile check` and the action log.
import type { GateResult, Outcome } from '../../gates/types';
import { blocking, countLine, headline } from '../counts';
import type { Report } from '../types';

const COLOURS: Record<Outcome, number> = { pass: 32, fail: 31, inconclusive: 33, waived: 36, skipped: 90 };

export function renderTerminal(r: Report, opts: { colour?: boolean; verbose?: boolean } = {}): string {
  const c = (code: number, s: string): string => (opts.colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const tag = (o: Outcome): string => c(COLOURS[o], o.toUpperCase().padEnd(12));
  const out: string[] = [];
  const verdictColour = r.verdict === 'pass' ? 32 : r.verdict === 'fail' ? 31 : 33;
  out.push(c(verdictColour, `Last Mile: ${headline(r)} — verdict ${r.verdict}`));
  out.push(`${countLine(r)}; policy ${r.policy.source}`);
  for (const e of r.errors) out.push(c(31, `error: ${e}`));
  for (const n of r.notes) out.push(`note: ${n}`);
  const gateLines = (g: GateResult, indent: string): void => {
    if (g.outcome === 'skipped' && !opts.verbose) return;
    const where = g.location ? ` (${g.location.file}:${g.location.line})` : '';
    out.push(`${indent}${tag(g.outcome)} ${g.id}: ${g.reason}${where}`);
    if (blocking(g) && g.fix) out.push(`${indent}${' '.repeat(13)}fix: ${g.fix}`);
    if ((blocking(g) || opts.verbose) && g.details) for (const d of g.details.slice(0, 20)) out.push(`${indent}${' '.repeat(13)}- ${d}`);
  };
  out.push('');
  out.push('repository');
  for (const g of r.repositoryGates) gateLines(g, '  ');
  for (const s of r.systems) {
    out.push('');
    out.push(`${s.status === 'pass' ? c(32, '✔') : c(31, '✘')} ${s.system} (${s.manifest})`);
    for (const g of s.gates) gateLines(g, '  ');
    for (const row of s.evalTable ?? []) {
      out.push(`  ${row.metric}: curated ${fmt(row.curated?.value)} vs production-sample ${fmt(row.production?.value)}, gap ${fmt(row.gap)} (max ${fmt(row.maxGap)})`);
    }
  }
  return `${out.join('\n')}\n`;
}

function fmt(x: number | undefined): string {
  return x === undefined ? '–' : Number.isFinite(x) ? x.toFixed(3) : String(x);
}
