// Fuzz: dependency files (the inventory of AI in the repository).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ECOSYSTEMS, parseDependencyFile, scanInventory } from '../../src/evidence/inventory';
import { NPM_SECTIONS } from '../../src/evidence/inventory/parsers/npm';
import type { DeclaredDependency } from '../../src/evidence/inventory';
import { elapsed, jsonMutants, lineCount, lineMutants, oddChar, oddString, params, timeout } from './fuzz';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'inventory', 'formats');

/** Each dependency file fixture, with the name it is read under. */
const FILES = ['package.json', 'requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'go.mod', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'gradle/libs.versions.toml'].map((f) => ({
  path: f,
  text: readFileSync(join(DIR, f), 'utf8'),
}));

/** Lines in the syntax of each format, half-broken. */
const junkLine = fc.oneof(
  oddString,
  oddChar,
  fc.constantFrom(
    'openai==1.0', 'openai', 'anthropic>=0.3 ; python_version > "3.8"', '-r other.txt', '-e git+https://x/y.git#egg=langchain', 'langchain[all]',
    '[project]', '[tool.poetry.dependencies]', 'dependencies = [', '"openai>=1",', ']', '"""', "'''", 'openai = "*"', 'openai = { version = "1" }',
    'require (', 'github.com/sashabaranov/go-openai v1.0.0', ')', 'require github.com/x/y v1', '// comment', '# comment',
    '<dependency>', '<groupId>dev.langchain4j</groupId>', '<artifactId>langchain4j</artifactId>', '</dependency>', '<!--', '-->', '<![CDATA[',
    'implementation("dev.langchain4j:langchain4j:0.1")', "implementation 'com.openai:openai-java:1'", 'dependencies {', '}',
    '[libraries]', 'openai = { module = "com.openai:openai-java", version = "1" }', 'install_requires =', '    openai', '\\',
    '"dependencies": {', '"openai": "^4"', '{', '[', '"', "'",
  ),
);

function expectWellFormed(deps: DeclaredDependency[], text: string, how: string): void {
  const lines = lineCount(text);
  for (const d of deps) {
    expect(ECOSYSTEMS).toContain(d.ecosystem);
    expect(d.name.length, how).toBeGreaterThan(0);
    expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines, `line ${d.line} of ${lines} (${how})`).toBe(true);
    expect(typeof d.section).toBe('string');
  }
}

describe('fuzz: dependency files', () => {
  for (const { path, text } of FILES) {
    it(
      `${path}: never throws on a mutated file; every dependency is on a line of the file`,
      () => {
        expect(parseDependencyFile(path, text).length).toBeGreaterThan(0);
        const mutants = path.endsWith('.json') ? fc.oneof(jsonMutants(text), lineMutants(text, junkLine)) : lineMutants(text, junkLine);
        fc.assert(
          fc.property(mutants, (mut) => {
            expectWellFormed(parseDependencyFile(path, mut.text), mut.text, mut.how);
          }),
          params(200),
        );
      },
      timeout(),
    );

    it(`${path}: truncated at every byte (or at sampled offsets), never throws`, () => {
      // Under 1 KB: every byte; larger: every third byte.
      for (let at = 0; at <= text.length; at += text.length <= 1000 ? 1 : 3) {
        const cut = text.slice(0, at);
        expectWellFormed(parseDependencyFile(path, cut), cut, `cut at ${at}`);
      }
    });

    it(`${path}: deep nesting and huge lines are read quickly`, () => {
      const hostile = [
        '['.repeat(100_000),
        '{"dependencies": '.repeat(20_000) + '{}' + '}'.repeat(20_000),
        '<a>'.repeat(100_000),
        '"'.repeat(100_000),
        "'''".repeat(30_000),
        `${'x'.repeat(1_000_000)}\n`,
        '\\\n'.repeat(30_000),
        '\n'.repeat(100_000),
      ];
      for (const h of hostile) {
        let deps: DeclaredDependency[] = [];
        const ms = elapsed(() => (deps = parseDependencyFile(path, text + '\n' + h)));
        expect(ms, `${path}: ${JSON.stringify(h.slice(0, 20))}… took ${Math.round(ms)} ms`).toBeLessThan(5000);
        expectWellFormed(deps, text + '\n' + h, JSON.stringify(h.slice(0, 20)));
      }
    });
  }

  it(
    'package.json: every dependency npm would read (JSON.parse) is declared, whatever else the file holds',
    () => {
      const base = FILES.find((f) => f.path === 'package.json')!.text;
      fc.assert(
        fc.property(jsonMutants(base), (mut) => {
          let root: unknown;
          try {
            root = JSON.parse(mut.text);
          } catch {
            return; // npm refuses the file too
          }
          if (root === null || typeof root !== 'object' || Array.isArray(root)) return;
          const found = new Set(parseDependencyFile('package.json', mut.text).map((d) => d.name));
          for (const section of NPM_SECTIONS) {
            const deps = (root as Record<string, unknown>)[section];
            if (deps === null || typeof deps !== 'object' || Array.isArray(deps)) continue;
            for (const [name, spec] of Object.entries(deps)) {
              if (name === '' || (typeof spec === 'string' && spec.startsWith('npm:'))) continue; // aliases are reported by their target
              expect(found.has(name), `${section}.${name} hidden (${mut.how})`).toBe(true);
            }
          }
        }),
        params(300),
      );
    },
    timeout(),
  );

  it(
    'scanInventory never throws on odd paths, globs and package names',
    () => {
      const paths = fc.array(fc.oneof(fc.constantFrom(...FILES.map((f) => f.path), 'models/w.bin', 'x.onnx', 'node_modules/a/package.json', './a\\b/requirements.txt', '', '.', '/'), oddString), { maxLength: 12 });
      const globs = fc.array(fc.oneof(fc.constantFrom('examples/**', '!examples/keep/**', '**', '*', '{a,b}', '[', '!', '**/*.json', '+(a|b)'), oddString.filter((s) => s.trim() !== '' && s.length < 1000)), { maxLength: 4 });
      const names = fc.array(fc.oneof(fc.constantFrom('openai', 'acme-llm-*', '*', 'a:*', 'com.acme:llm', '@acme/*'), oddString), { maxLength: 4 });
      fc.assert(
        fc.property(paths, globs, names, fc.array(fc.constantFrom('', '.', 'services/a', 'x'), { maxLength: 2 }), (ps, ignore, extra, manifestDirs) => {
          const read = (p: string) => FILES.find((f) => f.path === p)?.text ?? p;
          const findings = scanInventory(ps, read, { manifestDirs, ignore, extraPackages: { npm: extra, pypi: extra, go: extra, maven: extra } });
          for (const f of findings) {
            expect(f.line).toBeGreaterThanOrEqual(1);
            expect(f.detail).not.toBe('');
          }
        }),
        params(300),
      );
    },
    timeout(),
  );
});
