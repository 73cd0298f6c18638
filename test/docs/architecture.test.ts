// The shape the README's "Architecture" section promises: the folders of src/ it lists, imports
// that point one way (edges → core → evidence/config → model → lib), and no source file over
// 400 lines. A move that breaks one of these fails here, not in a reviewer's head.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const src = path.join(root, 'src');

/** Lower layers first; a folder may import its own layer or any below it, never above. */
const LAYERS: Record<string, number> = {
  lib: 0,
  model: 1,
  config: 2,
  evidence: 3,
  core: 4,
  render: 5,
  github: 5,
  collect: 6,
  action: 7,
  cli: 7,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const topOf = (file: string): string => path.relative(src, file).split(path.sep)[0]!;

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
}

describe('architecture', () => {
  const files = sources(src);

  it('src/ holds exactly the folders the layers name (and version-free entry points inside them)', () => {
    const folders = readdirSync(src).filter((n) => statSync(path.join(src, n)).isDirectory()).sort();
    expect(folders).toEqual(Object.keys(LAYERS).sort());
    expect(readdirSync(src).filter((n) => !statSync(path.join(src, n)).isDirectory())).toEqual([]);
  });

  it('imports point one way: no folder imports a folder of a higher layer', () => {
    const upward: string[] = [];
    for (const f of files) {
      const from = topOf(f);
      for (const spec of relativeImports(f)) {
        const to = topOf(path.resolve(path.dirname(f), spec));
        if (to !== from && (LAYERS[to] ?? -1) > (LAYERS[from] ?? -1)) upward.push(`${path.relative(root, f)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the pure layers touch no file system, network, process or environment', () => {
    const impure: string[] = [];
    for (const f of files) {
      if (!['lib', 'model', 'config', 'evidence', 'core', 'render'].includes(topOf(f))) continue;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/from\s+'(node:(?:fs|fs\/promises|child_process|net|http|https|os))'|\bprocess\.(?:env|cwd|exit|stdout|stderr)\b/g)) {
        impure.push(`${path.relative(root, f)}: ${m[0]}`);
      }
    }
    expect(impure).toEqual([]);
  });

  it('no source file is over 400 lines', () => {
    const long = files.map((f) => ({ f: path.relative(root, f), n: readFileSync(f, 'utf8').split('\n').length })).filter((x) => x.n > 400);
    expect(long).toEqual([]);
  });

  it("the README's Architecture section lists every folder of src/ and where a gate lives", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('\n## ', readme.indexOf('## Architecture') + 5));
    expect(section.length).toBeGreaterThan(200);
    for (const folder of Object.keys(LAYERS)) expect(section).toContain(`src/${folder}/`);
    expect(section).toContain('src/core/gates/registry.ts');
  });
});
