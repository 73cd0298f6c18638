// Small constructors shared by the gates, so every result reads the same way.
import { gateInfo } from '../../model/catalogue';
import type { GateId } from '../../model/catalogue';
import type { GateContext, GateResult, Location, Outcome } from '../types';
import type { ManifestSection } from '../../config/manifest/schema';

export function result(id: GateId, outcome: Outcome, reason: string, extra: Partial<Omit<GateResult, 'id' | 'outcome' | 'reason'>> = {}): GateResult {
  const fix = outcome === 'pass' || outcome === 'skipped' ? extra.fix : (extra.fix ?? gateInfo(id).fix);
  return { id, outcome, reason, ...extra, ...(fix ? { fix } : {}) };
}

export function at(ctx: GateContext, path: readonly PropertyKey[]): Location {
  const m = ctx.system.manifest;
  const p = m.positionOf(path);
  return { file: m.file, line: p.line, column: p.column };
}

/**
 * The common preamble: a section with schema errors fails as "invalid", a missing one as
 * "missing". Returns undefined when the section is there and valid.
 */
export function sectionProblem(ctx: GateContext, id: GateId, section: ManifestSection, fix: string): GateResult | undefined {
  const m = ctx.system.manifest;
  if (!m.readable) {
    const first = m.documentErrors[0];
    return result(id, 'fail', `cannot check: ${m.file} does not parse${first ? ` (${first.file}:${first.line}:${first.column})` : ''}; see manifest.valid`, {
      fix: `Fix the YAML of ${m.file} first.`,
      location: first ? { file: first.file, line: first.line, column: first.column } : { file: m.file, line: 1 },
    });
  }
  const errors = m.sectionErrors[section];
  if (errors && errors.length > 0) {
    const first = errors[0]!;
    return result(id, 'fail', `invalid: \`${section}\` has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${first.path} expected ${first.expected}, found ${first.found}`, {
      fix: `Correct \`${section}\` in ${m.file} (${first.file}:${first.line}:${first.column}).`,
      location: { file: first.file, line: first.line, column: first.column },
      details: errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path}: expected ${e.expected}, found ${e.found}`),
    });
  }
  if (m.manifest[section] === undefined) {
    return result(id, 'fail', `missing: the manifest has no \`${section}:\` section`, { fix, location: { file: m.file, line: 1 } });
  }
  return undefined;
}

/**
 * Fails gate `id` when some of `keys` are absent from manifest section `section` (`obj`), naming
 * each in the reason and the fix; `why` ends the fix (given the missing keys). Undefined when all
 * are there.
 */
export function requireKeys<T extends object>(
  ctx: GateContext,
  id: GateId,
  section: string,
  obj: T,
  keys: readonly (keyof T & string)[],
  why: (missing: string[]) => string = () => '',
): GateResult | undefined {
  const missing = absent(obj, keys);
  if (missing.length === 0) return undefined;
  return result(id, 'fail', `missing: ${section}.${missing.join(`, ${section}.`)}`, {
    fix: `Declare ${missing.map((k) => `\`${section}.${k}\``).join(', ')}${why(missing)}.`,
    location: at(ctx, [section]),
  });
}

/** Names of keys that are absent, in the order given. */
export function absent<T extends object>(obj: T, keys: readonly (keyof T & string)[]): string[] {
  return keys.filter((k) => obj[k] === undefined || obj[k] === null || (Array.isArray(obj[k]) && (obj[k] as unknown[]).length === 0));
}

/** Checks a file a manifest names: declared, inside the workspace, present. */
export function fileProblem(ctx: GateContext, written: string): string | undefined {
  const fact = ctx.system.files[written];
  if (!fact) return `${written} was not resolved`;
  if (fact.problem) return `${written}: ${fact.problem}`;
  if (!fact.exists) return `${written} does not exist (looked for ${fact.path})`;
  return undefined;
}
