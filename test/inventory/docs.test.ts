import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PACKAGES, renderPackageTable, updateGeneratedDoc } from '../../src/evidence/inventory';

const DOC = join(import.meta.dirname, '../../docs/inventory.md');

describe('docs/inventory.md', () => {
  it('has its generated blocks up to date (LASTMILE_UPDATE_DOCS=1 rewrites them)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const fresh = updateGeneratedDoc(doc);
    if (fresh !== doc && process.env.LASTMILE_UPDATE_DOCS === '1') writeFileSync(DOC, fresh);
    else expect(doc, 'run: LASTMILE_UPDATE_DOCS=1 npx vitest run test/inventory/docs.test.ts').toBe(fresh);
  });

  it('lists every built-in package, one row each', () => {
    const table = renderPackageTable();
    expect(table.split('\n')).toHaveLength(BUILTIN_PACKAGES.length + 2);
    for (const e of BUILTIN_PACKAGES) expect(table).toContain(`\`${e.name}\``);
  });

  it('escapes pipes in notes', () => {
    expect(renderPackageTable([{ ecosystem: 'npm', name: 'x', note: 'a | b' }])).toContain('a \\| b');
  });

  it('refuses a doc without the markers', () => {
    expect(() => updateGeneratedDoc('# nothing here')).toThrow(/missing generated block/);
  });
});
