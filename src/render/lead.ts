// What a comment leads with (SPEC §7): the verdict, then every blocking gate on one line with
// its reason, who acts and the fix. One system: one line per gate. Several: one line per gate
// with the systems it blocks (natural order), their reasons following in the system list.
import { GATES } from '../model/catalogue';
import type { GateResult } from '../core/types';
import { parseApprover } from '../evidence/trust/approvers';
import { blocking, ICON, naturalCompare } from './counts';
import { code, md, prose } from '../lib/escape';
import type { Report, SystemReport } from '../model/report';

/** Lines of the lead before "… and N more". */
export const LEAD_ITEMS = 5;

export interface Blocker {
  gate: GateResult;
  /** Undefined for a repository gate (inventory, policy). */
  system?: SystemReport;
}

export interface Group {
  id: GateResult['id'];
  blockers: Blocker[];
}

const ORDER = new Map(GATES.map((g, i) => [g.id as string, i]));

/** Failing systems in natural order. */
export function failingSystems(r: Report): SystemReport[] {
  return r.systems.filter((s) => s.status === 'fail').sort((a, b) => naturalCompare(a.system, b.system));
}

export function blockers(r: Report): Blocker[] {
  const repo = r.repositoryGates.filter(blocking).map((gate) => ({ gate }));
  return [...repo, ...failingSystems(r).flatMap((system) => system.gates.filter(blocking).map((gate) => ({ gate, system })))];
}

/** Blocking gates grouped by id: repository gates first, then the gates that block most systems. */
export function groups(r: Report): Group[] {
  const by = new Map<string, Group>();
  for (const b of blockers(r)) {
    const g = by.get(b.gate.id) ?? { id: b.gate.id, blockers: [] };
    g.blockers.push(b);
    by.set(b.gate.id, g);
  }
  const repo = (g: Group): number => (g.blockers.some((b) => !b.system) ? 0 : 1);
  return [...by.values()].sort((a, b) => repo(a) - repo(b) || b.blockers.length - a.blockers.length || (ORDER.get(a.id) ?? 99) - (ORDER.get(b.id) ?? 99));
}

/** `@⁠alice`, `@⁠acme/security`, "anyone with write access": handles that show but do not ping. */
export function handle(spec: string): string {
  const s = parseApprover(spec);
  if (s.kind === 'permission') return `anyone with ${s.level} access but the author`;
  return md(s.kind === 'team' ? `@${s.org}/${s.slug}` : `@${s.login}`);
}

function orList(items: string[], max = 6): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  const tail = more > 0 ? [`${more} more`] : [];
  const all = [...shown, ...tail];
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
}

/** Who acts on these blockers: a sign-off's approvers, else the owning teams. */
export function whoActs(bs: Blocker[]): string {
  const approvers = [...new Set(bs.flatMap((b) => b.gate.who ?? []))];
  if (approvers.length > 0) return orList(approvers.map(handle));
  if (bs.every((b) => !b.system)) return bs.some((b) => b.gate.id === 'policy.integrity') ? 'the release managers (base policy)' : 'the pull request\'s author';
  const owners = [...new Set(bs.map((b) => b.system?.owner).filter((o): o is string => !!o))].sort(naturalCompare);
  const none = bs.some((b) => b.system && !b.system.owner);
  const named = owners.map((o) => md(o));
  if (none) named.push(owners.length > 0 ? 'owners not declared' : 'no owner declared');
  return orList(named);
}

export function whoLabel(bs: Blocker[]): string {
  return ` · **who acts:** ${whoActs(bs)}`;
}

/** The fix shared by all blockers, or undefined when they differ. */
export function commonFix(bs: Blocker[]): string | undefined {
  const fixes = new Set(bs.map((b) => b.gate.fix ?? ''));
  const only = [...fixes][0];
  return fixes.size === 1 && only ? only : undefined;
}

export function fixLabel(fix: string | undefined): string {
  return fix ? ` · **fix:** ${prose(fix)}` : '';
}

/** One blocking gate of one system: gate, outcome, reason (and where), who acts, fix. */
export function gateLine(b: Blocker, where: string, o: { who?: boolean; fix?: boolean } = {}): string {
  const g = b.gate;
  return `- ${ICON[g.outcome]} **${g.id}** ${g.outcome}: ${prose(g.reason)}${where}${o.who === false ? '' : whoLabel([b])}${o.fix === false ? '' : fixLabel(g.fix)}`;
}

function names(bs: Blocker[], max: number): string {
  const systems = bs.map((b) => (b.system ? md(b.system.system) : 'the repository'));
  const shown = systems.slice(0, max);
  return `${shown.join(', ')}${systems.length > shown.length ? `, … ${systems.length - shown.length} more` : ''}`;
}

/** A monorepo's lead line: a gate, the systems it blocks, who acts, the fix they share. */
export function groupLine(g: Group, maxNames = 12): string {
  const icon = g.blockers.some((b) => b.gate.outcome === 'fail') ? ICON.fail : ICON.inconclusive;
  const n = g.blockers.length;
  const what = n === 1 && g.blockers[0]!.system ? `${md(g.blockers[0]!.system.system)}` : `${n} system${n === 1 ? '' : 's'}: ${names(g.blockers, maxNames)}`;
  const fix = commonFix(g.blockers);
  return `- ${icon} **${g.id}** blocks ${what}${whoLabel(g.blockers)}${fix ? fixLabel(fix) : ' · **fix:** per system, below'}`;
}

export function moreLine(rest: number, what: string, ids: string[]): string {
  return `- … and ${rest} more ${what}${ids.length > 0 ? `: ${ids.map(code).join(', ')}` : ''}, below`;
}
