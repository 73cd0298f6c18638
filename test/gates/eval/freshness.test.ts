import { describe, expect, it } from 'vitest';
import { freshness } from '../../../src/core/gates/eval/freshness';
import { makeContext, policyFrom } from '../../helpers/context';
import { errLoad, goodEvals, okLoad } from '../../helpers/evals';
import { editYaml, FULL_MANIFEST } from '../../helpers/fixtures';
import type { EvalLoad } from '../../../src/evidence/evals/types';
import type { ContextOptions } from '../../helpers/context';

function run(production: EvalLoad, o: ContextOptions = {}) {
  return freshness(makeContext({ evals: { ...goodEvals(), 'production-sample': production }, ...o }));
}

describe('eval.freshness', () => {
  it('passes for the manifest’s model version within max_age_days, and says what it checked', () => {
    const r = freshness(makeContext());
    expect(r.outcome).toBe('pass');
    expect(r.reason).toBe('2 results current');
    expect(r.details).toEqual([
      'ok: curated: 6 days old (recorded in the file); promptfoo records no model version: judged on age alone',
      'ok: production-sample: 5 days old (recorded in the file); for model version 2026-11-01',
    ]);
  });

  it('fails results for another model version', () => {
    const r = run(okLoad({ modelVersions: ['2026-10-01'] }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('production-sample: evals/prod-sample.jsonl is for model version 2026-10-01, not 2026-11-01');
    expect(r.location).toMatchObject({ line: 58 });
  });

  it('fails when one of several versions in the file is another', () => {
    expect(run(okLoad({ modelVersions: ['2026-11-01', '2026-10-01'] })).outcome).toBe('fail');
  });

  it('a model.version recorded by the format counts too', () => {
    expect(run(okLoad({ modelVersions: undefined, model: { version: '2026-11-01' } })).outcome).toBe('pass');
    expect(run(okLoad({ modelVersions: undefined, model: { version: 'v0' } })).outcome).toBe('fail');
  });

  it('a file that names the head commit is current for it', () => {
    const r = run(okLoad({ modelVersions: ['other'], commit: 'abc1234' }), { headSha: 'abc1234def567890' });
    expect(r.outcome).toBe('pass');
    expect(r.details![1]).toContain('for the head commit abc1234');
  });

  it('fails when the format records versions but the file names none', () => {
    const r = run(okLoad({ modelVersions: [] }));
    expect(r).toMatchObject({ outcome: 'fail', reason: "production-sample: evals/prod-sample.jsonl names no model version (the manifest's is 2026-11-01)" });
  });

  it('fails when the manifest declares no model.version to compare with', () => {
    const r = freshness(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.deleteIn(['model', 'version'])) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('the manifest declares no model.version');
  });

  it('fails results older than max_age_days', () => {
    const r = run(okLoad({ createdAt: '2026-10-01T00:00:00Z' }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('production-sample: 50 days old (recorded in the file), over max_age_days 30; for model version 2026-11-01');
    // age is counted in whole days: 30 days and 23 hours is 30 days old, 31 days is over
    expect(run(okLoad({ createdAt: '2026-10-20T13:00:00Z' })).outcome).toBe('pass');
    expect(run(okLoad({ createdAt: '2026-10-20T12:00:00Z' })).outcome).toBe('fail');
  });

  it('uses the policy’s max_age_days', () => {
    expect(run(okLoad({ createdAt: '2026-10-01T00:00:00Z' }), { policy: policyFrom('version: 1\nevals: { max_age_days: 60 }\n') }).outcome).toBe('pass');
  });

  it('no version recorded (promptfoo): judged on age alone, and says so', () => {
    const old = okLoad({ format: 'promptfoo', file: 'evals/curated.json', versionRecorded: false, modelVersions: undefined, createdAt: '2026-09-01T00:00:00Z' });
    const r = freshness(makeContext({ evals: { ...goodEvals(), curated: old } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('curated: 80 days old (recorded in the file), over max_age_days 30; promptfoo records no model version: judged on age alone');
  });

  it('no time in the file: falls back to when it was committed', () => {
    const noTime = okLoad({ format: 'deepeval', versionRecorded: false, timeRecorded: false, createdAt: undefined, modelVersions: undefined });
    const r = run(noTime, { evalTimes: { 'production-sample': { time: '2026-11-18T00:00:00Z', source: 'last commit of the file' } } });
    expect(r.outcome).toBe('pass');
    expect(r.details![1]).toBe('ok: production-sample: 2 days old (last commit of the file); deepeval records no model version: judged on age alone');
  });

  it('no time at all is inconclusive', () => {
    const r = run(okLoad({ createdAt: undefined, timeRecorded: false }));
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('records no time');
  });

  it('an unreadable result fails', () => {
    expect(run(errLoad('evals/prod-sample.jsonl', 'truncated', 9)).reason).toBe('production-sample: cannot read evals/prod-sample.jsonl:9: truncated');
  });
});
