// Fixture files and small YAML editors shared by the unit tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Document } from 'yaml';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function fixture(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/** SPEC §2's example manifest, verbatim. */
export const FULL_MANIFEST = fixture('manifests/full.yml');
/** SPEC §3's example policy, verbatim. */
export const SPEC_POLICY = fixture('policies/spec.yml');
/** SPEC §3's built-in default (placeholder branch = main, stages filled in). */
export const SPEC_DEFAULT_POLICY = fixture('policies/spec-default.yml');

/**
 * Edits YAML text through the `yaml` Document API (comments and order kept), e.g.
 * `editYaml(FULL_MANIFEST, (d) => d.deleteIn(['owner', 'oncall']))`.
 */
export function editYaml(text: string, edit: (doc: Document) => void): string {
  const doc = parseDocument(text);
  edit(doc);
  return doc.toString({ lineWidth: 0 });
}

/** 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}
