// `last-mile schema`: prints (or writes) the JSON Schemas generated from the zod schemas.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_FILES, schemaText } from './json-schema';
import type { SchemaName } from './json-schema';
import { UsageError, parseCommand } from '../args';

export const SCHEMA_HELP = `Usage: last-mile schema [name] [--write <dir>]

Prints the JSON Schema of: ${Object.keys(SCHEMA_FILES).join(', ')} (all, as one JSON object
keyed by name, when no name is given). With --write, writes each to <dir>/<name>.schema.json.
`;

export function schema(argv: string[], out: (s: string) => void): number {
  const parsed = parseCommand({ args: argv, options: { write: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (parsed.values.help) {
    out(SCHEMA_HELP);
    return 0;
  }
  const names = Object.keys(SCHEMA_FILES) as SchemaName[];
  const wanted = parsed.positionals.length > 0 ? parsed.positionals : names;
  for (const n of wanted) if (!names.includes(n as SchemaName)) throw new UsageError(`unknown schema "${n}" (known: ${names.join(', ')})`);
  const selected = wanted as SchemaName[];
  if (parsed.values.write) {
    mkdirSync(parsed.values.write, { recursive: true });
    for (const n of selected) {
      const file = path.join(parsed.values.write, SCHEMA_FILES[n]);
      writeFileSync(file, schemaText(n));
      out(`wrote ${file}\n`);
    }
    return 0;
  }
  if (selected.length === 1) out(schemaText(selected[0]!));
  else out(`${JSON.stringify(Object.fromEntries(selected.map((n) => [n, JSON.parse(schemaText(n)) as unknown])), null, 2)}\n`);
  return 0;
}
