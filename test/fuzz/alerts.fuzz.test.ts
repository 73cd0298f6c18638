// Fuzz: alerts files (Prometheus rules, Datadog monitors), and the monitoring gate that reads them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { monitoring } from '../../src/core/gates/monitoring';
import { coverage, parseAlerts } from '../../src/evidence/monitoring/alerts';
import type { AlertsParse } from '../../src/evidence/monitoring/alerts';
import { makeContext, PROMETHEUS_ALERTS } from '../helpers/context';
import { jsonMutants, lineCount, params, timeout, yamlMutants } from './fuzz';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'alerts');
const ALERTS_PATH = 'ops/alerts/support-triage.yml';

/** Every alerts fixture with the name it is read under, and how it can be mutated. */
const FIXTURES = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .map((f) => ({ name: f, text: readFileSync(join(DIR, f), 'utf8') }));

function expectWellFormed(r: AlertsParse, file: string, text: string, how: string): void {
  if (r.ok) {
    expect(['prometheus', 'datadog']).toContain(r.format);
    for (const rule of r.rules) {
      expect(typeof rule.name).toBe('string');
      expect(typeof rule.expr).toBe('string');
      expect(Number.isInteger(rule.line) && rule.line >= 1 && rule.line <= lineCount(text) + 1, `rule line ${rule.line} (${how})`).toBe(true);
    }
    // Coverage of any metric list never throws.
    coverage(r.rules, ['latency_p95', 'error_rate', '__proto__', '', 'a.b']);
    return;
  }
  expect(r.message, how).toContain(file);
  if (r.kind === 'invalid' && r.line !== undefined) {
    expect(Number.isInteger(r.line) && r.line >= 1 && r.line <= lineCount(text) + 1, `line ${r.line} (${how})`).toBe(true);
  }
}

describe('fuzz: alerts files', () => {
  for (const { name, text } of FIXTURES) {
    const isJson = name.endsWith('.json');
    const mutants = isJson ? jsonMutants(text) : yamlMutants(text);
    it(
      `${name}: never throws on a mutated file; an invalid one names the file and a line inside it`,
      () => {
        fc.assert(
          fc.property(mutants, (mut) => {
            expectWellFormed(parseAlerts(mut.text, `ops/${name}`), `ops/${name}`, mut.text, mut.how);
          }),
          params(150),
        );
      },
      timeout(),
    );

    it(`${name}: truncated at every byte (every third over 1 KB), never throws`, () => {
      for (let at = 0; at <= text.length; at += text.length <= 1000 ? 1 : 3) {
        const cut = text.slice(0, at);
        expectWellFormed(parseAlerts(cut, `ops/${name}`), `ops/${name}`, cut, `cut at ${at}`);
      }
    });
  }

  it(
    'a YAML syntax error in an alerts file is invalid at a line',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: PROMETHEUS_ALERTS.length - 1 }), fc.constantFrom('[', '{', '"', "\t", ': :', '- [', '&', '*x'), (at, junk) => {
          const text = PROMETHEUS_ALERTS.slice(0, at) + junk + PROMETHEUS_ALERTS.slice(at);
          const r = parseAlerts(text, 'ops/a.yml');
          const how = `${JSON.stringify(junk)} at ${at}`;
          expectWellFormed(r, 'ops/a.yml', text, how);
          const syntax = parseAllDocuments(text, { uniqueKeys: true });
          const broken = Array.isArray(syntax) && syntax.some((d) => d.errors.length > 0);
          if (broken) {
            expect(r, how).toMatchObject({ ok: false, kind: 'invalid' });
            expect(!r.ok && r.kind === 'invalid' ? r.line : undefined, how).toBeGreaterThanOrEqual(1);
          }
        }),
        params(200),
      );
    },
    timeout(),
  );

  it(
    'the monitoring gate never throws and never passes on an alerts file that is not valid rules covering every metric',
    () => {
      fc.assert(
        fc.property(yamlMutants(PROMETHEUS_ALERTS), (mut) => {
          const ctx = makeContext({ files: { [ALERTS_PATH]: { path: ALERTS_PATH, exists: true, text: mut.text } } });
          const g = monitoring(ctx);
          const parsed = parseAlerts(mut.text, ALERTS_PATH);
          if (!parsed.ok) {
            expect(g.outcome, mut.how).not.toBe('pass');
            return;
          }
          const { uncovered } = coverage(parsed.rules, ['latency_p95', 'error_rate', 'escalation_rate']);
          if (uncovered.length > 0) expect(g.outcome, mut.how).not.toBe('pass');
        }),
        params(200),
      );
    },
    timeout(),
  );
});
