// End to end through dist/index.js (SPEC §7): check-run annotations are capped at 50 per system
// and 200 per run, and the check run's summary counts the rest, against the fake API.
import { describe, expect, it } from 'vitest';
import { runAction, workspace } from './harness';
import { NO_SIGNOFFS, POLICY_PATH, READY, expectVerdict, prEvent, pullRequestSession, warnings } from './setup';

const session = pullRequestSession(READY);

describe('check-run annotations', () => {
  it('20 skeleton systems: 200 annotations in 4 batches, the summary counts the rest', async () => {
    // Each skeleton system (only `version` and `system`) fails 13 gates on line 1: 260 in all.
    const files: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS };
    for (let i = 1; i <= 20; i++) files[`services/s${i}/lastmile.yml`] = `version: 1\nsystem: s${i}\n`;
    await session.start({ baseFiles: { [POLICY_PATH]: NO_SIGNOFFS } });
    const gh = session.gh;
    const r = await runAction({ apiUrl: gh.url, workspace: workspace(files), ...prEvent(), inputs: { manifests: 'services/*/lastmile.yml' } });
    expectVerdict(r, 'fail');
    expect(warnings(r)).toEqual([]);
    const failed = Number(r.outputs.failed);
    expect(failed).toBeGreaterThan(200);
    const [check] = gh.checkRuns();
    expect(check!.conclusion).toBe('failure');
    expect(check!.annotationBatches).toEqual([50, 50, 50, 50]);
    expect(gh.countRequests('PATCH', /check-runs/)).toBe(3);
    // The annotations GitHub holds, read back through the API as a reader would.
    const held: unknown[] = [];
    for (let page = 1; ; page++) {
      const res = await fetch(`${gh.url}/repos/${gh.repository}/check-runs/${String(check!.id)}/annotations?per_page=100&page=${String(page)}`, { headers: { authorization: 'token test' } });
      expect(res.status).toBe(200);
      const batch = (await res.json()) as { path: string }[];
      held.push(...batch);
      if (batch.length < 100) break;
    }
    expect(held).toHaveLength(200);
    const perSystem = new Map<string, number>();
    for (const a of check!.output.annotations) perSystem.set(a.path, (perSystem.get(a.path) ?? 0) + 1);
    expect([...perSystem.values()].every((n) => n <= 50)).toBe(true);
    expect(check!.output.summary).toContain(`200 annotations shown, ${String(failed - 200)} more not shown: a check run carries at most 50 per system and 200 per run. The job summary lists every gate.`);
    // The job summary still has every system.
    expect(r.summary).toContain('s20');
  });
});
