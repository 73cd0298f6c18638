// Strings from manifests, policies, eval files and paths are untrusted: a pull request writes
// them. Escape them before they reach Markdown (no raw HTML, no live links, @mentions or
// #references, no broken table cells, no headings) or a log (no control characters, escape
// sequences or workflow commands).
const ZWJ = '\u2060'; // word joiner: invisible, but breaks GitHub's mention, reference and link detection

/**
 * Characters that must never reach a log or a terminal raw: C0 and C1 controls (ESC, CR, NEL,
 * CSI…), DEL, the line and paragraph separators, bidi marks, embeddings, overrides and isolates
 * ("Trojan Source"), and invisible format characters (zero-width space, word joiner and the
 * invisible operators, the byte-order mark, interlinear annotations). ZWNJ/ZWJ (U+200C/D) stay:
 * scripts and emoji need them and they cannot reorder or hide text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = new RegExp('[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]', 'g');

function visibleEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const named: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };
  return named[cp] ?? (cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`);
}

/** One untrusted value for a terminal or log line: every control character shown as `\xNN` / `\uNNNN`, newlines included. */
export function plain(text: string): string {
  return text.replace(CONTROL, visibleEscape);
}

/**
 * The GitHub runner reads a stdout line as a workflow command when, trimmed, it starts with `::`
 * (`::add-mask::`, `::stop-commands::`, `::error file=…::`) or with the older `##[` form, which the
 * log viewer also renders (`##[group]`). Such a line gets its first character escaped visibly.
 */
export function guardLine(line: string): string {
  return line.replace(/^(\s*)(?::(?=:)|#(?=#\[))/, (_m, ws: string) => `${ws}${line.charAt(ws.length) === ':' ? '\\x3a' : '\\x23'}`);
}

/** Every line of a text through guardLine. */
export function guardLines(text: string): string {
  return text.split('\n').map(guardLine).join('\n');
}

// The colours the terminal renderer writes: set and reset only, nothing that moves the cursor,
// erases, conceals text, sets a title or opens a hyperlink.
// eslint-disable-next-line no-control-regex -- the one escape sequence let through
const SGR = new RegExp('(\\u001b\\[(?:0|31|32|33|36|90)m)');

/**
 * A multi-line text for a log (the action's stdout, the CLI's): newlines kept, every other
 * control character escaped visibly (but for the renderer's own colour codes, unless `colour` is
 * false), and no line that the runner would take for a workflow command.
 */
export function logText(text: string, opts: { colour?: boolean } = {}): string {
  // split() with a capturing group puts the colour codes at the odd indices.
  const parts = opts.colour === false ? [text] : text.split(SGR);
  const escaped = parts.map((p, i) => (i % 2 === 1 ? p : p.replace(CONTROL, (ch) => (ch === '\n' ? ch : visibleEscape(ch))))).join('');
  return guardLines(escaped);
}

/**
 * JSON (indented) with every control character as a `\uNNNN` escape: JSON.stringify leaves C1
 * controls, U+2028/2029 and bidi overrides raw, which a terminal or log would act on. The value
 * is unchanged.
 */
export function jsonText(value: unknown): string {
  // A raw newline is only ever the indentation's: JSON.stringify escapes those inside strings.
  return JSON.stringify(value, null, 2).replace(CONTROL, (ch) => (ch === '\n' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

export function md(text: string): string {
  return plain(text.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@/g, `@${ZWJ}`)
    .replace(/#/g, `#${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(DOMAIN_DOT, (dot, at: number, all: string) => (/\d/.test(all.charAt(at - 1)) && /\d/.test(all.charAt(at + 1)) ? dot : `${ZWJ}.`));
}

/**
 * A dot after a letter, digit, `_` or `-`, as in `www.evil.com`, `evil.com`, `www._` or
 * `acme.co.uk/path`: GFM links `www.` followed by almost anything (the joiner must come before
 * the dot: `www.⁠x` still links), and mail clients and chat previews link bare domains. A dot
 * between two digits (`0.94`, `1.2.3.4`) is left alone.
 */
const DOMAIN_DOT = /(?<=[\p{L}\p{N}_-])\./gu;

/** Inline code for a value that is best shown literally (a path, a key); backticks cannot break out. */
export function code(text: string): string {
  const clean = plain(text.replace(/[\r\n]+/g, ' ')).replace(/`/g, 'ˋ');
  return `\`${clean.replace(/@/g, `@${ZWJ}`)}\``;
}

/**
 * Prose that may hold code spans (`signoffs:`, a path): the spans become inline code, the rest is
 * escaped by md(). Escaping the backticks too showed them literally ("under \`signoffs:\`").
 * An untrusted value can at most make a code span, which neither links nor mentions.
 */
export function prose(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  let out = '';
  let last = 0;
  for (const m of flat.matchAll(/`([^`]+)`/g)) {
    out += md(flat.slice(last, m.index)) + code(m[1]!);
    last = m.index + m[0].length;
  }
  return out + md(flat.slice(last));
}

