/**
 * JSON reading for the adapters: a parse that never throws, that names the line and column of a
 * syntax error (Node 20's `JSON.parse` messages often carry no position), that optionally accepts
 * the bare `NaN`, `Infinity` and `-Infinity` tokens Python's `json.dumps` writes (lm-eval, inspect,
 * DeepEval), and that can point at the line of a key path for schema errors. `JSON.parse` builds
 * every value (it is the fast path: most files are valid); the positions and Python's tokens come
 * from the one scanner, json-scanner.ts. Pure.
 */
import { locateOffset, nonFiniteTokens, scanJson } from './json-scanner';
import type { JsonPath, ScanError } from './json-scanner';
import { looksLike, sniffFormat } from './sniff';
import type { EvalFormat } from './types';

export { MAX_DEPTH, scanJson } from './json-scanner';
export type { JsonPath } from './json-scanner';
export { sniffFormat } from './sniff';

export type JsonParse =
  | { ok: true; value: unknown; nonFinite: number }
  | { ok: false; message: string; line?: number; column?: number };

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function located(text: string, err: ScanError): JsonParse {
  const { line, column } = lineColumn(text, err.offset);
  return { ok: false, message: err.message, line, column };
}

/**
 * Parses JSON text. With `allowNonFinite`, bare `NaN`, `Infinity` and `-Infinity` outside strings
 * become the corresponding numbers (and `nonFinite` counts them). Never throws.
 */
export function parseJson(input: string, opts: { allowNonFinite?: boolean } = {}): JsonParse {
  const text = stripBom(input);
  if (text.trim() === '') return { ok: false, message: 'the file is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, nonFinite: 0 };
  } catch {
    // fall through: either Python's non-finite tokens, or a real syntax error
  }
  if (opts.allowNonFinite) {
    const tokens = nonFiniteTokens(text);
    if (!tokens.ok) return located(text, tokens.error);
    if (tokens.offsets.length > 0) {
      try {
        return { ok: true, value: parseWithNonFinite(text, tokens.offsets), nonFinite: tokens.offsets.length };
      } catch {
        // valid, but nested deeper than the reviver's recursion reaches: located below
      }
    }
  }
  const err = scanJson(text, opts.allowNonFinite ?? false);
  return err === undefined ? { ok: false, message: 'invalid JSON' } : located(text, err);
}

const MARKER_BASE = '\u0000lastmile-nonfinite';

/**
 * `JSON.parse` of `text` with the non-finite tokens at `offsets` (valid JSON otherwise): each
 * token is written as a marker string that is in no string of the text, and turned back into
 * its number while parsing.
 */
function parseWithNonFinite(text: string, offsets: readonly number[]): unknown {
  let marker = `${MARKER_BASE}:`;
  for (let i = 2; text.includes(marker.replace('\u0000', '\\u0000')) || text.includes(marker); i++) marker = `${MARKER_BASE}${i}:`;
  const escaped = marker.replace('\u0000', '\\u0000');
  const parts: string[] = [];
  let last = 0;
  for (const at of offsets) {
    const c = text.charCodeAt(at);
    const token = c === 0x4e /* N */ ? 'NaN' : c === 0x49 /* I */ ? 'Infinity' : '-Infinity';
    parts.push(text.slice(last, at), `"${escaped}${token}"`);
    last = at + token.length;
  }
  parts.push(text.slice(last));
  return JSON.parse(parts.join(''), (_key, v: unknown) => {
    if (typeof v === 'string' && v.startsWith(marker)) {
      const token = v.slice(marker.length);
      return token === 'NaN' ? NaN : token === '-Infinity' ? -Infinity : Infinity;
    }
    return v;
  }) as unknown;
}

/**
 * The 1-based line and column of the value at `path` in JSON `text` (or of its deepest existing
 * ancestor, for a missing key). Undefined when the text is not valid JSON.
 */
export function locatePath(input: string, path: JsonPath, allowNonFinite = false): { line: number; column: number } | undefined {
  const text = stripBom(input);
  const offset = locateOffset(text, path, allowNonFinite);
  return offset === undefined ? undefined : lineColumn(text, offset);
}

/** Renders a key path as `a.b[2].c`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Parses an eval file expected to be of format `expected`. When strict JSON fails only because of
 * Python's NaN/Infinity tokens and the file looks like another format, the message says which.
 */
export function parseEvalJson(
  text: string,
  expected: EvalFormat,
  allowNonFinite: boolean,
): { ok: true; value: unknown; nonFinite: number } | { ok: false; message: string; line?: number; column?: number } {
  const parsed = parseJson(text, { allowNonFinite });
  if (parsed.ok) return parsed;
  const out: { ok: false; message: string; line?: number; column?: number } = { ok: false, message: `invalid JSON: ${parsed.message}` };
  if (parsed.line !== undefined) out.line = parsed.line;
  if (parsed.column !== undefined) out.column = parsed.column;
  if (!allowNonFinite) {
    const loose = parseJson(text, { allowNonFinite: true });
    out.message += looksLike(expected, loose.ok ? sniffFormat(loose.value) : undefined);
  }
  return out;
}
