// The action and the CLI are two thin entry points over one core: on the same working tree,
// branch and policy they produce the same report (issue 7).
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { CLI, OWNER, REPO, loadPayload, readySystem, runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, editYaml, fakeGitHub, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** What legitimately differs between the two runs: who ran it, when, and on which event. */
function comparable(report: Record<string, unknown>): Record<string, unknown> {
  const { generatedAt: _g, event: _e, repository: _r, headSha: _h, ...rest } = report;
  return rest;
}

describe('action and CLI parity', () => {
  for (const [name, edit] of [
    ['a ready system', (files: Record<string, string>) => files],
    [
      'a system without rollback',
      (files: Record<string, string>) => ({ ...files, 'lastmile.yml': editYaml(files['lastmile.yml']!, (doc) => doc.delete('rollback')) }),
    ],
  ] as const) {
    it(`${name}: the action's report output equals \`last-mile check --json\``, async () => {
      const ws = workspace(edit({ [POLICY_PATH]: NO_SIGNOFFS, ...readySystem() }));
      // workflow_dispatch on release/1.0 with no check run: the API is asked only whether the
      // commit heads an open pull request (it heads none).
      gh = await fakeGitHub();
      const action = await runAction({
        apiUrl: gh.url,
        workspace: ws,
        event: 'workflow_dispatch',
        // The payload's repository is the fake's (GitHub's example names another).
        payload: { ...loadPayload('workflow_dispatch.json'), repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, default_branch: 'master' } },
        inputs: { branch: 'release/1.0', 'check-name': '' },
      });
      expect(action.report).toBeDefined();
      const cli = spawnSync(process.execPath, [CLI, 'check', '--cwd', ws, '--branch', 'release/1.0', '--json'], { encoding: 'utf8' });
      const cliReport = JSON.parse(cli.stdout) as Record<string, unknown>;
      expect(comparable(cliReport)).toEqual(comparable(action.report!));
      expect(cli.status).toBe(action.code);
    });
  }
});
