import { describe, expect, it } from 'vitest';
import { data } from '../../src/core/gates/data';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

describe('data', () => {
  it('passes with classification, production access and pii', () => {
    expect(data(makeContext())).toMatchObject({ id: 'data', outcome: 'pass', reason: 'confidential data, with PII, production access DG-2208', location: { line: 17 } });
  });

  it('pii: false is declared, not missing', () => {
    const r = data(makeContext({ manifestYaml: FULL_MANIFEST.replace('pii: true', 'pii: false') }));
    expect(r.outcome).toBe('pass');
    expect(r.reason).toContain('without PII');
  });

  it('names the missing keys and what production_access is', () => {
    const r = data(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => { d.deleteIn(['data', 'production_access']); d.deleteIn(['data', 'pii']); }) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('missing: data.production_access, data.pii');
    expect(r.fix).toContain('data-governance grant');
  });

  it('fails "missing" without the section', () => {
    const r = data(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('data')) }));
    expect(r).toMatchObject({ outcome: 'fail', reason: 'missing: the manifest has no `data:` section' });
  });

  it('fails "invalid" on a wrong classification or a non-boolean pii', () => {
    const r = data(makeContext({ manifestYaml: FULL_MANIFEST.replace('classification: confidential', 'classification: secret').replace('pii: true', 'pii: "yes"') }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toMatch(/^invalid: `data` has 2 errors: data\.classification expected one of/);
    expect(r.details).toEqual([expect.stringMatching(/^lastmile\.yml:17:19 data\.classification/), expect.stringMatching(/^lastmile\.yml:19:8 data\.pii: expected true or false, found "yes"/)]);
  });
});
