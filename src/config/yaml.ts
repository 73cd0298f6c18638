// YAML → plain values with positions kept, and zod issues → errors that name file, line,
// column, key path, expected and found. Both configuration files go through here.
import { Composer, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, Parser, visit, YAMLParseError } from 'yaml';
import type { CST, Document, Node } from 'yaml';
import type { z } from 'zod';

export interface Position {
  line: number;
  column: number;
}

export interface ConfigError {
  file: string;
  line: number;
  column: number;
  /** Key path such as `signoffs[1].status`; empty for the whole document. */
  path: string;
  expected: string;
  found: string;
  message: string;
}

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain values; undefined when YAML itself did not parse. */
  value: unknown;
  errors: ConfigError[];
}

/** Refuse documents that would expand into something huge (alias bombs). */
export const MAX_ALIAS_COUNT = 100;
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of lists and mappings in a configuration file (real ones nest less than 10 deep). */
export const MAX_NESTING = 64;

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

export type YamlTokens = { ok: true; tokens: CST.Token[] } | { ok: false; offset: number; message: string };

/**
 * The concrete syntax tree of `text`, refusing a text whose lists and mappings nest deeper than
 * `maxDepth`. `yaml` composes documents recursively, once per level: a few hundred levels (a
 * 2 KB line of `[` or of `- `) overflow the stack, and when the overflow hits while V8 compiles
 * a regular expression, V8 aborts the whole process ("RegExpCompiler Allocation failed") instead
 * of throwing. The parser below is iterative; its stack of open nodes is checked after every
 * token, so a deep document is refused at the point where it gets too deep, in linear time.
 */
export function yamlTokens(text: string, maxDepth = MAX_NESTING, onNewLine?: (offset: number) => void): YamlTokens {
  const parser = new Parser(onNewLine);
  onNewLine?.(0); // as Parser.parse does
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > maxDepth) {
      let depth = 0;
      for (const t of parser.stack) if (COLLECTIONS.has(t.type)) depth++;
      if (depth > maxDepth) return { ok: false, offset: Math.min(parser.offset, text.length), message: `lists and mappings nested more than ${maxDepth} deep` };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { ok: true, tokens };
}

export function parseYaml(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  const errors: ConfigError[] = [];
  // Checked before parsing: the limit is there so that a huge file is never parsed.
  const bytes = text.length > MAX_CONFIG_BYTES / 4 ? Buffer.byteLength(text, 'utf8') : text.length;
  if (bytes > MAX_CONFIG_BYTES) {
    const doc = parseDocument('', { lineCounter: lines, version: '1.2' });
    errors.push(error(file, { line: 1, column: 1 }, '', `a file of at most ${MAX_CONFIG_BYTES} bytes`, `${bytes} bytes`, 'file is too large'));
    return { file, doc, lines, value: undefined, errors };
  }
  const cst = yamlTokens(text, MAX_NESTING, lines.addNewLine);
  if (!cst.ok) {
    const doc = parseDocument('', { version: '1.2' });
    const pos = lines.linePos(cst.offset);
    errors.push(error(file, { line: pos.line, column: pos.col }, '', `at most ${MAX_NESTING} levels of nesting`, 'deeper nesting', cst.message));
    return { file, doc, lines, value: undefined, errors };
  }
  const doc = composeOne(cst.tokens, text.length);
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    errors.push(error(file, { line: pos.line, column: pos.col }, '', 'valid YAML', describeYamlError(e.code), e.message.split('\n')[0] ?? e.message));
  }
  if (errors.length === 0) {
    const key = complexKey(doc);
    if (key) {
      const pos = lines.linePos(key.offset);
      errors.push(error(file, { line: pos.line, column: pos.col }, '', 'a plain key (a name)', 'a list, mapping or alias as a key', 'a mapping key must be a plain scalar'));
    }
  }
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      errors.push(error(file, { line: 1, column: 1 }, '', 'YAML without excessive aliases', 'an alias expansion over the limit', e instanceof Error ? e.message : String(e)));
    }
  }
  return { file, doc, lines, value, errors };
}

/** The first document of a token stream, as `parseDocument` composes it (a second document is an error). */
function composeOne(tokens: CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, version: '1.2' });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) {
      doc = next;
    } else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document
  return doc ?? parseDocument('', { version: '1.2' });
}

/**
 * The first mapping key that is not a plain scalar (`? [a, b]`, `{[a]: 1}`, `*alias : x`).
 * Configuration files have none, and turning such keys into object keys stringifies them at
 * every level: a 2 KB document of nested collection keys would take minutes.
 */
export function complexKey(doc: Document | Node): { offset: number } | undefined {
  let found: { offset: number } | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (key === null || key === undefined || isScalar(key)) return undefined;
      found = { offset: (key as Node).range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}

function describeYamlError(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a duplicate key';
    case 'MULTIPLE_DOCS':
      return 'more than one document';
    default:
      return code.toLowerCase().replace(/_/g, ' ');
  }
}

function error(file: string, pos: Position, path: string, expected: string, found: string, message: string): ConfigError {
  return { file, line: pos.line, column: pos.column, path, expected, found, message };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Position of the value at `path`, or of the nearest ancestor that exists. */
export function positionOf(src: YamlSource, path: readonly PropertyKey[], key = false): Position {
  let node: unknown = src.doc.contents;
  let pos = rangeStart(src, node) ?? { line: 1, column: 1 };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const last = i === path.length - 1;
      const keyPos = rangeStart(src, pair.key);
      const valuePos = rangeStart(src, pair.value);
      pos = (last && key ? keyPos : (valuePos ?? keyPos)) ?? pos;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      pos = rangeStart(src, item) ?? pos;
      node = item;
    } else {
      break;
    }
  }
  return pos;
}

function rangeStart(src: YamlSource, node: unknown): Position | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  const p = src.lines.linePos(range[0]);
  return { line: p.line, column: p.col };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a timestamp (quote it: "2026-01-31")';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return `${typeof v} ${String(v)}`;
}

/** Turns zod issues into positioned errors; `base` prefixes the path when a sub-tree was validated. */
export function issuesToErrors(src: YamlSource, issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []): ConfigError[] {
  const out: ConfigError[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        const keyPath = [...path, k];
        out.push(error(src.file, positionOf(src, keyPath, true), formatPath(keyPath), expectedKeys(issue), `unknown key "${k}"`, `unknown key "${k}"`));
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than a generic "invalid input".
      const best = [...issue.errors].sort((a, b) => deepest(b) - deepest(a))[0] ?? [];
      if (best.length > 0 && deepest(best) > 0) {
        out.push(...issuesToErrors(src, best, path));
        continue;
      }
    }
    const found = describeValue(valueAt(src.value, path));
    out.push(error(src.file, positionOf(src, path), formatPath(path), expectedOf(issue), found, issue.message));
  }
  return out;
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function expectedKeys(issue: z.core.$ZodIssue): string {
  const known = (issue as { known?: string[] }).known;
  return known ? `one of the keys ${known.join(', ')}` : 'no such key (keys are case-sensitive; a typo must not weaken a gate)';
}

/** Zod's type names in the words `describeValue` uses for what was found. */
const TYPE_NAMES: Record<string, string> = {
  undefined: 'no value',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}`;
    case 'invalid_format':
      return issue.message.replace(/^Invalid string: /, '');
    case 'too_small':
      return `${issue.origin === 'array' ? 'at least' : 'a value of at least'} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `${issue.origin === 'array' ? 'at most' : 'a value of at most'} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`;
    default:
      return issue.message;
  }
}

export function formatConfigError(e: ConfigError): string {
  const where = e.path ? ` ${e.path}:` : '';
  return `${e.file}:${e.line}:${e.column}:${where} expected ${e.expected}, found ${e.found}`;
}
