import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { GATES } from '../../src/model/catalogue';
import { FINGERPRINT_KEY, gateFingerprint, reasonKey, renderSarif } from '../../src/render/sarif';
import type { SarifLog, SarifResult } from '../../src/render/sarif';
import { HEAD, brokenPolicyReport, failingReport, passingReport } from './reports';

const OPTS = { toolVersion: '1.4.0', helpBase: 'https://github.com/last-mile/last-mile/blob/v1/README.md' };

let validate: ValidateFunction;

beforeAll(() => {
  // The vendored file is the OASIS errata schema, which declares draft-04 (`id`, no `$id`).
  // Ajv 8 speaks draft-07 by default and the schema uses no keyword whose meaning differs, so
  // it is compiled as draft-07 with `id` renamed; see test/fixtures/sarif/SOURCES.md.
  const raw = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft04, id, ...rest } = raw;
  expect(_draft04).toBe('http://json-schema.org/draft-04/schema#');
  expect(typeof id).toBe('string');
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  validate = ajv.compile({ ...rest, $id: String(id) });
});

function expectValid(log: SarifLog): void {
  // Round-trip through JSON: what is checked is what the action writes to disk.
  const ok = validate(JSON.parse(JSON.stringify(log)));
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

function results(log: SarifLog): SarifResult[] {
  return log.runs[0]!.results;
}

function resultFor(log: SarifLog, ruleId: string, system?: string): SarifResult {
  const r = results(log).find((x) => x.ruleId === ruleId && x.properties.system === system);
  if (!r) throw new Error(`no result for ${ruleId} ${system ?? '(repository)'}`);
  return r;
}

describe('renderSarif: schema', () => {
  it('the vendored schema rejects what it should (the validator is live)', () => {
    expect(validate({ version: '2.1.0' })).toBe(false);
    const log = renderSarif(failingReport(), OPTS) as unknown as { runs: { results: { locations: { physicalLocation: { region: Record<string, unknown> } }[] }[] }[] };
    const bad = JSON.parse(JSON.stringify(log)) as typeof log;
    bad.runs[0]!.results[0]!.locations[0]!.physicalLocation.region = { startLine: 0 };
    expect(validate(bad)).toBe(false);
  });

  it('a failing report (several systems, repository gates, inconclusive gates) gives a valid SARIF 2.1.0 log', () => {
    const log = renderSarif(failingReport(), OPTS);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expectValid(log);
  });

  it('a passing report gives a valid log with zero results and every rule', () => {
    const log = renderSarif(passingReport(), OPTS);
    expectValid(log);
    expect(results(log)).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(GATES.map((g) => g.id));
  });

  it('a report with fatal errors and no systems stays valid and says the run did not succeed', () => {
    const log = renderSarif(brokenPolicyReport(), OPTS);
    expectValid(log);
    const inv = log.runs[0]!.invocations[0]!;
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications?.[0]?.message.text).toContain('could not be read');
  });

  it('a warn branch is valid too', () => {
    expectValid(renderSarif(failingReport({ enforce: 'warn' }), OPTS));
  });
});

describe('renderSarif: tool and rules', () => {
  const log = renderSarif(failingReport(), OPTS);
  const driver = log.runs[0]!.tool.driver;

  it('names the tool and its version', () => {
    expect(driver.name).toBe('Last Mile');
    expect(driver.version).toBe('1.4.0');
    expect(driver.semanticVersion).toBe('1.4.0');
    expect(driver.informationUri).toBe('https://github.com/last-mile/last-mile');
    expect(renderSarif(passingReport(), { toolVersion: 'dev-3f1c2a9' }).runs[0]!.tool.driver.semanticVersion).toBeUndefined();
  });

  it('has one rule per gate of the catalogue: title, checks, fix and a help URI into the gate catalogue', () => {
    expect(driver.rules).toHaveLength(GATES.length);
    for (const g of GATES) {
      const r = driver.rules.find((x) => x.id === g.id);
      expect(r, g.id).toBeDefined();
      expect(r!.shortDescription.text).toBe(g.title);
      expect(r!.fullDescription.text).toBe(g.checks);
      expect(r!.help.text).toContain(g.fix);
      expect(r!.help.markdown).toContain(g.fix);
      expect(r!.helpUri).toBe('https://github.com/last-mile/last-mile/blob/v1/README.md#gate-catalogue');
      expect(r!.properties.tags).toContain('last-mile');
      expect(r!.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
    expect(renderSarif(passingReport(), { toolVersion: '1.0.0' }).runs[0]!.tool.driver.rules[0]!.helpUri).toBe(
      'https://github.com/last-mile/last-mile#gate-catalogue',
    );
  });

  it('categorises the analysis by stage', () => {
    expect(log.runs[0]!.automationDetails.id).toBe('last-mile/production/');
  });

  it('records the repository and the evaluated commit', () => {
    expect(log.runs[0]!.versionControlProvenance).toEqual([{ repositoryUri: 'https://github.com/acme/assistants', revisionId: HEAD, branch: 'main' }]);
  });
});

describe('renderSarif: results', () => {
  it('has one result per failing or inconclusive gate, and none for passing, waived or skipped ones', () => {
    const report = failingReport();
    const log = renderSarif(report, OPTS);
    expect(results(log)).toHaveLength(report.failed);
    expect(results(log).map((r) => `${r.properties.system ?? ''}/${r.ruleId}`).sort()).toEqual(
      ['/inventory.unregistered', 'refund-bot/data', 'refund-bot/identity', 'support-triage/monitoring', 'support-triage/ownership', 'support-triage/signoffs'].sort(),
    );
    expect(results(log).some((r) => r.ruleId === 'eval.freshness')).toBe(false);
  });

  it('points ruleIndex at the rule with the same id', () => {
    const log = renderSarif(failingReport(), OPTS);
    for (const r of results(log)) expect(log.runs[0]!.tool.driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it('levels: error for a failing gate on a block branch, warning for an inconclusive one and on warn branches', () => {
    const log = renderSarif(failingReport(), OPTS);
    expect(resultFor(log, 'ownership', 'support-triage').level).toBe('error');
    expect(resultFor(log, 'inventory.unregistered').level).toBe('error');
    expect(resultFor(log, 'monitoring', 'support-triage').level).toBe('warning');
    expect(resultFor(log, 'data', 'refund-bot').level).toBe('warning');
    const warn = renderSarif(failingReport({ enforce: 'warn' }), OPTS);
    expect(results(warn).map((r) => r.level)).toEqual(results(warn).map(() => 'warning'));
  });

  it('the message is the reason and the fix (and the details)', () => {
    const log = renderSarif(failingReport(), OPTS);
    const own = resultFor(log, 'ownership', 'support-triage').message.text;
    expect(own.split('\n')[0]).toBe('support-triage: missing `owner.oncall` and `owner.escalation`');
    expect(own).toContain('Fix: Name the owning team');
    expect(own).toContain('- owner.escalation');
    expect(resultFor(log, 'monitoring', 'support-triage').message.text).toMatch(/^support-triage: inconclusive: ops\/alerts\/triage\.txt/);
    expect(resultFor(log, 'inventory.unregistered').message.text).toContain('tools/ranker/requirements.txt:3');
  });

  it('locates each result at the gate\'s file and line (repo-relative, under %SRCROOT%)', () => {
    const log = renderSarif(failingReport(), OPTS);
    expect(resultFor(log, 'signoffs', 'support-triage').locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'services/support-triage/lastmile.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 31, startColumn: 5 },
    });
    expect(resultFor(log, 'inventory.unregistered').locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'services/search/package.json', uriBaseId: '%SRCROOT%' },
      region: { startLine: 14 },
    });
  });

  it('a system gate without a location points at line 1 of its manifest (path percent-encoded)', () => {
    const log = renderSarif(failingReport(), OPTS);
    expect(resultFor(log, 'identity', 'refund-bot').locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'apps/refund%20bot/lastmile.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
  });

  it('a repository gate without a location points at line 1 of the policy file', () => {
    const log = renderSarif(brokenPolicyReport(), OPTS);
    for (const id of ['policy.integrity', 'inventory.unregistered']) {
      expect(resultFor(log, id).locations[0]!.physicalLocation).toEqual({
        artifactLocation: { uri: '.github/lastmile-policy.yml', uriBaseId: '%SRCROOT%' },
        region: { startLine: 1 },
      });
    }
    const custom = renderSarif(brokenPolicyReport(), { ...OPTS, policyFile: 'config/lastmile-policy.yml' });
    expect(resultFor(custom, 'policy.integrity').locations[0]!.physicalLocation.artifactLocation.uri).toBe('config/lastmile-policy.yml');
  });

  it('is deterministic: the same report renders to the same JSON', () => {
    expect(JSON.stringify(renderSarif(failingReport(), OPTS))).toBe(JSON.stringify(renderSarif(failingReport(), OPTS)));
  });
});

describe('renderSarif: fingerprints', () => {
  it('the same failure on the next run keeps its fingerprint when only the age in days changed', () => {
    const day23 = renderSarif(failingReport({ signoffReason: 'security sign-off SEC-1203 is pending: waiting 23 days for approval' }), OPTS);
    const day24 = renderSarif(failingReport({ signoffReason: 'security sign-off SEC-1203 is pending: waiting 24 days for approval' }), OPTS);
    const a = resultFor(day23, 'signoffs', 'support-triage');
    const b = resultFor(day24, 'signoffs', 'support-triage');
    expect(a.message.text).not.toBe(b.message.text);
    expect(a.partialFingerprints).toEqual(b.partialFingerprints);
    // …and every other result of the run is unchanged too.
    expect(results(day24).map((r) => r.partialFingerprints)).toEqual(results(day23).map((r) => r.partialFingerprints));
  });

  it('one day ("1 day") and many ("2 days") are the same failure', () => {
    expect(gateFingerprint('s', 'signoffs', 'waiting 1 day for approval')).toBe(gateFingerprint('s', 'signoffs', 'waiting 2 days for approval'));
  });

  it('a different failure, gate or system gets another fingerprint', () => {
    const base = gateFingerprint('support-triage', 'signoffs', 'security sign-off is pending');
    expect(gateFingerprint('support-triage', 'signoffs', 'legal sign-off is pending')).not.toBe(base);
    expect(gateFingerprint('refund-bot', 'signoffs', 'security sign-off is pending')).not.toBe(base);
    expect(gateFingerprint('support-triage', 'ownership', 'security sign-off is pending')).not.toBe(base);
  });

  it('fingerprints are unique within a run, and primaryLocationLineHash (what GitHub matches on) carries the same hash', () => {
    const log = renderSarif(failingReport(), OPTS);
    const prints = results(log).map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(prints).size).toBe(prints.length);
    for (const r of results(log)) {
      const fp = r.partialFingerprints[FINGERPRINT_KEY]!;
      expect(fp).toMatch(/^[0-9a-f]{64}$/);
      expect(r.partialFingerprints.primaryLocationLineHash).toBe(`${fp.slice(0, 16)}:1`);
    }
  });

  it('the location does not enter the fingerprint: moving the key in the manifest keeps the alert', () => {
    const moved = failingReport();
    const triage = moved.systems[0]!;
    const own = triage.gates.find((g) => g.id === 'ownership')!;
    own.location = { file: own.location!.file, line: 9, column: 3 };
    expect(resultFor(renderSarif(moved, OPTS), 'ownership', 'support-triage').partialFingerprints).toEqual(
      resultFor(renderSarif(failingReport(), OPTS), 'ownership', 'support-triage').partialFingerprints,
    );
  });

  it('reasonKey: first line, numbers and plurals normalised', () => {
    expect(reasonKey('Waiting 23 days for approval\nsecond line')).toBe('waiting # day for approval');
    expect(reasonKey('expired on 2026-01-02, 3 errors; accuracy 0.81 < 0.85')).toBe('expired on #, # error; accuracy # < #');
    expect(reasonKey('1 AI use outside every manifest')).toBe(reasonKey('12 AI uses outside every manifest'));
  });
});
