// JSON Schemas generated from the zod schemas: for editors (yaml-language-server), for
// `last-mile schema`, and committed under schema/ (a test keeps them in step).
import { z } from 'zod';
import { lastmileSchema } from '../../evidence/evals/formats/lastmile';
import { manifestSchema } from '../../config/manifest/schema';
import { policySchema } from '../../config/policy/schema';
import { reportSchema } from '../../model/report-schema';
import { attestationPredicateSchema } from '../../model/attestation-schema';
import { boardSchema } from '../../model/board-schema';

const BASE = 'https://raw.githubusercontent.com/last-mile/last-mile/v1/schema';

export const SCHEMA_FILES = {
  manifest: 'manifest.schema.json',
  policy: 'policy.schema.json',
  'eval-lastmile': 'eval-lastmile.schema.json',
  report: 'report.schema.json',
  attestation: 'attestation.schema.json',
  board: 'board.schema.json',
} as const;

export type SchemaName = keyof typeof SCHEMA_FILES;

export function jsonSchema(name: SchemaName): Record<string, unknown> {
  const source = { manifest: manifestSchema, policy: policySchema, 'eval-lastmile': lastmileSchema, report: reportSchema, attestation: attestationPredicateSchema, board: boardSchema }[name];
  const titles: Record<SchemaName, string> = {
    manifest: 'Last Mile readiness manifest (lastmile.yml)',
    policy: 'Last Mile policy (.github/lastmile-policy.yml)',
    'eval-lastmile': 'Last Mile eval summary (format: lastmile)',
    report: 'Last Mile report (output `report`)',
    attestation: 'Last Mile attestation predicate (https://github.com/last-mile/last-mile/attestation/v1)',
    board: 'Last Mile readiness board (`last-mile board --json`)',
  };
  // Input shapes: what a user writes (before defaults and transforms).
  const generated = z.toJSONSchema(source(), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: `${BASE}/${SCHEMA_FILES[name]}`, title: titles[name], ...generated };
}

export function schemaText(name: SchemaName): string {
  return `${JSON.stringify(jsonSchema(name), null, 2)}\n`;
}
