// The manifest and policy reference (docs/reference.md), generated from the JSON Schemas that
// are themselves generated from the zod schemas: the reference cannot drift from what is parsed.
import { jsonSchema } from './json-schema';
import type { SchemaName } from './json-schema';

type Json = Record<string, unknown>;

function describe(s: Json): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map((alt) => (alt.type === 'object' && alt.properties ? inline(alt) : describe(alt))).join(' or ');
  const type = Array.isArray(s.type) ? (s.type as string[]).join(' or ') : typeof s.type === 'string' ? s.type : 'any';
  if (type === 'array') return `list of ${describe((s.items as Json | undefined) ?? {})}`;
  if (type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    return `map of name → ${describe(s.additionalProperties as Json)}`;
  }
  const extra: string[] = [];
  if (typeof s.pattern === 'string') extra.push(s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' ? 'date YYYY-MM-DD' : `pattern \`${s.pattern}\``);
  if (typeof s.minimum === 'number') extra.push(`≥ ${s.minimum}`);
  if (typeof s.exclusiveMinimum === 'number') extra.push(`> ${s.exclusiveMinimum}`);
  if (typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER) extra.push(`≤ ${s.maximum}`);
  if (typeof s.exclusiveMaximum === 'number') extra.push(`< ${s.exclusiveMaximum}`);
  if (s.format === 'uri') extra.push('URL');
  return extra.length > 0 ? `${type} (${extra.join(', ')})` : type;
}

/** `{ min: number }` for a small object among alternatives. */
function inline(s: Json): string {
  const props = Object.entries((s.properties as Record<string, Json> | undefined) ?? {});
  return `{ ${props.map(([k, v]) => `${k}: ${describe(v)}`).join(', ')} }`;
}

function rows(s: Json, prefix: string, required: boolean, out: string[]): void {
  const target = s.type === 'array' && s.items ? (s.items as Json) : s;
  const suffix = s.type === 'array' ? '[]' : '';
  if (prefix) out.push(`| \`${prefix}${suffix}\` | ${describe(s).replace(/\|/g, '\\|').replace(/\\\\\|/g, '\\|')} | ${required ? 'yes' : ''} |`);
  const props = target.properties as Record<string, Json> | undefined;
  if (target.type === 'object' && props) {
    const req = new Set((target.required as string[] | undefined) ?? []);
    for (const [k, v] of Object.entries(props)) rows(v, prefix ? `${prefix}${suffix}.${k}` : k, req.has(k), out);
  } else if (target.type === 'object' && target.additionalProperties && typeof target.additionalProperties === 'object') {
    rows(target.additionalProperties as Json, `${prefix}${suffix}.<name>`, false, out);
  } else if (Array.isArray(target.anyOf)) {
    for (const alt of target.anyOf as Json[]) if (alt.type === 'object' && alt.properties) rows({ ...alt, type: 'object' }, prefix + suffix, false, []);
  }
}

export function referenceTable(name: SchemaName): string {
  const out = ['| key | value | required |', '|---|---|---|'];
  rows(jsonSchema(name), '', true, out);
  return out.join('\n');
}

export function renderReference(): string {
  return `# Manifest and policy reference

Generated from the schemas the action parses with (\`last-mile schema\`); a test fails when it
is out of date. Unknown keys are errors everywhere.

## Readiness manifest (\`lastmile.yml\`)

${referenceTable('manifest')}

## Policy (\`.github/lastmile-policy.yml\`)

Sections a policy leaves out take the built-in default's (see the README).

${referenceTable('policy')}
`;
}
