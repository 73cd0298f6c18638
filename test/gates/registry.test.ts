import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { GATES, GATE_IDS, gateInfo } from '../../src/model/catalogue';
import { GATE_IMPLS, isRequired, REPOSITORY_GATES, SYSTEM_GATES } from '../../src/core/gates/registry';
import type { GateRegistry } from '../../src/core/gates/registry';
import slices from '../../src/core/gates/eval/slices';
import ownership from '../../src/core/gates/ownership';

const ROOT = join(import.meta.dirname, '..', '..');
/** The file a gate id names: `eval.slices` → src/core/gates/eval/slices.ts. */
const fileOf = (id: string): string => join(ROOT, 'src', 'core', 'gates', `${id.replace('.', '/')}.ts`);

describe('the gate registry', () => {
  it('has exactly one gate for every id of the catalogue, filed under its own id', () => {
    expect(Object.keys(GATE_IMPLS).sort()).toEqual([...GATE_IDS].sort());
    for (const [key, gate] of Object.entries(GATE_IMPLS)) expect(gate.id).toBe(key);
  });

  it('takes each gate from the file its id names', async () => {
    for (const id of GATE_IDS) {
      expect(existsSync(fileOf(id)), fileOf(id)).toBe(true);
      const mod = (await import(fileOf(id))) as { default: unknown };
      expect(mod.default, id).toBe(GATE_IMPLS[id]);
    }
  });

  it('gives each gate the catalogue’s scope and stage requirement', () => {
    for (const g of GATES) {
      const gate = GATE_IMPLS[g.id];
      expect(gate.scope, g.id).toBe('repository' in g && g.repository ? 'repository' : 'system');
      expect(gate.requires, g.id).toBe(gateInfo(g.id).area ?? 'always');
    }
  });

  it('runs the system gates in catalogue order, then policy.integrity and inventory.unregistered', () => {
    expect(SYSTEM_GATES.map((g) => g.id)).toEqual(GATES.filter((g) => !('repository' in g && g.repository)).map((g) => g.id));
    expect(REPOSITORY_GATES.map((g) => g.id)).toEqual(['policy.integrity', 'inventory.unregistered']);
  });

  it('turns a gate on by its area or its id; the gates that always run need neither', () => {
    expect(isRequired('policy.integrity', [])).toBe(true);
    expect(isRequired('ownership', ['ownership'])).toBe(true);
    expect(isRequired('eval.freshness', ['eval.freshness'])).toBe(true);
    expect(isRequired('eval.freshness', ['identity'])).toBe(false);
  });

  it('is typed by the catalogue: a missing or misfiled gate does not compile', () => {
    // Checked by `tsc --noEmit` (the project's typecheck) and below through the compiler API.
    const { 'eval.slices': _dropped, ...missing } = GATE_IMPLS;
    // @ts-expect-error a registry without eval.slices is not a GateRegistry
    const incomplete: GateRegistry = missing;
    // @ts-expect-error eval.slices's gate filed under ownership
    const misfiled: GateRegistry = { ...GATE_IMPLS, ownership: slices };
    // @ts-expect-error ownership's gate filed under eval.slices
    const swapped: GateRegistry = { ...GATE_IMPLS, 'eval.slices': ownership };
    expect([incomplete, misfiled, swapped]).toHaveLength(3);
  });

  it('fails to compile a registry that leaves out a catalogue id (compiler API)', () => {
    const dir = join(ROOT, 'test', 'gates');
    const file = join(dir, '__registry_missing__.ts');
    const source = [
      "import { GATE_IMPLS } from '../../src/core/gates/registry';",
      "import type { GateRegistry } from '../../src/core/gates/registry';",
      "const { 'policy.integrity': _gone, ...rest } = GATE_IMPLS;",
      'export const r: GateRegistry = rest;',
      "export const ok: GateRegistry = GATE_IMPLS;",
    ].join('\n');
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const host = ts.createCompilerHost(config.options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : read(name, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], config.options, host);
    const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ({
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(4);
    expect(errors[0]!.text).toContain("Property '\"policy.integrity\"' is missing");
  }, 60_000);
});

