import { describe, expect, it } from 'vitest';
import { evaluateSystem } from '../../src/core/gates/index';
import { applyWaivers, judgeWaivers } from '../../src/core/waivers';
import { makeContext, policyFrom, trustEvidence, unchangedFromBase } from '../helpers/context';
import type { ContextOptions } from '../helpers/context';
import { goodEvals, okLoad, prop, slice } from '../helpers/evals';
import { FULL_MANIFEST } from '../helpers/fixtures';

/** SPEC §2's manifest with its one waiver replaced. */
function withWaiver(w: string): string {
  return FULL_MANIFEST.replace(/waivers:\n[^]*$/, `waivers:\n${w}`);
}
const WAIVER = '  - gate: eval.slices\n    reason: Portuguese volume < 1% until Q1; manual routing\n    approved_by: erin\n    expires_on: 2027-01-15\n';

/** Production results with a slice far below the whole, so eval.slices fails. */
function failingSlices() {
  return {
    ...goodEvals(),
    'production-sample': okLoad({
      metrics: { accuracy: prop(920, 1000) },
      slices: [slice('language', 'en', 900, { accuracy: prop(850, 900) }), slice('language', 'pt', 100, { accuracy: prop(70, 100) }), slice('channel', 'chat', 1000, { accuracy: prop(920, 1000) })],
    }),
  };
}

function judge(w: string, o: ContextOptions = {}) {
  const manifestYaml = withWaiver(w);
  return judgeWaivers(makeContext({ manifestYaml, trust: unchangedFromBase(manifestYaml), ...o }));
}

describe('judgeWaivers: what never waives', () => {
  it('a waiver by someone who is not a waiver approver', () => {
    const policy = policyFrom('version: 1\nwaivers: { approvers: [erin] }\n');
    const [j] = judge(WAIVER.replace('approved_by: erin', 'approved_by: mallory'), { policy });
    expect(j).toMatchObject({ valid: false, why: 'approved_by mallory is not a waiver approver (erin)' });
  });

  it('a waiver added by the pull request and approved only by a non-approver', () => {
    const manifestYaml = withWaiver(WAIVER);
    const trust = trustEvidence({ baseManifests: { 'lastmile.yml': null }, approvingReviewers: ['mallory'] });
    const [j] = judgeWaivers(makeContext({ manifestYaml, trust }));
    expect(j!.valid).toBe(false);
    expect(j!.why).toContain('unverified: added by this pull request');
    expect(j!.why).toContain('from @erin or a member of @acme/release-managers');
  });

  it('an expired waiver', () => {
    const [j] = judge(WAIVER.replace('expires_on: 2027-01-15', 'expires_on: 2026-11-19'));
    expect(j).toMatchObject({ valid: false, why: 'expired on 2026-11-19' });
  });

  it('a waiver longer than max_days, from approved_on or from today', () => {
    const [a] = judge(WAIVER.replace('expires_on: 2027-01-15', 'approved_on: 2026-11-01\n    expires_on: 2027-03-01'));
    expect(a).toMatchObject({ valid: false, why: "lasts 120 days from 2026-11-01, over the policy's max_days of 90" });
    const [b] = judge(WAIVER.replace('expires_on: 2027-01-15', 'expires_on: 2027-03-01'));
    expect(b).toMatchObject({ valid: false, why: "lasts 101 days from today, over the policy's max_days of 90" });
  });

  it('a waiver of an unknown gate', () => {
    const [j] = judge(WAIVER.replace('gate: eval.slices', 'gate: eval.slice'));
    expect(j).toMatchObject({ valid: false, why: 'unknown gate "eval.slice"' });
  });

  it.each(['policy.integrity', 'manifest.valid'])('%s, which is not waivable', (gate) => {
    const [j] = judge(WAIVER.replace('gate: eval.slices', `gate: ${gate}`));
    expect(j).toMatchObject({ valid: false, why: `${gate} cannot be waived` });
  });
});

describe('applying waivers', () => {
  it('a valid, verified waiver turns fail into waived and keeps what it replaced', () => {
    const manifestYaml = withWaiver(WAIVER);
    const r = evaluateSystem(makeContext({ manifestYaml, evals: failingSlices(), trust: unchangedFromBase(manifestYaml) }));
    const g = r.gates.find((x) => x.id === 'eval.slices')!;
    expect(g.outcome).toBe('waived');
    expect(g.reason).toMatch(/^waived until 2027-01-15: Portuguese volume < 1% until Q1; manual routing \(was: 1 slice more than 0\.1 below the whole; worst: production-sample language=pt/);
    expect(g.waiver).toEqual({ reason: 'Portuguese volume < 1% until Q1; manual routing', approved_by: 'erin', expires_on: '2027-01-15', verified_by: 'unchanged from the base branch' });
  });

  it('the same waiver, unverified, leaves the gate failing and says why', () => {
    const manifestYaml = withWaiver(WAIVER);
    const r = evaluateSystem(makeContext({ manifestYaml, evals: failingSlices(), trust: trustEvidence({ baseManifests: { 'lastmile.yml': { signoffs: [], waivers: [] } } }) }));
    const g = r.gates.find((x) => x.id === 'eval.slices')!;
    expect(g.outcome).toBe('fail');
    expect(g.details?.at(-1)).toMatch(/^waiver not applied: unverified: added or changed by this pull request/);
  });

  it('a verified review by a waiver approver verifies a new waiver', () => {
    const manifestYaml = withWaiver(WAIVER);
    const trust = trustEvidence({ baseManifests: { 'lastmile.yml': null }, approvingReviewers: ['erin'] });
    const r = evaluateSystem(makeContext({ manifestYaml, evals: failingSlices(), trust }));
    expect(r.gates.find((x) => x.id === 'eval.slices')).toMatchObject({ outcome: 'waived', waiver: { verified_by: 'approved by @erin' } });
  });

  it('a waiver also covers an inconclusive gate, but never changes a passing one', () => {
    const judgements = [{ waiver: { gate: 'eval.thresholds', reason: 'r', approved_by: 'erin', expires_on: '2027-01-01' }, index: 0, valid: true, why: 'unchanged from the base branch' }];
    const [inc] = applyWaivers([{ id: 'eval.thresholds', outcome: 'inconclusive', reason: 'bound below' }], judgements);
    expect(inc!.outcome).toBe('waived');
    const [pass] = applyWaivers([{ id: 'eval.thresholds', outcome: 'pass', reason: 'fine' }], judgements);
    expect(pass).toEqual({ id: 'eval.thresholds', outcome: 'pass', reason: 'fine' });
  });

  it('a waiver of a gate that does not run is reported as a note of the system', () => {
    const manifestYaml = withWaiver(WAIVER.replace('gate: eval.slices', 'gate: eval.slice'));
    const r = evaluateSystem(makeContext({ manifestYaml, trust: unchangedFromBase(manifestYaml) }));
    expect(r.notes).toContain('waiver for "eval.slice" not applied: unknown gate "eval.slice"');
  });

  it('a waiver of a repository gate is not silently dropped', () => {
    const manifestYaml = withWaiver(WAIVER.replace('gate: eval.slices', 'gate: inventory.unregistered'));
    const r = evaluateSystem(makeContext({ manifestYaml, trust: unchangedFromBase(manifestYaml) }));
    expect(r.notes).toContain('waiver for "inventory.unregistered" not applied: it concerns the whole repository, not this system (use `inventory.ignore` in the policy)');
  });
});
