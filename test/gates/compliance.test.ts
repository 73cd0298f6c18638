import { describe, expect, it } from 'vitest';
import { compliance } from '../../src/core/gates/compliance';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

const tier = (t: string) => makeContext({ manifestYaml: FULL_MANIFEST.replace('risk_tier: limited', `risk_tier: ${t}`) });

describe('compliance', () => {
  it.each(['minimal', 'limited', 'high'])('passes with risk tier %s', (t) => {
    expect(compliance(tier(t))).toMatchObject({ outcome: 'pass', reason: `risk tier ${t}`, location: { line: 21 } });
  });

  it('fails unacceptable at any stage, pointing at the tier', () => {
    const r = compliance(tier('unacceptable'));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('risk tier "unacceptable" can never pass the production stage');
    expect(r.location).toEqual({ file: 'lastmile.yml', line: 21, column: 14 });
    expect(r.fix).toContain('must not ship');
  });

  it('fails "invalid" on an unknown tier', () => {
    const r = compliance(tier('severe'));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('compliance.risk_tier expected one of "minimal" | "limited" | "high" | "unacceptable", found "severe"');
  });

  it('fails "missing" without the section or the tier', () => {
    expect(compliance(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('compliance')) })).reason).toBe('missing: the manifest has no `compliance:` section');
    const r = compliance(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.deleteIn(['compliance', 'risk_tier'])) }));
    expect(r).toMatchObject({ outcome: 'fail', reason: 'missing: compliance.risk_tier' });
  });
});
