import { describe, expect, it } from 'vitest';
import { requiredKinds, signoffs } from '../../src/core/gates/signoffs';
import { withBar } from '../../src/core/gates/define';
import { membershipKey } from '../../src/evidence/trust/types';
import type { TrustEvidence } from '../../src/evidence/trust/types';
import { makeContext, policyFrom, trustEvidence, unchangedFromBase } from '../helpers/context';
import type { ContextOptions } from '../helpers/context';

const POLICY = `version: 1
signoffs:
  security:   { approvers: [alice, "@acme/security"] }
  compliance: { approvers: [carol], when: { risk_tier: [limited, high] } }
`;

const SECURITY = `  - kind: security
    status: approved
    ticket: SEC-1
    approved_by: alice
    approved_on: 2026-10-02
    expires_on: 2027-04-01
`;
const COMPLIANCE = `  - kind: compliance
    status: approved
    ticket: COMP-9
    approved_by: carol
    approved_on: 2026-11-01
`;

function manifest(records: string, tier = 'minimal'): string {
  return `version: 1\nsystem: triage\ncompliance: { risk_tier: ${tier} }\nsignoffs:\n${records}`;
}

function run(records: string, o: ContextOptions & { tier?: string; policyYaml?: string } = {}) {
  const manifestYaml = manifest(records, o.tier);
  const ctx = makeContext({ policy: policyFrom(o.policyYaml ?? POLICY), trust: o.trust ?? unchangedFromBase(manifestYaml), ...o, manifestYaml });
  return { ctx, r: signoffs(ctx) };
}

describe('signoffs: what is required', () => {
  it('passes when every required kind is approved, unexpired and verified', () => {
    const { r } = run(SECURITY);
    expect(r.outcome).toBe('pass');
    expect(r.reason).toBe('1 sign-off approved and verified: security');
    expect(r.details).toEqual(['ok: security: approved by alice (SEC-1), unchanged from the base branch']);
  });

  it('fails on a missing kind, naming who may grant it', () => {
    const { r } = run(SECURITY, { tier: 'high' });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('1 of 2 required sign-offs not in place: compliance: missing (to be granted by @carol)');
    expect(r.location).toMatchObject({ file: 'lastmile.yml', line: 5 });
  });

  it('`when` risk_tier: a kind is required only for the listed tiers', () => {
    expect(run(SECURITY, { tier: 'minimal' }).r.outcome).toBe('pass');
    expect(run(SECURITY, { tier: 'limited' }).r.outcome).toBe('fail');
    expect(run(SECURITY, { tier: 'high' }).r.outcome).toBe('fail');
    expect(run(SECURITY + COMPLIANCE, { tier: 'high' }).r.outcome).toBe('pass');
  });

  it('`when` without a declared risk tier requires the kind (fail closed)', () => {
    const yaml = `version: 1\nsystem: triage\nsignoffs:\n${SECURITY}`;
    const ctx = makeContext({ manifestYaml: yaml, policy: policyFrom(POLICY), trust: unchangedFromBase(yaml) });
    expect(requiredKinds(withBar(ctx)).map(([k]) => k)).toEqual(['security', 'compliance']);
    expect(signoffs(ctx).reason).toContain('compliance: missing');
  });

  it('passes when the policy requires no sign-off', () => {
    const { r } = run(SECURITY, { policyYaml: 'version: 1\nsignoffs: {}\n' });
    expect(r).toMatchObject({ outcome: 'pass', reason: 'the policy requires no sign-off at the production stage' });
  });

  it('fails "missing" without a signoffs section, listing the kinds to request', () => {
    const yaml = 'version: 1\nsystem: triage\ncompliance: { risk_tier: high }\n';
    const r = signoffs(makeContext({ manifestYaml: yaml, policy: policyFrom(POLICY) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('missing: the manifest has no `signoffs:` section');
    expect(r.fix).toContain('security, compliance');
  });

  it('fails "invalid" with line and key path when a record is malformed', () => {
    const { r } = run(SECURITY.replace('status: approved', 'status: aproved'));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('signoffs[0].status');
    expect(r.location).toMatchObject({ line: 6 });
  });

  it('notes kinds the policy does not require', () => {
    const { r } = run(SECURITY + '  - { kind: legal, status: requested }\n');
    expect(r.outcome).toBe('pass');
    expect(r.details).toContain('not required by the policy: legal');
  });
});

describe('signoffs: status and expiry', () => {
  it('requested: shows its age in days and who may grant it', () => {
    const { r } = run('  - { kind: security, status: requested, ticket: SEC-2, requested_on: 2026-11-02 }\n');
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('1 of 1 required sign-off not in place: security: requested (SEC-2), waiting 18 days; to be granted by @alice or a member of @acme/security');
    expect(r.location).toMatchObject({ line: 5, column: 5 });
  });

  it('requested today waits 0 days, yesterday 1 day', () => {
    expect(run('  - { kind: security, status: requested, requested_on: 2026-11-20 }\n').r.reason).toContain('waiting 0 days');
    expect(run('  - { kind: security, status: requested, requested_on: 2026-11-19 }\n').r.reason).toContain('waiting 1 day;');
    expect(run('  - { kind: security, status: requested, requested_on: 2026-12-01 }\n').r.reason).toContain('requested_on 2026-12-01 is in the future;');
  });

  it('rejected fails', () => {
    const { r } = run('  - { kind: security, status: rejected, ticket: SEC-3 }\n');
    expect(r).toMatchObject({ outcome: 'fail', reason: '1 of 1 required sign-off not in place: security: rejected (SEC-3)' });
  });

  it('expired by expires_on', () => {
    const { r } = run(SECURITY.replace('expires_on: 2027-04-01', 'expires_on: 2026-11-19'));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('security: expired on 2026-11-19 (expires_on) (SEC-1)');
  });

  it('expires_on today is still valid, with a warning', () => {
    const { r } = run(SECURITY.replace('expires_on: 2027-04-01', 'expires_on: 2026-11-20'));
    expect(r.outcome).toBe('pass');
    expect(r.details![0]).toContain('expires in 0 days (2026-11-20)');
  });

  it('warns about an expiry within 14 days, not later', () => {
    expect(run(SECURITY.replace('expires_on: 2027-04-01', 'expires_on: 2026-12-01')).r.details![0]).toContain('expires in 11 days (2026-12-01)');
    expect(run(SECURITY).r.details![0]).not.toContain('expires in');
  });

  it('expired by approved_on + max_age_days', () => {
    const policyYaml = 'version: 1\nsignoffs:\n  security: { approvers: [alice], max_age_days: 30 }\n';
    const { r } = run(SECURITY, { policyYaml });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('security: expired on 2026-11-01 (approved_on + 30 days)');
    expect(run(SECURITY, { policyYaml: policyYaml.replace('30', '180') }).r.outcome).toBe('pass');
  });

  it('the earlier of the two expiries applies', () => {
    const policyYaml = 'version: 1\nsignoffs:\n  security: { approvers: [alice], max_age_days: 180 }\n';
    const { r } = run(SECURITY.replace('expires_on: 2027-04-01', 'expires_on: 2026-11-10'), { policyYaml });
    expect(r.reason).toContain('expired on 2026-11-10 (expires_on)');
  });

  it('max_age_days without approved_on fails', () => {
    const policyYaml = 'version: 1\nsignoffs:\n  security: { approvers: [alice], max_age_days: 180 }\n';
    const { r } = run(SECURITY.replace('    approved_on: 2026-10-02\n', ''), { policyYaml });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('security: approved_on missing; the policy limits its age to 180 days');
  });

  it('any one good record of a kind suffices', () => {
    const { r } = run('  - { kind: security, status: rejected, ticket: SEC-0 }\n' + SECURITY);
    expect(r.outcome).toBe('pass');
  });
});

describe('signoffs: verification (SPEC §6)', () => {
  const yaml = manifest(SECURITY);
  const pr = (over: Partial<TrustEvidence>) => trustEvidence(over);

  it('verified when present and unchanged in the base manifest', () => {
    expect(run(SECURITY, { trust: unchangedFromBase(yaml) }).r.details).toEqual(['ok: security: approved by alice (SEC-1), unchanged from the base branch']);
  });

  it('verified on a gated branch (push, schedule)', () => {
    const { r } = run(SECURITY, { trust: pr({ mode: 'branch' }) });
    expect(r.outcome).toBe('pass');
    expect(r.details![0]).toContain('on the gated branch already');
  });

  it('unverified when the pull request adds it without a review', () => {
    const { r } = run(SECURITY, { trust: pr({ baseManifests: { 'lastmile.yml': null } }), headSha: 'abcdef1234567890' });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe(
      '1 of 1 required sign-off not in place: security: approved (SEC-1) but unverified: added by this pull request (the base has no such manifest) without an approving review on abcdef1 from @alice or a member of @acme/security',
    );
  });

  it('unverified when the pull request edits it (any field) without a review', () => {
    const base = unchangedFromBase(yaml);
    const edited = SECURITY.replace('expires_on: 2027-04-01', 'expires_on: 2027-05-01');
    const { r } = run(edited, { trust: base });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('unverified: added or changed by this pull request without an approving review on the head commit');
  });

  it('verified by an approving reviewer listed as a user', () => {
    const { r } = run(SECURITY, { trust: pr({ approvingReviewers: ['Alice'] }) });
    expect(r.outcome).toBe('pass');
    expect(r.details![0]).toContain('approved by @Alice');
  });

  it('an approving review by someone who is not an approver does not verify', () => {
    const { r } = run(SECURITY, { trust: pr({ approvingReviewers: ['mallory'], memberships: { [membershipKey('@acme/security', 'mallory')]: { member: false } } }) });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('unverified');
  });

  it("the pull request's author never verifies their own record", () => {
    const { r } = run(SECURITY, { trust: pr({ approvingReviewers: ['alice'], author: 'alice' }) });
    expect(r.outcome).toBe('fail');
  });

  it('verified through team membership precomputed for the reviewer', () => {
    const trust = pr({ approvingReviewers: ['bob'], memberships: { [membershipKey('@acme/security', 'bob')]: { member: true, via: 'member of @acme/security' } } });
    const { r } = run(SECURITY, { trust });
    expect(r.outcome).toBe('pass');
    expect(r.details![0]).toContain('approved by @bob (member of @acme/security)');
  });

  it('an approved_by that differs from the verifying reviewer is a warning, not a failure (SPEC §3)', () => {
    const trust = pr({ approvingReviewers: ['bob'], memberships: { [membershipKey('@acme/security', 'bob')]: { member: true, via: 'member of @acme/security' } } });
    const { r } = run(SECURITY, { trust });
    expect(r.outcome).toBe('pass');
    expect(r.details![0]).toContain('warning: approved_by says alice, but the verifying review is by @bob');
    const same = run(SECURITY, { trust: pr({ approvingReviewers: ['Alice'] }) }).r;
    expect(same.details![0]).not.toContain('warning');
  });

  it("says plainly when team membership cannot be read ('unknown')", () => {
    const why = 'cannot read the members of @acme/security: the token lacks "Members: read"';
    const trust = pr({ approvingReviewers: ['bob'], memberships: { [membershipKey('@acme/security', 'bob')]: { member: 'unknown', why } } });
    const { r } = run(SECURITY, { trust });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('unverified');
    expect(r.reason.endsWith(`; ${why}`)).toBe(true);
  });

  it('verified by a collaborator with the permission an @write approver needs', () => {
    const trust = pr({ approvingReviewers: ['bob'], memberships: { [membershipKey('@write', 'bob')]: { member: true, via: 'write access' } } });
    const { r } = run(SECURITY, { trust, policyYaml: 'version: 1\nsignoffs:\n  security: { approvers: ["@write"] }\n' });
    expect(r.outcome).toBe('pass');
    expect(r.details![0]).toContain('approved by @bob (write access)');
  });

  it('without a base (local check) nothing is verified', () => {
    const { r } = run(SECURITY, { trust: pr({ mode: 'none' }) });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('no base branch to verify against');
  });
});
