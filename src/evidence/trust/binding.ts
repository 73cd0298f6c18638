// A sign-off covers what it approved (SPEC §6). A record unchanged on the base stops being
// verified by the base when the pull request changes a fact its kind vouches for: otherwise a
// security approval of an OIDC-only system would silently carry over to one that now takes API
// keys and reads restricted data. Pure.
import type { Manifest } from '../../config/manifest/schema';
import { canonical } from './verify';

/** The manifest facts each kind vouches for, as key paths. */
export const VOUCHES: Readonly<Record<string, readonly string[]>> = {
  security: ['identity', 'data', 'integrations'],
  'data-governance': ['data'],
  compliance: ['compliance', 'data.pii'],
  identity: ['identity'],
  'business-owner': ['system', 'model.name', 'business_owner'],
};

/** A kind the policy defines beyond these vouches for every fact but these. */
const NOT_FACTS = new Set(['evals', 'signoffs', 'waivers']);

export function vouchedFacts(kind: string, head: Partial<Manifest>, base: Partial<Manifest>): readonly string[] {
  const known = VOUCHES[kind];
  if (known) return known;
  return [...new Set([...Object.keys(head), ...Object.keys(base)])].filter((k) => !NOT_FACTS.has(k)).sort();
}

function get(m: unknown, path: string): unknown {
  let v = m;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Leaf key paths under `path` whose values differ (objects are descended, lists compared whole). */
function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (canonical(a ?? null) === canonical(b ?? null)) return;
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) diff(ra[k], rb[k], `${path}.${k}`, out);
    return;
  }
  out.push(path);
}

/** The facts this pull request changed that a sign-off of `kind` vouches for (empty: none). */
export function changedFacts(kind: string, head: Partial<Manifest>, base: Partial<Manifest>): string[] {
  const out: string[] = [];
  for (const path of vouchedFacts(kind, head, base)) diff(get(base, path), get(head, path), path, out);
  return out;
}
