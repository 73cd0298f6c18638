import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/config/manifest/parse';
import { manifestSchema } from '../../src/config/manifest/schema';
import { FULL_MANIFEST, lineOf } from '../helpers/fixtures';

/** Replaces exactly one occurrence, so line numbers of the fixture stay put. */
function swap(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1, `"${from}" occurs once`).toBe(1);
  return text.replace(from, to);
}

describe('the SPEC §2 example manifest', () => {
  const m = parseManifest(FULL_MANIFEST, 'lastmile.yml');

  it('parses with no errors', () => {
    expect(m.documentErrors).toEqual([]);
    expect(m.sectionErrors).toEqual({});
    expect(manifestSchema().safeParse(m.manifest).success).toBe(true);
  });

  it('keeps every section and its values', () => {
    expect(m.system).toBe('support-triage');
    expect(m.file).toBe('lastmile.yml');
    expect(m.dir).toBe('');
    expect(Object.keys(m.manifest).sort()).toEqual(
      ['business_owner', 'compliance', 'data', 'description', 'evals', 'identity', 'integrations', 'model', 'monitoring', 'owner', 'rollback', 'rollout', 'signoffs', 'system', 'version', 'waivers'].sort(),
    );
    expect(m.manifest.owner).toEqual({ team: '@acme/support-ml', oncall: 'https://acme.pagerduty.com/schedules/P123', escalation: '#support-ml-oncall' });
    expect(m.manifest.model).toEqual({ name: 'triage-classifier', version: '2026-11-01' });
    expect(m.manifest.signoffs).toEqual([
      { kind: 'security', status: 'approved', ticket: 'SEC-1234', approved_by: 'alice', approved_on: '2026-10-02', expires_on: '2027-04-01' },
      { kind: 'data-governance', status: 'requested', ticket: 'DG-2301', requested_on: '2026-11-02' },
    ]);
    expect(m.manifest.monitoring?.drift).toEqual({ method: 'psi', features: ['ticket_length', 'language'], threshold: 0.2 });
    expect(m.manifest.integrations?.[0]).toMatchObject({ name: 'salesforce', rate_limit: '100/min', timeout_ms: 3000 });
    expect(m.manifest.evals?.map((e) => [e.name, e.source, e.format, e.metrics])).toEqual([
      ['curated', 'curated', 'promptfoo', { accuracy: { min: 0.9 } }],
      ['production-sample', 'production-sample', 'samples', { accuracy: { min: 0.85 } }],
    ]);
    expect(m.manifest.evals?.[1]?.slices).toEqual(['language', 'channel']);
    expect(m.manifest.waivers).toEqual([{ gate: 'eval.slices', reason: 'Portuguese volume < 1% until Q1; manual routing', approved_by: 'erin', expires_on: '2027-01-15' }]);
  });

  it('gives positions of key paths for gate locations', () => {
    expect(m.positionOf(['signoffs', 1])).toEqual({ line: 29, column: 5 });
    expect(m.positionOf(['monitoring', 'alerts'])).toEqual({ line: 35, column: 11 });
  });

  it('derives folder and a stand-in id from the path in a monorepo', () => {
    const nested = parseManifest('version: 1\n', 'services/Billing Bot/lastmile.yml');
    expect(nested.dir).toBe('services/Billing Bot');
    expect(nested.system).toBe('billing-bot');
  });
});

describe('manifest errors name their line and key path', () => {
  it('an unknown top-level key (monitorng:) is a document error at the key', () => {
    const text = swap(FULL_MANIFEST, 'monitoring:', 'monitorng:');
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.documentErrors).toHaveLength(1);
    expect(m.documentErrors[0]).toMatchObject({ file: 'lastmile.yml', line: 33, column: 1, path: 'monitorng', found: 'unknown key "monitorng"' });
    expect(m.documentErrors[0]!.expected).toMatch(/key/);
    expect(m.manifest.monitoring).toBeUndefined();
    expect(m.sectionErrors).toEqual({});
    // everything else still parses
    expect(m.manifest.owner?.team).toBe('@acme/support-ml');
    expect(m.manifest.evals).toHaveLength(2);
  });

  it('an unknown nested key (owner.tem) is an error of the owner section', () => {
    const text = swap(FULL_MANIFEST, '  team: "@acme/support-ml"', '  tem: "@acme/support-ml"');
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.documentErrors).toEqual([]);
    expect(Object.keys(m.sectionErrors)).toEqual(['owner']);
    expect(m.sectionErrors.owner).toHaveLength(1);
    expect(m.sectionErrors.owner![0]).toMatchObject({ line: 5, column: 3, path: 'owner.tem', found: 'unknown key "tem"' });
    expect(m.manifest.owner).toBeUndefined();
    expect(m.manifest.identity?.principal).toBe('svc-support-triage');
  });

  it('a wrong enum value (status: aproved) names the allowed values', () => {
    const m = parseManifest(swap(FULL_MANIFEST, 'status: approved', 'status: aproved'), 'lastmile.yml');
    expect(m.sectionErrors.signoffs).toEqual([
      expect.objectContaining({ line: 24, column: 13, path: 'signoffs[0].status', found: '"aproved"', expected: 'one of "requested" | "approved" | "rejected"' }),
    ]);
    expect(m.manifest.signoffs).toBeUndefined();
  });

  it.each([
    ['2026-13-01', 'month 13'],
    ['2026-02-30', 'February 30'],
    ['2026-2-3', 'no zero padding'],
    ['01/02/2026', 'another format'],
  ])('a bad date (%s: %s) is an error at its line', (date) => {
    const m = parseManifest(swap(FULL_MANIFEST, 'expires_on: 2027-04-01', `expires_on: ${date}`), 'lastmile.yml');
    expect(m.sectionErrors.signoffs).toHaveLength(1);
    expect(m.sectionErrors.signoffs![0]).toMatchObject({ line: 28, path: 'signoffs[0].expires_on', found: JSON.stringify(date) });
    expect(m.sectionErrors.signoffs![0]!.expected).toMatch(/YYYY-MM-DD/);
  });

  it('a leap day is a date in a leap year only', () => {
    expect(parseManifest(swap(FULL_MANIFEST, 'expires_on: 2027-04-01', 'expires_on: 2028-02-29'), 'l.yml').sectionErrors).toEqual({});
    expect(parseManifest(swap(FULL_MANIFEST, 'expires_on: 2027-04-01', 'expires_on: 2027-02-29'), 'l.yml').sectionErrors.signoffs).toHaveLength(1);
  });

  it.each(['Support_Triage', 'support triage', '""', 'Support'])('a bad system id (%s) is a document error on line 2', (id) => {
    const m = parseManifest(swap(FULL_MANIFEST, 'system: support-triage', `system: ${id}`), 'services/triage/lastmile.yml');
    expect(m.documentErrors).toHaveLength(1);
    expect(m.documentErrors[0]).toMatchObject({ line: 2, path: 'system', file: 'services/triage/lastmile.yml' });
    expect(m.documentErrors[0]!.expected).toMatch(/lowercase/);
    expect(m.system).toBe('triage');
  });

  it('a missing system id is a document error', () => {
    const m = parseManifest('version: 1\nowner: { team: "@a/b" }\n', 'lastmile.yml');
    expect(m.documentErrors).toEqual([expect.objectContaining({ path: 'system', found: 'nothing' })]);
    expect(m.system).toBe('root');
    expect(m.manifest.owner).toEqual({ team: '@a/b' });
  });

  it('version: 2 is a document error on line 1', () => {
    const m = parseManifest(swap(FULL_MANIFEST, 'version: 1', 'version: 2'), 'lastmile.yml');
    expect(m.documentErrors).toEqual([expect.objectContaining({ line: 1, column: 10, path: 'version', found: 'number 2' })]);
    expect(m.documentErrors[0]!.expected).toContain('1');
    expect(m.manifest.version).toBeUndefined();
  });

  it('a YAML syntax error is a document error with its line, and no section is read', () => {
    const text = swap(FULL_MANIFEST, '  metrics: [latency_p95, error_rate, escalation_rate]', '  metrics: [latency_p95, error_rate, escalation_rate');
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.documentErrors.length).toBeGreaterThanOrEqual(1);
    expect(m.documentErrors[0]).toMatchObject({ file: 'lastmile.yml', expected: 'valid YAML' });
    expect(m.documentErrors[0]!.line).toBeGreaterThanOrEqual(34);
    expect(m.documentErrors[0]!.line).toBeLessThanOrEqual(36);
    expect(m.manifest).toEqual({});
    expect(m.sectionErrors).toEqual({});
  });

  it('an empty document or a list is a document error', () => {
    expect(parseManifest('', 'lastmile.yml').documentErrors).toEqual([expect.objectContaining({ line: 1, found: 'an empty document' })]);
    expect(parseManifest('- a\n- b\n', 'lastmile.yml').documentErrors).toEqual([expect.objectContaining({ line: 1, found: 'a list' })]);
  });

  it('reports all the errors of a file at once, each in its place', () => {
    let text = FULL_MANIFEST;
    text = swap(text, 'version: 1', 'version: 2');
    text = swap(text, '  team: "@acme/support-ml"', '  tem: "@acme/support-ml"');
    text = swap(text, 'status: approved', 'status: aproved');
    text = swap(text, 'requested_on: 2026-11-02', 'requested_on: 2026-02-30');
    text = swap(text, 'monitoring:', 'monitorng:');
    text = swap(text, 'strategy: feature-flag', 'strategy: big-bang');
    text = swap(text, 'accuracy: { min: 0.85 }', 'accuracy: { min: high }');
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.documentErrors.map((e) => [e.path, e.line])).toEqual([
      ['version', 1],
      ['monitorng', 33],
    ]);
    const sections = Object.fromEntries(Object.entries(m.sectionErrors).map(([k, v]) => [k, v.map((e) => [e.path, e.line])]));
    expect(sections).toEqual({
      owner: [['owner.tem', 5]],
      signoffs: [
        ['signoffs[0].status', 24],
        ['signoffs[1].requested_on', 32],
      ],
      rollback: [['rollback.strategy', 40]],
      evals: [['evals[1].metrics.accuracy.min', 63]],
    });
    expect(m.sectionErrors.evals![0]).toMatchObject({ expected: 'a number', found: '"high"' });
    // sections without errors still parse
    expect(Object.keys(m.manifest).sort()).toEqual(
      ['business_owner', 'compliance', 'data', 'description', 'identity', 'integrations', 'model', 'rollout', 'system', 'waivers'].sort(),
    );
  });

  it('a section of the wrong type is an error of that section', () => {
    const m = parseManifest('version: 1\nsystem: a\nowner: support\nrollout: { plan: x }\n', 'lastmile.yml');
    expect(m.sectionErrors.owner).toEqual([expect.objectContaining({ path: 'owner', line: 3, column: 8, expected: 'a mapping', found: '"support"' })]);
    expect(m.manifest.rollout).toEqual({ plan: 'x' });
  });

  it('checks values inside sections: team, rate limit, timeout, URL, auth', () => {
    const text = [
      'version: 1',
      'system: a',
      'owner: { team: acme/support }',
      'integrations:',
      '  - name: crm',
      '    rate_limit: fast',
      '    timeout_ms: -5',
      '    auth: password',
      'monitoring: { dashboard: not a url }',
      '',
    ].join('\n');
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.sectionErrors.owner?.map((e) => [e.path, e.line])).toEqual([['owner.team', 3]]);
    expect(m.sectionErrors.integrations?.map((e) => [e.path, e.line]).sort()).toEqual([
      ['integrations[0].auth', 8],
      ['integrations[0].rate_limit', 6],
      ['integrations[0].timeout_ms', 7],
    ]);
    expect(m.sectionErrors.monitoring?.map((e) => [e.path, e.line])).toEqual([['monitoring.dashboard', 9]]);
  });

  it('a malformed threshold says what a threshold looks like', () => {
    const entry = (metrics: string) => `version: 1\nsystem: a\nevals:\n  - { name: c, source: curated, path: c.json, format: lastmile, metrics: { accuracy: ${metrics} } }\n`;
    for (const bad of ['0.9', '{ min: 0.9, max: 1 }']) {
      const m = parseManifest(entry(bad), 'lastmile.yml');
      expect(m.sectionErrors.evals).toEqual([expect.objectContaining({ path: 'evals[0].metrics.accuracy', line: 4, expected: 'a threshold { min: <number> } or { max: <number> } (one of the two)' })]);
    }
    const typo = parseManifest(entry('{ minimum: 0.9 }'), 'lastmile.yml');
    expect(typo.sectionErrors.evals?.map((e) => e.found)).toContain('unknown key "minimum"');
  });

  it('two evals of one name are an error at the second name', () => {
    const text = 'version: 1\nsystem: a\nevals:\n  - { name: c, source: curated, path: c.json, format: lastmile }\n  - name: c\n    source: production-sample\n    path: p.jsonl\n    format: samples\n';
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.sectionErrors.evals).toEqual([expect.objectContaining({ path: 'evals[1].name', line: 5, column: 11, found: '"c"' })]);
    expect(m.manifest.evals).toBeUndefined();
  });

  it('names expected types in the words used for what was found', () => {
    const m = parseManifest('version: "1"\nsystem: a\nmonitoring: { metrics: latency }\ndata: { pii: "yes" }\nintegrations: [{ name: a, timeout_ms: 1.5 }]\nsignoffs: [{ kind: s, status: approved, ticket: [1] }]\n', 'lastmile.yml');
    const all = [...m.documentErrors, ...Object.values(m.sectionErrors).flat()].map((e) => [e.path, e.expected, e.found]).sort();
    expect(all).toEqual([
      ['data.pii', 'true or false', '"yes"'],
      ['integrations[0].timeout_ms', 'a whole number', 'number 1.5'],
      ['monitoring.metrics', 'a list', '"latency"'],
      ['signoffs[0].ticket', 'a string', 'a list'],
      ['version', '1', '"1"'],
    ]);
  });

  it('reads numbers users write unquoted as text where text is meant', () => {
    const m = parseManifest('version: 1\nsystem: a\nmodel: { name: m, version: 3 }\nidentity: { provisioning: 4411 }\n', 'lastmile.yml');
    expect(m.sectionErrors).toEqual({});
    expect(m.manifest.model).toEqual({ name: 'm', version: '3' });
    expect(m.manifest.identity).toEqual({ provisioning: '4411' });
  });

  it('finds lines through the helper the same way', () => {
    expect(lineOf(FULL_MANIFEST, 'monitoring:')).toBe(33);
  });
});
