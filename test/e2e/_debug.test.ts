import { it } from 'vitest';
import { readySystem, runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, fakeGitHub, prEvent } from './setup';
it('debug', async () => {
  const files = readySystem();
  files['lastmile.yml'] = files['lastmile.yml']!.replace('  oncall: https://acme.pagerduty.com/schedules/P123\n', '  oncall: [https://acme.pagerduty.com/schedules/P123\n');
  const gh = await fakeGitHub({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
  const r = await runAction({ apiUrl: gh.url, workspace: workspace({ [POLICY_PATH]: NO_SIGNOFFS, ...files }), ...prEvent() });
  console.log(r.stdout, '\n----STDERR\n', r.stderr, '\n----SUMMARY\n', r.summary, '\n----COMMENT\n', gh.comments(2)[0]?.body);
  console.log(gh.requests.map((q) => `${q.method} ${q.path}${q.search} ${q.status}`).join('\n'));
  await gh.close();
});
