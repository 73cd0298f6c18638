import { describe, expect, it } from 'vitest';
import { signoffs } from '../../src/core/gates/signoffs';
import { evaluateSystem } from '../../src/core/gates/index';
import { overdueRecord, slaNote } from '../../src/core/gates/sla';
import { makeContext, policyFrom, unchangedFromBase } from '../helpers/context';

// NOW in the helpers is 2026-11-20.
const POLICY = `version: 1
signoffs:
  security: { approvers: [alice, "@acme/security"], sla_days: 10, escalate: "@acme/security-leads" }
  business-owner: { approvers: [dana], sla_days: 5 }
`;

function ctx(records: string, o: { stage?: string; policyYaml?: string } = {}) {
  const yaml = `version: 1\nsystem: triage\nsignoffs:\n${records}`;
  return makeContext({ manifestYaml: yaml, policy: policyFrom(o.policyYaml ?? POLICY), trust: unchangedFromBase(yaml), ...(o.stage ? { stage: o.stage } : {}) });
}

const BIZ_OK = '  - { kind: business-owner, status: approved, approved_by: dana, approved_on: 2026-11-01 }\n';

describe('sign-off service levels (SPEC §10)', () => {
  it('a request past its SLA names its age, the overrun and whom to escalate to; the gate fails as before', () => {
    const r = signoffs(ctx('  - { kind: security, status: requested, ticket: SEC-7, requested_on: 2026-11-02 }\n' + BIZ_OK));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe(
      '1 of 2 required sign-offs not in place: security: requested (SEC-7), waiting 18 days; to be granted by @alice or a member of @acme/security; over its 10-day SLA by 8 days; escalate to @acme/security-leads',
    );
  });

  it('within the SLA (and exactly at it) no note is added', () => {
    const at = signoffs(ctx('  - { kind: security, status: requested, requested_on: 2026-11-10 }\n' + BIZ_OK));
    expect(at.reason).toContain('waiting 10 days; to be granted by @alice or a member of @acme/security');
    expect(at.reason).not.toContain('SLA');
    expect(signoffs(ctx('  - { kind: security, status: requested, requested_on: 2026-11-09 }\n' + BIZ_OK)).reason).toContain('over its 10-day SLA by 1 day;');
  });

  it('without `escalate` the overrun is still shown, with nobody invented', () => {
    const r = signoffs(ctx('  - { kind: security, status: requested, requested_on: 2026-11-19 }\n  - { kind: business-owner, status: requested, requested_on: 2026-11-01 }\n'));
    const line = r.details!.find((d) => d.includes('business-owner'))!;
    expect(line).toBe('not ok: business-owner: requested, waiting 19 days; to be granted by @dana; over its 5-day SLA by 14 days');
  });

  it('no request date or a future one is never overdue', () => {
    const rule = { approvers: ['alice'], sla_days: 1 };
    expect(overdueRecord('security', rule, { kind: 'security', status: 'requested' }, 20_000)).toBeUndefined();
    expect(overdueRecord('security', rule, { kind: 'security', status: 'requested', requested_on: '2099-01-01' }, 20_000)).toBeUndefined();
    expect(slaNote(undefined)).toBe('');
  });

  it('the report lists overdue requests per system; the status is the same as without an SLA', () => {
    const records = '  - { kind: security, status: requested, ticket: SEC-7, requested_on: 2026-11-02 }\n' + BIZ_OK;
    const withSla = evaluateSystem(ctx(records));
    const without = evaluateSystem(ctx(records, { policyYaml: POLICY.replace(/, sla_days: \d+/g, '').replace(', escalate: "@acme/security-leads"', '') }));
    expect(withSla.overdue).toEqual([{ kind: 'security', ticket: 'SEC-7', requested_on: '2026-11-02', age_days: 18, sla_days: 10, escalate: '@acme/security-leads' }]);
    expect(without.overdue).toBeUndefined();
    expect(withSla.status).toBe(without.status);
    expect(withSla.gates.map((g) => g.outcome)).toEqual(without.gates.map((g) => g.outcome));
  });

  it('an approved record of the kind supersedes an old request; stages without sign-offs list none', () => {
    const approved = '  - { kind: security, status: approved, approved_by: alice, approved_on: 2026-11-01 }\n';
    expect(evaluateSystem(ctx('  - { kind: security, status: requested, requested_on: 2026-10-01 }\n' + approved + BIZ_OK)).overdue).toBeUndefined();
    expect(evaluateSystem(ctx('  - { kind: security, status: requested, requested_on: 2026-10-01 }\n' + BIZ_OK, { stage: 'pilot' })).overdue).toBeUndefined();
  });
});
