// Records with impossible values are invalid, not passes (SPEC §6, issue 13 item 10): an approval
// dated in the future, eval results dated in the future, a commit id of fewer than 7 hex digits.
// Each is an error naming file, line, key, expected and found, and the gate fails.
import { describe, expect, it } from 'vitest';
import { freshness } from '../../src/core/gates/eval/freshness';
import { signoffs } from '../../src/core/gates/signoffs';
import { applyWaivers, judgeWaivers } from '../../src/core/waivers';
import { parseLastmile } from '../../src/evidence/evals/formats/lastmile';
import { parseLmEval } from '../../src/evidence/evals/formats/lm-eval';
import { parseInspect } from '../../src/evidence/evals/formats/inspect';
import { parsePromptfoo } from '../../src/evidence/evals/formats/promptfoo';
import { parseSamplesText } from '../../src/evidence/evals/formats/samples';
import type { EvalLoad } from '../../src/evidence/evals/types';
import { makeContext, policyFrom, unchangedFromBase } from '../helpers/context';
import type { ContextOptions } from '../helpers/context';
import { goodEvals, okLoad } from '../helpers/evals';
import { FULL_MANIFEST } from '../helpers/fixtures';
import { err, ok, real } from '../evals/helpers';

// makeContext's now: 2026-11-20T12:00:00Z.
const POLICY = 'version: 1\nsignoffs:\n  security: { approvers: [alice] }\n';

function signoffRun(approvedOn: string, o: ContextOptions = {}) {
  const manifestYaml = `version: 1\nsystem: triage\nsignoffs:\n  - kind: security\n    status: approved\n    approved_by: alice\n    approved_on: ${approvedOn}\n    expires_on: 2027-04-01\n`;
  return signoffs(makeContext({ policy: policyFrom(POLICY), trust: unchangedFromBase(manifestYaml), manifestYaml, ...o }));
}

describe('signoffs: approved_on in the future', () => {
  it('is an invalid record that fails the gate, naming file:line, key, expected and found', () => {
    const r = signoffRun('2026-11-21');
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe(
      '1 of 1 required sign-off not in place: security: invalid record: lastmile.yml:7:18 signoffs[0].approved_on: expected a date no later than today (2026-11-20, UTC), found 2026-11-21 (in the future)',
    );
    expect(r.location).toMatchObject({ file: 'lastmile.yml', line: 4 });
  });

  it('even when the base has the same record (it was never possible)', () => {
    expect(signoffRun('2099-01-01').outcome).toBe('fail');
  });

  it('today (UTC) is not the future', () => {
    expect(signoffRun('2026-11-20').outcome).toBe('pass');
  });
});

/** SPEC §2's manifest with its one waiver replaced. */
function withWaiver(w: string): string {
  return FULL_MANIFEST.replace(/waivers:\n[^]*$/, `waivers:\n${w}`);
}
const WAIVER = (approvedOn: string) =>
  `  - gate: eval.slices\n    reason: Portuguese volume < 1% until Q1\n    approved_by: erin\n    approved_on: ${approvedOn}\n    expires_on: 2027-01-15\n`;

describe('waivers: approved_on in the future', () => {
  it('is invalid, names file:line, key, expected and found, and waives nothing', () => {
    const manifestYaml = withWaiver(WAIVER('2026-12-01'));
    const ctx = makeContext({ manifestYaml, trust: unchangedFromBase(manifestYaml) });
    const [j] = judgeWaivers(ctx);
    expect(j!.valid).toBe(false);
    expect(j!.why).toMatch(
      /^invalid: lastmile\.yml:\d+:\d+ waivers\[0\]\.approved_on: expected a date no later than today \(2026-11-20, UTC\), found 2026-12-01 \(in the future\)$/,
    );
    const [g] = applyWaivers([{ id: 'eval.slices', outcome: 'fail', reason: 'pt is 40 points below' }], judgeWaivers(ctx));
    expect(g!.outcome).toBe('fail');
    expect(g!.details).toEqual([`waiver not applied: ${j!.why}`]);
  });

  it('an approval today is valid', () => {
    const manifestYaml = withWaiver(WAIVER('2026-11-20'));
    expect(judgeWaivers(makeContext({ manifestYaml, trust: unchangedFromBase(manifestYaml) }))[0]!.valid).toBe(true);
  });
});

function fresh(production: EvalLoad, o: ContextOptions = {}) {
  return freshness(makeContext({ evals: { ...goodEvals(), 'production-sample': production }, ...o }));
}

describe('eval.freshness: impossible times and commits', () => {
  it('a timestamp on a later UTC day fails, naming file:line and key (not "0 days old")', () => {
    const r = fresh(okLoad({ createdAt: '2026-11-15T00:00:00.000Z', newestTime: { time: '2026-11-21T00:00:00.000Z', key: 'created_at', line: 812 } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe(
      'production-sample: invalid: evals/prod-sample.jsonl:812 created_at: expected a time no later than today (2026-11-20, UTC), found 2026-11-21T00:00:00.000Z (in the future)',
    );
  });

  it('without newestTime, a future createdAt fails the same way', () => {
    const r = fresh(okLoad({ createdAt: '2099-01-01T00:00:00.000Z' }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('evals/prod-sample.jsonl created_at: expected a time no later than today (2026-11-20, UTC), found 2099-01-01T00:00:00.000Z');
  });

  it('later the same UTC day is clock skew, not the future', () => {
    expect(fresh(okLoad({ newestTime: { time: '2026-11-20T23:00:00.000Z', key: 'created_at', line: 2 } })).outcome).toBe('pass');
  });

  it('a commit of fewer than 7 hex digits never matches the head: invalid', () => {
    const r = fresh(okLoad({ modelVersions: ['other'], commit: '3f1' }), { headSha: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' });
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('production-sample: invalid: evals/prod-sample.jsonl commit: expected a commit id of at least 7 hex digits, found "3f1"');
    const nonHex = fresh(okLoad({ modelVersions: ['other'], commit: '3f1c2a9-dirty' }), { headSha: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' });
    expect(nonHex.outcome).toBe('fail');
  });

  it('7 hex digits of the head still pass', () => {
    expect(fresh(okLoad({ modelVersions: ['other'], commit: '3f1c2a9' }), { headSha: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' }).outcome).toBe('pass');
  });
});

const LASTMILE = (over: Record<string, unknown>) =>
  JSON.stringify({ version: 1, model: { version: 'v1' }, commit: '5abecd6', created_at: '2026-11-20T10:00:00Z', metrics: { accuracy: { value: 0.9, n: 10, successes: 9 } }, ...over }, null, 2);

describe('adapters: commit ids and the newest timestamp', () => {
  it('lastmile: a short or non-hex commit is an error at its line', () => {
    for (const commit of ['3f1', 'main', 'HEAD', 'abcdefg', '']) {
      const e = err(parseLastmile(LASTMILE({ commit }), 'evals/s.json'));
      expect(e.line, commit).toBe(6);
      if (commit !== '') expect(e.message).toBe(`commit: expected a commit id of at least 7 hex digits (e.g. "5abecd6"), found ${JSON.stringify(commit)}`);
    }
    expect(ok(parseLastmile(LASTMILE({ commit: '3F1C2A9' }), 'evals/s.json')).commit).toBe('3F1C2A9');
  });

  it('lastmile: created_at is kept as the newest time, with its key', () => {
    const r = ok(parseLastmile(LASTMILE({ created_at: '2099-01-01T00:00:00Z' }), 'evals/s.json'));
    expect(r.newestTime).toMatchObject({ time: '2099-01-01T00:00:00.000Z', key: 'created_at', line: 7 });
  });

  it('samples: the newest created_at and its line (the oldest still decides the age)', () => {
    const text = ['{"correct": true, "created_at": "2026-11-19T10:00:00Z"}', '{"correct": true, "created_at": "2099-01-01T00:00:00Z"}', '{"correct": false, "created_at": "2026-11-18T10:00:00Z"}'].join('\n');
    const r = ok(parseSamplesText(text, 'evals/p.jsonl'));
    expect(r.createdAt).toBe('2026-11-18T10:00:00.000Z');
    expect(r.newestTime).toEqual({ time: '2099-01-01T00:00:00.000Z', key: 'created_at', line: 2 });
    const g = fresh(okLoad({ ...r, modelVersions: ['2026-11-01'] }));
    expect(g.outcome).toBe('fail');
    expect(g.reason).toContain('evals/p.jsonl:2 created_at: expected a time no later than today');
  });

  it('lm-eval: git_hash must be a commit id; `git describe` output gives its hash', () => {
    const base = JSON.parse(real('lm-eval/results_asdiv_llama-3-8b-instruct_limit50.json')) as Record<string, unknown>;
    const withHash = (git_hash: string) => JSON.stringify({ ...base, git_hash }, null, 2);
    expect(ok(parseLmEval(withHash('v0.4.2-12-g1a2b3c4'), 'r.json')).commit).toBe('1a2b3c4');
    const e = err(parseLmEval(withHash('abc'), 'r.json'));
    expect(e.message).toBe('git_hash: expected a commit id of at least 7 hex digits (e.g. "5abecd6"), found "abc"');
    expect(e.line).toBeGreaterThan(1);
  });

  it('inspect: eval.revision.commit must be a commit id', () => {
    const log = JSON.parse(real('inspect/popularity_gpt-4o-mini_cancelled-3of100.json')) as { eval: Record<string, unknown> };
    log.eval['revision'] = { type: 'git', origin: 'https://github.com/x/y', commit: '12ab' };
    const e = err(parseInspect(JSON.stringify(log, null, 2), 'i.json'));
    expect(e.message).toBe('eval.revision.commit: expected a commit id of at least 7 hex digits (e.g. "5abecd6"), found "12ab"');
    expect(e.line).toBeGreaterThan(1);
  });

  it('promptfoo: the newest of its timestamps is kept with its key', () => {
    const out = JSON.parse(real('promptfoo/redteam-azure-harmful-6tests.json')) as { results: Record<string, unknown>; metadata?: Record<string, unknown> };
    out.metadata = { ...(out.metadata ?? {}), exportedAt: '2099-01-01T00:00:00.000Z' };
    const r = ok(parsePromptfoo(JSON.stringify(out, null, 2), 'p.json'));
    expect(r.newestTime).toMatchObject({ time: '2099-01-01T00:00:00.000Z', key: 'metadata.exportedAt' });
    expect(r.newestTime!.line).toBeGreaterThan(1);
  });
});
