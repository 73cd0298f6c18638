import { describe, expect, it } from 'vitest';
import { integrations } from '../../src/core/gates/integrations';
import { makeContext } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

const withIntegrations = (list: string) => makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('integrations')) + `integrations:\n${list}` });

describe('integrations', () => {
  it('passes when each has auth, rate limit, timeout and fallback', () => {
    expect(integrations(makeContext())).toMatchObject({ outcome: 'pass', reason: '1 integration with auth, rate limit, timeout and fallback' });
  });

  it('passes with an explicitly empty list', () => {
    expect(integrations(makeContext({ manifestYaml: FULL_MANIFEST.replace(/integrations:[^]*?(?=evals:)/, 'integrations: []\n') })).reason).toBe('declares no integrations');
  });

  it('fails "missing" without the section, with the hint to write integrations: []', () => {
    const r = integrations(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('integrations')) }));
    expect(r.outcome).toBe('fail');
    expect(r.fix).toContain('integrations: []');
  });

  it('names each incomplete integration and what it lacks, at the first one', () => {
    const r = withIntegrations(
      ['  - { name: salesforce, auth: oauth2-client-credentials, rate_limit: 100/min, timeout_ms: 3000, fallback: queue }', '  - { name: zendesk, auth: api-key }', '  - { name: jira, timeout_ms: 500, fallback: skip }', ''].join('\n'),
    );
    const integ = integrations(r);
    expect(integ.outcome).toBe('fail');
    expect(integ.reason).toBe('2 of 3 integrations incomplete: zendesk: missing rate_limit, timeout_ms, fallback, …');
    expect(integ.details).toEqual(['zendesk: missing rate_limit, timeout_ms, fallback', 'jira: missing auth, rate_limit']);
    const zendeskLine = r.system.manifest.positionOf(['integrations', 1]).line;
    expect(integ.location?.line).toBe(zendeskLine);
    expect(integ.location?.line).toBeGreaterThan(r.system.manifest.positionOf(['integrations', 0]).line);
  });

  it('fails "invalid" on a malformed rate limit, naming its line', () => {
    const r = integrations(makeContext({ manifestYaml: FULL_MANIFEST.replace('rate_limit: 100/min', 'rate_limit: lots') }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toContain('integrations[0].rate_limit expected a rate such as "100/min", found "lots"');
    expect(r.location?.line).toBe(48);
  });
});
