// End to end (issue 18): the bundled CLI's `last-mile board` against the OpenAPI-checked fake
// GitHub holding several repositories: ready, blocked on a sign-off past its SLA, caught by the
// benchmark trap, unreadable, and one without a manifest. Shards merged equal the whole board.
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { faults, startGitHubServer } from '../support/github-server';
import type { FakeGitHub } from '../support/github-server';
import { CLI, cleanup, readySystem, tempDir } from './harness';
import { EXAMPLE_POLICY, NO_SIGNOFFS, POLICY_PATH, day, editYaml } from './setup';

const run = promisify(execFile);
let gh: FakeGitHub | undefined;
afterEach(async () => {
  if (gh) {
    expect(gh.violations).toEqual([]);
    await gh.close();
    gh = undefined;
  }
  cleanup();
});

const SLA_POLICY = EXAMPLE_POLICY.replace(/^signoffs:\n(?: {2}.*\n)+/m, 'signoffs:\n  security: { approvers: ["@acme/security"], sla_days: 10, escalate: "@acme/security-leads" }\n');

function repoFiles(kind: 'ready' | 'waiting' | 'trap'): Record<string, string> {
  const sys = readySystem();
  if (kind === 'ready') return { [POLICY_PATH]: NO_SIGNOFFS, ...sys };
  if (kind === 'waiting') {
    const manifest = editYaml(sys['lastmile.yml']!, (doc) => {
      doc.set('system', 'claims-bot');
      doc.set('signoffs', doc.createNode([{ kind: 'security', status: 'requested', ticket: 'SEC-77', requested_on: day(-25) }]));
    });
    return { [POLICY_PATH]: SLA_POLICY, ...sys, 'lastmile.yml': manifest };
  }
  // The benchmark trap: curated results as before, half the production sample wrong.
  let n = 0;
  const prod = sys['evals/prod-sample.jsonl']!.replace(/"correct":true/g, (m) => (n++ % 2 === 0 ? '"correct":false' : m));
  const manifest = editYaml(sys['lastmile.yml']!, (doc) => doc.set('system', 'invoice-extraction'));
  return { [POLICY_PATH]: NO_SIGNOFFS, ...sys, 'lastmile.yml': manifest, 'evals/prod-sample.jsonl': prod };
}

async function setUp(): Promise<FakeGitHub> {
  const server = await startGitHubServer({ repository: 'acme/ready', defaultBranch: 'main' });
  const put = (repo: string, files: Record<string, string>, branches: string[]): void => {
    server.addRepo({ owner: 'acme', name: repo.split('/')[1]!, defaultBranch: 'main' });
    branches.forEach((b, i) => {
      const sha = `${(i + 1).toString(16)}${repo.length.toString(16)}`.padEnd(40, 'a');
      server.setBranch(b, sha, repo);
      for (const [p, t] of Object.entries(files)) server.setFile(sha, p, t, repo);
    });
  };
  put('acme/ready', repoFiles('ready'), ['main', 'release/1.0']);
  put('acme/claims', repoFiles('waiting'), ['main', 'release/2.0']);
  put('acme/invoices', repoFiles('trap'), ['main']);
  put('acme/docs-site', { 'README.md': '# docs\n' }, ['main']);
  return server;
}

const REPOS = 'acme/ready,acme/claims,acme/invoices,acme/docs-site,acme/secret';
const NOW = new Date().toISOString();

async function board(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, 'board', ...args], {
    env: { PATH: process.env.PATH ?? '', GITHUB_API_URL: gh!.url, GITHUB_TOKEN: 'test-token', LASTMILE_HTTP_TIMEOUT_MS: '5000', LASTMILE_NOW: NOW },
  });
}

type Json = { repositories: { repository: string; status: string; reason?: string; requests: number }[]; systems: Record<string, unknown>[]; generatedAt: string; shard?: unknown };
const read = (f: string): Json => JSON.parse(readFileSync(f, 'utf8')) as Json;

describe('last-mile board', () => {
  it('lists each repository and system with stage, blockers, since, SLA and queues (JSON and Markdown)', async () => {
    gh = await setUp();
    const dir = tempDir();
    const json = path.join(dir, 'board.json');
    const mdFile = path.join(dir, 'board.md');
    await board(['--repos', REPOS, '--json', json, '--markdown', mdFile]);
    // The screenshot script (scripts/board-screenshot.mjs) renders this board: keep a copy when asked.
    if (process.env.LASTMILE_BOARD_SAMPLE) copyFileSync(json, process.env.LASTMILE_BOARD_SAMPLE);
    const b = read(json);
    expect(b.repositories.map((r) => [r.repository, r.status])).toEqual([
      ['acme/claims', 'evaluated'],
      ['acme/docs-site', 'no AI system declared'],
      ['acme/invoices', 'evaluated'],
      ['acme/ready', 'evaluated'],
      ['acme/secret', 'unreadable'],
    ]);
    expect(b.repositories.find((r) => r.repository === 'acme/secret')!.reason).toContain('404');
    const sys = (id: string): Record<string, unknown> => b.systems.find((s) => s.system === id)!;
    expect(sys('support-triage')).toMatchObject({ repository: 'acme/ready', stage: 'production', target: 'production', blocking: [] });
    const claims = sys('claims-bot');
    expect(claims).toMatchObject({ stage: 'staging', target: 'production', since: { date: day(-25), source: 'sign-off requested_on' } });
    expect(claims.blocking).toEqual([expect.objectContaining({ gate: 'signoffs', reason: expect.stringContaining('over its 10-day SLA by 15 days; escalate to @acme/security-leads') })]);
    expect(claims.overdue).toEqual([{ kind: 'security', ticket: 'SEC-77', requested_on: day(-25), age_days: 25, sla_days: 10, escalate: '@acme/security-leads' }]);
    const trap = sys('invoice-extraction');
    expect(trap).toMatchObject({ stage: 'none', target: 'staging' });
    expect((trap.blocking as { gate: string }[]).map((g) => g.gate)).toContain('eval.production-gap');
    // Requests per repository are bounded (the default budget of 100) and reported.
    for (const r of b.repositories) expect(r.requests).toBeLessThanOrEqual(100);

    const md = readFileSync(mdFile, 'utf8').replace(/\u2060/g, '').replace(/\\(.)/g, '$1');
    expect(md).toContain('## Last Mile readiness board');
    expect(md).toContain('declared: 3 → pilot: 2 → staging: 2 → production: 1');
    expect(md).toMatch(/\| acme\/claims \| claims-bot \|.*\| staging \| production \| signoffs: .*over its 10-day SLA by 15 days/);
    expect(md).toContain('| @acme/security | 1 | 25 | 1 |');
    expect(md).toContain('- acme/docs-site: no AI system declared');
    expect(md).toMatch(/- acme\/secret: unreadable \(not found, or the token cannot read it \(404\)\)/);
  }, 120_000);

  it('two shards merged equal the unsharded board', async () => {
    gh = await setUp();
    const dir = tempDir();
    const whole = path.join(dir, 'whole.json');
    await board(['--repos', REPOS, '--json', whole]);
    const s1 = path.join(dir, 'shard-1.json');
    const s2 = path.join(dir, 'shard-2.json');
    await board(['--repos', REPOS, '--shard', '1/2', '--json', s1]);
    await board(['--repos', REPOS, '--shard', '2/2', '--json', s2]);
    const a = read(s1);
    const c = read(s2);
    expect(a.repositories.length).toBeGreaterThan(0);
    expect(c.repositories.length).toBeGreaterThan(0);
    expect(a.repositories.length + c.repositories.length).toBe(5);
    const merged = path.join(dir, 'merged.json');
    const mergedMd = path.join(dir, 'merged.md');
    const wholeMd = path.join(dir, 'whole.md');
    await run(process.execPath, [CLI, 'board', 'merge', s1, s2, '--json', merged, '--markdown', mergedMd]);
    await run(process.execPath, [CLI, 'board', 'merge', whole, '--markdown', wholeMd]);
    expect(read(merged)).toEqual(read(whole));
    expect(readFileSync(mergedMd, 'utf8')).toBe(readFileSync(wholeMd, 'utf8'));
  }, 120_000);

  it('--owner lists the organisation; --previous carries "blocked since" back', async () => {
    gh = await setUp();
    const dir = tempDir();
    const prev = path.join(dir, 'prev.json');
    await board(['--owner', 'acme', '--json', prev]);
    const p = read(prev);
    expect(p.repositories.map((r) => r.repository)).toEqual(['acme/claims', 'acme/docs-site', 'acme/invoices', 'acme/ready']);
    const trap = p.systems.find((s) => s.system === 'invoice-extraction') as { since: { date: string } };
    trap.since = { date: '2020-01-01', source: 'commit date' } as never;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(prev, JSON.stringify(p));
    const next = path.join(dir, 'next.json');
    await board(['--owner', 'acme', '--previous', prev, '--json', next]);
    expect(read(next).systems.find((s) => s.system === 'invoice-extraction')!.since).toEqual({ date: '2020-01-01', source: 'previous board' });
  }, 120_000);

  it('waits for the rate limit as often as GitHub says: a repository limited 4 times is still evaluated', async () => {
    gh = await setUp();
    const dir = tempDir();
    const json = path.join(dir, 'board.json');
    // Secondary limits (429 and 403 with retry-after) and a primary one (x-ratelimit-reset),
    // four in a row on the same repository: the action's client would give up after two.
    const only = /^\/repos\/acme\/ready(\/|$)/;
    const hits = [
      gh.inject({ path: only, ...faults.tooManyRequests(1), times: 2 }),
      gh.inject({ path: only, ...faults.secondaryRateLimit(1), times: 1 }),
      gh.inject({ path: only, ...faults.primaryRateLimit(1), times: 1 }),
    ];
    const { stderr } = await board(['--repos', 'acme/ready,acme/claims', '--json', json]);
    expect(hits.reduce((n, h) => n + h.fired, 0)).toBe(4);
    expect(stderr.match(/rate limit on GET [^\n]*: retrying after/g)?.length, stderr).toBe(4);
    const b = read(json);
    expect(b.repositories.map((r) => [r.repository, r.status])).toEqual([
      ['acme/claims', 'evaluated'],
      ['acme/ready', 'evaluated'],
    ]);
    expect(b.systems.find((s) => s.system === 'support-triage')).toMatchObject({ repository: 'acme/ready', stage: 'production' });
  }, 120_000);

  it('a rate-limit wait that would outlast the time budget: "not evaluated" with the reason, the others evaluated', async () => {
    gh = await setUp();
    const dir = tempDir();
    const json = path.join(dir, 'board.json');
    gh.inject({ path: /^\/repos\/acme\/ready(\/|$)/, ...faults.primaryRateLimit(3600), times: Number.POSITIVE_INFINITY });
    await board(['--repos', 'acme/ready,acme/claims', '--time-budget', '1', '--json', json]);
    const b = read(json);
    expect(b.repositories).toEqual([
      expect.objectContaining({ repository: 'acme/claims', status: 'evaluated' }),
      expect.objectContaining({ repository: 'acme/ready', status: 'not evaluated', reason: "the run's time budget (1 min) ran out waiting for the rate limit" }),
    ]);
  }, 120_000);

  it('--time-budget: repositories not finished in time are listed "not evaluated" with the reason, in every output and after merge', async () => {
    gh = await setUp();
    const dir = tempDir();
    const json = path.join(dir, 'board.json');
    const mdFile = path.join(dir, 'board.md');
    const html = path.join(dir, 'board.html');
    // Every answer takes 200 ms: the 60 ms budget runs out during the first repository.
    gh.inject({ delayMs: 200, times: Number.POSITIVE_INFINITY });
    await board(['--repos', REPOS, '--time-budget', '0.001', '--concurrency', '1', '--json', json, '--markdown', mdFile, '--html', html]);
    const b = read(json);
    const why = "the run's time budget (0.001 min) ran out";
    expect(b.repositories.map((r) => r.repository)).toEqual(['acme/claims', 'acme/docs-site', 'acme/invoices', 'acme/ready', 'acme/secret']);
    for (const r of b.repositories) expect(r).toMatchObject({ status: 'not evaluated', reason: why });
    // acme/ready was started (one request), the others never were.
    expect(b.repositories.find((r) => r.repository === 'acme/ready')!.requests).toBe(1);
    expect(b.repositories.filter((r) => r.requests === 0)).toHaveLength(4);
    const md = readFileSync(mdFile, 'utf8').replace(/\u2060/g, '').replace(/\\(.)/g, '$1');
    for (const r of b.repositories) expect(md).toContain(`- ${r.repository}: not evaluated (${why})`);
    expect(readFileSync(html, 'utf8')).toContain('acme/secret: not evaluated (the run&#39;s time budget (0.001 min) ran out)');
    const merged = path.join(dir, 'merged.json');
    await run(process.execPath, [CLI, 'board', 'merge', json, '--json', merged]);
    expect(read(merged).repositories).toEqual(b.repositories);
  }, 120_000);
});
