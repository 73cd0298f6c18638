// ownership: team, on-call and escalation declared; the team owns the manifest in CODEOWNERS.
import { defineGate } from './define';
import { at, requireKeys, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';
import { codeownersPattern, ownersOf, ownsPath } from '../../evidence/codeowners';

const gate = defineGate({ id: 'ownership', scope: 'system', requires: 'ownership', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const ownership = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'ownership', 'owner', 'Add `owner:` with `team`, `oncall` and `escalation`.');
  if (problem) return problem;
  const owner = ctx.system.manifest.manifest.owner!;
  const missing = requireKeys(ctx, 'ownership', 'owner', owner, ['team', 'oncall', 'escalation'], () => ': who owns it after it ships, who is paged, where to escalate');
  if (missing) return missing;
  const co = ctx.system.codeowners;
  const file = ctx.system.manifest.file;
  if (co) {
    const { owners, rule } = ownersOf(co, file);
    if (!ownsPath(co, owner.team!, file)) {
      const who = owners.length > 0 ? `to ${owners.join(', ')}` : 'to no one';
      const where = rule ? ` (${co.file}:${rule.line})` : '';
      // The manifest's folder, or the manifest itself at the root (a bare `/` never matches in CODEOWNERS).
      const dir = ctx.system.manifest.dir;
      // Escaped as GitHub requires (spaces, `[`, `]`, `*`…), so the line is one GitHub and the matcher both accept.
      const pattern = dir ? codeownersPattern(dir, 'directory') : codeownersPattern(file, 'file');
      return result('ownership', 'fail', `${co.file} assigns ${file} ${who}${where}, not to ${owner.team}`, {
        fix: pattern !== undefined ? `Add \`${pattern} ${owner.team}\` at the end of ${co.file} (the last matching rule wins).` : `Give ${file} to ${owner.team} in ${co.file}.`,
        location: at(ctx, ['owner', 'team']),
      });
    }
  }
  return result('ownership', 'pass', `owned by ${owner.team}${co ? ` (${co.file})` : ''}; on-call and escalation declared`, { location: at(ctx, ['owner']) });
}
