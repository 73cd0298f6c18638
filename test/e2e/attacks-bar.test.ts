// End to end through dist/index.js (issue 13, items 1-4): the bar comes from the base. Each
// attack is one edit a pull request into a release branch could make to its own manifest to
// lower its bar; each test asserts the verdict stays `fail` AND that the comment names the gate
// and says which value or fact was kept from the base. The control at the top shows that the
// same pull request without the edit passes, so the edit alone is what is refused.
//
// | attack (the pull request …)                                   | defence                                   |
// |---------------------------------------------------------------|-------------------------------------------|
// | flips `accuracy: { min }` to `{ max: 1.0 }` to hide a trap     | base min kept; direction from catalogue   |
// | sets `min: 0` so that 0.50 accuracy passes                      | base min kept                             |
// | deletes `slices:` to hide a slice 43 points below the whole     | removed slice → eval.slices inconclusive   |
// | lowers `compliance.risk_tier` to drop a requested sign-off      | kinds required by base or head facts      |
// | moves the curated results to a new file                         | regression matched by eval name           |
// | renames the eval                                                | vanished eval → inconclusive              |
// | changes `identity.auth` under an unchanged security sign-off    | sign-off bound to the facts it vouches for |
// | moves its manifest and lowers a threshold there                 | base matched by `system` id               |
// | deletes one system's manifest from a monorepo                   | removed system → inconclusive             |
// | relabels its curated eval as `production-sample`                | the base's eval sources apply             |
// | gives a second manifest the same `system` id                    | duplicate ids are invalid                 |
// | renames its id in place while a decoy takes the old id          | the base at the same path applies too     |
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-server';
import { readySystem, runAction, workspace } from './harness';
import type { RunResult } from './harness';
import { EXAMPLE_POLICY, POLICY_PATH, day, editYaml, expectNoStackTrace, expectVerdict, fakeGitHub, finishTest, plain, prEvent } from './setup';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await finishTest(gh);
  gh = undefined;
});

/** Security (alice) on every system; compliance (carol) for limited/high risk tiers. */
const POLICY = EXAMPLE_POLICY.replace(/^signoffs:\n(?: {2}.*\n)+/m, 'signoffs:\n  security: { approvers: [alice], max_age_days: 180 }\n  compliance: { approvers: [carol], when: { risk_tier: [limited, high] } }\n');
const SECURITY = { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: day(-10), expires_on: day(100) };
const COMPLIANCE = { kind: 'compliance', status: 'approved', ticket: 'CMP-7', approved_by: 'carol', approved_on: day(-10), expires_on: day(100) };

type Edit = Parameters<typeof editYaml>[1];
const recent = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** Production-sample lines: `groups` of [language, n, correct]. */
function samples(groups: [string, number, number][]): string {
  const lines: string[] = [];
  let id = 0;
  for (const [language, n, correct] of groups) {
    for (let i = 0; i < n; i++) {
      lines.push(JSON.stringify({ id: `t-${++id}`, correct: i < correct, language, channel: id % 2 ? 'email' : 'chat', model_version: '2026-11-01', created_at: recent }));
    }
  }
  return `${lines.join('\n')}\n`;
}

function curated(successes: number, n: number): string {
  return JSON.stringify({ version: 1, model: { name: 'triage-classifier', version: '2026-11-01' }, created_at: recent, metrics: { accuracy: { value: successes / n, n, successes } } }, null, 2);
}

/** A system ready for production under POLICY (limited risk tier: security and compliance approved). */
function system(edit?: Edit, dir = ''): Record<string, string> {
  const files = readySystem(dir);
  const key = dir ? `${dir}/lastmile.yml` : 'lastmile.yml';
  files[key] = editYaml(files[key]!, (doc) => {
    doc.set('signoffs', doc.createNode([SECURITY, COMPLIANCE]));
    doc.delete('waivers');
    edit?.(doc);
  });
  return { [POLICY_PATH]: POLICY, '.github/CODEOWNERS': '* @acme/support-ml\n', ...files };
}

async function attack(o: { base: Record<string, string>; head: Record<string, string>; inputs?: Record<string, string> }): Promise<{ r: RunResult; comment: string }> {
  gh = await fakeGitHub({ baseFiles: o.base });
  const r = await runAction({ apiUrl: gh.url, workspace: workspace(o.head), ...prEvent(), ...(o.inputs ? { inputs: o.inputs } : {}) });
  expectNoStackTrace(r);
  const comments = gh.comments(2);
  expect(comments).toHaveLength(1);
  return { r, comment: plain(comments[0]!.body) };
}

function gate(r: RunResult, id: string, system?: string): { outcome: string; reason: string; details?: string[] } {
  const systems = (r.report?.systems ?? []) as { system: string; gates: { id: string; outcome: string; reason: string; details?: string[] }[] }[];
  const found = systems.filter((s) => system === undefined || s.system === system).flatMap((s) => s.gates).find((g) => g.id === id);
  expect(found, `gate ${id} in the report`).toBeDefined();
  return found!;
}

describe('the control', () => {
  it('the same pull request without an attack passes', async () => {
    const { r, comment } = await attack({ base: system(), head: system() });
    expectVerdict(r, 'pass');
    expect(comment).toContain('Ready for production on release/1.0');
    expect(comment).not.toContain('Kept from the base');
  });
});

describe('thresholds', () => {
  it('flipping `accuracy: { min }` to `{ max: 1.0 }` does not hide a 0.91 → 0.07 benchmark trap', async () => {
    const flip: Edit = (doc) => {
      doc.setIn(['evals', 0, 'metrics', 'accuracy'], doc.createNode({ max: 1.0 }));
      doc.setIn(['evals', 1, 'metrics', 'accuracy'], doc.createNode({ max: 1.0 }));
    };
    const head = { ...system(flip), 'evals/prod-sample.jsonl': samples([['en', 400, 28]]) };
    const { r, comment } = await attack({ base: system(), head });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.production-gap').outcome).toBe('fail');
    expect(comment).toContain('**eval.production-gap** fail: the model does worse on production data: accuracy: curated 0.912 [0.901, 0.922] n=3000, production-sample 0.0700 [0.0489, 0.0993] n=400, gap 0.842 [0.811, 0.865] (max 0.05)');
    expect(comment).toContain('**eval.thresholds** fail: production-sample accuracy = 0.0700 [0.0489, 0.0993] n=400, needs ≥ 0.85');
    expect(comment).toContain("Kept from the base (a loosening applies after merge): eval `curated` accuracy: the base's `min: 0.9` applies until merge (this pull request writes `max: 1`)");
  });

  it('`min: 0` does not let 0.50 accuracy pass', async () => {
    const head = { ...system((doc) => doc.setIn(['evals', 1, 'metrics', 'accuracy', 'min'], 0)), 'evals/prod-sample.jsonl': samples([['en', 400, 200]]) };
    const { r, comment } = await attack({ base: system(), head });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.thresholds').reason).toContain('production-sample accuracy = 0.500 [0.451, 0.549] n=400, needs ≥ 0.85');
    expect(comment).toContain("Kept from the base (a loosening applies after merge): eval `production-sample` accuracy: the base's `min: 0.85` applies until merge (this pull request writes `min: 0`)");
  });

  it('a manifest moved to another folder keeps its base bar (matched by `system` id)', async () => {
    const base = system();
    const moved = system((doc) => doc.setIn(['evals', 1, 'metrics', 'accuracy', 'min'], 0), 'ai');
    delete moved['lastmile.yml'];
    moved['ai/evals/prod-sample.jsonl'] = samples([['en', 400, 200]]);
    const { r, comment } = await attack({ base, head: moved, inputs: { manifests: 'lastmile.yml\n**/lastmile.yml' } });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.thresholds').reason).toContain('needs ≥ 0.85');
    expect(comment).toContain("the base's `min: 0.85` applies until merge (this pull request writes `min: 0`)");
  });
});

describe('slices', () => {
  it('deleting `slices:` does not hide a slice 43 points below the whole', async () => {
    // en 340 at 0.97, pt 60 at 0.50: the whole is 0.90, pt is 0.40 below it.
    const data = samples([['en', 340, 330], ['pt', 60, 30]]);
    const withSlices = await attack({ base: system(), head: { ...system(), 'evals/prod-sample.jsonl': data } });
    expectVerdict(withSlices.r, 'fail');
    expect(gate(withSlices.r, 'eval.slices').outcome).toBe('fail');
    await gh!.close();
    gh = undefined;

    const { r, comment } = await attack({ base: system(), head: { ...system((doc) => doc.deleteIn(['evals', 1, 'slices'])), 'evals/prod-sample.jsonl': data } });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.slices').outcome).toBe('inconclusive');
    expect(comment).toMatch(/\*\*eval\.slices\*\* inconclusive: production-sample: slice `language` is on the base but not in this pull request \(removed or renamed\): the base's bar applies until merge/);
    expect(comment).toContain('Kept from the base (a loosening applies after merge): eval `production-sample`: slice `language` is on the base but not in this pull request');
  });
});

describe('sign-offs', () => {
  it('lowering `compliance.risk_tier` does not drop a compliance sign-off that is only requested', async () => {
    const requested: Edit = (doc) => doc.set('signoffs', doc.createNode([SECURITY, { kind: 'compliance', status: 'requested', ticket: 'CMP-7', requested_on: day(-4) }]));
    const head = system((doc) => {
      requested(doc);
      doc.setIn(['compliance', 'risk_tier'], 'minimal');
    });
    const { r, comment } = await attack({ base: system(requested), head });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/\*\*signoffs\*\* fail: 1 of 2 required sign-offs not in place: compliance: requested \(CMP-7\), waiting 4 days/);
    expect(comment).toContain("Kept from the base (a loosening applies after merge): `compliance.risk_tier`: the base's `limited` applies until merge (this pull request writes `minimal`)");
  });

  it('changing `identity.auth` under an unchanged security sign-off needs the security approver\'s review again', async () => {
    const { r, comment } = await attack({ base: system(), head: system((doc) => doc.setIn(['identity', 'auth'], 'api-key')) });
    expectVerdict(r, 'fail');
    expect(comment).toMatch(/security: approved \(SEC-1234\) but unverified: this pull request changes `identity\.auth`, which it vouches for, without an approving review on ccccccc from @alice/);
  });

  it('the same change passes once the security approver approves the head', async () => {
    gh = await fakeGitHub({ baseFiles: system() });
    gh.addReview(2, { user: 'alice', state: 'APPROVED', commit_id: 'c'.repeat(40) });
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(system((doc) => doc.setIn(['identity', 'auth'], 'api-key'))), ...prEvent() });
    expectVerdict(r, 'pass');
  });
});

describe('evals', () => {
  it('moving the curated results to a new file does not escape eval.regression (matched by eval name)', async () => {
    const base = { ...system(), 'evals/curated.json': curated(990, 1000) };
    const head = system((doc) => doc.setIn(['evals', 0, 'path'], 'evals/curated-v2.json'));
    delete head['evals/curated.json'];
    head['evals/curated-v2.json'] = curated(930, 1000);
    const { r, comment } = await attack({ base, head });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.regression').outcome).toBe('fail');
    expect(comment).toContain('**eval.regression** fail: regression against the base: curated accuracy: 0.990 [0.982, 0.995] n=1000 on base → 0.930 [0.912, 0.944] n=1000, drop 0.0600 [0.0435, 0.0781] (max_drop 0.02)');
  });

  it('renaming the eval makes eval.regression and eval.thresholds inconclusive', async () => {
    const { r, comment } = await attack({ base: system(), head: system((doc) => doc.setIn(['evals', 0, 'name'], 'curated-v2')) });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.regression').outcome).toBe('inconclusive');
    expect(comment).toContain("eval `curated` (curated) is on the base but not in this pull request (removed or renamed): the base's bar applies until merge");
    expect(comment).toContain('Kept from the base (a loosening applies after merge): eval `curated` (`curated`) is on the base but not in this pull request');
  });

  it('relabelling the curated eval as production-sample keeps the base source', async () => {
    const head = system((doc) => {
      doc.setIn(['evals', 0, 'source'], 'production-sample');
      doc.setIn(['evals', 1, 'source'], 'curated');
    });
    const bad = { ...head, 'evals/prod-sample.jsonl': samples([['en', 400, 28]]) };
    const { r, comment } = await attack({ base: system(), head: bad });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.production-gap').outcome).toBe('fail');
    expect(comment).toContain('Kept from the base (a loosening applies after merge): eval `curated`: source `curated` kept from the base (this pull request writes `production-sample`)');
  });
});

describe('systems', () => {
  const MONOREPO = { manifests: 'services/*/lastmile.yml' };
  it('deleting one system of a monorepo leaves it inconclusive until merge', async () => {
    const base = { ...system(undefined, 'services/a'), ...system((doc) => doc.set('system', 'billing-bot'), 'services/b') };
    const head = system(undefined, 'services/a');
    const { r, comment } = await attack({ base, head, inputs: MONOREPO });
    expectVerdict(r, 'fail');
    expect(gate(r, 'manifest.valid', 'billing-bot').outcome).toBe('inconclusive');
    expect(comment).toContain("the system `billing-bot` (services/b/lastmile.yml) is on the base but in no manifest of this pull request (removed or renamed): the base's bar applies until merge");
  });

  it('renaming the id in place while a decoy manifest takes the old id: the manifest keeps the bar of its path', async () => {
    const base = system();
    const head = {
      ...system((doc) => {
        doc.set('system', 'support-triage-v2');
        doc.setIn(['evals', 1, 'metrics', 'accuracy', 'min'], 0);
      }),
      ...system(undefined, 'decoy'),
      'evals/prod-sample.jsonl': samples([['en', 400, 200]]),
    };
    const { r, comment } = await attack({ base, head, inputs: { manifests: 'lastmile.yml\ndecoy/lastmile.yml' } });
    expectVerdict(r, 'fail');
    expect(gate(r, 'eval.thresholds', 'support-triage-v2').reason).toContain('needs ≥ 0.85');
    expect(comment).toContain("the base's `min: 0.85` applies until merge (this pull request writes `min: 0`)");
  });

  it('two manifests with one `system` id are an error', async () => {
    const head = { ...system(undefined, 'services/a'), ...system(undefined, 'services/b') };
    const { r, comment } = await attack({ base: head, head, inputs: MONOREPO });
    expectVerdict(r, 'fail');
    const systems = (r.report?.systems ?? []) as { manifest: string; gates: { id: string; outcome: string }[] }[];
    expect(systems.find((s) => s.manifest === 'services/b/lastmile.yml')?.gates.find((g) => g.id === 'manifest.valid')?.outcome).toBe('fail');
    expect(comment).toMatch(/manifest\.valid\*\* fail: services\/b\/lastmile\.yml:\d+:\d+ system: expected a system id no other manifest has, found .support-triage., also the id of services\/a\/lastmile\.yml/);
  });
});
