import { describe, expect, it } from 'vitest';
import { GATES } from '../../src/model/catalogue';
import { evaluateSystem } from '../../src/core/gates/index';
import { isRequired } from '../../src/core/gates/registry';
import { makeContext, policyFrom, unchangedFromBase } from '../helpers/context';
import { FULL_MANIFEST } from '../helpers/fixtures';

describe('evaluateSystem', () => {
  it('runs every system gate in catalogue order', () => {
    const r = evaluateSystem(makeContext());
    expect(r.gates.map((g) => g.id)).toEqual(GATES.filter((g) => !('repository' in g && g.repository)).map((g) => g.id));
    expect(r.system).toBe('support-triage');
    expect(r.manifest).toBe('lastmile.yml');
  });

  it('SPEC §2’s manifest under SPEC §3’s policy fails production on its sign-offs only', () => {
    const r = evaluateSystem(makeContext({ trust: unchangedFromBase(FULL_MANIFEST) }));
    expect(r.status).toBe('fail');
    const bad = r.gates.filter((g) => g.outcome === 'fail' || g.outcome === 'inconclusive').map((g) => g.id);
    expect(bad).toEqual(['signoffs']);
    expect(r.evalTable).toHaveLength(1);
  });

  it('skips gates the stage does not require', () => {
    const r = evaluateSystem(makeContext({ stage: 'pilot' }));
    const ran = r.gates.filter((g) => g.outcome !== 'skipped').map((g) => g.id);
    expect(ran).toEqual(['manifest.valid', 'ownership']);
    expect(r.gates.find((g) => g.id === 'signoffs')).toMatchObject({ outcome: 'skipped', reason: 'not required at the pilot stage' });
    expect(r.status).toBe('pass');
  });

  it('an unknown stage requires nothing but manifest.valid', () => {
    const r = evaluateSystem(makeContext({ stage: 'nowhere' }));
    expect(r.gates.filter((g) => g.outcome !== 'skipped').map((g) => g.id)).toEqual(['manifest.valid']);
  });

  it('a stage may require one gate by id', () => {
    expect(isRequired('eval.thresholds', ['eval.thresholds'])).toBe(true);
    expect(isRequired('eval.slices', ['eval.thresholds'])).toBe(false);
    expect(isRequired('eval.slices', ['evals'])).toBe(true);
    expect(isRequired('manifest.valid', [])).toBe(true);
    const policy = policyFrom('version: 1\nstages:\n  pilot: { require: [ownership, eval.thresholds] }\n');
    const r = evaluateSystem(makeContext({ policy, stage: 'pilot' }));
    expect(r.gates.filter((g) => g.outcome !== 'skipped').map((g) => g.id)).toEqual(['manifest.valid', 'ownership', 'eval.thresholds']);
  });

  it('a missing evals section fails every eval gate as "missing"', () => {
    const yaml = FULL_MANIFEST.replace(/evals:\n[^]*$/, ''); // also drops the eval.slices waiver
    const r = evaluateSystem(makeContext({ manifestYaml: yaml, stage: 'staging' }));
    const evalGates = r.gates.filter((g) => g.id.startsWith('eval.'));
    expect(evalGates).toHaveLength(5);
    for (const g of evalGates) {
      expect(g.outcome).toBe('fail');
      expect(g.reason).toBe('missing: the manifest has no `evals:` section');
    }
  });

  it('collects the eval adapters’ warnings as notes', () => {
    const ctx = makeContext({ stage: 'staging' });
    const loaded = ctx.system.evals.curated!;
    if (loaded.ok) loaded.result.warnings.push('mixed providers');
    expect(evaluateSystem(ctx).notes).toContain('curated: mixed providers');
  });
});
