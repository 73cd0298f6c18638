import { describe, expect, it } from 'vitest';
import { describeApprovers, parseApprover, rank } from '../../src/evidence/trust/approvers';
import { membershipKey, NO_TRUST } from '../../src/evidence/trust/types';
import { canonical, verifyRecord } from '../../src/evidence/trust/verify';
import { trustEvidence } from '../helpers/context';

const record = { kind: 'security', status: 'approved', ticket: 'SEC-1', approved_by: 'alice', expires_on: '2027-04-01' };
const FILE = 'services/triage/lastmile.yml';
const base = (signoffs: unknown[], waivers: unknown[] = []) => ({ [FILE]: { signoffs, waivers } });

describe('canonical', () => {
  it('ignores key order and undefined values, and sees any edit', () => {
    expect(canonical({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe(canonical({ a: [1, { d: 2 }], b: 1 }));
    expect(canonical({ ...record, expires_on: '2027-04-02' })).not.toBe(canonical(record));
    expect(canonical({ ...record, ticket: 1 })).not.toBe(canonical(record));
  });
});

describe('verifyRecord', () => {
  it('on a gated branch every record is verified', () => {
    expect(verifyRecord('signoffs', record, FILE, ['alice'], trustEvidence({ mode: 'branch' }))).toEqual({ verified: true, how: 'on the gated branch already', unknown: [] });
  });

  it('without a base nothing is verified, and it says how to get one', () => {
    const v = verifyRecord('signoffs', record, FILE, ['alice'], NO_TRUST);
    expect(v.verified).toBe(false);
    expect(v.how).toContain('last-mile check --base');
  });

  it('verified when unchanged in the base manifest (same section, same path)', () => {
    const reordered = { status: 'approved', expires_on: '2027-04-01', kind: 'security', approved_by: 'alice', ticket: 'SEC-1' };
    expect(verifyRecord('signoffs', record, FILE, ['alice'], trustEvidence({ baseManifests: base([reordered]) }))).toMatchObject({ verified: true, how: 'unchanged from the base branch' });
    // the same record under waivers, or in another manifest, does not count
    expect(verifyRecord('signoffs', record, FILE, ['alice'], trustEvidence({ baseManifests: base([], [record]) })).verified).toBe(false);
    expect(verifyRecord('signoffs', record, 'lastmile.yml', ['alice'], trustEvidence({ baseManifests: base([record]) })).verified).toBe(false);
  });

  it('an edited record is unverified and says who may verify it', () => {
    const v = verifyRecord('signoffs', { ...record, expires_on: '2028-01-01' }, FILE, ['alice', '@acme/security'], trustEvidence({ baseManifests: base([record]) }), 'abcdef0123');
    expect(v.verified).toBe(false);
    expect(v.how).toBe('unverified: added or changed by this pull request without an approving review on abcdef0 from @alice or a member of @acme/security');
    expect(v.needs).toBe('an approving review on abcdef0 from @alice or a member of @acme/security');
  });

  it('says when the base could not be read', () => {
    const v = verifyRecord('signoffs', record, FILE, ['alice'], trustEvidence({ baseUnavailable: 'git show failed' }));
    expect(v.how).toContain('added by this pull request (the base has no such manifest)');
    expect(v.how).toContain('; the base could not be read: git show failed');
  });

  it('verified by an approving review from a listed user (case-insensitive, with or without @)', () => {
    expect(verifyRecord('signoffs', record, FILE, ['@Alice'], trustEvidence({ approvingReviewers: ['alice'] }))).toMatchObject({ verified: true, how: 'approved by @alice' });
  });

  it('never by the author, even when listed', () => {
    expect(verifyRecord('signoffs', record, FILE, ['alice'], trustEvidence({ approvingReviewers: ['alice'], author: 'Alice' })).verified).toBe(false);
  });

  it('verified by a team member, unverified by a non-member, and says when membership is unknown', () => {
    const key = membershipKey('@acme/security', 'bob');
    expect(membershipKey('@ACME/Security', 'Bob')).toBe(key);
    const yes = verifyRecord('signoffs', { ...record, approved_by: 'bob' }, FILE, ['@acme/security'], trustEvidence({ approvingReviewers: ['bob'], memberships: { [key]: { member: true, via: 'member of @acme/security' } } }));
    expect(yes).toEqual({ verified: true, how: 'approved by @bob (member of @acme/security)', unknown: [] });
    const no = verifyRecord('signoffs', record, FILE, ['@acme/security'], trustEvidence({ approvingReviewers: ['bob'], memberships: { [key]: { member: false } } }));
    expect(no).toMatchObject({ verified: false, unknown: [] });
    const why = 'the token cannot read @acme/security (needs "Members: read")';
    const unknown = verifyRecord('signoffs', record, FILE, ['@acme/security'], trustEvidence({ approvingReviewers: ['bob', 'carol'], memberships: { [key]: { member: 'unknown', why }, [membershipKey('@acme/security', 'carol')]: { member: 'unknown', why } } }));
    expect(unknown).toMatchObject({ verified: false, unknown: [why] });
  });

  it('a mismatch between approved_by and the verifying reviewer is a warning (SPEC §3)', () => {
    const v = verifyRecord('signoffs', record, FILE, ['alice', 'bob'], trustEvidence({ approvingReviewers: ['bob'] }));
    expect(v.verified).toBe(true);
    expect(v.warning).toBe('approved_by says alice, but the verifying review is by @bob');
    expect(v.how).toContain('warning: approved_by says alice');
    expect(verifyRecord('signoffs', record, FILE, ['alice'], trustEvidence({ approvingReviewers: ['ALICE'] })).warning).toBeUndefined();
  });
});

describe('approvers', () => {
  it('parses users, teams and permission levels', () => {
    expect(parseApprover('alice')).toEqual({ kind: 'user', login: 'alice', text: 'alice' });
    expect(parseApprover('@alice')).toMatchObject({ kind: 'user', login: 'alice' });
    expect(parseApprover('@acme/security')).toMatchObject({ kind: 'team', org: 'acme', slug: 'security' });
    expect(parseApprover('@Maintain')).toMatchObject({ kind: 'permission', level: 'maintain' });
  });

  it('ranks permissions read < triage < write < maintain < admin', () => {
    expect(['read', 'triage', 'write', 'maintain', 'admin'].map(rank)).toEqual([0, 1, 2, 3, 4]);
    expect(rank(undefined)).toBe(-1);
    expect(rank('custom')).toBe(-1);
  });

  it('describes who may approve', () => {
    expect(describeApprovers(['alice', '@acme/security', '@write'])).toBe('@alice, a member of @acme/security or a collaborator with write access (not the author)');
    expect(describeApprovers(['dana'])).toBe('@dana');
  });
});
