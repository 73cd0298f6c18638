// SPEC §6: GitHub answers 404 both for "not a member" and for a token that may not see the
// team. Where a reviewer could only count through a team, the reason says so and how to pass
// a token that can read it.
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHub } from '../../src/github/client';
import { ApproverDirectory, teamNotFound } from '../../src/github/reviews';
import { membershipKey } from '../../src/evidence/trust/types';
import { verifyRecord } from '../../src/evidence/trust/verify';
import { trustEvidence } from '../helpers/context';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub } from '../support/github-server';

const REPO = { owner: 'acme', repo: 'service' };
const TEAM = '@acme/security';
const RECORD = { kind: 'security', status: 'approved', ticket: 'SEC-1', approved_by: 'sam' };

let gh: FakeGitHub;
let dir: ApproverDirectory;

beforeEach(async () => {
  gh = await startGitHubServer({ repository: 'acme/service' });
  dir = new ApproverDirectory(getOctokit('test-token', { baseUrl: gh.url }) as GitHub, REPO);
});
afterEach(async () => {
  expect(gh.violations).toEqual([]);
  await gh.close();
});

describe('ApproverDirectory: team membership', () => {
  it('an active member counts', async () => {
    gh.setTeamMember('acme', 'security', 'sam', { state: 'active' });
    expect(await dir.table([TEAM], ['sam'])).toEqual({ [membershipKey(TEAM, 'sam')]: { member: true, via: 'member of @acme/security' } });
  });

  it('a pending member does not', async () => {
    gh.setTeamMember('acme', 'security', 'sam', { state: 'pending' });
    expect(await dir.table([TEAM], ['sam'])).toEqual({ [membershipKey(TEAM, 'sam')]: { member: false } });
  });

  it('404: unknown, and the reason names the team, the reviewer, the permission and the input', async () => {
    const table = await dir.table([TEAM], ['sam']);
    const m = table[membershipKey(TEAM, 'sam')];
    expect(m).toEqual({ member: 'unknown', why: teamNotFound('acme', 'security', 'sam') });
    const why = m?.member === 'unknown' ? m.why : '';
    expect(why).toContain('GitHub answered 404 for @sam in @acme/security: either @sam is not a member, or the token may be unable to read that team');
    expect(why).toContain('"Members: read"');
    expect(why).toContain('a GitHub App installation token');
    expect(why).toContain('a fine-grained personal access token');
    expect(why).toContain("passed as the action's github-token input");
    expect(gh.countRequests('GET', /\/orgs\/acme\/teams\/security\/memberships\/sam$/)).toBe(1);
  });

  it('403 (a token without Members: read) keeps its own reason', async () => {
    gh.permissions.members = 'none';
    const m = (await dir.table([TEAM], ['sam']))[membershipKey(TEAM, 'sam')];
    expect(m).toMatchObject({ member: 'unknown', why: expect.stringContaining('cannot read the membership of @acme/security (HTTP 403') as unknown });
  });
});

describe('the 404 reason reaches the verification', () => {
  it('a reviewer who could only count through the team: unverified, with the reason', async () => {
    const memberships = await dir.table(['alice', TEAM], ['sam']);
    const v = verifyRecord('signoffs', RECORD, 'lastmile.yml', ['alice', TEAM], trustEvidence({ approvingReviewers: ['sam'], memberships }), 'c'.repeat(40));
    expect(v.verified).toBe(false);
    expect(v.unknown).toEqual([teamNotFound('acme', 'security', 'sam')]);
  });

  it('a reviewer verified another way: the 404 of another reviewer is not shown', async () => {
    const memberships = await dir.table(['alice', TEAM], ['sam', 'alice']);
    const v = verifyRecord('signoffs', { ...RECORD, approved_by: 'alice' }, 'lastmile.yml', ['alice', TEAM], trustEvidence({ approvingReviewers: ['sam', 'alice'], memberships }), 'c'.repeat(40));
    expect(v).toMatchObject({ verified: true, how: 'approved by @alice', unknown: [] });
  });
});
