// docs/reference.md is generated from the schemas; regenerate with LASTMILE_UPDATE_DOCS=1.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReference } from '../../src/cli/schema/reference';

const FILE = path.resolve(import.meta.dirname, '..', '..', 'docs', 'reference.md');

describe('docs/reference.md', () => {
  it('is generated from the current schemas', () => {
    if (process.env.LASTMILE_UPDATE_DOCS === '1') writeFileSync(FILE, renderReference());
    expect(readFileSync(FILE, 'utf8')).toBe(renderReference());
  });

  it('lists every key of SPEC §2 and §3 it documents, with enums', () => {
    const text = renderReference();
    for (const key of ['`owner.team`', '`signoffs[].status`', '`evals[].format`', '`monitoring.drift.method`', '`integrations[].timeout_ms`', '`branches[].enforce`', '`evals.max_gap`', '`inventory.packages.pypi[]`', '`waivers.max_days`']) {
      expect(text).toContain(key);
    }
    expect(text).toContain('`requested` \\| `approved` \\| `rejected`');
  });
});
