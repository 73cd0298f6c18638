// End to end through dist/index.js (issue 4): the release branch gates on eval evidence, not on
// point estimates: the benchmark trap, too few samples, regressions and unreadable files.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { BASE_SHA, readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { POLICY_PATH, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, plain, prEvent, finishTest } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

const POLICY = `version: 1
branches:
  - { pattern: "release/**", stage: production, enforce: block }
stages:
  production: { require: [ownership, evals] }
signoffs: {}
evals:
  confidence: 0.95
  min_samples: 30
  max_age_days: 30
  require_sources: [curated, production-sample]
  max_gap: { accuracy: 0.05 }
  slices: { min_samples: 30, max_drop: 0.10 }
  regression: { max_drop: 0.02 }
`;

const RECENT = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** A `lastmile` summary file with one accuracy metric. */
function summary(successes: number, n: number): string {
  return `${JSON.stringify(
    { version: 1, model: { name: 'triage-classifier', version: '2026-11-01' }, created_at: RECENT, metrics: { accuracy: { value: successes / n, n, successes } } },
    null,
    2,
  )}\n`;
}

/** The ready system with two `lastmile` eval files: evals/curated.json and evals/prod.json. */
function system(curated: string, production: string): Record<string, string> {
  const files = readySystem();
  delete files['evals/prod-sample.jsonl'];
  files['lastmile.yml'] = editYaml(files['lastmile.yml']!, (doc) => {
    doc.set(
      'evals',
      doc.createNode([
        { name: 'curated', source: 'curated', path: 'evals/curated.json', format: 'lastmile', metrics: { accuracy: { min: 0.9 } } },
        { name: 'production-sample', source: 'production-sample', path: 'evals/prod.json', format: 'lastmile', metrics: { accuracy: { min: 0.05 } } },
      ]),
    );
  });
  return { [POLICY_PATH]: POLICY, ...files, 'evals/curated.json': curated, 'evals/prod.json': production };
}

async function runPr(base: Record<string, string>, head: Record<string, string>): Promise<{ r: RunResult; body: string }> {
  gh = await fakeGitHub({ baseFiles: base });
  const r = await runAction({ apiUrl: gh.url, workspace: workspace(head), ...prEvent() });
  expectNoStackTrace(r);
  expect(gh.comments(2)).toHaveLength(1);
  return { r, body: plain(gh.comments(2)[0]!.body) };
}

describe('eval gates on a release branch', () => {
  it('the benchmark trap: curated 0.94, production-sample 0.07 (n = 1,000 each) fails eval.production-gap', async () => {
    const files = system(summary(940, 1000), summary(70, 1000));
    const { r, body } = await runPr({ [POLICY_PATH]: POLICY }, files);
    expectVerdict(r, 'fail');
    expect(body).toContain('- ❌ **eval.production-gap** fail: the model does worse on production data: accuracy: curated 0.940 [0.924, 0.953] n=1000, production-sample 0.0700 [0.0558, 0.0875] n=1000, gap 0.870 [0.846, 0.889] (max 0.05)');
    // The side-by-side table shows both results with their intervals and the gap over max_gap.
    expect(body).toMatch(/\| accuracy \(min\) \| 0\.940 \[0\.924, 0\.953\] n=1000 \| 0\.0700 \[0\.0558, 0\.0875\] n=1000 \| ❌ 0\.870 \[0\.846, 0\.889\] \| 0\.0500 \|/);
    // Each source on its own clears its threshold: only the gap catches the trap.
    expect(body).not.toMatch(/\*\*eval\.thresholds\*\* fail/);
  });

  it('47 of 50 against min 0.90 is inconclusive, and blocks', async () => {
    const files = system(summary(47, 50), summary(930, 1000));
    const { r, body } = await runPr({ [POLICY_PATH]: POLICY }, files);
    expectVerdict(r, 'fail');
    expect(body).toContain('- ⚠️ **eval.thresholds** inconclusive: curated accuracy = 0.940 [0.838, 0.979] n=50: the lower bound of its 95 % interval is below 0.9; about 217 samples at this rate would settle it');
    // n = 50 settles neither the threshold nor the gap to production: both are inconclusive.
    expect(body).toContain('- ⚠️ **eval.production-gap** inconclusive: accuracy: curated 0.940 [0.838, 0.979] n=50, production-sample 0.930 [0.912, 0.944] n=1000, gap 0.0100 [-0.0932, 0.0531] (max 0.05)');
    expect((r.report?.counts as Record<string, number>).inconclusive).toBe(2);
    expect(r.outputs.failed).toBe('2');
  });

  it('a regression against the base branch results blocks', async () => {
    const base = system(summary(485, 500), summary(930, 1000));
    const head = system(summary(460, 500), summary(930, 1000));
    const { r, body } = await runPr(base, head);
    expectVerdict(r, 'fail');
    expect(body).toContain('- ❌ **eval.regression** fail: regression against the base: curated accuracy: 0.970 [0.951, 0.982] n=500 on base → 0.920 [0.893, 0.941] n=500, drop 0.0500 [0.0220, 0.0795] (max_drop 0.02)');
    // The base results were read at the base commit: through a GraphQL file query
    // (`<sha>:<path>`, how the base's files are batched) or the contents API.
    const expression = (v: unknown): boolean => v === `${BASE_SHA}:evals/curated.json`;
    const readAtBase = gh!.requests.filter(
      (q) =>
        q.status === 200 &&
        ((q.operationId === 'repos/get-content' && q.params.path === 'evals/curated.json' && q.query.ref === BASE_SHA) ||
          (q.operationId === 'graphql' && Object.values((q.body as { variables?: Record<string, unknown> } | undefined)?.variables ?? {}).some(expression))),
    );
    expect(readAtBase.length).toBeGreaterThan(0);
  });

  it('a truncated eval file fails closed, naming the file', async () => {
    const truncated = summary(940, 1000).slice(0, 120);
    const files = system(truncated, summary(930, 1000));
    const { r, body } = await runPr({ [POLICY_PATH]: POLICY }, files);
    expectVerdict(r, 'fail');
    expect(body).toMatch(/- ❌ \*\*eval\.thresholds\*\* fail: curated: .*evals\/curated\.json/);
    expect(body).toMatch(/- ❌ \*\*eval\.production-gap\*\* fail: .*evals\/curated\.json/);
  });

  it('a truncated samples file fails closed, naming the file and line', async () => {
    const files = readySystem();
    const lines = files['evals/prod-sample.jsonl']!.trimEnd().split('\n');
    lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, 25);
    files['evals/prod-sample.jsonl'] = `${lines.join('\n')}`;
    const { r, body } = await runPr({ [POLICY_PATH]: POLICY }, { [POLICY_PATH]: POLICY, ...files });
    expectVerdict(r, 'fail');
    expect(body).toMatch(new RegExp(`evals/prod-sample\\.jsonl:${lines.length}`));
    expect(body).toMatch(/- ❌ \*\*eval\.thresholds\*\* fail: production-sample: /);
  });
});
