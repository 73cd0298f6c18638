// Which refs an event means (SPEC §8), and the context a branch run takes on to answer for an open
// pull request its commit heads.
import { describe, expect, it } from 'vitest';
import { contextFrom, pullRequestContext } from '../../src/action/event';

const ENV = { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF_NAME: 'feature/x', GITHUB_SHA: 'd'.repeat(40) };
const PAYLOAD = { repository: { name: 'app', owner: { login: 'acme' }, default_branch: 'main' } };

describe('pullRequestContext', () => {
  const push = contextFrom('push', { ...PAYLOAD, ref: 'refs/heads/feature/x' }, ENV, { workspaceHead: 'c'.repeat(40) });

  it('a push on feature/x is a branch run judged by its own branch', () => {
    expect(push).toMatchObject({ event: 'push', branch: 'feature/x', headSha: 'c'.repeat(40), trustMode: 'branch', canComment: false });
    expect(push.baseSha).toBeUndefined();
  });

  it('answering for PR #2 into release/1.0: its base branch rule, base SHA, number, author and head; same event', () => {
    const pr = pullRequestContext(push, { number: 2, baseRef: 'release/1.0', baseSha: 'b'.repeat(40), headSha: 'c'.repeat(40), author: 'mallory' });
    expect(pr).toEqual({
      event: 'push',
      owner: 'acme',
      repo: 'app',
      serverUrl: 'https://github.com',
      defaultBranch: 'main',
      branch: 'release/1.0',
      baseSha: 'b'.repeat(40),
      headSha: 'c'.repeat(40),
      pullNumber: 2,
      author: 'mallory',
      isFork: false,
      trustMode: 'pull-request',
      canComment: false,
    });
  });

  it('a workflow_dispatch with input `branch` still answers by the pull request\'s base, not the input', () => {
    const dispatch = contextFrom('workflow_dispatch', PAYLOAD, ENV, { branchInput: 'release/9.9' });
    expect(dispatch.branch).toBe('release/9.9');
    const pr = pullRequestContext(dispatch, { number: 5, baseRef: 'release/1.0', baseSha: 'b'.repeat(40), headSha: 'd'.repeat(40) });
    expect(pr.branch).toBe('release/1.0');
    expect(pr.author).toBeUndefined();
  });
});
