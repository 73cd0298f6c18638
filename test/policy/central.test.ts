// SPEC §6: a central policy's `@ref` must be a branch or tag name of another repository, or,
// in this repository, the base branch itself. Refs the pull request could control are refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centralRefProblem, loadPolicy, parseCentral } from '../../src/collect/policy';
import { Workspace } from '../../src/collect/workspace';

const HEAD = 'c'.repeat(40);
const CTX = { repositoryOwner: 'acme', repositoryName: 'service', baseBranch: 'release/1.0', headSha: HEAD, headRef: 'feature/lenient' };

function problem(input: string, ctx: Parameters<typeof centralRefProblem>[1] = CTX): string | undefined {
  const c = parseCentral(input);
  if (!c) throw new Error(`not a central policy: ${input}`);
  return centralRefProblem(c, ctx);
}

describe('centralRefProblem', () => {
  it.each([
    ['acme/governance/policies/p.yml@main', 'a branch of another repository'],
    ['acme/governance/policies/p.yml@v2', 'a tag of another repository'],
    ['acme/governance/policies/p.yml@refs/tags/v2', 'a full tag ref of another repository'],
    ['acme/service/.github/lastmile-policy.yml@release/1.0', 'the base branch of this repository'],
    ['ACME/Service/.github/lastmile-policy.yml@refs/heads/release/1.0', 'the base branch as a full ref, owner and name in another case'],
  ])('accepts %s (%s)', (input) => {
    expect(problem(input)).toBeUndefined();
  });

  it.each([
    ['acme/service/.github/lastmile-policy.yml@' + HEAD, "the ref is the pull request's head commit"],
    ['acme/governance/p.yml@' + HEAD, "the ref is the pull request's head commit"],
    ['acme/service/.github/lastmile-policy.yml@' + 'a'.repeat(40), 'the ref is a commit SHA, not a branch or tag name: a commit pushed to any fork of acme/service can be read through it by SHA'],
    ['acme/service/.github/lastmile-policy.yml@abc1234', 'the ref is a commit SHA'],
    ['acme/governance/p.yml@DEADBEEF', 'the ref is a commit SHA, not a branch or tag name: a commit pushed to any fork of acme/governance'],
    ['acme/service/.github/lastmile-policy.yml@feature/lenient', "the ref is the pull request's head branch, which the pull request controls"],
    ['acme/service/.github/lastmile-policy.yml@refs/heads/feature/lenient', "the ref is the pull request's head branch"],
    ['acme/service/.github/lastmile-policy.yml@v1.0', 'in this repository only the base branch (release/1.0) is accepted'],
    ['acme/service/.github/lastmile-policy.yml@refs/tags/v1.0', 'the ref is a tag of this repository, which anyone who can push to it can create or move'],
    ['acme/service/.github/lastmile-policy.yml@main', 'in this repository only the base branch (release/1.0) is accepted'],
    ['acme/governance/p.yml@refs/pull/7/head', "the ref is a pull request's ref, which its author controls"],
    ['acme/governance/p.yml@pull/7/merge', "the ref is a pull request's ref"],
  ])('refuses %s: %s', (input, why) => {
    const message = problem(input);
    expect(message).toContain(`the input policy: ${input} is refused: `);
    expect(message).toContain(why);
    expect(message).toContain('A central policy must be read at a branch or tag name of another repository, or, in this repository, at the base branch release/1.0');
  });

  it('without a known base branch, no ref of this repository is accepted', () => {
    expect(problem('acme/service/p.yml@release/1.0', { repositoryOwner: 'acme', repositoryName: 'service' })).toContain('the base branch of this run is unknown');
  });

  it('without the repository (the command line), branch and tag names pass and SHAs are still refused', () => {
    expect(problem('acme/service/p.yml@main', {})).toBeUndefined();
    expect(problem('acme/service/p.yml@' + 'f'.repeat(40), {})).toContain('the ref is a commit SHA');
  });
});

describe('loadPolicy with a refused central ref', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lm-central-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails closed with the reason, and never reads the ref', async () => {
    const reads: string[] = [];
    const loaded = await loadPolicy({
      input: `acme/service/.github/lastmile-policy.yml@${HEAD}`,
      explicit: true,
      defaultBranch: 'main',
      workspace: new Workspace(dir),
      central: async (owner, repo, file, ref) => {
        reads.push(`${owner}/${repo}/${file}@${ref}`);
        return 'version: 1\n';
      },
      ...CTX,
    });
    expect(reads).toEqual([]);
    expect(loaded.builtIn).toBe(false);
    expect(loaded.parse.ok).toBe(false);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toContain("is refused: the ref is the pull request's head commit");
  });

  it('reads an accepted ref', async () => {
    const reads: string[] = [];
    const loaded = await loadPolicy({
      input: 'acme/service/.github/lastmile-policy.yml@release/1.0',
      explicit: true,
      defaultBranch: 'main',
      workspace: new Workspace(dir),
      central: async (owner, repo, file, ref) => {
        reads.push(`${owner}/${repo}/${file}@${ref}`);
        return 'version: 1\n';
      },
      ...CTX,
    });
    expect(reads).toEqual(['acme/service/.github/lastmile-policy.yml@release/1.0']);
    expect(loaded.errors).toEqual([]);
  });
});
