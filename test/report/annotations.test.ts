// Check-run annotations (SPEC §7): on the lines of blocking gates, at most 50 per system and
// 200 per run, failures kept before warnings; the check run's summary counts the rest.
import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/core/types';
import { publishCheckRun } from '../../src/github/checks';
import type { GitHub } from '../../src/github/client';
import { ANNOTATIONS_PER_RUN, ANNOTATIONS_PER_SYSTEM } from '../../src/model/annotation';
import { annotations, cappedAnnotations } from '../../src/render/annotations';
import { REPORT_SCHEMA_ID, reportSchema } from '../../src/model/report-schema';
import type { Report } from '../../src/model/report';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub } from '../support/github-server';
import { HEAD, failingReport, passingReport } from './reports';

/** A report with `systems` systems, each with `perSystem` failing gates on distinct lines. */
function bigReport(o: { systems: number; perSystem: number; enforce?: Report['enforce']; outcome?: (system: number, gate: number) => GateResult['outcome'] }): Report {
  const systems = Array.from({ length: o.systems }, (_, s) => {
    const manifest = `services/s${s + 1}/lastmile.yml`;
    const gates: GateResult[] = Array.from({ length: o.perSystem }, (_, g) => ({
      id: 'ownership',
      outcome: o.outcome?.(s, g) ?? 'fail',
      reason: `finding ${g + 1}`,
      fix: 'fix it',
      location: { file: manifest, line: g + 1 },
    }));
    return { system: `s${s + 1}`, manifest, status: 'fail' as const, gates, notes: [] };
  });
  const failed = o.systems * o.perSystem;
  return reportSchema().parse({
    schema: REPORT_SCHEMA_ID,
    verdict: 'fail',
    stage: 'production',
    branch: 'main',
    enforce: o.enforce ?? 'block',
    event: 'pull_request',
    repository: 'acme/service',
    pullRequest: 7,
    headSha: HEAD,
    policy: { source: '.github/lastmile-policy.yml', builtIn: false, changedInHead: false },
    counts: { pass: 0, fail: failed, inconclusive: 0, waived: 0, skipped: 0 },
    failed,
    repositoryGates: [],
    systems,
    errors: [],
    notes: [],
    generatedAt: '2026-11-20T12:00:00.000Z',
  });
}

describe('annotations', () => {
  it('one per located blocking gate, on its line; failures on block branches, warnings otherwise', () => {
    const all = annotations(failingReport());
    // inventory.unregistered, ownership, signoffs (fail) and monitoring (inconclusive); the
    // waived and unlocated gates have none.
    expect(all.map((a) => `${a.title} @ ${a.path}:${a.start_line} ${a.annotation_level}`)).toEqual([
      'inventory.unregistered: fail @ services/search/package.json:14 failure',
      'ownership (support-triage): fail @ services/support-triage/lastmile.yml:4 failure',
      'signoffs (support-triage): fail @ services/support-triage/lastmile.yml:31 failure',
      'monitoring (support-triage): inconclusive @ services/support-triage/lastmile.yml:22 warning',
    ]);
    expect(all[1]!.message).toBe('missing `owner.oncall` and `owner.escalation`\nFix: Name the owning team, the on-call schedule and the escalation channel under `owner:`.');
    expect(annotations(failingReport({ enforce: 'warn' })).every((a) => a.annotation_level === 'warning')).toBe(true);
    expect(annotations(passingReport())).toEqual([]);
  });

  it('under the caps nothing is left out', () => {
    const r = failingReport();
    expect(cappedAnnotations(r)).toEqual({ annotations: annotations(r), annotationsOmitted: 0 });
  });

  it('the caps are 50 per system and 200 per run', () => {
    expect([ANNOTATIONS_PER_SYSTEM, ANNOTATIONS_PER_RUN]).toEqual([50, 200]);
  });

  it('at most 50 per system: a system with 80 located failures gets its first 50', () => {
    const r = bigReport({ systems: 2, perSystem: 80 });
    const { annotations: sent, annotationsOmitted } = cappedAnnotations(r);
    expect(sent).toHaveLength(100);
    expect(annotationsOmitted).toBe(60);
    for (const s of ['s1', 's2']) {
      const lines = sent.filter((a) => a.path === `services/${s}/lastmile.yml`).map((a) => a.start_line);
      expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
  });

  it('at most 200 per run: 30 systems of 13 give 200, in report order, and 190 counted', () => {
    const r = bigReport({ systems: 30, perSystem: 13 });
    const { annotations: sent, annotationsOmitted } = cappedAnnotations(r);
    expect(sent).toHaveLength(200);
    expect(annotationsOmitted).toBe(390 - 200);
    expect(sent).toEqual(annotations(r).slice(0, 200));
  });

  it('failures are kept before warnings when a cap bites, and sent in report order', () => {
    // Each system: 40 inconclusive gates (warnings) first, then 20 failures.
    const r = bigReport({ systems: 6, perSystem: 60, outcome: (_s, g) => (g < 40 ? 'inconclusive' : 'fail') });
    const { annotations: sent, annotationsOmitted } = cappedAnnotations(r);
    expect(sent).toHaveLength(200);
    expect(annotationsOmitted).toBe(360 - 200);
    // All 120 failures are kept (20 per system), and 80 warnings fill the run's cap.
    expect(sent.filter((a) => a.annotation_level === 'failure')).toHaveLength(120);
    expect(sent.filter((a) => a.annotation_level === 'warning')).toHaveLength(80);
    // Within a system, the 20 failures plus 30 warnings = 50 for s1 and s2, then the run cap.
    const s1 = sent.filter((a) => a.path === 'services/s1/lastmile.yml');
    expect(s1).toHaveLength(50);
    expect(s1.map((a) => a.start_line)).toEqual([...Array.from({ length: 30 }, (_, i) => i + 1), ...Array.from({ length: 20 }, (_, i) => 41 + i)]);
    const key = (a: { path: string; start_line: number }): string => `${a.path}:${a.start_line}`;
    const chosen = new Set(sent.map(key));
    expect(sent.map(key)).toEqual(annotations(r).map(key).filter((k) => chosen.has(k)));
  });

  it('custom caps apply the same way', () => {
    expect(cappedAnnotations(bigReport({ systems: 3, perSystem: 4 }), { perSystem: 2, perRun: 5 })).toMatchObject({ annotationsOmitted: 7 });
  });
});

describe('publishCheckRun with capped annotations', () => {
  let gh: FakeGitHub | undefined;
  afterEach(async () => {
    if (!gh) return;
    expect(gh.violations).toEqual([]);
    await gh.close();
    gh = undefined;
  });

  it('sends the capped annotations in batches of 50 and the summary counts the rest', async () => {
    gh = await startGitHubServer({ repository: 'acme/service' });
    const client = getOctokit('test-token', { baseUrl: gh.url }) as GitHub;
    const r = bigReport({ systems: 25, perSystem: 13 });
    const capped = cappedAnnotations(r);
    await publishCheckRun(client, { owner: 'acme', repo: 'service' }, { name: 'Last Mile gates', headSha: HEAD, conclusion: 'failure', title: 'Not ready', summary: 'headline', text: 'report', ...capped });
    const [run] = gh.checkRuns();
    expect(run!.annotationBatches).toEqual([50, 50, 50, 50]);
    expect(run!.output.annotations).toHaveLength(200);
    expect(run!.output.summary).toBe(
      'headline\n\n200 annotations shown, 125 more not shown: a check run carries at most 50 per system and 200 per run. The job summary lists every gate.',
    );
  });

  it('says nothing about a cap when none was left out', async () => {
    gh = await startGitHubServer({ repository: 'acme/service' });
    const client = getOctokit('test-token', { baseUrl: gh.url }) as GitHub;
    await publishCheckRun(client, { owner: 'acme', repo: 'service' }, { name: 'Last Mile gates', headSha: HEAD, conclusion: 'failure', title: 'Not ready', summary: 'headline', text: 'report', ...cappedAnnotations(failingReport()) });
    const [run] = gh.checkRuns();
    expect(run!.output.summary).toBe('headline');
    expect(run!.output.annotations).toHaveLength(4);
  });
});
