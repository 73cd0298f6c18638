// End to end through dist/index.js: the foundation cases of a release branch.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { cleanup, pullRequestPayload, readySystem, runAction, workspace } from './harness';
import { EXAMPLE_POLICY, fakeGitHub } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  if (gh) {
    expect(gh.violations).toEqual([]);
    await gh.close();
  }
  gh = undefined;
  cleanup();
});

const POLICY = '.github/lastmile-policy.yml';
const NO_SIGNOFFS = EXAMPLE_POLICY.replace(/^signoffs:\n(?: {2}.*\n)+/m, 'signoffs: {}\n');

describe('action on a release branch', () => {
  it('passes a ready system: exit 0, verdict pass, one comment', async () => {
    const files = readySystem();
    gh = await fakeGitHub({ baseFiles: { [POLICY]: NO_SIGNOFFS, ...files } });
    const ws = workspace({ [POLICY]: NO_SIGNOFFS, ...files });
    const r = await runAction({ apiUrl: gh.url, workspace: ws, event: 'pull_request', payload: pullRequestPayload({ base: 'release/1.0' }) });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.outputs.stage).toBe('production');
    expect(r.code).toBe(0);
    expect(gh.comments(2)).toHaveLength(1);
    expect(gh.comments(2)[0]!.body).toContain('Ready for production');
  });
});
