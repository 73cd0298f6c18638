/**
 * The one JSON scanner of the eval adapters: a syntax walk over JSON text that reports what
 * `JSON.parse` does not: the offset of the first syntax error with a message a person can act on
 * (Node 20's messages often carry no position), the offset of the value at a key path (to point a
 * schema error at its line), and the offsets of the bare `NaN`, `Infinity` and `-Infinity` tokens
 * Python's `json.dumps` writes (lm-eval, inspect, DeepEval), which `JSON.parse` rejects and
 * `parseJson` rewrites. Hand-written because no parser we could use gives these: `JSON.parse` gives
 * no positions or tokens, and the JSON libraries either build the value themselves (slower than
 * `JSON.parse` on the files that are valid, which are most) or reject Python's tokens. It never
 * builds the value: `JSON.parse` does that. Pure.
 *
 * The walk is iterative (an explicit stack, no recursion), so no nesting can overflow the call
 * stack; a stack overflow met while V8 compiles a regular expression aborts the process.
 */

export type JsonPath = readonly (string | number)[];

export interface ScanError {
  offset: number;
  message: string;
}

/**
 * Deepest nesting accepted when looking for an error or a key path: a value nested deeper is the
 * error "JSON nested too deeply", at that value. Real eval files nest fewer than 20 levels. The
 * search for Python's tokens has no limit: the text is then valid, and whether it is too deep is
 * for `JSON.parse`, which builds the value, to say.
 */
export const MAX_DEPTH = 500;

const TOO_DEEP = 'JSON nested too deeply';
const EOF = 'unexpected end of file (the file looks truncated)';

const OBJECT = 0;
const ARRAY = 1;

/** A run of string characters that need no attention: not a quote, a backslash or a control. */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters: the run stops at them
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const LITERALS = ['true', 'false', 'null'];

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

interface WalkOptions {
  /** Accept Python's bare `NaN`, `Infinity` and `-Infinity` as values. */
  allowNonFinite: boolean;
  /** Record the offset of each such token in {@link Walk.nonFinite}. */
  collectNonFinite?: boolean;
  /** Fail at the first value nested deeper than {@link MAX_DEPTH}; else note it in `tooDeepAt`. */
  stopWhenTooDeep: boolean;
  /** Find the deepest existing prefix of this key path. */
  target?: JsonPath;
}

/** What one walk found. */
interface Walk {
  error?: ScanError;
  /** Offsets of the non-finite tokens, in order (with `collectNonFinite`). */
  nonFinite: number[];
  /** The first value nested deeper than {@link MAX_DEPTH}, when the walk went on past it. */
  tooDeepAt?: number;
  /** With a target: the depth and offset of the deepest existing prefix of it (-1: none). */
  bestDepth: number;
  bestOffset: number;
}

/** One pass over `text`: validates it and finds what `opts` asks for. */
function walk(text: string, opts: WalkOptions): Walk {
  const t = text;
  const len = t.length;
  const allow = opts.allowNonFinite;
  const collect = opts.collectNonFinite === true;
  const target = opts.target;
  const out: Walk = { nonFinite: [], bestDepth: -1, bestOffset: 0 };
  /** Open containers, innermost last: OBJECT or ARRAY. */
  const stack: number[] = [];
  /** With a target: the key path of the current value, and each open array's current index. */
  const path: (string | number)[] = [];
  let pos = 0;

  const fail = (message: string): never => {
    throw new Failure(pos, message);
  };
  const describe = (): string => {
    const c = t[pos];
    return c === undefined ? 'end of file' : `'${c}'`;
  };
  const ws = (): void => {
    while (pos < len) {
      const c = t.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
  };
  const mark = (): void => {
    if (target === undefined) return;
    const depth = path.length;
    if (depth <= out.bestDepth || depth > target.length) return;
    for (let i = 0; i < depth; i++) if (String(path[i]) !== String(target[i])) return;
    out.bestDepth = depth;
    out.bestOffset = pos;
  };
  const string = (): void => {
    pos++; // opening quote
    for (;;) {
      PLAIN.lastIndex = pos;
      PLAIN.test(t);
      pos = PLAIN.lastIndex;
      if (pos >= len) fail(EOF);
      const c = t.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return;
      }
      if (c < 0x20) fail('control character inside a string');
      // a backslash
      const e = t[pos + 1];
      if (e === undefined) fail(EOF);
      else if (e === 'u') {
        if (!HEX4.test(t.slice(pos + 2, pos + 6))) {
          if (pos + 6 > len) fail(EOF);
          fail('invalid \\u escape in a string');
        }
        pos += 6;
      } else if ('"\\/bfnrt'.includes(e)) {
        pos += 2;
      } else {
        fail(`invalid escape '\\${e}' in a string`);
      }
    }
  };
  const number = (): void => {
    NUMBER.lastIndex = pos;
    // The pattern needs a digit: a match is never empty or a lone '-'.
    if (!NUMBER.test(t)) return fail('invalid number');
    pos = NUMBER.lastIndex;
    // a number that goes on where the grammar stops: 01, 1.e5, 1e+
    const n = t.charCodeAt(pos);
    if ((n >= 0x30 && n <= 0x39) || n === 0x2e || n === 0x65 || n === 0x45 || n === 0x2b || n === 0x2d) fail('invalid number');
  };
  const nonFinite = (length: number): void => {
    if (collect) out.nonFinite.push(pos);
    pos += length;
  };
  /** One value at `pos`; true when it opened a container whose first member comes next. */
  const value = (): boolean => {
    if (stack.length > MAX_DEPTH) {
      if (opts.stopWhenTooDeep) fail(TOO_DEEP);
      out.tooDeepAt ??= pos;
    }
    if (pos >= len) fail(EOF);
    mark();
    const c = t.charCodeAt(pos);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      pos++;
      ws();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (t.charCodeAt(pos) === close) {
        pos++;
        return false;
      }
      stack.push(c === 0x7b ? OBJECT : ARRAY);
      if (target !== undefined && c === 0x5b) path.push(0);
      return true;
    }
    if (c === 0x22) {
      string();
      return false;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (allow && c === 0x2d && t.startsWith('-Infinity', pos)) nonFinite(9);
      else number();
      return false;
    }
    const lit = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : c === 0x4e ? 'NaN' : c === 0x49 ? 'Infinity' : undefined;
    if (lit !== undefined && t.startsWith(lit, pos)) {
      if (c === 0x4e || c === 0x49) {
        if (!allow) fail('NaN and Infinity are not valid JSON');
        nonFinite(lit.length);
      } else {
        pos += lit.length;
      }
      return false;
    }
    // a literal cut short by the end of the file
    if (len - pos <= 5) {
      const rest = t.slice(pos);
      if (LITERALS.some((l) => l.startsWith(rest))) fail(EOF);
    }
    return fail(`unexpected ${describe()} where a value was expected`);
  };
  /** An object member's key and colon, leaving `pos` at its value. */
  const key = (): void => {
    ws();
    if (pos >= len) fail(EOF);
    if (t.charCodeAt(pos) !== 0x22) fail(`expected a double-quoted key, found ${describe()}`);
    const keyStart = pos;
    string();
    if (target !== undefined) {
      let k: string;
      try {
        k = JSON.parse(t.slice(keyStart, pos)) as string;
      } catch {
        k = t.slice(keyStart + 1, pos - 1);
      }
      path.push(k);
    }
    ws();
    if (pos >= len) fail(EOF);
    if (t.charCodeAt(pos) !== 0x3a) fail(`expected ':' after a key, found ${describe()}`);
    pos++;
    ws();
  };

  try {
    ws();
    // Each turn reads one value, then closes every container it completes.
    for (let opened = value(); ; opened = value()) {
      if (opened) {
        if (stack[stack.length - 1] === OBJECT) key();
        else ws();
        continue;
      }
      for (;;) {
        if (stack.length === 0) {
          ws();
          if (pos < len) fail('unexpected content after the end of the JSON value');
          return out;
        }
        // after a member: ',' (another follows) or the container's close
        const inObject = stack[stack.length - 1] === OBJECT;
        const close = inObject ? 0x7d : 0x5d;
        ws();
        if (pos >= len) fail(EOF);
        const c = t.charCodeAt(pos);
        if (c !== 0x2c && c !== close) fail(`expected ',' or '${String.fromCharCode(close)}' in ${inObject ? 'an object' : 'an array'}, found ${describe()}`);
        pos++;
        if (c === 0x2c) {
          if (inObject) {
            if (target !== undefined) path.pop();
            key();
          } else {
            if (target !== undefined) path.push((path.pop() as number) + 1);
            ws();
          }
          break;
        }
        stack.pop();
        if (target !== undefined) path.pop();
      }
    }
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    out.error = { offset: e.offset, message: e.message };
    return out;
  }
}

/** Finds the first syntax error in `text`, or undefined when it is valid. */
export function scanJson(text: string, allowNonFinite = false): ScanError | undefined {
  return walk(text, { allowNonFinite, stopWhenTooDeep: true }).error;
}

/**
 * The offsets of Python's bare `NaN`, `Infinity` and `-Infinity` tokens in `text`, in order, when
 * the text is valid JSON with them (at any depth); else its first error, as {@link scanJson} with
 * `allowNonFinite` reports it.
 */
export function nonFiniteTokens(text: string): { ok: true; offsets: number[] } | { ok: false; error: ScanError } {
  const w = walk(text, { allowNonFinite: true, collectNonFinite: true, stopWhenTooDeep: false });
  if (w.error === undefined) return { ok: true, offsets: w.nonFinite };
  // The first error in the text: a value too deep, met before the syntax error, comes first.
  return { ok: false, error: w.tooDeepAt !== undefined ? { offset: w.tooDeepAt, message: TOO_DEEP } : w.error };
}

/**
 * The offset of the value at `path` in JSON `text`, or of its deepest existing ancestor (for a
 * missing key). Undefined when the text is not valid JSON, or nests deeper than {@link MAX_DEPTH}.
 */
export function locateOffset(text: string, path: JsonPath, allowNonFinite = false): number | undefined {
  const w = walk(text, { allowNonFinite, stopWhenTooDeep: true, target: path });
  return w.error !== undefined || w.bestDepth < 0 ? undefined : w.bestOffset;
}
