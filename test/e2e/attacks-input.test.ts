// End to end through dist/index.js (and dist/cli), issue 13 items 7 and 10: what a pull request
// can write into the files it controls, read as an attacker would. Each test is one attack and
// its defence:
//   - workflow commands and escape sequences in names, keys, paths and file contents → escaped
//     in the log (action and CLI); no line starts with `::`
//   - links and pings in the same strings → no autolink, no live @mention in the comment
//   - a sign-off or waiver approved "in the future" → invalid, the gate fails
//   - eval results dated in the future (fresh for ever) → invalid, eval.freshness fails
//   - a 1-character `commit` that prefixes the head → invalid, the eval cannot be read
//   - an eval path that is a FIFO → an error, and the run finishes
//   - an SDK installed from its repository or a tarball under another name → inventory finds it
// Each blocked attack keeps the verdict `fail` and the comment or summary names the reason.
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { CLI, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, day, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, finishTest, plain, prEvent } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

const ESC = '\u001b';
/**
 * The example policy with a security sign-off (by alice) and waivers by erin; max_gap 0.1, so
 * that the example's curated/production gap (0.03, interval up to 0.07) passes in the control.
 */
const POLICY = NO_SIGNOFFS.replace('max_gap: { accuracy: 0.05 }', 'max_gap: { accuracy: 0.1 }').replace('signoffs: {}\n', 'signoffs:\n  security: { approvers: [alice], max_age_days: 180 }\n').replace(
  /waivers:\n {2}approvers: \[[^\]]*\]/,
  'waivers:\n  approvers: [erin]',
);
const SIGNOFF = { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: day(-10), expires_on: day(100) };

type Edit = Parameters<typeof editYaml>[1];

/** A system ready for production under POLICY in `dir`, with `edit` applied to its manifest. */
function system(edit?: Edit, dir = ''): Record<string, string> {
  const files = readySystem(dir);
  const m = dir ? `${dir}/lastmile.yml` : 'lastmile.yml';
  files[m] = editYaml(files[m]!, (doc) => {
    doc.set('signoffs', doc.createNode([SIGNOFF]));
    doc.delete('waivers');
    edit?.(doc);
  });
  return { [POLICY_PATH]: POLICY, '.github/CODEOWNERS': '* @acme/support-ml\n', ...files };
}

/** PR #2 into release/1.0; `base` read through the API, `head` checked out (or a prepared work tree). */
async function attack(
  base: Record<string, string>,
  head: Record<string, string> | string,
  o: { timeoutMs?: number; inputs?: Record<string, string> } = {},
): Promise<{ r: RunResult; comment: string; rawComment: string; summary: string }> {
  gh = await fakeGitHub({ baseFiles: base });
  const ws = typeof head === 'string' ? head : workspace(head);
  const r = await runAction({ apiUrl: gh.url, workspace: ws, ...prEvent(), ...o });
  expectNoStackTrace(r);
  const rawComment = gh.comments(2)[0]?.body ?? '';
  return { r, comment: plain(rawComment), rawComment, summary: plain(r.summary) };
}

/**
 * The log as the runner parses it: every line, trimmed as the runner trims it, is either not a
 * command or one of the action's own (`::error::`, `::warning::`), and no escape sequence but the
 * renderer's colours (and no CR, C1 control, line separator or bidi override) is in it.
 */
function expectSafeLog(stdout: string): void {
  const colours = new RegExp(`${ESC}\\[(?:0|31|32|33|36|90)m`, 'g');
  for (const line of stdout.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('::') || trimmed.startsWith('##[')) expect(line, line).toMatch(/^::(?:error|warning)::/);
    expect(line.replace(colours, ''), JSON.stringify(line)).not.toMatch(new RegExp(`[${ESC}\\r\\u0080-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]`));
  }
  expect(stdout).not.toMatch(/^\s*::(?:add-mask|stop-commands|set-output|set-env|add-path|save-state)/m);
}

const html = (md: string): string => micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** Strings a pull request can write: commands, escapes, links, pings, table breakers. */
const HOSTILE_METRIC = `acc\n::add-mask::hidden ${ESC}[2J\r::stop-commands::pwn \u202egnp.exe www.evil.com @victim https://evil.com/x dana@evil.com | x`;

describe('escaping (issue 13 item 7)', () => {
  it('workflow commands, escape sequences, links and pings in manifest keys reach the log and the comment inert', async () => {
    const hostile = system((doc) => {
      // A threshold on a metric the results do not have: eval.thresholds fails and quotes its name.
      doc.setIn(['evals', 0, 'metrics', HOSTILE_METRIC], doc.createNode({ min: 0.5 }));
      doc.setIn(['evals', 1, 'path'], `evals/\n::add-mask::x\u2028${ESC}]8;;https://evil.com${ESC}\\y.jsonl`);
    });
    const { r, comment, rawComment, summary } = await attack(system(), hostile);
    expectVerdict(r, 'fail');
    expectSafeLog(r.stdout);
    // Still readable: the log shows the text with its controls escaped.
    expect(r.stdout).toContain('acc\\n::add-mask::hidden \\x1b[2J\\r::stop-commands::pwn \\u202egnp.exe');
    // The comment names the gate and the metric, and renders no link, image or tag of the attacker's.
    expect(comment).toMatch(/\*\*eval\.thresholds\*\* fail/);
    expect(comment).toContain('www.evil.com');
    for (const md of [rawComment, r.summary]) {
      const h = html(md);
      expect([...h.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]).filter((href) => /evil|victim/.test(href!))).toEqual([]);
      expect(h).not.toMatch(/<img|<script/);
      expect(md).not.toMatch(/@victim/); // a word joiner follows every @
    }
    expect(summary).toContain('eval.thresholds');
  });

  it('eval file contents (a slice value) cannot inject commands into the log', async () => {
    const files = system();
    // Every Portuguese sample wrong, so that eval.slices fails and names the slice.
    files['evals/prod-sample.jsonl'] = files['evals/prod-sample.jsonl']!
      .split('\n')
      .map((l) => (/"language": ?"pt"/.test(l) ? l.replace(/"correct": ?true/, '"correct": false').replace(/"language": ?"pt"/, '"language": "pt\\n::add-mask::leak\\u001b[8m"') : l))
      .join('\n');
    const { r, comment } = await attack(system(), files);
    expectVerdict(r, 'fail');
    expectSafeLog(r.stdout);
    expect(r.stdout).toContain('pt\\n::add-mask::leak\\x1b[8m');
    expect(comment).toMatch(/\*\*eval\.slices\*\* fail/);
  });

  it('the CLI prints the same hostile strings inert (text, --markdown and --json)', async () => {
    const ws = workspace(system((doc) => doc.setIn(['evals', 0, 'metrics', HOSTILE_METRIC], doc.createNode({ min: 0.5 }))));
    for (const mode of [[], ['--markdown'], ['--json']]) {
      const out = await runCli(['check', '--branch', 'release/1.0', ...mode], ws);
      expect(out.code, out.stderr).toBe(1);
      expectSafeLog(out.stdout);
      if (mode[0] === '--json') expect(JSON.stringify(JSON.parse(out.stdout))).toContain('add-mask');
    }
  });
});

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, FORCE_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('records with impossible values (issue 13 item 10)', () => {
  it('the control: the same pull request with real dates passes', async () => {
    const { r } = await attack(system(), system());
    expectVerdict(r, 'pass');
  });

  it('a sign-off approved tomorrow (even unchanged from the base) is invalid and fails signoffs', async () => {
    const future = system((doc) => doc.setIn(['signoffs', 0, 'approved_on'], day(1)));
    const { r, comment } = await attack(future, future);
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*signoffs\*\* fail: 1 of 1 required sign-off not in place: security: invalid record \(SEC-1234\): lastmile\.yml:\d+:\d+ signoffs\[0\]\.approved_on: expected a date no later than today \([\d-]+, UTC\), found [\d-]+ \(in the future\)/);
  });

  it('a waiver approved in the future waives nothing', async () => {
    const waived = system((doc) => {
      doc.delete('rollout');
      doc.set('waivers', doc.createNode([{ gate: 'rollout', reason: 'later', approved_by: 'erin', approved_on: day(5), expires_on: day(30) }]));
    });
    const { r, summary } = await attack(waived, waived);
    expectVerdict(r, 'fail');
    expect(summary).toMatch(/\*\*rollout\*\* fail/);
    expect(summary).toMatch(/waiver not applied: invalid: lastmile\.yml:\d+:\d+ waivers\[0\]\.approved_on: expected a date no later than today \([\d-]+, UTC\), found [\d-]+ \(in the future\)/);
  });

  it('eval results dated next year (fresh for ever) fail eval.freshness', async () => {
    const files = system();
    const next = new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    files['evals/curated.json'] = files['evals/curated.json']!.replace(/"created_at": ?"[^"]+"/, `"created_at": "${next}"`);
    const { r, comment } = await attack(system(), files);
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*eval\.freshness\*\* fail: curated: invalid: evals\/curated\.json:\d+ created_at: expected a time no later than today \([\d-]+, UTC\), found [\dT:.-]+Z \(in the future\)/);
  });

  it('a one-character `commit` that prefixes the head (for another model version) cannot vouch for the results', async () => {
    const files = system();
    // HEAD_SHA is c…c: without the rule, "c" matched it and the wrong model version passed.
    files['evals/curated.json'] = files['evals/curated.json']!.replace('"version": "2026-11-01" }', '"version": "old-model" },\n  "commit": "c"');
    expect(files['evals/curated.json']).toContain('"commit": "c"');
    const { r, comment } = await attack(system(), files);
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/cannot read evals\/curated\.json:\d+: commit: expected a commit id of at least 7 hex digits \(e\.g\. "5abecd6"\), found "c"/);
  });

  it('an eval path that is a FIFO is an error and never hangs the run', async () => {
    const ws = workspace(system());
    const fifo = path.join(ws, 'evals', 'prod-sample.jsonl');
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const { r, comment } = await attack(system(), ws, { timeoutMs: 20_000 });
    expect(r.code, 'the run was killed by the timeout').not.toBeNull();
    expect(Date.now() - started).toBeLessThan(20_000);
    expectVerdict(r, 'fail');
    expect(comment).toContain('evals/prod-sample.jsonl: is a named pipe (FIFO), not a regular file');
  }, 30_000);
});

describe('inventory: URL-style specs (issue 13 item 10)', () => {
  const tree = (extra: Record<string, string>): Record<string, string> => ({ ...system(undefined, 'services/triage'), ...extra });
  const inputs = { manifests: 'services/*/lastmile.yml' };

  it('the control: a dependency file with no AI passes', async () => {
    const files = tree({ 'web/package.json': '{\n  "dependencies": { "express": "^4" }\n}\n' });
    const { r } = await attack(files, files, { inputs });
    expectVerdict(r, 'pass');
  });

  it('npm: an SDK from its GitHub repository under another name is found', async () => {
    const files = tree({ 'web/package.json': '{\n  "dependencies": {\n    "express": "^4",\n    "http-helper": "github:openai/openai-node#v4.0.0"\n  }\n}\n' });
    const { r, comment } = await attack(files, files, { inputs });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*inventory\.unregistered\*\* fail/);
    expect(comment).toContain('web/package.json:4 npm package "http-helper" in dependencies from github:openai/openai-node#v4.0.0');
  });

  it('npm: a tarball URL is known by its file name', async () => {
    const files = tree({ 'web/package.json': '{\n  "dependencies": {\n    "x": "https://example.com/dl/openai-4.0.0.tgz"\n  }\n}\n' });
    const { r, comment } = await attack(files, files, { inputs });
    expectVerdict(r, 'fail');
    expect(comment).toContain('web/package.json:3 npm package "x" in dependencies from https://example.com/dl/openai-4.0.0.tgz');
  });

  it('PyPI: PEP 508 `name @ git+https://…` of an SDK repository is found', async () => {
    const files = tree({ 'tools/requirements.txt': 'requests==2.32\nhelper @ git+https://github.com/anthropics/anthropic-sdk-python.git@v0.30\n' });
    const { r, comment } = await attack(files, files, { inputs });
    expectVerdict(r, 'fail');
    expect(comment).toContain('tools/requirements.txt:2 PyPI package "helper" in requirements from git+https://github.com/anthropics/anthropic-sdk-python.git@v0.30');
  });
});
