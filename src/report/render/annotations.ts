// Report → check-run annotations on the lines the gates concern.
import type { Annotation } from '../../github/checks';
import { blocking } from '../counts';
import type { Report } from '../types';

export function annotations(r: Report): Annotation[] {
  const out: Annotation[] = [];
  const all = [...r.repositoryGates.map((g) => ({ g, system: '' })), ...r.systems.flatMap((s) => s.gates.map((g) => ({ g, system: s.system })))];
  for (const { g, system } of all) {
    if (!blocking(g) || !g.location) continue;
    out.push({
      path: g.location.file,
      start_line: g.location.line,
      end_line: g.location.line,
      annotation_level: g.outcome === 'fail' && r.enforce === 'block' ? 'failure' : 'warning',
      title: `${g.id}${system ? ` (${system})` : ''}: ${g.outcome}`,
      message: `${g.reason}${g.fix ? `\nFix: ${g.fix}` : ''}`.slice(0, 64_000),
    });
  }
  return out;
}
