/**
 * JSON reading for the adapters: a parse that never throws, that names the line and column of a
 * syntax error (Node 20's `JSON.parse` messages often carry no position), that optionally accepts
 * the bare `NaN`, `Infinity` and `-Infinity` tokens Python's `json.dumps` writes (lm-eval, inspect,
 * DeepEval), and that can point at the line of a key path for schema errors. Pure.
 */
import type { EvalFormat } from './types';
import { isRecord } from './util';

export type JsonPath = readonly (string | number)[];

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
    const replaced = replaceNonFinite(text);
    if (replaced.count > 0) {
      try {
        const marker = replaced.marker;
        const value = JSON.parse(replaced.text, (_key, v: unknown) => {
          if (typeof v === 'string' && v.startsWith(marker)) {
            const token = v.slice(marker.length);
            return token === 'NaN' ? NaN : token === '-Infinity' ? -Infinity : Infinity;
          }
          return v;
        }) as unknown;
        return { ok: true, value, nonFinite: replaced.count };
      } catch {
        // a real syntax error; located below on the original text
      }
    }
  }
  const err = scanJson(text, opts.allowNonFinite ?? false);
  if (err === undefined) return { ok: false, message: 'invalid JSON' };
  const { line, column } = lineColumn(text, err.offset);
  return { ok: false, message: err.message, line, column };
}

const MARKER_BASE = '\u0000lastmile-nonfinite';

/** Replaces bare NaN / Infinity / -Infinity tokens outside strings with marker strings. */
function replaceNonFinite(text: string): { text: string; count: number; marker: string } {
  let marker = `${MARKER_BASE}:`;
  for (let i = 2; text.includes(marker.replace('\u0000', '\\u0000')) || text.includes(marker); i++) marker = `${MARKER_BASE}${i}:`;
  const escaped = marker.replace('\u0000', '\\u0000');
  const parts: string[] = [];
  let count = 0;
  let last = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    let token: string | undefined;
    if (c === 0x4e /* N */ && text.startsWith('NaN', i)) token = 'NaN';
    else if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) token = 'Infinity';
    else if (c === 0x2d /* - */ && text.startsWith('-Infinity', i)) token = '-Infinity';
    if (token !== undefined) {
      parts.push(text.slice(last, i), `"${escaped}${token}"`);
      i += token.length;
      last = i;
      count++;
      continue;
    }
    i++;
  }
  parts.push(text.slice(last));
  return { text: parts.join(''), count, marker };
}

interface ScanError {
  offset: number;
  message: string;
}

class ScanFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Deepest nesting the walker below follows. It recurses once per level: the limit keeps it well
 * inside the stack (the main thread's stack overflows near 3,000 levels), so that it never depends
 * on catching a stack overflow, which V8 turns into a process abort when it happens while a
 * regular expression is being compiled. Real eval files nest fewer than 20 levels.
 */
export const MAX_DEPTH = 500;

/**
 * A JSON syntax walker. It validates, and optionally reports the offset of the deepest existing
 * prefix of a key path. Only used on error paths and for locating schema errors.
 */
class Walker {
  private pos = 0;
  private readonly path: (string | number)[] = [];
  bestDepth = -1;
  bestOffset = 0;

  constructor(
    private readonly text: string,
    private readonly allowNonFinite: boolean,
    private readonly target?: JsonPath,
  ) {}

  run(): void {
    this.ws();
    this.value(0);
    this.ws();
    if (this.pos < this.text.length) this.fail('unexpected content after the end of the JSON value');
  }

  private fail(message: string, offset = this.pos): never {
    throw new ScanFailure(offset, message);
  }

  private eof(): never {
    return this.fail('unexpected end of file (the file looks truncated)');
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private mark(offset: number): void {
    const target = this.target;
    if (!target) return;
    const depth = this.path.length;
    if (depth <= this.bestDepth || depth > target.length) return;
    for (let i = 0; i < depth; i++) if (String(this.path[i]) !== String(target[i])) return;
    this.bestDepth = depth;
    this.bestOffset = offset;
  }

  private describe(): string {
    const c = this.text[this.pos];
    return c === undefined ? 'end of file' : `'${c}'`;
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply');
    const t = this.text;
    if (this.pos >= t.length) this.eof();
    this.mark(this.pos);
    const c = t.charCodeAt(this.pos);
    if (c === 0x7b /* { */) return this.object(depth);
    if (c === 0x5b /* [ */) return this.array(depth);
    if (c === 0x22) {
      this.string();
      return;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (this.allowNonFinite && t.startsWith('-Infinity', this.pos)) {
        this.pos += 9;
        return;
      }
      return this.number();
    }
    for (const lit of this.allowNonFinite ? ['true', 'false', 'null', 'NaN', 'Infinity'] : ['true', 'false', 'null']) {
      if (t.startsWith(lit, this.pos)) {
        this.pos += lit.length;
        return;
      }
    }
    if ((t.startsWith('NaN', this.pos) || t.startsWith('Infinity', this.pos)) && !this.allowNonFinite) {
      this.fail('NaN and Infinity are not valid JSON');
    }
    // a literal cut short by the end of the file
    const rest = t.slice(this.pos);
    if (['true', 'false', 'null'].some((l) => l.startsWith(rest))) this.eof();
    this.fail(`unexpected ${this.describe()} where a value was expected`);
  }

  private object(depth: number): void {
    const t = this.text;
    this.pos++; // {
    this.ws();
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.pos >= t.length) this.eof();
      if (t.charCodeAt(this.pos) !== 0x22) this.fail(`expected a double-quoted key, found ${this.describe()}`);
      const keyStart = this.pos;
      this.string();
      let key: string;
      try {
        key = JSON.parse(t.slice(keyStart, this.pos)) as string;
      } catch {
        key = t.slice(keyStart + 1, this.pos - 1);
      }
      this.ws();
      if (this.pos >= t.length) this.eof();
      if (t.charCodeAt(this.pos) !== 0x3a) this.fail(`expected ':' after a key, found ${this.describe()}`);
      this.pos++;
      this.ws();
      this.path.push(key);
      this.value(depth + 1);
      this.path.pop();
      if (this.closes(0x7d, 'an object')) return;
    }
  }

  private array(depth: number): void {
    const t = this.text;
    this.pos++; // [
    this.ws();
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.ws();
      this.path.push(index);
      this.value(depth + 1);
      this.path.pop();
      if (this.closes(0x5d, 'an array')) return;
    }
  }

  /** After a member: consumes `,` (false: another member follows) or the closing `close` (true). */
  private closes(close: number, what: string): boolean {
    this.ws();
    if (this.pos >= this.text.length) this.eof();
    const c = this.text.charCodeAt(this.pos);
    if (c !== 0x2c && c !== close) this.fail(`expected ',' or '${String.fromCharCode(close)}' in ${what}, found ${this.describe()}`);
    this.pos++;
    return c === close;
  }

  private string(): void {
    const t = this.text;
    this.pos++; // opening quote
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) this.fail('control character inside a string');
      if (c === 0x5c) {
        const e = t[this.pos + 1];
        if (e === undefined) this.eof();
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
            if (this.pos + 6 > t.length) this.eof();
            this.fail('invalid \\u escape in a string');
          }
          this.pos += 6;
        } else if ('"\\/bfnrt'.includes(e)) {
          this.pos += 2;
        } else {
          this.fail(`invalid escape '\\${e}' in a string`);
        }
        continue;
      }
      this.pos++;
    }
    this.eof();
  }

  private number(): void {
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || m[0] === '-' || m[0] === '') this.fail('invalid number');
    this.pos += m[0].length;
    const next = this.text[this.pos];
    if (next === undefined) return;
    if (/[0-9.eE+-]/.test(next)) this.fail('invalid number');
  }
}

/** Finds the first syntax error in `text`, or undefined when it is valid. */
export function scanJson(text: string, allowNonFinite = false): ScanError | undefined {
  const w = new Walker(text, allowNonFinite);
  try {
    w.run();
    return undefined;
  } catch (e) {
    if (e instanceof ScanFailure) return { offset: e.offset, message: e.message };
    if (e instanceof RangeError) return { offset: 0, message: 'JSON nested too deeply' };
    throw e;
  }
}

/**
 * The 1-based line and column of the value at `path` in JSON `text` (or of its deepest existing
 * ancestor, for a missing key). Undefined when the text is not valid JSON.
 */
export function locatePath(input: string, path: JsonPath, allowNonFinite = false): { line: number; column: number } | undefined {
  const text = stripBom(input);
  const w = new Walker(text, allowNonFinite, path);
  try {
    w.run();
  } catch {
    return undefined;
  }
  return w.bestDepth < 0 ? undefined : lineColumn(text, w.bestOffset);
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
 * Guesses which eval format a parsed JSON value is, for error messages such as "this looks like
 * a promptfoo output". Heuristic; never used to accept a file.
 */
export function sniffFormat(v: unknown): EvalFormat | undefined {
  if (!isRecord(v)) return undefined;
  const results = v['results'];
  if (isRecord(results) && Array.isArray(results['results'])) return 'promptfoo';
  if (isRecord(v['eval']) && (typeof v['status'] === 'string' || isRecord(v['results']))) return 'inspect';
  if (isRecord(results) && (isRecord(v['n-samples']) || isRecord(v['versions']) || isRecord(v['configs']))) return 'lm-eval';
  if (isRecord(v['testRunData']) || (Array.isArray(v['testCases']) && Array.isArray(v['metricsScores']))) return 'deepeval';
  if (v['version'] === 1 && isRecord(v['metrics'])) return 'lastmile';
  return undefined;
}

const FORMAT_LABEL: Record<EvalFormat, string> = {
  lastmile: 'a Last Mile summary',
  samples: 'a samples JSONL file',
  promptfoo: 'a promptfoo output (`promptfoo eval -o`)',
  'lm-eval': 'an lm-evaluation-harness results file',
  inspect: 'an inspect_ai eval log',
  deepeval: 'a DeepEval test run (`.deepeval/.latest_test_run.json`)',
};

/** "not an inspect_ai eval log: <reason>; it looks like a promptfoo output…" */
export function wrongFormat(expected: EvalFormat, value: unknown, reason: string): string {
  return wrongFormatGuess(expected, sniffFormat(value), reason);
}

/** As {@link wrongFormat}, with the format already guessed. */
export function wrongFormatGuess(expected: EvalFormat, guess: EvalFormat | undefined, reason: string): string {
  const tail = guess !== undefined && guess !== expected ? `; it looks like ${FORMAT_LABEL[guess]}: declare \`format: ${guess}\`` : '';
  return `not ${FORMAT_LABEL[expected]}: ${reason}${tail}`;
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
    const guess = loose.ok ? sniffFormat(loose.value) : undefined;
    if (guess !== undefined && guess !== expected) out.message += `; it looks like ${FORMAT_LABEL[guess]}: declare \`format: ${guess}\``;
  }
  return out;
}
