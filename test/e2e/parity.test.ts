// The action and the CLI are two thin entry points over one core: on the same working tree,
// branch and policy they produce the same report (issue 7).
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanup, loadPayload, readySystem, runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, editYaml } from './setup';

afterEach(() => cleanup());

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
      // workflow_dispatch on release/1.0 with no check run: a run that needs no API at all.
      const action = await runAction({
        apiUrl: 'http://127.0.0.1:9',
        workspace: ws,
        event: 'workflow_dispatch',
        payload: loadPayload('workflow_dispatch.json'),
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
