import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDependencyFile } from '../../src/evidence/inventory';
import { pep508Name, parseRequirements } from '../../src/evidence/inventory/parsers/requirements';
import { parsePackageJson } from '../../src/evidence/inventory/parsers/npm';
import { parsePipfile, parsePyproject, parseSetupCfg } from '../../src/evidence/inventory/parsers/python';
import { parseGoMod } from '../../src/evidence/inventory/parsers/go';
import { parseGradle, parsePom, parseVersionCatalog } from '../../src/evidence/inventory/parsers/jvm';
import { readToml } from '../../src/evidence/inventory/parsers/toml';
import { DependencyFileError } from '../../src/evidence/inventory/parsers/error';
import type { DeclaredDependency } from '../../src/evidence/inventory';

const names = (deps: DeclaredDependency[]): [number, string][] => deps.map((d) => [d.line, d.name]);

describe('pep508Name', () => {
  it.each([
    ['openai', 'openai'],
    ['openai>=1', 'openai'],
    ['openai[datalib,x]>=1', 'openai'],
    ['openai ; python_version<"3.11"', 'openai'],
    ['openai;python_version<"3.11"', 'openai'],
    ['openai (>=1.0)', 'openai'],
    ['openai@ https://x/y.whl', 'openai'],
    ['  Open_AI.x ~=1', 'Open_AI.x'],
    ['openai,', 'openai'],
  ])('%s → %s', (input, name) => expect(pep508Name(input)).toBe(name));

  it.each(['', '-r x.txt', '# openai', '$OPENAI', '.openai', 'openai$', 'open/ai'])('%j → undefined', (input) => {
    expect(pep508Name(input)).toBeUndefined();
  });
});

describe('requirements files', () => {
  it('CRLF line ends', () => {
    expect(names(parseRequirements('requests\r\nopenai==1\r\n'))).toEqual([[1, 'requests'], [2, 'openai']]);
  });

  it('a continuation whose name is on a later line reports that line', () => {
    expect(names(parseRequirements('x==1\n\\\n  openai==1\n'))).toEqual([[1, 'x'], [3, 'openai']]);
  });

  it('a comment line ending in a backslash is not a continuation (as in pip)', () => {
    expect(names(parseRequirements('# old \\\nopenai\n'))).toEqual([[2, 'openai']]);
  });

  it('a continuation ended by a comment line', () => {
    expect(names(parseRequirements('openai==1 \\\n# note\nanthropic\n'))).toEqual([[1, 'openai'], [3, 'anthropic']]);
  });

  it('an inline comment swallows a trailing backslash line join as pip does', () => {
    // pip joins "openai # x \" with the next line, then strips the comment: anthropic is lost.
    expect(names(parseRequirements('openai # x \\\nanthropic\n'))).toEqual([[1, 'openai']]);
  });

  it('options are not requirements; editable installs count by #egg=, archive URLs by file name', () => {
    const text = [
      '-r base.txt',
      '--requirement=dev.txt',
      '-c constraints.txt',
      '-i https://pypi.org/simple',
      '--extra-index-url https://x/simple',
      '--find-links ./wheels',
      '--hash=sha256:abc',
      '-e .',
      '--editable=git+https://github.com/x/y#egg=anthropic',
      '-e git+ssh://git@github.com/x/y.git#egg=Openai&subdirectory=sdk',
      'https://x/litellm-1.0.tar.gz',
      'C:/wheels/vllm-0.5.0-cp311-cp311-win_amd64.whl',
    ].join('\n');
    expect(names(parseRequirements(text))).toEqual([
      [9, 'anthropic'],
      [10, 'Openai'],
      [11, 'litellm'],
      [12, 'vllm'],
    ]);
  });

  it('classifies requirements file names', () => {
    for (const p of ['requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt', 'requirements.prod.in', 'requirements/base.txt', 'a/requirements/ml.in', 'REQUIREMENTS.TXT']) {
      expect(parseDependencyFile(p, 'openai\n'), p).toHaveLength(1);
    }
    for (const p of ['myrequirements.txt', 'requirementsX.txt', 'MANIFEST.in', 'notes.txt', 'docs/requirements.md']) {
      expect(parseDependencyFile(p, 'openai\n'), p).toHaveLength(0);
    }
  });
});

describe('package.json', () => {
  it('invalid JSON yields nothing rather than throwing', () => {
    expect(parsePackageJson('{ "dependencies": { "openai": "1", } }')).toEqual([]);
    expect(parsePackageJson('')).toEqual([]);
    expect(parsePackageJson('[]')).toEqual([]);
  });

  it('BOM, minified, duplicates, odd section types', () => {
    expect(names(parsePackageJson('\ufeff{"dependencies":{"openai":"1","openai":"2"}}'))).toEqual([[1, 'openai'], [1, 'openai']]);
    expect(parsePackageJson('{"dependencies":["openai"],"devDependencies":"openai"}')).toEqual([]);
  });

  it('keys with escapes and keys on later lines', () => {
    expect(names(parsePackageJson('{\n"devDependencies":\n{\n\n  "\\u006fpenai" : "1"}}'))).toEqual([[5, 'openai']]);
  });

  it('npm: aliases report the real package (and the alias name)', () => {
    const deps = parsePackageJson('{"dependencies":{\n"llm": "npm:@anthropic-ai/sdk@^0.20",\n"x": "npm:openai"\n}}');
    expect(names(deps)).toEqual([[2, '@anthropic-ai/sdk'], [2, 'llm'], [3, 'openai'], [3, 'x']]);
  });
});

describe('TOML reader', () => {
  it('tables, dotted and quoted keys, arrays over lines, inline tables, strings of all kinds', () => {
    const text = [
      'a.b = 1',
      '[t."x.y".z]',
      "k = 'lit'",
      'm = """',
      '[not-a-table]',
      'x = ["no"]',
      '"""',
      'arr = [ # c',
      '  "one", # c',
      "  '''two''',",
      '  [ "nested" ],',
      ']',
      'it = { p = "q", r.s = [1, 2] }',
      '[[aot]]',
      'd = 1979-05-27T07:32:00Z',
    ].join('\n');
    const ev = readToml(text);
    const keys = ev.map((e) => `${e.type}:${e.key.join('/')}@${e.line}`);
    expect(keys).toEqual([
      'pair:a/b@1',
      'header:t/x.y/z@2',
      'pair:t/x.y/z/k@3',
      'pair:t/x.y/z/m@4',
      'pair:t/x.y/z/arr@8',
      'pair:t/x.y/z/it@13',
      'pair:t/x.y/z/it/p@13',
      'pair:t/x.y/z/it/r/s@13',
      'header:aot@14',
      'pair:aot/d@15',
    ]);
    const arr = ev[4];
    expect(arr?.type === 'pair' && arr.value.kind === 'array' ? arr.value.items.map((i) => [i.kind, i.line]) : []).toEqual([
      ['string', 9],
      ['string', 10],
      ['array', 11],
    ]);
  });

  it('escapes and multi-line basic strings with line-ending backslashes', () => {
    const ev = readToml('a = "x\\"y\\u00e9\\n"\nb = """one \\\n   two"""\nc = """a""""');
    const values = ev.map((e) => (e.type === 'pair' && e.value.kind === 'string' ? e.value.value : undefined));
    expect(values).toEqual(['x"yé\n', 'one two', 'a"']);
  });

  // These two texts were read in part, skipping what was broken; they are now refused whole, at
  // the first error, as pip, uv, Poetry and pipenv refuse them (issue #15: never a silent pass).
  it('refuses a statement it cannot read, at its line and column', () => {
    const text = '[project]\nname = "x\ndependencies = [\n  "openai",\n]\nbroken = = 1\n[tool.x]\ny = 1\n';
    expect(() => readToml(text)).toThrow(DependencyFileError);
    expect(() => readToml(text)).toThrow('not valid TOML (line 2, column 10: control characters are not allowed in strings)');
    const errors: DependencyFileError[] = [];
    expect(parsePyproject(text, (e) => errors.push(e))).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([[2, 10]]);
  });

  it('refuses a broken header rather than reading its keys into another table', () => {
    const text = '[tool.poetry.dependencies]\nx = "1"\n[oops\nopenai = "1"\n';
    expect(() => readToml(text)).toThrow('not valid TOML (line 3, column 6: illegal character in key)');
    expect(parsePyproject(text)).toEqual([]);
  });
});

describe('pyproject.toml', () => {
  it('dotted keys at the root and inline tables', () => {
    const text = 'project.dependencies = ["openai"]\n[tool]\npoetry = { dependencies = { anthropic = "^0.3" } }\n';
    expect(names(parsePyproject(text))).toEqual([[1, 'openai'], [3, 'anthropic']]);
  });

  it('quoted Poetry group names, sub-table form reported once at its header, legacy dev-dependencies', () => {
    // This text used to end with `[tool.poetry.dependencies]` / `openai = { version = "^1" }`,
    // which defines `openai` twice: not TOML (Python's tomllib: "Cannot overwrite a value").
    const text = [
      '[tool.poetry.group."ml.extra".dependencies]',
      'vllm = "*"',
      '[tool.poetry.dev-dependencies]',
      'litellm = "*"',
      '[tool.poetry.dependencies.openai]',
      'version = "^1"',
      'extras = ["x"]',
    ].join('\n');
    expect(parsePyproject(text).map((d) => [d.line, d.name, d.section])).toEqual([
      [2, 'vllm', 'tool.poetry.group."ml.extra".dependencies'],
      [4, 'litellm', 'tool.poetry.dev-dependencies'],
      [5, 'openai', 'tool.poetry.dependencies'],
    ]);
  });

  it('PDM dev-dependencies and Hatch environments', () => {
    const text = '[tool.pdm.dev-dependencies]\nlint = ["ruff", "openai"]\n[tool.hatch.envs.eval]\nextra-dependencies = [\n  "anthropic",\n]\n';
    expect(names(parsePyproject(text))).toEqual([[2, 'ruff'], [2, 'openai'], [5, 'anthropic']]);
  });

  it('requirement strings in an unrelated key or prose are not read', () => {
    const text = '[tool.ruff]\nextend-select = ["openai"]\n[project]\ndescription = "openai"\nkeywords = ["anthropic"]\n';
    expect(parsePyproject(text)).toEqual([]);
  });
});

describe('Pipfile', () => {
  it('sub-table form and CRLF', () => {
    expect(names(parsePipfile('[packages.openai]\r\nversion = "*"\r\n[dev-packages]\r\nanthropic = "*"\r\n'))).toEqual([
      [1, 'openai'],
      [4, 'anthropic'],
    ]);
  });
});

describe('setup.cfg', () => {
  it('single-line values split on ;, colon separators, other sections ignored', () => {
    const text = '[options]\ninstall_requires = openai>=1; anthropic\ntests_require: litellm\n[tool:pytest]\ninstall_requires = vllm\n';
    expect(names(parseSetupCfg(text))).toEqual([[2, 'openai'], [2, 'anthropic'], [3, 'litellm']]);
  });

  it('a single line followed by blank lines is still a single line', () => {
    expect(names(parseSetupCfg('[options]\ninstall_requires = openai; anthropic\n\n\n[metadata]\n'))).toEqual([[2, 'openai'], [2, 'anthropic']]);
  });

  it('file: directives are not followed', () => {
    expect(parseSetupCfg('[options]\ninstall_requires = file: requirements.in\n')).toEqual([]);
  });
});

describe('go.mod', () => {
  it('quoted paths, require( without space, CRLF, tool and retract blocks', () => {
    const text = 'module x\r\nrequire(\r\n\t"github.com/tmc/langchaingo" v0.1.0\r\n)\r\nretract (\r\n\tv1.0.0\r\n)\r\ntool github.com/openai/openai-go\r\nrequire `github.com/google/generative-ai-go` v0.1.0\r\n';
    expect(names(parseGoMod(text))).toEqual([[3, 'github.com/tmc/langchaingo'], [9, 'github.com/google/generative-ai-go']]);
  });

  it('an indirect single-line require is skipped', () => {
    expect(parseGoMod('require github.com/tmc/langchaingo v0.1.0 // indirect\n')).toEqual([]);
  });
});

describe('pom.xml', () => {
  it('dependencyManagement counts; an unclosed dependency is ignored; whitespace in tags', () => {
    const text = [
      '<project><dependencyManagement><dependencies>',
      '<dependency><groupId>org.springframework.ai</groupId><artifactId>spring-ai-bom</artifactId></dependency>',
      '</dependencies></dependencyManagement>',
      '<dependencies><dependency >',
      '<groupId >dev.langchain4j</groupId >',
      '<artifactId >langchain4j</artifactId >',
      '</dependency><dependency><groupId>com.openai</groupId>',
    ].join('\n');
    expect(names(parsePom(text))).toEqual([[2, 'org.springframework.ai:spring-ai-bom'], [6, 'dev.langchain4j:langchain4j']]);
  });
});

describe('Gradle', () => {
  it('calls spread over lines, Android and kapt configurations, classifiers and @ext', () => {
    const text = [
      'dependencies {',
      '    implementation(',
      '        "com.openai:openai-java:0.8.0"',
      '    )',
      '    androidTestImplementation("dev.langchain4j:langchain4j:1.0")',
      "    debugImplementation 'dev.langchain4j:langchain4j-ollama:1.0:sources@jar'",
      '    kapt("org.springframework.ai:spring-ai-processor:1.0")',
      '    implementation("com.anthropic:anthropic-java:$anthropicVersion")',
      '    implementation(project(":core"))',
      '    implementation(files("libs/openai.jar"))',
      '    println("com.openai:openai-java")',
      '}',
    ].join('\n');
    expect(names(parseGradle(text))).toEqual([
      [3, 'com.openai:openai-java'],
      [5, 'dev.langchain4j:langchain4j'],
      [6, 'dev.langchain4j:langchain4j-ollama'],
      [7, 'org.springframework.ai:spring-ai-processor'],
      [8, 'com.anthropic:anthropic-java'],
    ]);
  });

  it('version catalog: sub-table form, ignoring versions and plugins', () => {
    const text = '[versions]\nx = "com.openai:openai-java:1"\n[libraries.openai]\nmodule = "com.openai:openai-java"\n[plugins]\np = "com.openai:openai-java"\n';
    expect(names(parseVersionCatalog(text))).toEqual([[3, 'com.openai:openai-java']]);
  });
});

describe('robustness (property)', () => {
  const parsers: [string, (t: string) => DeclaredDependency[]][] = [
    ['requirements', (t) => parseRequirements(t)],
    ['package.json', parsePackageJson],
    ['pyproject', parsePyproject],
    ['Pipfile', parsePipfile],
    ['setup.cfg', parseSetupCfg],
    ['go.mod', parseGoMod],
    ['pom', parsePom],
    ['gradle', parseGradle],
    ['catalog', parseVersionCatalog],
  ];
  const alphabet = fc.constantFrom(...'ab-_.=[]{}"\'#:;<>/\\()@ \t\n\r,*0v'.split(''), 'openai', 'dependencies', '[project]', '"""', "'''", '<dependency>', '</dependency>', '<artifactId>', 'require (', 'implementation(');
  const text = fc.array(alphabet, { maxLength: 200 }).map((xs) => xs.join(''));

  it.each(parsers)('%s never throws and reports lines inside the text', (_name, parse) => {
    fc.assert(
      fc.property(text, (t) => {
        const lineCount = t.split(/\r?\n|\r/).length;
        for (const d of parse(t)) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.name.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
