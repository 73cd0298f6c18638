import { describe, expect, it } from 'vitest';
import { identity } from '../../src/core/gates/identity';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

describe('identity', () => {
  it('passes with principal, auth and provisioning', () => {
    const r = identity(makeContext());
    expect(r).toMatchObject({ id: 'identity', outcome: 'pass', reason: 'principal svc-support-triage (oidc), provisioned by IAM-4411', location: { line: 13 } });
  });

  it('fails "missing" without the section', () => {
    const r = identity(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('identity')) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('missing: the manifest has no `identity:` section');
    expect(r.fix).toContain('identity:');
  });

  it('names the missing keys', () => {
    const ctx = makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => { d.deleteIn(['identity', 'auth']); d.deleteIn(['identity', 'provisioning']); }) });
    const r = identity(ctx);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('missing: identity.auth, identity.provisioning');
    expect(r.location).toMatchObject({ file: 'lastmile.yml', line: ctx.system.manifest.positionOf(['identity']).line });
    expect(r.location!.line).toBeGreaterThan(10);
  });

  it('fails "invalid" on an unknown auth method, naming line and key path', () => {
    const r = identity(makeContext({ manifestYaml: FULL_MANIFEST.replace('auth: oidc', 'auth: password') }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^invalid: `identity` has an error: identity\.auth expected one of .*"oidc".*, found "password"$/);
    expect(r.location).toEqual({ file: 'lastmile.yml', line: 14, column: 9 });
  });

  it('accepts auth: none as a declared method', () => {
    expect(identity(makeContext({ manifestYaml: FULL_MANIFEST.replace('auth: oidc', 'auth: none') })).outcome).toBe('pass');
  });
});
