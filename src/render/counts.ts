// Shared wording of verdicts and counts, so every renderer says the same thing.
import type { GateResult, Outcome } from '../core/types';
import type { Report } from '../model/report';

export const ICON: Record<Outcome, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', waived: '🟡', skipped: '⏭️' };

export function headline(r: Report): string {
  if (r.stage === 'none') return `No policy rule applies to ${r.branch}: nothing is enforced`;
  const where = `for ${r.stage} on ${r.branch}`;
  if (r.verdict === 'pass') return `Ready ${where}`;
  return `Not ready ${where} (${r.enforce === 'block' ? 'blocks merge' : 'warning only'})`;
}

export function countLine(r: Report): string {
  const order: Outcome[] = ['fail', 'inconclusive', 'waived', 'pass', 'skipped'];
  const words: Record<Outcome, string> = { fail: 'failing', inconclusive: 'inconclusive', waived: 'waived', pass: 'passing', skipped: 'skipped' };
  return order.filter((o) => r.counts[o] > 0).map((o) => `${r.counts[o]} ${words[o]}`).join(', ') || 'no gates';
}

export function blocking(g: GateResult): boolean {
  return g.outcome === 'fail' || g.outcome === 'inconclusive';
}

export function areaOf(id: string): string {
  return id.includes('.') ? id.slice(0, id.indexOf('.')) : id;
}

const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order (`svc-2` before `svc-10`), ties broken by code points so the order is total. */
export function naturalCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
