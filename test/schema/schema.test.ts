// The committed JSON Schemas under schema/ are generated from the zod schemas; this fails when
// they are out of date (regenerate with `npm run build && npm run schema`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCHEMA_FILES, jsonSchema, schemaText } from '../../src/cli/schema/json-schema';
import type { SchemaName } from '../../src/cli/schema/json-schema';
import { manifestSchema } from '../../src/config/manifest/schema';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('published JSON Schemas', () => {
  for (const name of Object.keys(SCHEMA_FILES) as SchemaName[]) {
    it(`schema/${SCHEMA_FILES[name]} is up to date`, () => {
      expect(readFileSync(path.join(root, 'schema', SCHEMA_FILES[name]), 'utf8')).toBe(schemaText(name));
    });
  }

  it('the manifest schema rejects unknown keys and lists every section of the spec', () => {
    const s = jsonSchema('manifest') as { additionalProperties?: boolean; properties: Record<string, unknown> };
    expect(s.additionalProperties).toBe(false);
    for (const key of ['owner', 'business_owner', 'model', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'evals', 'waivers']) {
      expect(s.properties).toHaveProperty(key);
    }
  });

  it('the example manifest validates against the zod schema it was generated from', () => {
    const doc: unknown = parse(readFileSync(path.join(root, 'examples', 'support-triage', 'lastmile.yml'), 'utf8'));
    expect(manifestSchema().safeParse(doc).success).toBe(true);
  });
});

describe('version', () => {
  it('src/lib/version.ts matches package.json', async () => {
    const { VERSION } = await import('../../src/lib/version');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
