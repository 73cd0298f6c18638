import { describe, expect, it, vi } from 'vitest';
import { scanInventory } from '../../src/evidence/inventory';
import type { InventoryOptions } from '../../src/evidence/inventory';

const PKG = (dep: string): string => `{\n  "name": "x",\n  "dependencies": {\n    "${dep}": "1"\n  }\n}\n`;

/** A small repository in memory. */
const FILES: Record<string, string> = {
  'package.json': PKG('express'),
  'services/chat/lastmile.yml': 'version: 1\n',
  'services/chat/package.json': PKG('openai'),
  'services/chat/models/intent.onnx': '',
  'services/chat-v2/package.json': PKG('openai'),
  'services/search/requirements.txt': 'fastapi\nsentence-transformers==3.0\n',
  'services/search/deep/er/pyproject.toml': '[project]\ndependencies = [\n  "anthropic",\n]\n',
  'ml/models/classifier.pt': '',
  'ml/weights.bin': '',
  'ml/checkpoints/run1/step100.ckpt': '',
  'assets/embedder.safetensors': '',
  'assets/logo.png': '',
  'examples/demo/package.json': PKG('@anthropic-ai/sdk'),
  'node_modules/openai/package.json': PKG('openai'),
  'web/node_modules/@langchain/core/package.json': PKG('@langchain/core'),
  'vendor/github.com/x/go.mod': 'require github.com/tmc/langchaingo v0.1.0\n',
  'go/go.mod': 'module x\n\nrequire github.com/tmc/langchaingo v0.1.0\n',
  'java/pom.xml': '<dependency>\n<groupId>dev.langchain4j</groupId>\n<artifactId>langchain4j</artifactId>\n</dependency>\n',
  'tools/requirements-dev.txt': 'our-internal-llm-client==2\n',
  'src/index.ts': 'import OpenAI from "openai";\n',
};
const PATHS = Object.keys(FILES);
const read = (p: string): string | undefined => FILES[p];
const opts = (o: Partial<InventoryOptions> = {}): InventoryOptions => ({ manifestDirs: ['services/chat'], ignore: [], ...o });
const summary = (o?: Partial<InventoryOptions>): string[] =>
  scanInventory(PATHS, read, opts(o)).map((f) => `${f.file}:${f.line} ${f.kind === 'dependency' ? f.package : 'model'}`);

describe('scanInventory', () => {
  it('reports AI outside every manifest folder, sorted by file and line', () => {
    expect(summary()).toEqual([
      'assets/embedder.safetensors:1 model',
      'examples/demo/package.json:4 @anthropic-ai/sdk',
      'go/go.mod:3 github.com/tmc/langchaingo',
      'java/pom.xml:3 dev.langchain4j:langchain4j',
      'ml/checkpoints/run1/step100.ckpt:1 model',
      'ml/models/classifier.pt:1 model',
      'services/chat-v2/package.json:4 openai',
      'services/search/deep/er/pyproject.toml:3 anthropic',
      'services/search/requirements.txt:2 sentence-transformers',
    ]);
  });

  it('a manifest folder covers what is inside it, at any depth, but not its siblings', () => {
    const s = summary({ manifestDirs: ['services/chat', 'services/search'] });
    expect(s.filter((x) => x.startsWith('services/'))).toEqual(['services/chat-v2/package.json:4 openai']);
  });

  it('a manifest at the root covers everything (and reads nothing)', () => {
    const spy = vi.fn(read);
    expect(scanInventory(PATHS, spy, opts({ manifestDirs: ['.'] }))).toEqual([]);
    expect(scanInventory(PATHS, spy, opts({ manifestDirs: [''] }))).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('ignore globs drop paths, and ignored files are not read', () => {
    const spy = vi.fn(read);
    const f = scanInventory(PATHS, spy, opts({ ignore: ['examples/**', 'ml/**', '*.safetensors', 'java'] }));
    expect(f.map((x) => x.file)).toEqual([
      'go/go.mod',
      'services/chat-v2/package.json',
      'services/search/deep/er/pyproject.toml',
      'services/search/requirements.txt',
    ]);
    const readPaths = spy.mock.calls.map((c) => c[0]).sort();
    expect(readPaths).toEqual([
      'go/go.mod',
      'package.json',
      'services/chat-v2/package.json',
      'services/search/deep/er/pyproject.toml',
      'services/search/requirements.txt',
      'tools/requirements-dev.txt',
    ]);
  });

  it('never looks into node_modules/, vendor/ or .git/', () => {
    const spy = vi.fn(read);
    scanInventory(PATHS, spy, opts());
    for (const [p] of spy.mock.calls) expect(p).not.toMatch(/node_modules|vendor/);
  });

  it('extraPackages extends the list', () => {
    const f = scanInventory(PATHS, read, opts({ extraPackages: { pypi: ['our-internal-llm-client'] } }));
    expect(f.find((x) => x.file === 'tools/requirements-dev.txt')).toEqual({
      file: 'tools/requirements-dev.txt',
      line: 1,
      kind: 'dependency',
      ecosystem: 'pypi',
      package: 'our-internal-llm-client',
      pattern: 'our-internal-llm-client',
      section: 'requirements',
      detail: 'PyPI package "our-internal-llm-client" in requirements — listed in the policy under inventory.packages',
    });
    expect(summary()).not.toContain('tools/requirements-dev.txt:1 our-internal-llm-client');
  });

  it('model-file findings: line 1, with the rule that applied', () => {
    const f = scanInventory(PATHS, read, opts());
    expect(f.find((x) => x.file === 'assets/embedder.safetensors')).toEqual({
      file: 'assets/embedder.safetensors',
      line: 1,
      kind: 'model-file',
      detail: 'model file (.safetensors)',
    });
    expect(f.find((x) => x.file === 'ml/models/classifier.pt')?.detail).toBe('model weights (.pt) in a "models" folder');
    expect(f.some((x) => x.file === 'ml/weights.bin')).toBe(false);
  });

  it('source code mentioning a package is not a finding (only dependency files are read)', () => {
    expect(summary().some((x) => x.startsWith('src/'))).toBe(false);
  });

  it('unreadable files are skipped; duplicate and ./-prefixed paths are reported once', () => {
    const f = scanInventory(['a/package.json', './a/package.json', 'a/package.json', 'b/package.json'], (p) => (p.endsWith('a/package.json') ? PKG('openai') : undefined), opts());
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['a/package.json:4']);
  });

  it('one finding per file, line and package', () => {
    const text = '{"dependencies": {"openai": "1"}, "devDependencies": {"openai": "1"}}';
    const f = scanInventory(['package.json'], () => text, opts({ manifestDirs: [] }));
    expect(f).toHaveLength(1);
  });

  it('empty inputs', () => {
    expect(scanInventory([], read, opts())).toEqual([]);
  });
});
