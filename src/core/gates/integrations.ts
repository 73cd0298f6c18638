// integrations: each declares auth, rate limit, timeout and fallback.
import { defineGate } from './define';
import { absent, at, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';

const gate = defineGate({ id: 'integrations', scope: 'system', requires: 'integrations', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const integrations = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'integrations', 'integrations', 'Add `integrations:` listing each system it calls, with `auth`, `rate_limit`, `timeout_ms` and `fallback` (or `integrations: []` when there are none).');
  if (problem) return problem;
  const list = ctx.system.manifest.manifest.integrations!;
  if (list.length === 0) return result('integrations', 'pass', 'declares no integrations', { location: at(ctx, ['integrations']) });
  const gaps: string[] = [];
  let firstBad: number | undefined;
  list.forEach((it, i) => {
    const missing = absent(it, ['auth', 'rate_limit', 'timeout_ms', 'fallback']);
    if (missing.length > 0) {
      gaps.push(`${it.name}: missing ${missing.join(', ')}`);
      firstBad ??= i;
    }
  });
  if (gaps.length > 0) {
    return result('integrations', 'fail', `${gaps.length} of ${list.length} integration${list.length === 1 ? '' : 's'} incomplete: ${gaps[0]}${gaps.length > 1 ? ', …' : ''}`, {
      fix: 'Give every integration `auth`, `rate_limit` (e.g. "100/min"), `timeout_ms` and a `fallback` for when it fails.',
      location: at(ctx, ['integrations', firstBad ?? 0]),
      details: gaps,
    });
  }
  return result('integrations', 'pass', `${list.length} integration${list.length === 1 ? '' : 's'} with auth, rate limit, timeout and fallback`, { location: at(ctx, ['integrations']) });
}
