import { BUILTIN_PACKAGES } from './packages';
import type { PackageEntry } from './packages';
import { FOLDER_MODEL_EXTENSIONS, MODEL_EXTENSIONS, MODEL_FOLDERS, SKIPPED_FOLDERS } from './paths';
import { ECOSYSTEMS } from './types';
import type { Ecosystem } from './types';

const TITLES: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI', go: 'Go', maven: 'Maven' };

const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The built-in package list as a Markdown table (generated into docs/inventory.md). */
export function renderPackageTable(entries: readonly PackageEntry[] = BUILTIN_PACKAGES): string {
  const rows = ['| ecosystem | package | what it is |', '|---|---|---|'];
  for (const eco of ECOSYSTEMS) {
    for (const e of entries) {
      if (e.ecosystem === eco) rows.push(`| ${TITLES[eco]} | ${code(e.name)} | ${cell(e.note)} |`);
    }
  }
  return rows.join('\n');
}

/** The model-file rule as Markdown (generated into docs/inventory.md). */
export function renderModelFileRule(): string {
  return [
    `- Reported wherever they are: ${MODEL_EXTENSIONS.map(code).join(', ')}.`,
    `- Reported only inside a folder named ${MODEL_FOLDERS.map(code).join(', ')} (at any depth, any case): ` +
      `${FOLDER_MODEL_EXTENSIONS.map(code).join(', ')}. Elsewhere these extensions are too often something else ` +
      '(a `.bin` firmware blob, a `.pkl` cache, a PyTorch test fixture).',
    '- Extensions are compared case-insensitively. A model file is reported at line 1.',
    `- Never scanned, at any depth: ${SKIPPED_FOLDERS.map((f) => code(`${f}/`)).join(', ')}.`,
  ].join('\n');
}

const BEGIN = (name: string): string => `<!-- BEGIN GENERATED: ${name} (src/evidence/inventory/docs.ts) -->`;
const END = (name: string): string => `<!-- END GENERATED: ${name} -->`;

/** The generated blocks of docs/inventory.md, by name. */
export function generatedDocBlocks(): Record<string, string> {
  return { packages: renderPackageTable(), 'model-files': renderModelFileRule() };
}

/**
 * Replace each generated block (between its BEGIN/END markers) of a Markdown text with its
 * current rendering. A test checks that docs/inventory.md is a fixed point of this.
 */
export function updateGeneratedDoc(markdown: string): string {
  let out = markdown;
  for (const [name, body] of Object.entries(generatedDocBlocks())) {
    const begin = BEGIN(name);
    const end = END(name);
    const a = out.indexOf(begin);
    const b = out.indexOf(end);
    if (a === -1 || b === -1 || b < a) throw new Error(`docs: missing generated block "${name}" (${begin} … ${end})`);
    out = `${out.slice(0, a)}${begin}\n${body}\n${out.slice(b)}`;
  }
  return out;
}
