import { describe, expect, it } from 'vitest';
import { policyIntegrity } from '../../../src/core/gates/policy/integrity';
import { parsePolicy } from '../../../src/config/policy/parse';
import { policyInput } from '../../helpers/report';
import { SPEC_POLICY } from '../../helpers/fixtures';

describe('policy.integrity', () => {
  it('passes, naming the policy it judged by', () => {
    expect(policyIntegrity(policyInput(SPEC_POLICY))).toMatchObject({ id: 'policy.integrity', outcome: 'pass', reason: 'judged by the policy from .github/lastmile-policy.yml@base' });
    expect(policyIntegrity(policyInput())).toMatchObject({ outcome: 'pass', reason: 'judged by the built-in default policy' });
  });

  it('passes with a note when the pull request changes the policy file', () => {
    const r = policyIntegrity(policyInput(SPEC_POLICY, { changedInHead: true }));
    expect(r.outcome).toBe('pass');
    expect(r.reason).toContain('this pull request changes the policy file');
    expect(r.reason).toContain('applies only after merge');
    expect(r.details).toEqual([expect.stringContaining('CODEOWNERS')]);
  });

  it('fails when the base policy is invalid, naming file, line, column and key path', () => {
    const r = policyIntegrity(policyInput('version: 1\nevals:\n  min_sample: 300\n'));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^the policy \.github\/lastmile-policy\.yml@base is invalid: \.github\/lastmile-policy\.yml:3:3 evals\.min_sample: expected .*, found unknown key "min_sample"$/);
    expect(r.location).toEqual({ file: '.github/lastmile-policy.yml', line: 3, column: 3 });
  });

  it('fails when the policy could not be read at all', () => {
    const r = policyIntegrity({ source: 'acme/policies/lastmile.yml@main', builtIn: false, changedInHead: false, parse: { ok: false, errors: [] } });
    expect(r).toMatchObject({ outcome: 'fail', reason: 'the policy acme/policies/lastmile.yml@main could not be read' });
  });

  it('is not waivable (catalogue)', async () => {
    const { gateInfo } = await import('../../../src/model/catalogue');
    expect(gateInfo('policy.integrity').waivable).toBe(false);
    expect(parsePolicy(SPEC_POLICY, 'p.yml', 'main').ok).toBe(true);
  });
});
