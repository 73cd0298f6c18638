// policy.integrity: the base policy is valid; a pull request's own policy edit is only noted.
import { defineGate } from '../define';
import { result } from '../result';
import type { GateResult, PolicyInput } from '../../types';

const gate = defineGate({ id: 'policy.integrity', scope: 'repository', requires: 'always', run: (ctx) => policyIntegrity(ctx.policyInput, ctx.loosened) });
export default gate;

/** The gate's check, on the policy as read. @param loosened systems whose manifest loosens a bar of the base (kept until merge, SPEC §6). */
export function policyIntegrity(p: PolicyInput, loosened: readonly string[] = []): GateResult {
  if (!p.parse.ok && p.parse.errors.length === 0) {
    return result('policy.integrity', 'fail', `the policy ${p.source} could not be read`, { fix: 'See the error above; the check fails closed until the policy can be read.' });
  }
  if (!p.parse.ok) {
    const first = p.parse.errors[0];
    return result('policy.integrity', 'fail', `the policy ${p.source} is invalid${first ? `: ${first.file}:${first.line}:${first.column} ${first.path ? `${first.path}: ` : ''}expected ${first.expected}, found ${first.found}` : ''}`, {
      ...(first ? { location: { file: first.file, line: first.line, column: first.column } } : {}),
      details: p.parse.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path ? `${e.path}: ` : ''}expected ${e.expected}, found ${e.found}`),
    });
  }
  const source = p.builtIn ? 'the built-in default policy' : `the policy from ${p.source}`;
  const bars = loosened.length > 0 ? `; it loosens the bar of ${loosened.length === 1 ? 'system' : `${loosened.length} systems:`} ${loosened.slice(0, 5).join(', ')}${loosened.length > 5 ? ', …' : ''}, whose base values apply until merge` : '';
  if (p.changedInHead) {
    return result('policy.integrity', 'pass', `this pull request changes the policy file; it is judged by ${source}, and the change applies only after merge${bars}`, {
      details: ['Guard the policy file with a CODEOWNERS entry for your release managers.'],
    });
  }
  if (bars) return result('policy.integrity', 'pass', `judged by ${source}${bars}`);
  return result('policy.integrity', 'pass', `judged by ${source}`);
}
