/**
 * When and from which commit an eval file says it was produced, checked for values that cannot be
 * real (SPEC §6): a commit id is at least 7 hex digits, and the newest timestamp an adapter read
 * is kept, with its key and line, so that eval.freshness (which knows the evaluation's `now`) can
 * refuse a file dated in the future, which would otherwise stay "0 days old" forever.
 */
import { formatPath, locatePath } from '../json';
import type { JsonPath } from '../json-scanner';

/** A timestamp as read from a file: ISO 8601 (UTC), the key it was read from, its line where known. */
export interface TimeSource {
  time: string;
  key: string;
  line?: number;
}

// Declared here, next to the adapters that fill it, rather than in ../types (owned elsewhere);
// a plain optional field of EvalResult for every reader.
declare module '../types' {
  interface EvalResult {
    /** The newest timestamp the adapter read, and where: one in the future makes the results invalid. */
    newestTime?: TimeSource;
  }
}

/** A full or abbreviated git commit id (SHA-1 or SHA-256): at least 7 hex digits. */
export const COMMIT_ID = /^[0-9a-f]{7,64}$/i;

/** Why `value` is not a commit id ("expected …, found …"); undefined when it is one. */
export function commitProblem(value: string): string | undefined {
  if (COMMIT_ID.test(value)) return undefined;
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return `expected a commit id of at least 7 hex digits (e.g. "5abecd6"), found ${shown}`;
}

/**
 * A file's line is found by a second pass over its text (about 50 MB/s): done where the time could
 * be in the future of an evaluation running now (the action always evaluates at the current time).
 * For an older time, or a `last-mile check --now` far in the past, the error names the key alone.
 */
const LOCATE_WITHIN_MS = 2 * 86_400_000;

/** The newest of the times read at `paths` of JSON `text`, with its key and (see above) its line. */
export function newestTime(text: string, read: { path: JsonPath; ms: number | undefined }[], allowNonFinite = false): TimeSource | undefined {
  let best: { path: JsonPath; ms: number } | undefined;
  for (const r of read) if (r.ms !== undefined && Number.isFinite(r.ms) && (best === undefined || r.ms > best.ms)) best = { path: r.path, ms: r.ms };
  if (best === undefined) return undefined;
  const out: TimeSource = { time: new Date(best.ms).toISOString(), key: formatPath(best.path) };
  if (best.ms > Date.now() - LOCATE_WITHIN_MS) {
    const loc = locatePath(text, best.path, allowNonFinite);
    if (loc) out.line = loc.line;
  }
  return out;
}
