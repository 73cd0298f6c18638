import { LineIndex, stripBom } from './lines';

/**
 * A small, tolerant TOML reader: enough for dependency declarations in pyproject.toml, Pipfile
 * and Gradle version catalogs, with the line of every key and value. It understands tables,
 * arrays of tables, dotted and quoted keys, all four string kinds, (multi-line) arrays and
 * inline tables; numbers, booleans and dates are skipped over. A statement it cannot read is
 * skipped to the end of its line, and reading goes on (a scanner must not give up on a whole
 * file because of one odd line).
 */

export type TomlValue =
  | { kind: 'string'; value: string; line: number }
  | { kind: 'array'; items: TomlValue[]; line: number }
  | { kind: 'table'; pairs: TomlPair[]; line: number }
  | { kind: 'other'; line: number };

export interface TomlPair {
  /** Relative to the enclosing table or inline table. */
  key: string[];
  line: number;
  value: TomlValue;
}

/** A key or table header, with its absolute key path, in document order. */
export type TomlEvent =
  | { type: 'header'; key: string[]; line: number; arrayOfTables: boolean }
  | { type: 'pair'; key: string[]; line: number; value: TomlValue };

class TomlSyntaxError extends Error {}

const BARE_KEY = /[A-Za-z0-9_-]/;
/** Numbers, booleans, dates: up to a delimiter. */
const SCALAR = /[A-Za-z0-9+-][^,\]}#\r\n]*/y;

class Reader {
  i = 0;
  readonly s: string;
  readonly lines: LineIndex;

  constructor(text: string) {
    this.s = stripBom(text);
    this.lines = new LineIndex(this.s);
  }

  fail(what: string): never {
    throw new TomlSyntaxError(`${what} at line ${this.lines.lineOf(this.i)}`);
  }

  line(): number {
    return this.lines.lineOf(this.i);
  }

  /** Spaces and tabs. */
  ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** Whitespace, newlines and comments. */
  wsNl(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '#') this.toEol();
      else return;
    }
  }

  toEol(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl === -1 ? this.s.length : nl;
  }

  lineEnd(): void {
    this.ws();
    if (this.s[this.i] === '#') this.toEol();
    if (this.s[this.i] === '\r') this.i++;
    if (this.i < this.s.length && this.s[this.i] !== '\n') this.fail('expected the end of the line');
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '"' && !this.s.startsWith('"""', this.i)) parts.push(this.basic());
      else if (c === "'" && !this.s.startsWith("'''", this.i)) parts.push(this.literal());
      else {
        const start = this.i;
        while (this.i < this.s.length && BARE_KEY.test(this.s[this.i] as string)) this.i++;
        if (this.i === start) this.fail('expected a key');
        parts.push(this.s.slice(start, this.i));
      }
      this.ws();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  basic(): string {
    this.i++; // "
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') out += this.escape();
      else {
        out += c;
        this.i++;
      }
    }
  }

  literal(): string {
    this.i++; // '
    const end = this.s.indexOf("'", this.i);
    const nl = this.s.indexOf('\n', this.i);
    if (end === -1 || (nl !== -1 && nl < end)) this.fail('unterminated string');
    const out = this.s.slice(this.i, end);
    this.i = end + 1;
    return out;
  }

  escape(): string {
    const e = this.s[this.i + 1];
    this.i += 2;
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
    if (e !== undefined && e in simple) return simple[e] as string;
    const len = e === 'u' ? 4 : e === 'U' ? 8 : e === 'x' ? 2 : 0;
    if (len === 0) this.fail('bad escape');
    const hex = this.s.slice(this.i, this.i + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('bad escape');
    this.i += len;
    const code = parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }

  multiline(quote: '"' | "'"): string {
    const delim = quote.repeat(3);
    this.i += 3;
    if (this.s[this.i] === '\r' && this.s[this.i + 1] === '\n') this.i += 2;
    else if (this.s[this.i] === '\n') this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      if (this.s.startsWith(delim, this.i)) {
        // Up to two more quotes belong to the content: """a""""" is a"".
        let n = 3;
        while (n < 5 && this.s[this.i + n] === quote) n++;
        out += quote.repeat(n - 3);
        this.i += n;
        return out;
      }
      const c = this.s[this.i] as string;
      if (quote === '"' && c === '\\') {
        // Line-ending backslash: trim the newline and following whitespace.
        const m = /^\\[ \t]*\r?\n[ \t\r\n]*/.exec(this.s.slice(this.i, this.i + 4096));
        if (m) {
          this.i += m[0].length;
          continue;
        }
        out += this.escape();
        continue;
      }
      out += c;
      this.i++;
    }
  }

  value(depth: number): TomlValue {
    if (depth > 100) this.fail('nesting too deep');
    const line = this.line();
    const c = this.s[this.i];
    if (c === '"') {
      return { kind: 'string', value: this.s.startsWith('"""', this.i) ? this.multiline('"') : this.basic(), line };
    }
    if (c === "'") {
      return { kind: 'string', value: this.s.startsWith("'''", this.i) ? this.multiline("'") : this.literal(), line };
    }
    if (c === '[') {
      this.i++;
      const items: TomlValue[] = [];
      for (;;) {
        this.wsNl();
        if (this.s[this.i] === ']') {
          this.i++;
          return { kind: 'array', items, line };
        }
        items.push(this.value(depth + 1));
        this.wsNl();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') this.fail('expected , or ]');
      }
    }
    if (c === '{') {
      this.i++;
      const pairs: TomlPair[] = [];
      for (;;) {
        this.wsNl(); // TOML 1.1 allows newlines in inline tables; be lenient
        if (this.s[this.i] === '}') {
          this.i++;
          return { kind: 'table', pairs, line };
        }
        const keyLine = this.line();
        const key = this.key();
        if (this.s[this.i] !== '=') this.fail('expected =');
        this.i++;
        this.ws();
        pairs.push({ key, line: keyLine, value: this.value(depth + 1) });
        this.wsNl();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== '}') this.fail('expected , or }');
      }
    }
    // Number, boolean, date/time: up to a delimiter.
    SCALAR.lastIndex = this.i;
    const m = SCALAR.exec(this.s);
    const raw = m?.[0].trimEnd() ?? '';
    if (raw === '') this.fail('expected a value');
    this.i += raw.length;
    return { kind: 'other', line };
  }

  document(): TomlEvent[] {
    const events: TomlEvent[] = [];
    let table: string[] = [];
    while (this.i < this.s.length) {
      this.wsNl();
      if (this.i >= this.s.length) break;
      try {
        const line = this.line();
        if (this.s[this.i] === '[') {
          const aot = this.s[this.i + 1] === '[';
          table = ['\u0000invalid'];
          this.i += aot ? 2 : 1;
          const key = this.key();
          if (this.s[this.i] !== ']' || (aot && this.s[this.i + 1] !== ']')) this.fail('expected ]');
          this.i += aot ? 2 : 1;
          this.lineEnd();
          table = key;
          events.push({ type: 'header', key, line, arrayOfTables: aot });
        } else {
          const key = this.key();
          if (this.s[this.i] !== '=') this.fail('expected =');
          this.i++;
          this.ws();
          const value = this.value(0);
          this.lineEnd();
          pushPair(events, [...table, ...key], line, value);
        }
      } catch (e) {
        if (!(e instanceof TomlSyntaxError)) throw e;
        this.toEol();
      }
    }
    return events;
  }
}

/** Emit a pair, then (recursively) the pairs of an inline table with absolute keys. */
function pushPair(events: TomlEvent[], key: string[], line: number, value: TomlValue): void {
  events.push({ type: 'pair', key, line, value });
  if (value.kind === 'table') for (const p of value.pairs) pushPair(events, [...key, ...p.key], p.line, p.value);
}

/**
 * Read a TOML text into events in document order: table headers and key/value pairs, each pair
 * with its absolute key; pairs inside inline tables are also emitted, flattened.
 */
export function readToml(text: string): TomlEvent[] {
  return new Reader(text).document();
}

/** Whether `key` starts with `prefix`. */
export function keyStartsWith(key: readonly string[], prefix: readonly string[]): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
