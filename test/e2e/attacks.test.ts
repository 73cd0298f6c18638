// End to end through dist/index.js (issue 8, item 3): what a pull request into a release
// branch could try in order to get a green check. Each attack is blocked (exit 1, verdict
// fail) and the comment or job summary names the reason. The control case shows that the same
// pull request without the attack passes, so the attack and nothing else is what is refused.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { HEAD_SHA, readySystem, runAction, tempDir, workspace } from './harness';
import type { RunResult } from './harness';
import { MARKER, NO_SIGNOFFS, POLICY_PATH, day, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, plain, prEvent, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** The example policy with one sign-off kind (security, by alice) and waivers by erin. */
const POLICY = NO_SIGNOFFS.replace('signoffs: {}\n', 'signoffs:\n  security: { approvers: [alice], max_age_days: 180 }\n').replace(
  /waivers:\n {2}approvers: \[[^\]]*\]/,
  'waivers:\n  approvers: [erin]',
);
const CODEOWNERS = '/lastmile.yml @acme/support-ml\n';
const SIGNOFF = { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: day(-10), expires_on: day(100) };

type Edit = Parameters<typeof editYaml>[1];

/** A system ready for production under POLICY, with `edit` applied to its manifest. */
function system(edit?: Edit): Record<string, string> {
  const files = readySystem();
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.set('signoffs', doc.createNode([SIGNOFF]));
    doc.delete('waivers');
    edit?.(doc);
  });
  return { [POLICY_PATH]: POLICY, '.github/CODEOWNERS': CODEOWNERS, ...files };
}

/** PR #2 into release/1.0: `base` at the base commit (through the API), `head` checked out. */
async function attack(o: { base: Record<string, string>; head: Record<string, string> | string; inputs?: Record<string, string>; setup?: (g: FakeGitHub) => void }): Promise<{ r: RunResult; comment: string; summary: string; all: string }> {
  gh = await fakeGitHub({ baseFiles: o.base });
  o.setup?.(gh);
  const ws = typeof o.head === 'string' ? o.head : workspace(o.head);
  const r = await runAction({ apiUrl: gh.url, workspace: ws, ...prEvent(), ...(o.inputs ? { inputs: o.inputs } : {}) });
  expectNoStackTrace(r);
  const comments = gh.comments(2);
  expect(comments.length).toBeLessThanOrEqual(1);
  const comment = plain(comments[0]?.body ?? '');
  const summary = plain(r.summary);
  return { r, comment, summary, all: `${r.stdout}\n${r.stderr}\n${r.summary}\n${comments[0]?.body ?? ''}\n${JSON.stringify(r.report ?? {})}` };
}

/** Commits the work tree again (after a symlink was added to it). */
function commitAll(dir: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  execFileSync('git', ['add', '-A'], { cwd: dir, stdio: 'ignore', env });
  execFileSync('git', ['commit', '-q', '-m', 'symlink'], { cwd: dir, stdio: 'ignore', env });
}

function gate(r: RunResult, id: string): { outcome: string; reason: string; details?: string[] } | undefined {
  const systems = (r.report?.systems ?? []) as { gates: { id: string; outcome: string; reason: string; details?: string[] }[] }[];
  const repo = (r.report?.repositoryGates ?? []) as { id: string; outcome: string; reason: string; details?: string[] }[];
  return [...repo, ...systems.flatMap((s) => s.gates)].find((g) => g.id === id);
}

describe('the control', () => {
  it('the pull request without an attack passes', async () => {
    const files = system();
    const { r, comment } = await attack({ base: files, head: files });
    expectVerdict(r, 'pass');
    expect(comment).toContain('Ready for production on release/1.0');
  });
});

describe('the policy', () => {
  it('a head that weakens the policy is judged by the base policy; policy.integrity says so', async () => {
    const weakened = POLICY.replace('enforce: block', 'enforce: warn').replace(/production: \{ require: \[[^\]]*\] \}/s, 'production: { require: [] }');
    expect(weakened).not.toBe(POLICY);
    // The head also drops its rollback section, which the base policy requires.
    const { r, comment } = await attack({ base: system(), head: { ...system((doc) => doc.delete('rollback')), [POLICY_PATH]: weakened } });
    expectVerdict(r, 'fail');
    expect(r.report?.enforce).toBe('block');
    expect(comment).toContain('Not ready for production on release/1.0 (blocks merge)');
    expect(comment).toMatch(/\*\*rollback\*\* fail: missing: the manifest has no `rollback:` section/);
    expect(comment).toMatch(/\*\*policy\.integrity\*\* pass: this pull request changes the policy file; it is judged by the policy from \.github\/lastmile-policy\.yml@base bbbbbbb, and the change applies only after merge/);
  });

  it('a central policy of its own (another owner) fails closed, and is never fetched', async () => {
    const { r, comment, summary } = await attack({
      base: system(),
      head: system((doc) => doc.delete('rollback')),
      inputs: { policy: 'attacker/evil/p.yml@main' },
      setup: (g) => {
        g.addRepo({ owner: 'attacker', name: 'evil' });
        g.setFile('main', 'p.yml', 'version: 1\nbranches:\n  - { pattern: "**", stage: pilot, enforce: warn }\nstages:\n  pilot: { require: [] }\n', 'attacker/evil');
      },
    });
    expectVerdict(r, 'fail');
    const reason = 'the central policy attacker/evil/p.yml@main is outside this repository\'s owner (Codertocat): a central policy must live in the same organisation';
    expect(summary).toContain(reason);
    expect(comment).toContain(reason);
    expect(gh!.requests.filter((q) => q.path.startsWith('/repos/attacker/'))).toEqual([]);
  });

  it('a waiver of policy.integrity is never applied', async () => {
    const waiver = { gate: 'policy.integrity', reason: 'trust me', approved_by: 'erin', approved_on: day(-1), expires_on: day(30) };
    const withWaiver = system((doc) => doc.set('waivers', doc.createNode([waiver])));
    // 1. The base policy is invalid: policy.integrity fails, and the waiver (unchanged from the
    //    base, so verified, by the waiver approver) does not turn it into `waived`.
    const invalid = POLICY.replace('  max_age_days: 30\n', '  max_age_days: 30\n  max_agedays: 365\n');
    const broken = await attack({ base: { ...withWaiver, [POLICY_PATH]: invalid }, head: { ...withWaiver, [POLICY_PATH]: invalid } });
    expectVerdict(broken.r, 'fail');
    expect(gate(broken.r, 'policy.integrity')?.outcome).toBe('fail');
    expect(broken.comment).toMatch(/\*\*policy\.integrity\*\* fail: the policy \.github\/lastmile-policy\.yml@base bbbbbbb is invalid: .*evals\.max_agedays/);
    expect((broken.r.report?.counts as Record<string, number>).waived).toBe(0);
    await gh!.close();
    gh = undefined;
    // 2. With a valid policy the same waiver is judged, and refused by name (the system also
    //    lacks `rollback`, so that its section of the comment is open).
    const noRollback = system((doc) => {
      doc.set('waivers', doc.createNode([waiver]));
      doc.delete('rollback');
    });
    const valid = await attack({ base: noRollback, head: noRollback });
    expectVerdict(valid.r, 'fail');
    expect(valid.comment).toContain('waiver for "policy.integrity" not applied: policy.integrity cannot be waived');
    expect((valid.r.report?.counts as Record<string, number>).waived).toBe(0);
  });
});

describe('sign-offs and waivers', () => {
  it('a forged sign-off: `status: approved` added without any review', async () => {
    const { r, comment } = await attack({ base: system((doc) => doc.set('signoffs', doc.createNode([{ kind: 'security', status: 'requested', ticket: 'SEC-1234', requested_on: day(-3) }]))), head: system() });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*signoffs\*\* fail: 1 of 1 required sign-off not in place: security: approved \(SEC-1234\) but unverified: added or changed by this pull request without an approving review on ccccccc from @alice/);
  });

  it('an existing sign-off edited: `expires_on` extended', async () => {
    const { r, comment } = await attack({ base: system(), head: system((doc) => doc.set('signoffs', doc.createNode([{ ...SIGNOFF, expires_on: day(170) }]))) });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/security: approved \(SEC-1234\) but unverified: added or changed by this pull request without an approving review on ccccccc from @alice/);
  });

  it('an edited sign-off is not saved by an approval from someone the policy does not list, nor by the author', async () => {
    const { r, comment } = await attack({
      base: system(),
      head: system((doc) => doc.set('signoffs', doc.createNode([{ ...SIGNOFF, expires_on: day(170) }]))),
      setup: (g) => {
        g.addReview(2, { user: 'mallory', state: 'APPROVED', commit_id: HEAD_SHA });
        g.addReview(2, { user: 'Codertocat', state: 'APPROVED', commit_id: HEAD_SHA });
      },
    });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/security: approved \(SEC-1234\) but unverified/);
  });

  it('a forged waiver: a failing gate "waived" by the waiver approver\'s name, without their review', async () => {
    const waiver = { gate: 'rollback', reason: 'rollback later', approved_by: 'erin', approved_on: day(-1), expires_on: day(30) };
    const { r, comment } = await attack({ base: system(), head: system((doc) => { doc.delete('rollback'); doc.set('waivers', doc.createNode([waiver])); }) });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*rollback\*\* fail: missing: the manifest has no `rollback:` section/);
    expect(comment).toMatch(/waiver not applied: unverified: added or changed by this pull request without an approving review on ccccccc from @erin/);
    expect((r.report?.counts as Record<string, number>).waived).toBe(0);
  });
});

describe('ownership', () => {
  it('a CODEOWNERS line for itself in the head: CODEOWNERS is read from the base', async () => {
    const base = { ...system(), '.github/CODEOWNERS': '/lastmile.yml @acme/platform\n' };
    const head = { ...system(), '.github/CODEOWNERS': '/lastmile.yml @acme/platform\n/lastmile.yml @acme/support-ml\n' };
    const { r, comment } = await attack({ base, head });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*ownership\*\* fail: \.github\/CODEOWNERS assigns lastmile\.yml to @acme\/platform \(\.github\/CODEOWNERS:1\), not to @acme\/support-ml/);
  });
});

describe('paths outside the workspace', () => {
  const SECRET = 'LASTMILE-CANARY-7f3a9c';

  it('an eval `path` of ../../etc/passwd fails closed, and nothing of the file is shown', async () => {
    const head = system((doc) => doc.setIn(['evals', 0, 'path'], '../../etc/passwd'));
    const { r, comment, all } = await attack({ base: system(), head });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*eval\.thresholds\*\* fail: .*\.\.\/etc\/passwd.*leads outside the workspace/);
    expect(all).not.toMatch(/root:.*:0:0:/);
  });

  it('a symlink inside the workspace to a file outside it fails closed, and its content is never shown', async () => {
    const outside = tempDir('lm-outside-');
    writeFileSync(path.join(outside, 'curated.json'), JSON.stringify({ secret: SECRET, metrics: { accuracy: { value: 0.99, n: 100000 } } }));
    writeFileSync(path.join(outside, 'alerts.yml'), `# ${SECRET}\ngroups: []\n`);
    const files = system();
    delete files['evals/curated.json'];
    delete files['ops/alerts/support-triage.yml'];
    const ws = workspace(files);
    symlinkSync(path.join(outside, 'curated.json'), path.join(ws, 'evals', 'curated.json'));
    mkdirSync(path.join(ws, 'ops', 'alerts'), { recursive: true });
    symlinkSync(path.join(outside, 'alerts.yml'), path.join(ws, 'ops', 'alerts', 'support-triage.yml'));
    commitAll(ws);
    const { r, comment, all } = await attack({ base: system(), head: ws });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*eval\.thresholds\*\* fail: .*evals\/curated\.json.*is a symlink that leads outside the workspace/);
    expect(comment).toMatch(/\*\*monitoring\*\* fail: .*ops\/alerts\/support-triage\.yml.*is a symlink that leads outside the workspace/);
    expect(all).not.toContain(SECRET);
    rmSync(outside, { recursive: true, force: true });
  });
});

describe('no manifest', () => {
  it('a renamed manifest: none is found, the release branch fails closed with the init hint', async () => {
    const files = system();
    const head: Record<string, string> = { ...files, 'lastmile.yml.bak': files['lastmile.yml']! };
    delete head['lastmile.yml'];
    const { r, comment, summary } = await attack({ base: files, head });
    expectVerdict(r, 'fail');
    for (const text of [summary, comment]) {
      expect(text).toContain('No readiness manifest found');
      expect(text).toContain('npx last-mile init');
    }
  });
});

describe('Markdown, HTML and mentions in every string of the manifest', () => {
  const HEADING = 'InjectedHeading';
  const PAYLOAD = ` <img src=x onerror=alert(1)> @everyone #1 | broken | table | [click](javascript:alert(1)) ](javascript:alert(1)) <script>alert(1)</script>\n# ${HEADING}\n`;
  const ENUMS = new Set(['version', 'system', 'auth', 'classification', 'risk_tier', 'status', 'strategy', 'source', 'format', 'approved_on', 'expires_on', 'requested_on']);

  /** Every string scalar of the manifest (but ids, enums and dates) with the payload appended. */
  function inject(text: string): string {
    return editYaml(text, (doc) => {
      const visit = (node: unknown, key: string | undefined): unknown => {
        if (typeof node === 'string') return key !== undefined && ENUMS.has(key) ? node : `${node}${PAYLOAD}`;
        if (Array.isArray(node)) return node.map((x) => visit(x, undefined));
        if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v, k)]));
        return node;
      };
      const js = doc.toJS() as Record<string, unknown>;
      const evals = js.evals as { metrics: Record<string, unknown> }[];
      // A metric name (a key) and a waiver too.
      evals[0]!.metrics[`accuracy${PAYLOAD}`] = { min: 0.5 };
      js.waivers = [{ gate: 'rollback', reason: 'r', approved_by: 'erin', approved_on: day(-1), expires_on: day(30) }];
      for (const [k, v] of Object.entries(visit(js, undefined) as Record<string, unknown>)) doc.set(k, doc.createNode(v));
    });
  }

  it('the comment and the job summary carry none of it raw: no HTML, no javascript: link, no live mention, no broken table, no heading', async () => {
    const files = system();
    const head: Record<string, string> = { ...files, 'lastmile.yml': inject(files['lastmile.yml']!) };
    expect(head['lastmile.yml']).toContain('@everyone');
    const { r } = await attack({ base: files, head });
    expectVerdict(r, 'fail');
    const body = gh!.comments(2)[0]!.body;
    expect(body.startsWith(MARKER)).toBe(true);
    // The strings did reach the report (escaped), so the test is not vacuous.
    expect(plain(body)).toContain('@everyone');
    expect(plain(body)).toContain('<img src=x onerror=alert(1)>');
    // From many fields: names, paths, references, reasons, error messages (found "…").
    expect(plain(body).split('onerror=').length - 1).toBeGreaterThan(20);
    for (const text of [body, r.summary]) {
      // No raw form of any of them in the Markdown source.
      expect(text).not.toContain('<img');
      expect(text).not.toContain('<script');
      expect(text).not.toMatch(/@everyone/);
      expect(text).not.toMatch(/#1\b/);
      expect(text).not.toContain('](javascript:');
      expect(text).not.toMatch(/(^|[^\\])\| broken/);
      expect(text).not.toMatch(new RegExp(`^\\s{0,3}#{1,6} .*${HEADING}`, 'm'));
      // Rendered as GitHub would (raw HTML and any protocol allowed, then checked).
      const html = micromark(text, { allowDangerousHtml: true, allowDangerousProtocol: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
      expect(html).not.toMatch(/<img/i);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<[^>]*\son\w+=/i);
      expect(html).not.toMatch(/href="javascript:/i);
      expect(html).not.toMatch(new RegExp(`<h[1-6][^>]*>[^<]*${HEADING}`));
      // "| broken | table |" stayed inside one cell.
      expect(html).not.toMatch(/<td>\s*broken\s*<\/td>/);
      // Mentions and references are broken by a word joiner: nothing GitHub would link.
      expect(html).not.toMatch(/(^|[^\w\u2060])@everyone/);
      expect(html).not.toMatch(/(^|[^\w&])#1\b/);
    }
  });
});
