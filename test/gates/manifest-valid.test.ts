import { describe, expect, it } from 'vitest';
import { manifestValid } from '../../src/core/gates/manifest/valid';
import { makeContext } from '../helpers/context';
import { FULL_MANIFEST } from '../helpers/fixtures';

describe('manifest.valid', () => {
  it('passes on a valid manifest', () => {
    expect(manifestValid(makeContext())).toMatchObject({ id: 'manifest.valid', outcome: 'pass', location: { file: 'lastmile.yml', line: 1 } });
  });

  it('fails on document errors, naming file:line:column, path, expected and found', () => {
    const yaml = FULL_MANIFEST.replace('version: 1', 'version: 2').replace('monitoring:', 'monitorng:');
    const r = manifestValid(makeContext({ manifestYaml: yaml, manifestFile: 'svc/lastmile.yml' }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('svc/lastmile.yml:1:10 version: expected 1, found number 2');
    expect(r.location).toEqual({ file: 'svc/lastmile.yml', line: 1, column: 10 });
    expect(r.details).toHaveLength(2);
    expect(r.details![1]).toMatch(/^svc\/lastmile\.yml:33:1 monitorng: expected .*key.*, found unknown key "monitorng"$/);
  });

  it('fails on a YAML syntax error', () => {
    const r = manifestValid(makeContext({ manifestYaml: 'version: 1\nsystem: a\nowner: {team: x\n' }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^lastmile\.yml:\d+:\d+: expected valid YAML, found /);
  });

  it('ignores section errors, which the section gates report', () => {
    expect(manifestValid(makeContext({ manifestYaml: FULL_MANIFEST.replace('status: approved', 'status: aproved') })).outcome).toBe('pass');
  });
});
