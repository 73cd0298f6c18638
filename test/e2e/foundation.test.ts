// End to end through dist/index.js (issue 3): a release branch refuses a pull request whose
// AI system is not ready; the policy comes from the base; errors are plain and fail closed.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { BASE_SHA, readySystem, runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, plain, prEvent, warnings, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** The ready system without `owner`, `monitoring` and `rollback`. */
function notReady(): Record<string, string> {
  const files = readySystem();
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.delete('owner');
    doc.delete('monitoring');
    doc.delete('rollback');
  });
  return files;
}

/** Runs PR #2 into `base` with `head` checked out and `baseFiles` at the base commit. */
async function runPr(o: { baseFiles: Record<string, string>; head: Record<string, string>; base?: string; inputs?: Record<string, string> }) {
  gh = await fakeGitHub({ baseFiles: o.baseFiles, base: o.base ?? 'release/1.0' });
  const ws = workspace(o.head);
  return runAction({ apiUrl: gh.url, workspace: ws, ...prEvent(o.base ?? 'release/1.0'), ...(o.inputs ? { inputs: o.inputs } : {}) });
}

describe('action on a release branch', () => {
  it('passes a ready system: exit 0, verdict pass, one comment', async () => {
    const files = { [POLICY_PATH]: NO_SIGNOFFS, ...readySystem() };
    const r = await runPr({ baseFiles: files, head: files });
    expectNoStackTrace(r);
    expectVerdict(r, 'pass');
    expect(r.outputs.stage).toBe('production');
    expect(r.outputs.failed).toBe('0');
    expect(gh!.comments(2)).toHaveLength(1);
    expect(gh!.comments(2)[0]!.body).toContain('Ready for production on release/1.0');
    expect(r.summary).toContain('Ready for production on release/1.0');
    expect(r.report?.verdict).toBe('pass');
  });

  it('refuses a system without owner, monitoring and rollback: exit 1, the comment names each failing gate and why', async () => {
    const head = { [POLICY_PATH]: NO_SIGNOFFS, ...notReady() };
    const r = await runPr({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS }, head });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    expect(r.outputs.failed).toBe('3');
    const comments = gh!.comments(2);
    expect(comments).toHaveLength(1);
    const body = plain(comments[0]!.body);
    expect(body).toContain('Not ready for production on release/1.0 (blocks merge)');
    expect(body).toMatch(/\*\*ownership\*\* fail: missing: the manifest has no `owner:` section/);
    expect(body).toMatch(/\*\*monitoring\*\* fail: missing: the manifest has no `monitoring:` section/);
    expect(body).toMatch(/\*\*rollback\*\* fail: missing: the manifest has no `rollback:` section/);
    expect(body).toContain('**fix:**');
    // The gates that pass are not listed as failing.
    expect(body).not.toMatch(/\*\*identity\*\* fail/);
    expect(plain(r.summary)).toMatch(/\*\*ownership\*\* fail/);
  });

  it('judges by the base policy when the head weakens it, and policy.integrity reports the change', async () => {
    const weakened = NO_SIGNOFFS.replace('enforce: block', 'enforce: warn').replace(/production: \{ require: \[[^\]]*\] \}/s, 'production: { require: [] }');
    expect(weakened).not.toBe(NO_SIGNOFFS);
    const r = await runPr({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS }, head: { ...notReady(), [POLICY_PATH]: weakened } });
    expectVerdict(r, 'fail');
    expect(r.report?.enforce).toBe('block');
    // The policy was read through the contents API at the base commit, never from the workspace.
    const policyReads = gh!.requests.filter((q) => q.operationId === 'repos/get-content' && q.params.path === POLICY_PATH);
    expect(policyReads.length).toBeGreaterThan(0);
    expect(policyReads.every((q) => q.query.ref === BASE_SHA)).toBe(true);
    const body = plain(gh!.comments(2)[0]!.body);
    expect(body).toMatch(/\*\*policy\.integrity\*\* pass: this pull request changes the policy file; it is judged by the policy from \.github\/lastmile-policy\.yml@base bbbbbbb, and the change applies only after merge/);
    expect(body).toMatch(/\*\*monitoring\*\* fail/);
  });

  it('reports a YAML syntax error with file:line, no stack trace, and fails closed', async () => {
    const files = readySystem();
    files['lastmile.yml'] = files['lastmile.yml']!.replace('  oncall: https://acme.pagerduty.com/schedules/P123\n', '  oncall: [https://acme.pagerduty.com/schedules/P123\n');
    const line = files['lastmile.yml']!.split('\n').findIndex((l) => l.includes('oncall: [')) + 1;
    const r = await runPr({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS }, head: { [POLICY_PATH]: NO_SIGNOFFS, ...files } });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const all = `${r.stdout}\n${plain(r.summary)}`;
    expect(all).toMatch(new RegExp(`lastmile\\.yml:(${line}|${line + 1}|${line + 2})`));
    expect(plain(gh!.comments(2)[0]!.body)).toMatch(/\*\*manifest\.valid\*\* fail/);
  });

  it('reports an unknown key with file:line and the key, no stack trace, and fails closed', async () => {
    const files = readySystem();
    files['lastmile.yml'] = files['lastmile.yml']!.replace('business_owner: dana@acme.com\n', 'business_owner: dana@acme.com\nbusiness_ownr: erin@acme.com\n');
    const line = files['lastmile.yml']!.split('\n').indexOf('business_ownr: erin@acme.com') + 1;
    const r = await runPr({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS }, head: { [POLICY_PATH]: NO_SIGNOFFS, ...files } });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const comment = plain(gh!.comments(2)[0]!.body);
    expect(comment).toContain(`lastmile.yml:${line}`);
    expect(comment).toContain('business_ownr');
    expect(r.stdout).toContain(`lastmile.yml:${line}`);
  });

  it('fails closed without any manifest on a release branch, with the `last-mile init` hint', async () => {
    const r = await runPr({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS }, head: { [POLICY_PATH]: NO_SIGNOFFS, 'README.md': '# app\n' } });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    expect(r.summary).toContain('No readiness manifest found');
    expect(r.summary).toContain('last-mile init');
    expect(gh!.comments(2)[0]!.body).toContain('last-mile init');
  });

  it('only warns on a warn branch: exit 0, verdict warn, the comment still lists the failures', async () => {
    const policy = NO_SIGNOFFS.replace('pattern: main', 'pattern: master');
    const r = await runPr({ base: 'master', baseFiles: { [POLICY_PATH]: policy }, head: { [POLICY_PATH]: policy, ...notReady() } });
    expectVerdict(r, 'warn');
    expect(r.outputs.stage).toBe('staging');
    const body = plain(gh!.comments(2)[0]!.body);
    expect(body).toContain('Not ready for staging on master (warning only)');
    expect(body).toMatch(/\*\*ownership\*\* fail/);
    expect(body).toMatch(/\*\*monitoring\*\* fail/);
    // rollback is not required at the staging stage.
    expect(body).not.toMatch(/\*\*rollback\*\* fail/);
  });

  it('the same run twice leaves exactly one comment', async () => {
    const head = { [POLICY_PATH]: NO_SIGNOFFS, ...notReady() };
    const first = await runPr({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS }, head });
    const ws = workspace(head);
    const second = await runAction({ apiUrl: gh!.url, workspace: ws, ...prEvent() });
    expectVerdict(first, 'fail');
    expectVerdict(second, 'fail');
    expect(gh!.comments(2)).toHaveLength(1);
    expect(gh!.countRequests('POST', /\/issues\/2\/comments$/)).toBe(1);
  });

  it('a comment API that answers 403 is a warning; the verdict is unchanged', async () => {
    const files = { [POLICY_PATH]: NO_SIGNOFFS, ...readySystem() };
    gh = await fakeGitHub({ baseFiles: files });
    gh.inject({ method: 'POST', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', status: 403, body: { message: 'Resource not accessible by integration' }, times: Infinity });
    const passing = await runAction({ apiUrl: gh.url, workspace: workspace(files), ...prEvent() });
    expectVerdict(passing, 'pass');
    expect(gh.comments(2)).toHaveLength(0);
    expect(warnings(passing).join('\n')).toMatch(/pull request comment could not be written \(HTTP 403.*pull-requests: write.*verdict is unchanged/s);
    expect(passing.summary).toContain('could not be written');

    const failing = await runAction({ apiUrl: gh.url, workspace: workspace({ [POLICY_PATH]: NO_SIGNOFFS, ...notReady() }), ...prEvent() });
    expectVerdict(failing, 'fail');
    expect(warnings(failing).join('\n')).toMatch(/comment could not be written/);
  });
});
