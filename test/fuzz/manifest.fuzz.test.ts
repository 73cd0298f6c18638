// Fuzz: the readiness manifest parser, and the evaluation core on mutated manifests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import type { GateId } from '../../src/model/catalogue';
import { parseManifest } from '../../src/config/manifest/parse';
import type { ParsedManifest } from '../../src/config/manifest/parse';
import type { ManifestSection } from '../../src/config/manifest/schema';
import { evaluate } from '../../src/core/evaluate';
import type { Report } from '../../src/model/report';
import { MAX_ALIAS_COUNT, parseYaml } from '../../src/config/yaml';
import type { ConfigError } from '../../src/config/yaml';
import { FULL_MANIFEST, SPEC_POLICY } from '../helpers/fixtures';
import { makeInput } from '../helpers/report';
import { lineCount, params, timeout, yamlMutants } from './fuzz';
import { expectStructured, READY } from './subjects';

const FILE = 'services/triage/lastmile.yml';

function allErrors(m: ParsedManifest): ConfigError[] {
  return [...m.documentErrors, ...Object.values(m.sectionErrors).flat()];
}

function expectWellFormed(m: ParsedManifest, text: string): void {
  for (const e of allErrors(m)) expectStructured(e, FILE, text);
  // Unreadable: there is a document error saying why.
  if (!m.readable) expect(m.documentErrors.length).toBeGreaterThan(0);
  // A section with errors is not also offered as valid.
  for (const section of Object.keys(m.sectionErrors)) expect(m.manifest[section as ManifestSection]).toBeUndefined();
  expect(m.system).toMatch(/^[a-z0-9-]+$/);
  expect(m.file).toBe(FILE);
  // Positions of any key path stay inside the file.
  const p = m.positionOf(['signoffs', 0, 'status']);
  expect(p.line).toBeGreaterThanOrEqual(1);
  expect(p.line).toBeLessThanOrEqual(lineCount(text) + 1);
}

/** The gates that read each section: an error in the section must never let them pass. */
const DEPENDENT: Record<ManifestSection, GateId[]> = {
  owner: ['ownership'],
  business_owner: ['manifest.valid'],
  model: ['manifest.valid'],
  identity: ['identity'],
  data: ['data'],
  compliance: ['compliance'],
  signoffs: ['signoffs'],
  monitoring: ['monitoring'],
  rollback: ['rollback'],
  rollout: ['rollout'],
  integrations: ['integrations'],
  evals: ['eval.thresholds', 'eval.production-gap', 'eval.slices', 'eval.freshness', 'eval.regression'],
  waivers: ['manifest.valid'],
};

function evaluateManifest(text: string): Report {
  return evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'release/1.0', systems: [{ manifestYaml: text, manifestFile: FILE }] }));
}

describe('fuzz: manifest parser', () => {
  it('the unmutated manifests parse without errors (the properties below start from valid documents)', () => {
    for (const text of [FULL_MANIFEST, READY]) {
      const m = parseManifest(text, FILE);
      expect(allErrors(m)).toEqual([]);
      expect(m.readable).toBe(true);
    }
  });

  it(
    'never throws on a mutated manifest, and every error names the file and a line inside it',
    () => {
      fc.assert(
        fc.property(yamlMutants(FULL_MANIFEST), (mut) => {
          const m = parseManifest(mut.text, FILE);
          expectWellFormed(m, mut.text);
        }),
        params(250),
      );
    },
    timeout(),
  );

  it(
    'never throws on the manifest truncated at sampled offsets (it is 3 KB)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: FULL_MANIFEST.length }), (at) => {
          const text = FULL_MANIFEST.slice(0, at);
          expectWellFormed(parseManifest(text, FILE), text);
        }),
        params(300),
      );
    },
    timeout(),
  );
});

describe('fuzz: the depth-checked YAML reader', () => {
  it(
    'reads what the yaml library reads: the same value, and errors at the same places',
    () => {
      fc.assert(
        fc.property(yamlMutants(FULL_MANIFEST), (mut) => {
          const src = parseYaml(mut.text, FILE);
          if (src.errors.some((e) => e.found === 'deeper nesting' || e.found === 'a list, mapping or alias as a key' || e.found.endsWith(' bytes'))) return;
          const lines = new LineCounter();
          const doc = parseDocument(mut.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
          const where = (e: { pos: [number, number] }) => {
            const p = lines.linePos(e.pos[0]);
            return `${p.line}:${p.col}`;
          };
          expect(src.errors.filter((e) => e.expected === 'valid YAML').map((e) => `${e.line}:${e.column}`), mut.how).toEqual(doc.errors.map(where));
          if (src.errors.length === 0) expect(src.value, mut.how).toEqual(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
        }),
        params(150),
      );
    },
    timeout(),
  );
});

describe('fuzz: evaluation core on mutated manifests (release/1.0, SPEC §3 policy)', () => {
  it('the unmutated manifest passes, so that "never pass" below is not vacuous', () => {
    const r = evaluateManifest(READY);
    expect(r.verdict).toBe('pass');
    expect(r.enforce).toBe('block');
  });

  it(
    'a manifest with any error never yields pass, and the gates that read the broken part never pass',
    () => {
      let withErrors = 0;
      fc.assert(
        fc.property(yamlMutants(READY), (mut) => {
          const m = parseManifest(mut.text, FILE);
          const r = evaluateManifest(mut.text);
          expect(['pass', 'fail', 'warn']).toContain(r.verdict);
          const gates = r.systems[0]?.gates ?? [];
          const outcome = (id: GateId) => gates.find((g) => g.id === id)?.outcome;
          const broken = Object.entries(m.sectionErrors).filter(([, errs]) => errs.length > 0);
          if (m.documentErrors.length === 0 && broken.length === 0) return;
          withErrors++;
          expect(r.verdict, mut.how).not.toBe('pass');
          expect(r.systems[0]?.status).toBe('fail');
          if (m.documentErrors.length > 0) expect(outcome('manifest.valid')).toBe('fail');
          if (!m.readable) {
            // Nothing can be judged: every required gate fails.
            for (const g of gates) expect(['fail', 'skipped']).toContain(g.outcome);
          }
          for (const [section] of broken) {
            // Failing, or waived by a verified waiver of that gate (the waiver of eval.slices stays valid).
            for (const id of DEPENDENT[section as ManifestSection]) expect(['fail', 'inconclusive', 'waived'], `${section} → ${id} (${mut.how})`).toContain(outcome(id));
          }
        }),
        params(200),
      );
      // The mutations do produce broken manifests (a property over only valid ones proves nothing).
      expect(withErrors).toBeGreaterThan(0);
    },
    timeout(),
  );

  it(
    'never throws, and never passes with an error, on the ready manifest truncated at sampled offsets',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: READY.length - 1 }), (at) => {
          const text = READY.slice(0, at);
          const m = parseManifest(text, FILE);
          const r = evaluateManifest(text);
          if (allErrors(m).length > 0) {
            expect(r.verdict, `cut at ${at}`).not.toBe('pass');
            expect(r.systems[0]?.status).toBe('fail');
          }
          // A cut before the production-sample eval loses a source the policy requires: never a pass.
          if (at < READY.indexOf('  - name: production-sample')) {
            expect(r.verdict, `cut at ${at}`).not.toBe('pass');
          }
        }),
        params(150),
      );
    },
    timeout(),
  );
});
