// A sign-off covers what it approved (SPEC §6 table): each kind, the facts it vouches for.
import { describe, expect, it } from 'vitest';
import { changedFacts, vouchedFacts } from '../../src/evidence/trust/binding';
import { parseManifest } from '../../src/config/manifest/parse';
import type { Manifest } from '../../src/config/manifest/schema';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';
import { makeContext, policyFrom, unchangedFromBase } from '../helpers/context';
import { signoffs } from '../../src/core/gates/signoffs';

type Edit = Parameters<typeof editYaml>[1];
const m = (edit?: Edit): Partial<Manifest> => parseManifest(edit ? editYaml(FULL_MANIFEST, edit) : FULL_MANIFEST, 'lastmile.yml').manifest;

describe('changedFacts', () => {
  const cases: [string, Edit, Record<string, string[]>][] = [
    ['identity.auth', (d) => d.setIn(['identity', 'auth'], 'api-key'), { security: ['identity.auth'], identity: ['identity.auth'], 'data-governance': [], compliance: [], 'business-owner': [] }],
    ['data.classification', (d) => d.setIn(['data', 'classification'], 'restricted'), { security: ['data.classification'], 'data-governance': ['data.classification'], compliance: [], identity: [] }],
    ['data.pii', (d) => d.setIn(['data', 'pii'], false), { security: ['data.pii'], 'data-governance': ['data.pii'], compliance: ['data.pii'], identity: [] }],
    ['compliance.risk_tier', (d) => d.setIn(['compliance', 'risk_tier'], 'high'), { compliance: ['compliance.risk_tier'], security: [] }],
    ['integrations', (d) => d.setIn(['integrations', 0, 'timeout_ms'], 9000), { security: ['integrations'], identity: [] }],
    ['model.name', (d) => d.setIn(['model', 'name'], 'other'), { 'business-owner': ['model.name'], security: [] }],
    ['model.version', (d) => d.setIn(['model', 'version'], '2027-01-01'), { 'business-owner': [], security: [], 'model-risk': ['model.version'] }],
    ['business_owner', (d) => d.set('business_owner', 'eve@acme.com'), { 'business-owner': ['business_owner'] }],
    ['system', (d) => d.set('system', 'renamed'), { 'business-owner': ['system'], security: [] }],
    ['evals only', (d) => d.setIn(['evals', 0, 'metrics', 'accuracy', 'min'], 0.99), { security: [], 'business-owner': [], 'model-risk': [] }],
  ];
  for (const [what, edit, expected] of cases) {
    it(`a change of ${what}`, () => {
      for (const [kind, facts] of Object.entries(expected)) expect(changedFacts(kind, m(edit), m()), kind).toEqual(facts);
    });
  }

  it('a kind the policy defines beyond the table vouches for every fact but evals, signoffs and waivers', () => {
    expect(vouchedFacts('model-risk', m(), m())).not.toContain('evals');
    expect(vouchedFacts('model-risk', m(), m())).toContain('monitoring');
  });
});

describe('the signoffs gate binds a base record to its facts', () => {
  const policy = 'version: 1\nsignoffs: { security: { approvers: [alice] } }\n';
  it('an unchanged security record stops being verified by the base when identity.auth changes, naming the fact and who reviews', () => {
    const head = editYaml(FULL_MANIFEST, (d) => d.setIn(['identity', 'auth'], 'api-key'));
    const trust = unchangedFromBase(FULL_MANIFEST);
    const r = signoffs(makeContext({ manifestYaml: head, baseManifestYaml: FULL_MANIFEST, policy: policyFrom(policy), trust, headSha: 'e1cab63'.padEnd(40, '0') }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('this pull request changes `identity.auth`, which it vouches for, without an approving review on e1cab63 from @alice');
    // The same record with the base's facts stays verified by the base.
    expect(signoffs(makeContext({ manifestYaml: FULL_MANIFEST, baseManifestYaml: FULL_MANIFEST, policy: policyFrom(policy), trust })).outcome).toBe('pass');
  });

  it('an approving review from the kind approver on the head verifies it again', () => {
    const head = editYaml(FULL_MANIFEST, (d) => d.setIn(['identity', 'auth'], 'api-key'));
    const trust = { ...unchangedFromBase(FULL_MANIFEST), approvingReviewers: ['alice'] };
    expect(signoffs(makeContext({ manifestYaml: head, baseManifestYaml: FULL_MANIFEST, policy: policyFrom(policy), trust })).outcome).toBe('pass');
  });
});
