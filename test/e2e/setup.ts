// Shared set-up of the end-to-end tests: a fake GitHub holding the repository, its base
// commit (policy, manifests) and an open pull request.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub, StartOptions } from '../support/github-server';
import { BASE_SHA, HEAD_SHA, OWNER, REPO, ROOT } from './harness';

export const EXAMPLE_POLICY = readFileSync(path.join(ROOT, 'examples', 'support-triage', '.github', 'lastmile-policy.yml'), 'utf8');

/** Users the example policy names as approvers. */
export async function fakeGitHub(o: { baseFiles?: Record<string, string>; pr?: number; author?: string; base?: string; start?: StartOptions } = {}): Promise<FakeGitHub> {
  const gh = await startGitHubServer({ repository: `${OWNER}/${REPO}`, defaultBranch: 'master', ...(o.start ?? {}) });
  for (const [p, text] of Object.entries(o.baseFiles ?? {})) gh.setFile(BASE_SHA, p, text);
  gh.addPullRequest({ number: o.pr ?? 2, user: o.author ?? 'Codertocat', head: { ref: 'changes', sha: HEAD_SHA }, base: { ref: o.base ?? 'release/1.0', sha: BASE_SHA } });
  return gh;
}
