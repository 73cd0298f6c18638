// Manifest text → validated sections with positions. Pure.
import { lazy } from '../../lib/lazy';
import { manifestSchema, manifestSections } from './schema';
import type { Manifest, ManifestSection } from './schema';
import { issuesToErrors, parseYaml, positionOf } from '../yaml';
import type { ConfigError, Position } from '../yaml';

export interface ParsedManifest {
  /** Path relative to the workspace, posix. */
  file: string;
  /** Folder of the manifest relative to the workspace ('' for the root). */
  dir: string;
  /** The system id, or a stand-in derived from the folder when the document has none. */
  system: string;
  /** Sections that validated; a section with errors is absent here and listed in sectionErrors. */
  manifest: Partial<Manifest>;
  sectionErrors: Partial<Record<ManifestSection, ConfigError[]>>;
  /** YAML syntax, `version`, `system`, unknown top-level keys. */
  documentErrors: ConfigError[];
  /** False when the document is not a YAML mapping at all: no section can be judged. */
  readable: boolean;
  /** Position of a key path in the manifest, for gate locations. */
  positionOf(path: readonly PropertyKey[]): Position;
}

const sectionKeys = lazy(() => new Set<string>(Object.keys(manifestSections())));

export function parseManifest(text: string, file: string): ParsedManifest {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const src = parseYaml(text, file);
  const result: ParsedManifest = {
    file,
    dir,
    system: standInId(dir),
    manifest: {},
    sectionErrors: {},
    documentErrors: [...src.errors],
    readable: false,
    positionOf: (path) => positionOf(src, path),
  };
  if (src.errors.length > 0) return result;
  if (src.value === null || typeof src.value !== 'object' || Array.isArray(src.value)) {
    result.documentErrors.push({
      file,
      line: 1,
      column: 1,
      path: '',
      expected: 'a mapping with version: 1 and system: <id>',
      found: src.value === null || src.value === undefined ? 'an empty document' : Array.isArray(src.value) ? 'a list' : typeof src.value,
      message: 'the manifest must be a YAML mapping',
    });
    return result;
  }
  result.readable = true;
  const raw = src.value as Record<string, unknown>;
  const parsed = manifestSchema().safeParse(raw);
  const errors = parsed.success ? [] : issuesToErrors(src, parsed.error.issues);
  for (const e of errors) {
    const top = e.path.split(/[.[]/)[0] ?? '';
    if (sectionKeys().has(top)) {
      (result.sectionErrors[top as ManifestSection] ??= []).push(e);
    } else {
      result.documentErrors.push(e);
    }
  }
  if (parsed.success) {
    result.manifest = parsed.data;
  } else {
    result.manifest = sectionsThatValidate(raw);
  }
  if (typeof raw.system === 'string' && /^[a-z0-9-]+$/.test(raw.system)) result.system = raw.system;
  return result;
}

function sectionsThatValidate(raw: Record<string, unknown>): Partial<Manifest> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(manifestSections())) {
    if (raw[key] === undefined) continue;
    const r = schema.safeParse(raw[key]);
    if (r.success) out[key] = r.data;
  }
  if (raw.version === 1) out.version = 1;
  if (typeof raw.system === 'string') out.system = raw.system;
  if (typeof raw.description === 'string') out.description = raw.description;
  return out as Partial<Manifest>;
}

function standInId(dir: string): string {
  const last = dir.split('/').filter(Boolean).pop() ?? 'root';
  return last.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'root';
}
