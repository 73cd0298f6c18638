// manifest.valid: the document-level errors (syntax, version, system, unknown top-level keys),
// and the errors of the sections that no other gate judges (`business_owner`, `model`,
// `waivers`): an invalid manifest must never pass, whichever part of it is broken.
import type { ManifestSection } from '../../../config/manifest/schema';
import { defineGate } from '../define';
import { result } from '../result';
import type { GateContext, GateResult } from '../../types';

const gate = defineGate({ id: 'manifest.valid', scope: 'system', requires: 'always', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const manifestValid = gate.run;

/** Sections read by no section gate (freshness reads `model.version`, but passes without it where a format records no version). */
const UNGATED_SECTIONS: readonly ManifestSection[] = ['business_owner', 'model', 'waivers'];

function check(ctx: GateContext): GateResult {
  const m = ctx.system.manifest;
  const errs = [...m.documentErrors, ...UNGATED_SECTIONS.flatMap((s) => m.sectionErrors[s] ?? [])];
  if (errs.length === 0) return result('manifest.valid', 'pass', 'the manifest is valid', { location: { file: m.file, line: 1 } });
  const first = errs[0]!;
  return result('manifest.valid', 'fail', `${first.file}:${first.line}:${first.column}${first.path ? ` ${first.path}` : ''}: expected ${first.expected}, found ${first.found}`, {
    location: { file: first.file, line: first.line, column: first.column },
    details: errs.map((e) => `${e.file}:${e.line}:${e.column}${e.path ? ` ${e.path}` : ''}: expected ${e.expected}, found ${e.found}`),
  });
}
