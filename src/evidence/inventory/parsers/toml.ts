/**
 * TOML for the inventory (pyproject.toml, Pipfile, gradle/libs.versions.toml): every key and
 * value with the line it is written on, so a finding can point at its dependency.
 *
 * smol-toml (TOML 1.1) decides what is TOML: the whole document goes through it first, and a
 * document it refuses is refused here too, with its line, column and reason (pip, uv, Poetry,
 * pipenv and Gradle refuse such a file as well). smol-toml also decodes every string and quoted
 * key. It gives no positions, so the line of each key, table header and array item is found
 * by hand: `Locator` walks the text that smol-toml has just accepted, skipping strings,
 * comments and values (it decodes nothing and has no error recovery of its own). What the
 * walk cannot place (a disagreement with smol-toml, which the tests look for) is refused the
 * same way as a syntax error, never skipped.
 */
import { parse, TomlError } from 'smol-toml';
import { DependencyFileError } from './error';
import { LineIndex, stripBom } from './lines';

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

/** Inline arrays and tables nested deeper than this are refused (docs/limits.md). */
export const MAX_TOML_DEPTH = 100;

const BARE_KEY = /[A-Za-z0-9_-]/;
/** Numbers, booleans, dates and times: up to a delimiter (a date-time may hold a space). */
const SCALAR = /[A-Za-z0-9+-][^,\]}#\r\n]*/y;

class Locator {
  i = 0;
  private readonly lines: LineIndex;

  constructor(private readonly s: string) {
    this.lines = new LineIndex(s);
  }

  private line(): number {
    return this.lines.lineOf(this.i);
  }

  private lost(): never {
    const line = this.line();
    const column = this.i - this.s.lastIndexOf('\n', this.i - 1);
    throw new DependencyFileError('TOML', `the line of a key could not be found (please report this file)`, line, column);
  }

  /** A quoted key or a string value, decoded by smol-toml: one decoder for every escape. */
  private decode(raw: string): string {
    let v: unknown;
    try {
      v = parse(`v = ${raw}`).v;
    } catch (e) {
      if (e instanceof TomlError) this.lost();
      throw e;
    }
    return typeof v === 'string' ? v : this.lost();
  }

  /** Spaces and tabs. */
  private ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** Whitespace, newlines and comments. */
  private wsNl(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '#') this.toEol();
      else return;
    }
  }

  private toEol(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl === -1 ? this.s.length : nl;
  }

  /** The raw text of the string starting here, quotes included. */
  private rawString(): string {
    const start = this.i;
    const q = this.s[this.i] as '"' | "'";
    const multi = this.s.startsWith(q.repeat(3), this.i);
    this.i += multi ? 3 : 1;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || (!multi && c === '\n')) this.lost();
      if (c === '\\' && q === '"') this.i += 2;
      else if (c !== q) this.i++;
      else if (!multi) {
        this.i++;
        break;
      } else if (this.s.startsWith(q.repeat(3), this.i)) {
        // Up to two more quotes belong to the content: """a""""" is a"".
        let n = 3;
        while (n < 5 && this.s[this.i + n] === q) n++;
        this.i += n;
        break;
      } else this.i++;
    }
    return this.s.slice(start, this.i);
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '"' || c === "'") parts.push(this.decode(this.rawString()));
      else {
        const start = this.i;
        while (this.i < this.s.length && BARE_KEY.test(this.s[this.i] as string)) this.i++;
        if (this.i === start) this.lost();
        parts.push(this.s.slice(start, this.i));
      }
      this.ws();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  private value(): TomlValue {
    const line = this.line();
    const c = this.s[this.i];
    if (c === '"' || c === "'") return { kind: 'string', value: this.decode(this.rawString()), line };
    if (c === '[') {
      this.i++;
      const items: TomlValue[] = [];
      for (;;) {
        this.wsNl();
        if (this.s[this.i] === ']') {
          this.i++;
          return { kind: 'array', items, line };
        }
        items.push(this.value());
        this.wsNl();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') this.lost();
      }
    }
    if (c === '{') {
      this.i++;
      const pairs: TomlPair[] = [];
      for (;;) {
        this.wsNl(); // TOML 1.1: newlines, comments and a trailing comma in inline tables
        if (this.s[this.i] === '}') {
          this.i++;
          return { kind: 'table', pairs, line };
        }
        const keyLine = this.line();
        const key = this.key();
        this.equals();
        pairs.push({ key, line: keyLine, value: this.value() });
        this.wsNl();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== '}') this.lost();
      }
    }
    SCALAR.lastIndex = this.i;
    const raw = SCALAR.exec(this.s)?.[0].trimEnd() ?? '';
    if (raw === '') this.lost();
    this.i += raw.length;
    return { kind: 'other', line };
  }

  private equals(): void {
    if (this.s[this.i] !== '=') this.lost();
    this.i++;
    this.ws();
  }

  document(): TomlEvent[] {
    const events: TomlEvent[] = [];
    let table: string[] = [];
    for (this.wsNl(); this.i < this.s.length; this.wsNl()) {
      const line = this.line();
      if (this.s[this.i] === '[') {
        const aot = this.s[this.i + 1] === '[';
        this.i += aot ? 2 : 1;
        table = this.key();
        if (this.s[this.i] !== ']' || (aot && this.s[this.i + 1] !== ']')) this.lost();
        this.i += aot ? 2 : 1;
        events.push({ type: 'header', key: table, line, arrayOfTables: aot });
      } else {
        const key = this.key();
        this.equals();
        pushPair(events, [...table, ...key], line, this.value());
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
 * with its absolute key; pairs inside inline tables are also emitted, flattened. Throws a
 * `DependencyFileError` (line, column, reason) for a text that is not TOML.
 */
export function readToml(text: string): TomlEvent[] {
  const s = stripBom(text);
  try {
    parse(s, { maxDepth: MAX_TOML_DEPTH });
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    // The message's first line is the reason; a code excerpt follows it.
    const reason = (e.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    throw new DependencyFileError('TOML', reason, e.line, e.column);
  }
  return new Locator(s).document();
}

/**
 * `readToml` for a parser that must not throw: a text that is not TOML gives no events, and
 * its error goes to `onError` (the scan reports the file; see scan.ts).
 */
export function readTomlOr(text: string, onError: ((e: DependencyFileError) => void) | undefined): TomlEvent[] {
  try {
    return readToml(text);
  } catch (e) {
    if (!(e instanceof DependencyFileError)) throw e;
    onError?.(e);
    return [];
  }
}

/** Whether `key` starts with `prefix`. */
export function keyStartsWith(key: readonly string[], prefix: readonly string[]): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
