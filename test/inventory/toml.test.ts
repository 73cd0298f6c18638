// The inventory's TOML: smol-toml decides what is TOML and decodes it; the locator finds lines.
import fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { scanInventory } from '../../src/evidence/inventory';
import { DependencyFileError } from '../../src/evidence/inventory/parsers/error';
import { parsePipfile, parsePyproject } from '../../src/evidence/inventory/parsers/python';
import { parseVersionCatalog } from '../../src/evidence/inventory/parsers/jvm';
import { MAX_TOML_DEPTH, readToml } from '../../src/evidence/inventory/parsers/toml';

describe('TOML 1.1 and decoding', () => {
  it('inline tables over several lines with a trailing comma (TOML 1.1)', () => {
    const text = '[tool.poetry.dependencies]\nopenai = {\n  version = "^1",  # pinned\n  extras = ["datalib"],\n}\nanthropic = "*"\n';
    expect(parsePyproject(text).map((d) => [d.line, d.name])).toEqual([[2, 'openai'], [6, 'anthropic']]);
  });

  it('keys and strings are decoded by smol-toml: \\u, \\U, \\x, \\e, line-ending backslashes', () => {
    const text = [
      '[tool.poetry.dependencies]',
      '"open\\u0061i" = "*"',
      '[project]',
      'dependencies = [',
      '  "anthr\\x6fpic",',
      '  """lite\\',
      '     llm""",',
      "  '''vllm''',",
      '  "\\U0001F600x",',
      ']',
      'description = "\\e"',
    ].join('\n');
    expect(parsePyproject(text).map((d) => [d.line, d.name])).toEqual([
      [2, 'openai'],
      [5, 'anthropic'],
      [6, 'litellm'],
      [8, 'vllm'],
    ]);
  });

  it('a string that looks like TOML is not read as TOML', () => {
    const text = 'readme = """\n[project]\ndependencies = ["openai"]\n"""\nx = \'\'\'\n[tool.poetry.dependencies]\nanthropic = "*"\'\'\'\n';
    expect(parsePyproject(text)).toEqual([]);
  });

  it('arrays of tables, dates, numbers and a BOM', () => {
    const text = '\ufeff[[tool.x]]\nd = 1979-05-27 07:32:00Z\nn = [1_000, +inf, 0x1F, 1e3]\n[[tool.x]]\nb = true\n[project]\ndependencies = ["openai"]\n';
    expect(parsePyproject(text).map((d) => [d.line, d.name])).toEqual([[7, 'openai']]);
  });
});

describe('malformed TOML', () => {
  it.each([
    ['an unterminated string', '[project]\ndependencies = ["openai\n', 2],
    ['a key defined twice', '[packages]\nopenai = "*"\nopenai = "1"\n', 3],
    ['a table defined twice', '[packages]\nopenai = "*"\n[packages]\nanthropic = "*"\n', 3],
    ['a missing value', '[libraries]\nopenai = \n', 2],
    ['an unclosed array', '[project]\ndependencies = [\n  "openai",\n', 4],
  ])('%s: an error with its line, from every TOML parser, never a throw', (_what, text, line) => {
    expect(() => readToml(text)).toThrow(DependencyFileError);
    for (const parser of [parsePyproject, parsePipfile, parseVersionCatalog]) {
      const errors: DependencyFileError[] = [];
      expect(parser(text, (e) => errors.push(e))).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ format: 'TOML', line });
      expect(errors[0]!.message).toMatch(new RegExp(`^not valid TOML \\(line ${line}, column \\d+: .+\\)$`));
    }
  });

  it(`refuses nesting deeper than ${MAX_TOML_DEPTH} levels, quickly`, () => {
    expect(readToml(`a = ${'['.repeat(MAX_TOML_DEPTH)}${']'.repeat(MAX_TOML_DEPTH)}\n`)).toHaveLength(1);
    const t0 = performance.now();
    expect(() => readToml(`x = 1\na = ${'['.repeat(100_000)}\n`)).toThrow(/line 2, column \d+: .*nested/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('the scan reports a malformed dependency file at its line instead of passing over it', () => {
    const files: Record<string, string> = {
      'svc/pyproject.toml': '[project]\nname = "svc"\ndependencies = [\n  "openai"\n  "anthropic",\n]\n',
      'svc/Pipfile': '[packages]\nopenai = "*"\n',
      'gradle/libs.versions.toml': '[libraries]\nx = "com.openai:openai-java:1" y = 2\n',
      'covered/pyproject.toml': 'not toml at all',
    };
    const f = scanInventory(Object.keys(files), (p) => files[p], { manifestDirs: ['covered'], ignore: [] });
    expect(f).toEqual([
      {
        file: 'gradle/libs.versions.toml',
        line: 2,
        kind: 'unparsable',
        detail: expect.stringMatching(/^not valid TOML \(line 2, column \d+: .+\): its dependencies could not be checked$/) as string,
      },
      expect.objectContaining({ file: 'svc/Pipfile', line: 2, kind: 'dependency', package: 'openai' }),
      {
        file: 'svc/pyproject.toml',
        line: 5,
        kind: 'unparsable',
        detail: expect.stringMatching(/^not valid TOML \(line 5, column 3: .+\): its dependencies could not be checked$/) as string,
      },
    ]);
  });
});

// Property: a pyproject.toml written in random but valid TOML layouts; every requirement is found,
// decoded as smol-toml decodes it, at the line it was written on.
describe('line of every requirement (property)', () => {
  const name = fc.constantFrom('openai', 'anthropic>=0.3', 'langchain[all] ; python_version < "3.11"', "it's", 'a\\b', 'é', '#x', ']', '"""');
  /** One way to write `s` as a TOML string, or undefined when that kind cannot hold it. */
  const styles: ((s: string) => string | undefined)[] = [
    (s) => JSON.stringify(s),
    (s) => `"${[...s].map((c) => (/[a-z]/.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1))).join('')}"`,
    (s) => (/['\n]/.test(s) ? undefined : `'${s}'`),
    (s) => (s.includes("'''") || s.endsWith("'") ? undefined : `'''${s}'''`),
    (s) => `"""${JSON.stringify(s).slice(1, -1)}"""`,
    (s) => `"""\\\n   ${JSON.stringify(s).slice(1, -1)}"""`,
  ];
  const gap = fc.constantFrom(' ', '', '\n', '\n\n  ', ' # a comment with "quotes" and ] [ {\n', '\t\n');
  const junk = fc.constantFrom('', 'x = 1\n', 'other = { a = "]", b = [\'[\'] }\n', 's = """\n[project]\ndependencies = ["vllm"]\n"""\n', '# [project]\n');
  const items = fc.array(fc.tuple(name, fc.nat(styles.length - 1), gap, gap), { minLength: 1, maxLength: 8 });

  it('matches the layout it was written in', () => {
    fc.assert(
      fc.property(junk, items, junk, gap, (before, list, after, close) => {
        let text = `${before}[project]\n${after}dependencies = [`;
        const expected: [number, string][] = [];
        for (const [req, styleAt, lead, trail] of list) {
          const written = styles[styleAt]!(req) ?? JSON.stringify(req);
          text += lead;
          expected.push([text.split('\n').length, req]);
          text += `${written}${trail},`;
        }
        text += `${close}]\n`;
        const decoded = (parse(text) as { project: { dependencies: string[] } }).project.dependencies;
        expect(decoded).toEqual(list.map(([req]) => req));
        const ev = readToml(text).find((e) => e.type === 'pair' && e.key.join('.') === 'project.dependencies');
        const got = ev?.type === 'pair' && ev.value.kind === 'array' ? ev.value.items.map((i) => [i.line, i.kind === 'string' ? i.value : '']) : [];
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with smol-toml on every key and string of a document smol-toml wrote', () => {
    const key = fc.constantFrom('a', 'b-c', 'd_e', 'with space', 'dot.ted', 'quo"te', "apos'", 'é', '');
    const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, tie('tree')), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(tree, (doc) => {
        const text = stringify(doc); // smol-toml's own writer: TOML by construction
        const strings = new Map<string, unknown>();
        for (const e of readToml(text)) if (e.type === 'pair' && e.value.kind === 'string') strings.set(JSON.stringify(e.key), e.value.value);
        const want = new Map<string, unknown>();
        const walk = (o: Record<string, unknown>, path: string[]): void => {
          for (const [k, v] of Object.entries(o)) {
            if (typeof v === 'string') want.set(JSON.stringify([...path, k]), v);
            else if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, [...path, k]);
          }
        };
        walk(parse(text), []);
        expect(strings).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
