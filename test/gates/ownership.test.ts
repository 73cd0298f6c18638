import { describe, expect, it } from 'vitest';
import { parseCodeowners } from '../../src/evidence/codeowners';
import { ownership } from '../../src/core/gates/ownership';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

describe('ownership', () => {
  it('passes with team, on-call and escalation and no CODEOWNERS file', () => {
    const r = ownership(makeContext());
    expect(r).toMatchObject({ id: 'ownership', outcome: 'pass', location: { file: 'lastmile.yml', line: 5 } });
    expect(r.reason).toContain('@acme/support-ml');
    expect(r.fix).toBeUndefined();
  });

  it('fails "missing" without an owner section', () => {
    const r = ownership(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('owner')) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^missing: .*`owner:`/);
    expect(r.location).toEqual({ file: 'lastmile.yml', line: 1 });
  });

  it('fails "invalid" with the line and key path of a schema error in the section', () => {
    const r = ownership(makeContext({ manifestYaml: FULL_MANIFEST.replace('  team: "@acme', '  tem: "@acme') }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^invalid: /);
    expect(r.reason).toContain('owner.tem');
    expect(r.location).toEqual({ file: 'lastmile.yml', line: 5, column: 3 });
    expect(r.details).toEqual([expect.stringContaining('lastmile.yml:5:3 owner.tem')]);
  });

  it('names each missing key', () => {
    const r = ownership(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => { d.deleteIn(['owner', 'oncall']); d.deleteIn(['owner', 'escalation']); }) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('missing: owner.oncall, owner.escalation');
    expect(r.fix).toContain('`owner.oncall`');
    expect(r.location?.line).toBe(5);
  });

  describe('with CODEOWNERS', () => {
    it('passes when the team owns the manifest', () => {
      const r = ownership(makeContext({ codeowners: '* @acme/everyone\n/lastmile.yml @acme/support-ml\n' }));
      expect(r.outcome).toBe('pass');
      expect(r.reason).toContain('.github/CODEOWNERS');
    });

    it('compares owners case-insensitively', () => {
      expect(ownership(makeContext({ codeowners: '* @ACME/Support-ML\n' })).outcome).toBe('pass');
    });

    it('the last matching rule wins: a later rule for another team fails, naming it and its line', () => {
      const r = ownership(makeContext({ codeowners: '* @acme/support-ml\n# platform owns the manifests\n*.yml @acme/platform\n' }));
      expect(r.outcome).toBe('fail');
      expect(r.reason).toBe('.github/CODEOWNERS assigns lastmile.yml to @acme/platform (.github/CODEOWNERS:3), not to @acme/support-ml');
      expect(r.location).toEqual({ file: 'lastmile.yml', line: 5, column: 9 });
      expect(r.fix).toBe('Add `/lastmile.yml @acme/support-ml` at the end of .github/CODEOWNERS (the last matching rule wins).');
    });

    it('the suggested rule is valid CODEOWNERS and makes the gate pass', () => {
      const text = '* @acme/platform\n';
      const failing = ownership(makeContext({ codeowners: text }));
      const rule = /`([^`]+)`/.exec(failing.fix ?? '')![1]!;
      expect(parseCodeowners(`${text}${rule}\n`, 'CODEOWNERS').errors).toEqual([]);
      expect(ownership(makeContext({ codeowners: `${text}${rule}\n` })).outcome).toBe('pass');
    });

    it('fails when no rule matches the manifest', () => {
      const r = ownership(makeContext({ codeowners: '/docs/ @acme/docs\n' }));
      expect(r.outcome).toBe('fail');
      expect(r.reason).toBe('.github/CODEOWNERS assigns lastmile.yml to no one, not to @acme/support-ml');
    });

    it('fails on an owner-less rule, naming its line', () => {
      const r = ownership(makeContext({ codeowners: '* @acme/support-ml\n/lastmile.yml\n' }));
      expect(r.outcome).toBe('fail');
      expect(r.reason).toContain('to no one (.github/CODEOWNERS:2)');
    });

    it('checks the manifest path in a monorepo and suggests its folder', () => {
      const ctx = (co: string) => makeContext({ manifestFile: 'services/triage/lastmile.yml', codeowners: co });
      expect(ownership(ctx('/services/triage/ @acme/support-ml\n')).outcome).toBe('pass');
      const r = ownership(ctx('/services/billing/ @acme/support-ml\n'));
      expect(r.outcome).toBe('fail');
      expect(r.location?.file).toBe('services/triage/lastmile.yml');
      expect(r.fix).toContain('`/services/triage/ @acme/support-ml`');
      const fixed = ownership(ctx(`/services/billing/ @acme/support-ml\n${/`([^`]+)`/.exec(r.fix!)![1]}\n`));
      expect(fixed.outcome).toBe('pass');
    });

    it('a user can be the owning "team"', () => {
      const yaml = FULL_MANIFEST.replace('team: "@acme/support-ml"', 'team: "@dana"');
      expect(ownership(makeContext({ manifestYaml: yaml, codeowners: '* @dana\n' })).outcome).toBe('pass');
      expect(ownership(makeContext({ manifestYaml: yaml, codeowners: '* @acme/support-ml\n' })).outcome).toBe('fail');
    });
  });
});
