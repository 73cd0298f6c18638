// SPEC §8 "no event turns a red pull request green": how a branch run's own result and the results
// of the open pull requests its commit heads combine, when it fails closed, and what a scheduled
// run on a release branch writes on the open pull requests into it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_JUDGED, answerForPulls, checkoutHead, combine, reevaluateInto } from '../../src/action/pulls';
import type { Evaluated, Judgement } from '../../src/action/pulls';
import { contextFrom } from '../../src/action/event';
import type { RunContext } from '../../src/action/event';
import type { OpenPull } from '../../src/github/pulls';
import type { Report, Verdict } from '../../src/model/report';

const HEAD = 'c'.repeat(40);
const ctx: RunContext = contextFrom('workflow_dispatch', { repository: { name: 'app', owner: { login: 'acme' } } }, { GITHUB_REF_NAME: 'feature/x' }, { workspaceHead: HEAD });

function report(verdict: Verdict, o: Partial<Report> = {}): Report {
  return {
    schema: 'https://github.com/last-mile/last-mile/report/v1',
    verdict,
    stage: 'pilot',
    branch: 'feature/x',
    enforce: 'warn',
    event: 'workflow_dispatch',
    policy: { source: 'p', builtIn: false, changedInHead: false },
    counts: { pass: 1, fail: verdict === 'pass' ? 0 : 1, inconclusive: 0, waived: 0, skipped: 0 },
    failed: verdict === 'pass' ? 0 : 1,
    repositoryGates: [],
    systems: [],
    errors: [],
    notes: [],
    generatedAt: '2026-01-01T00:00:00Z',
    ...o,
  };
}

const pull = (number: number, baseRef = 'release/1.0'): OpenPull => ({ number, baseRef, baseSha: 'b'.repeat(40), headSha: HEAD, fork: false });
const onRelease = (verdict: 'pass' | 'fail', n = 2): Judgement<string> => ({
  pull: pull(n),
  report: report(verdict, { branch: 'release/1.0', stage: 'production', enforce: 'block', pullRequest: n }),
  evidence: `pr${n}`,
});
const own = (verdict: Verdict): Evaluated<string> => ({ report: report(verdict), evidence: 'own' });

describe('combine: the strictest result wins, and says which rule judged it', () => {
  it('no pull request into a block branch: the run\'s own result, unchanged', () => {
    const warnPr: Judgement<string> = { pull: pull(3, 'main'), report: report('warn', { enforce: 'warn', branch: 'main' }), evidence: 'pr3' };
    const o = own('pass');
    expect(combine(ctx, o, [])).toBe(o);
    expect(combine(ctx, o, [warnPr])).toBe(o);
  });

  it('a failing PR into release/1.0 outranks a passing (or warning) own rule: its report, named in a note and the check run line', () => {
    for (const mine of ['pass', 'warn'] as const) {
      const c = combine(ctx, own(mine), [onRelease('fail')]);
      expect(c.report.verdict).toBe('fail');
      expect(c.report.branch).toBe('release/1.0');
      expect(c.evidence).toBe('pr2');
      expect(c.judgedBy?.number).toBe(2);
      expect(c.line).toBe('Judged as pull request #2 into release/1.0 (ccccccc is its head) would be: fail, 1 blocking gate.');
      expect(c.report.notes[0]).toMatch(/^This workflow_dispatch run is on ccccccc, the head of open pull request #2 into release\/1\.0: it is judged as that pull request's own run would be \(base bbbbbbb, its reviews\)/);
      expect(c.report.notes[0]).toContain(`The branch's own rule (feature/x) gave: ${mine === 'pass' ? 'ready (warn)' : 'warn, 1 blocking gate'}.`);
    }
  });

  it('with two PRs, one failing: the failing one is shown, the other listed', () => {
    const c = combine(ctx, own('pass'), [onRelease('pass', 2), onRelease('fail', 4)]);
    expect(c.judgedBy?.number).toBe(4);
    expect(c.report.notes).toContain('Pull request #2 into release/1.0: ready (block).');
  });

  it('every PR passes: the run\'s own report, with a note that it was also judged as them', () => {
    const c = combine(ctx, own('pass'), [onRelease('pass')]);
    expect(c.report.verdict).toBe('pass');
    expect(c.judgedBy).toBeUndefined();
    expect(c.report.notes).toEqual(['ccccccc is the head of open pull request #2 into release/1.0: ready (block); judged as its own run would be.']);
  });
});

describe('answerForPulls', () => {
  const evaluate = vi.fn(async (c: RunContext): Promise<Evaluated<string>> => ({ report: report('fail', { branch: c.branch, enforce: 'block', pullRequest: c.pullNumber }), evidence: 'pr' }));
  afterEach(() => evaluate.mockClear());

  it('a run that already fails looks nothing up: it cannot turn anything green', async () => {
    const headedBy = vi.fn();
    const o = own('fail');
    expect(await answerForPulls({ ctx, own: o, api: { headedBy }, evaluate, log: () => undefined })).toBe(o);
    expect(headedBy).not.toHaveBeenCalled();
  });

  it('a pull request run is left alone (it is judged by its own context already)', async () => {
    const headedBy = vi.fn();
    const prCtx: RunContext = { ...ctx, trustMode: 'pull-request' };
    await answerForPulls({ ctx: prCtx, own: own('pass'), api: { headedBy }, evaluate, log: () => undefined });
    expect(headedBy).not.toHaveBeenCalled();
  });

  it('a lookup that fails fails closed: verdict fail, enforced, with the reason', async () => {
    const c = await answerForPulls({ ctx, own: own('warn'), api: { headedBy: () => Promise.reject(Object.assign(new Error('Forbidden'), { status: 403 })) }, evaluate, log: () => undefined });
    expect(c.report.verdict).toBe('fail');
    expect(c.report.enforce).toBe('block');
    expect(c.report.errors[0]).toMatch(/^could not look up the open pull requests whose head is ccccccc \(HTTP 403: Forbidden\): this run fails closed/);
  });

  it('each pull request is evaluated in its own context; more than the bound fails closed', async () => {
    const many = Array.from({ length: MAX_JUDGED + 1 }, (_, i) => pull(i + 1));
    const log: string[] = [];
    const c = await answerForPulls({ ctx, own: own('pass'), api: { headedBy: async () => ({ pulls: many, requests: 1 }) }, evaluate, log: (m) => log.push(m) });
    expect(evaluate).toHaveBeenCalledTimes(MAX_JUDGED);
    expect(evaluate.mock.calls[0]![0]).toMatchObject({ trustMode: 'pull-request', branch: 'release/1.0', pullNumber: 1, headSha: HEAD });
    expect(c.report.verdict).toBe('fail');
    expect(c.report.errors.at(-1)).toBe(`ccccccc is the head of ${MAX_JUDGED + 1} open pull requests; only ${MAX_JUDGED} were judged, so this run fails closed.`);
    expect(log.at(-1)).toBe(c.report.errors.at(-1));
  });
});

describe('reevaluateInto (a scheduled run on a block branch)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A git repository with one commit; returns its folder and the commit. */
  function repo(): { root: string; sha: string } {
    const root = mkdtempSync(path.join(tmpdir(), 'lm-pulls-'));
    dirs.push(root);
    writeFileSync(path.join(root, 'lastmile.yml'), 'version: 1\n');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'x']]) execFileSync('git', args, { cwd: root, env, stdio: 'ignore' });
    return { root, sha: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim() };
  }

  const schedule: RunContext = { ...ctx, event: 'schedule', branch: 'release/1.0' };

  it('writes a failing check run on a red PR\'s head, and nothing when its check already says so; never a green one', async () => {
    const { root, sha } = repo();
    const tmp = path.join(root, '..', `${path.basename(root)}-heads`);
    dirs.push(tmp);
    const published: RunContext[] = [];
    const existing: { latest?: { conclusion: string | null; title: string | null } } = {};
    const api = {
      into: async () => ({ pulls: [{ ...pull(2), headSha: sha }, { ...pull(3), headSha: sha }], leftOut: 0 }),
      latest: async () => existing.latest,
      publish: async (c: RunContext) => void published.push(c),
    };
    const seenRoots: string[] = [];
    const evaluate = async (c: RunContext, ws: { root: string }): Promise<Evaluated<string>> => {
      seenRoots.push(ws.root);
      return { report: report(c.pullNumber === 2 ? 'fail' : 'pass', { branch: 'release/1.0', stage: 'production', enforce: 'block' }), evidence: '' };
    };
    const lines = await reevaluateInto({ ctx: schedule, api, root, tmp, evaluate, log: () => undefined });
    expect(published.map((c) => [c.pullNumber, c.headSha, c.branch])).toEqual([[2, sha, 'release/1.0']]);
    expect(lines).toEqual([`Pull request #2 at ${sha.slice(0, 7)}: fail, 1 blocking gate; its check run was turned red.`, `Pull request #3 at ${sha.slice(0, 7)}: ready (block); its check run is left as it is.`]);
    // Each head was evaluated in its own worktree, removed afterwards.
    expect(seenRoots.every((r) => r.startsWith(tmp) && r !== root)).toBe(true);
    expect(execFileSync('git', ['worktree', 'list'], { cwd: root, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);

    existing.latest = { conclusion: 'failure', title: 'Pull request #2: Not ready for production on release/1.0 (blocks merge): 1 blocking' };
    const again = await reevaluateInto({ ctx: schedule, api, root, tmp, evaluate, log: () => undefined });
    expect(published).toHaveLength(1);
    expect(again[0]).toContain('its check run already says so');
  });

  it('a head that cannot be checked out is reported and left alone; the bound is said', async () => {
    const { root } = repo();
    const publish = vi.fn();
    const lines = await reevaluateInto({
      ctx: schedule,
      // #7 is headed by the run's own commit: judged in the run's own check run, not again here.
      api: { into: async () => ({ pulls: [{ ...pull(2), headSha: 'e'.repeat(40) }, pull(7)], leftOut: 4 }), latest: async () => undefined, publish },
      root,
      tmp: path.join(root, '.heads'),
      evaluate: () => Promise.reject(new Error('not reached')),
      log: () => undefined,
    });
    expect(publish).not.toHaveBeenCalled();
    expect(lines[0]).toBe('6 open pull requests into release/1.0: the 10 most recently updated were re-evaluated, the others keep their check runs.');
    expect(lines[1]).toMatch(/^Pull request #2 was not re-evaluated and its check run is left as it is: could not check out eeeeeee: /);
    expect(lines).toHaveLength(2);
  });

  it('a listing that fails re-evaluates nothing and says so', async () => {
    const lines = await reevaluateInto({
      ctx: schedule,
      api: { into: () => Promise.reject(new Error('boom')), latest: async () => undefined, publish: vi.fn() },
      root: '.',
      tmp: '.',
      evaluate: () => Promise.reject(new Error('not reached')),
      log: () => undefined,
    });
    expect(lines).toEqual(['The open pull requests into release/1.0 could not be listed (boom): none was re-evaluated.']);
  });

  it('checkoutHead runs no hook of the clone (a head is read as data) and removes its worktree', () => {
    const { root, sha } = repo();
    const marker = path.join(root, '..', `${path.basename(root)}-hook-ran`);
    dirs.push(marker);
    writeFileSync(path.join(root, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    const tmp = path.join(root, '.heads');
    const head = checkoutHead(root, sha, tmp);
    expect(head.ws.readText('lastmile.yml').text).toBe('version: 1\n');
    head.remove();
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(head.ws.root)).toBe(false);
  });

  it('checkoutHead refuses what is not a commit SHA (no option injection into git)', () => {
    expect(() => checkoutHead('.', '--upload-pack=evil', tmpdir())).toThrow(/not a commit SHA/);
  });
});
