// Shared pieces of the fuzz suite: run settings, hostile values, and structure-aware mutators
// for YAML, JSON and line-based files.
//
// Settings: a fixed seed and a few hundred cases per property by default, so that the suite is
// reproducible and quick. For a long run:
//   LASTMILE_FUZZ_RUNS=100000 npx vitest run test/fuzz     (cases per property)
//   LASTMILE_FUZZ_SEED=12345 npx vitest run test/fuzz      (another seed)
// A failure prints the seed and the counterexample path; replay it with the same seed.
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { parseJson } from '../../src/evidence/evals/json';

const envRuns = Number(process.env.LASTMILE_FUZZ_RUNS);
const envSeed = Number(process.env.LASTMILE_FUZZ_SEED);

/** The seed of every property (fixed unless LASTMILE_FUZZ_SEED is set). */
export const FUZZ_SEED = Number.isInteger(envSeed) ? envSeed : 20261120;
/** Whether this is a long run (LASTMILE_FUZZ_RUNS set). */
export const LONG_RUN = Number.isInteger(envRuns) && envRuns > 0;

/** Cases for a property: its default, or LASTMILE_FUZZ_RUNS. */
export function runs(defaultRuns: number): number {
  return LONG_RUN ? envRuns : defaultRuns;
}

/** fast-check parameters for a property with `defaultRuns` cases. */
export function params<T>(defaultRuns: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: runs(defaultRuns), endOnFailure: true };
}

/** A vitest timeout for a property: generous by default (CI machines may be shared), unbounded in a long run. */
export function timeout(ms = 120_000): number {
  return LONG_RUN ? 24 * 3600_000 : ms;
}

/** Milliseconds taken by `fn`. */
export function elapsed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Characters that break naive parsers, renderers and comparisons. */
export const ODD_CHARS = [
  '\u0000', // NUL
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u200f', // RIGHT-TO-LEFT MARK
  '\u200b', // ZERO WIDTH SPACE
  '\u200d', // ZERO WIDTH JOINER
  '\ufeff', // BOM / zero-width no-break space
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\u2028', // LINE SEPARATOR
  '\u2029', // PARAGRAPH SEPARATOR
  '\u0085', // NEXT LINE
  '\u00a0', // NO-BREAK SPACE
  '\u0301', // combining acute accent
  '\u{1F600}', // astral plane
  '\u{10FFFF}',
  '\u001b[31m', // terminal escape
  '\u007f',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '\\',
  '"',
  "'",
  '`',
  '<img src=x>',
  '@everyone',
  '|',
];

/** One odd character or sequence. */
export const oddChar = fc.constantFrom(...ODD_CHARS);

/** Strings of any UTF-16 code units, lone surrogates and NUL included. */
export const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

/** Short hostile strings, and a few very long ones. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(fc.oneof(oddChar, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((a) => a.join('')), weight: 4 },
  { arbitrary: anyCodeUnits, weight: 3 },
  { arbitrary: fc.constantFrom('', ' ', 'NaN', 'Infinity', '-Infinity', 'null', 'true', '1e999', '-0', '0x10', '__proto__', 'constructor', 'toString'), weight: 2 },
  { arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 50_000 }), oddChar).map(([n, c]) => c + 'x'.repeat(n) + c), weight: 1 },
);

/** Numbers at the edges: NaN, ±Infinity, huge, tiny, negative, -0, unsafe integers. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, -5, 1e308, -1e308, 1e21, 2 ** 53 + 2, -(2 ** 53) - 2, Number.MIN_VALUE, 5e-324, 0.1 + 0.2, 1.0000000000000002),
  fc.double(),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
);

/** Nested lists or mappings, `depth` deep. */
export function nested(depth: number, kind: 'list' | 'map', leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'list' ? [v] : { a: v };
  return v;
}

/** Plain values of the wrong type for any field. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: oddNumber, weight: 3 },
  { arbitrary: oddString, weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }, ['a', 1, true], { min: 'x' }, { max: -1 }), weight: 2 },
  { arbitrary: fc.tuple(fc.integer({ min: 2, max: 60 }), fc.constantFrom<'list' | 'map'>('list', 'map')).map(([d, k]) => nested(d, k)), weight: 1 },
  { arbitrary: fc.array(fc.oneof(oddNumber, oddString), { maxLength: 5 }), weight: 1 },
  { arbitrary: fc.dictionary(oddString, fc.oneof(oddNumber, oddString), { maxKeys: 4 }), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// YAML

/** YAML text that is legal or nearly so, in the spots where a value goes. */
const YAML_VALUE_TEXTS = [
  '.nan', '.NaN', '.inf', '-.inf', '+.inf', 'NaN', 'Infinity', '"NaN"', "'Infinity'", '1e999', '-1e999', '1e-999',
  '123456789012345678901234567890', '-0', '0x7fffffff', '0o777', '0b101', '~', 'null', 'Null', 'true', 'yes', 'no', 'on',
  "''", '""', '!!binary aGVsbG8=', '!!str 1', '!!float 1', '!!int "x"', '!!map {}', '!!seq []', '!!null x', '!unknown x',
  '!<tag:yaml.org,2002:str> x', '2026-13-45', '2026-02-29', '2026-11-01T25:61:00Z', '12:30:00', '*nowhere', '&a', '&a x',
  '|', '|-\n  a\n  b', '>\n  folded', '[', '{', ']', '}', '[a, b', '{a: 1', '"unterminated', "'", '- x', '? x', ': x',
  '#', '@x', '`x`', '%x', '!', '&', '*', '-', '--- x', '... x', '"\\x00\\ud800\\U0010ffff"', '"\\z"', '{a: 1, a: 2}',
  '[*a, *a]', '{<<: {x: 1}}', '{? [a]: 1}', '{[a, b]: c}', '{{a: b}: c}',
];

/** A value written as YAML text on one line (JSON is YAML's flow syntax), or odd YAML. */
export const yamlValueText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...YAML_VALUE_TEXTS), weight: 4 },
  { arbitrary: oddValue.map((v) => JSON.stringify(v) ?? 'null'), weight: 4 },
  { arbitrary: oddString, weight: 2 },
  {
    // deep flow nesting, past what the parser can recurse into
    arbitrary: fc.tuple(fc.integer({ min: 10, max: 3000 }), fc.constantFrom('[', '{a: ', '{[')).map(([d, open]) => {
      const close = open === '[' ? ']' : open === '{a: ' ? '}' : ']: 1}';
      return open.repeat(d) + '1' + close.repeat(d);
    }),
    weight: 1,
  },
);

/** Key spellings that are wrong in some way. */
const oddKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('<<', '? x', '"quoted"', 'Version', 'versio', '__proto__', 'constructor', '', '-', '[a]', '{a: 1}', '&k key', '*k', '!!str key'),
  fc.tuple(fc.constantFrom('version', 'system', 'owner', 'team', 'status', 'kind', 'min', 'pattern', 'evals'), oddChar).map(([k, c]) => `${k}${c}`),
);

export interface Mutant {
  text: string;
  /** What was done, for counterexamples. */
  how: string;
}

/** A mutant that prints as what was done (not as its possibly huge text) in a counterexample. */
function mutant(text: string, how: string): Mutant {
  return { text, how, [fc.toStringMethod]: () => `Mutant(${how})` } as Mutant;
}

const KEY_LINE = /^(\s*(?:- )?)([A-Za-z_][\w-]*|"[^"]*"):(?=\s|$)(.*)$/;

function indentOf(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

/** Every path to a value in a plain JSON-like tree, the root excluded. */
export function valuePaths(root: unknown, limit = 20_000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: root, path: [] }];
  while (stack.length > 0 && out.length < limit) {
    const { v, path } = stack.pop()!;
    if (path.length > 0) out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return out;
}

/**
 * Structure-aware mutants of a valid YAML document: one field changed (wrong type, odd value,
 * deleted, renamed, duplicated, aliased, merged), documents added, text inserted or truncated.
 */
export function yamlMutants(base: string): fc.Arbitrary<Mutant> {
  const lines = base.split('\n');
  const keyLines = lines.flatMap((l, i) => (KEY_LINE.test(l) ? [i] : []));
  // The document API edits only a base that is one valid document; text edits work on any.
  const structured = parseDocument(base);
  const paths = structured.errors.length === 0 ? valuePaths(structured.toJS()) : [];
  const anyLine = fc.integer({ min: 0, max: lines.length - 1 });
  const keyLine = keyLines.length > 0 ? fc.constantFrom(...keyLines) : anyLine;
  const path = fc.constantFrom(...(paths.length > 0 ? paths : [[]]));
  const withLines = (f: (ls: string[]) => void): string => {
    const ls = [...lines];
    f(ls);
    return ls.join('\n');
  };
  const setValue = (ls: string[], i: number, value: string): void => {
    const m = KEY_LINE.exec(ls[i]!);
    if (m) ls[i] = `${m[1]}${m[2]}: ${value}`;
  };

  return fc.oneof(
    // One value replaced by odd YAML text, on its line.
    fc.tuple(keyLine, yamlValueText).map(([i, v]) => ({ text: withLines((ls) => setValue(ls, i, v)), how: `line ${i + 1} value := ${JSON.stringify(v).slice(0, 120)}` })),
    // One value replaced through the YAML document API by a value of the wrong type.
    fc.tuple(path, oddValue).map(([p, v]) => {
      if (p.length === 0) return { text: base, how: 'unchanged (no document to edit)' };
      const doc = parseDocument(base);
      doc.setIn(p, doc.createNode(v));
      return { text: doc.toString({ lineWidth: 0 }), how: `${p.join('.')} := ${String(JSON.stringify(v)).slice(0, 120)}` };
    }),
    // One field deleted.
    path.map((p) => {
      if (p.length === 0) return { text: base, how: 'unchanged (no document to edit)' };
      const doc = parseDocument(base);
      doc.deleteIn(p);
      return { text: doc.toString({ lineWidth: 0 }), how: `delete ${p.join('.')}` };
    }),
    // One key renamed (typo, case, odd characters, YAML syntax in the key).
    fc.tuple(keyLine, oddKey).map(([i, k]) => ({
      text: withLines((ls) => {
        const m = KEY_LINE.exec(ls[i]!);
        if (m) ls[i] = `${m[1]}${k}:${m[3]}`;
      }),
      how: `line ${i + 1} key := ${JSON.stringify(k)}`,
    })),
    // One key line duplicated (a duplicate key, or a duplicate list entry).
    keyLine.map((i) => ({ text: withLines((ls) => ls.splice(i + 1, 0, ls[i]!)), how: `duplicate line ${i + 1}` })),
    // One line deleted.
    anyLine.map((i) => ({ text: withLines((ls) => ls.splice(i, 1)), how: `delete line ${i + 1}` })),
    // An anchor on one value and an alias to it in another field.
    fc.tuple(keyLine, keyLine).map(([i, j]) => ({
      text: withLines((ls) => {
        const m = KEY_LINE.exec(ls[i]!);
        if (m) ls[i] = `${m[1]}${m[2]}: &anchor${m[3]}`;
        setValue(ls, j, '*anchor');
      }),
      how: `anchor line ${i + 1}, alias at line ${j + 1}`,
    })),
    // A merge key inside a mapping, to an anchored mapping or an inline one.
    fc.tuple(keyLine, fc.constantFrom('*anchor', '{ version: 2, status: approved, min: 0 }', '[*anchor, *anchor]', '~')).map(([i, target]) => ({
      text: withLines((ls) => {
        const line = ls[i]!;
        const m = KEY_LINE.exec(line);
        if (m && m[3]!.trim() === '') ls[i] = `${m[1]}${m[2]}: &anchor`;
        const indent = indentOf(line).length + (/^\s*- /.test(line) ? 2 : 0) + (m && m[3]!.trim() === '' ? 2 : 0);
        ls.splice(i + 1, 0, `${' '.repeat(indent)}<<: ${target}`);
      }),
      how: `merge key after line ${i + 1} to ${target}`,
    })),
    // More than one document.
    fc.tuple(anyLine, fc.constantFrom('---', '...', '--- !!map', '%YAML 1.2\n---', '---\n---')).map(([i, sep]) => ({
      text: withLines((ls) => ls.splice(i, 0, sep)),
      how: `insert ${JSON.stringify(sep)} at line ${i + 1}`,
    })),
    fc.constant({ text: `${base}\n---\n${base}`, how: 'the document twice' }),
    // Odd characters spliced in anywhere.
    fc.tuple(fc.integer({ min: 0, max: base.length }), fc.oneof(oddChar, anyCodeUnits)).map(([at, s]) => ({
      text: base.slice(0, at) + s + base.slice(at),
      how: `insert ${JSON.stringify(s)} at offset ${at}`,
    })),
    // Truncated.
    fc.integer({ min: 0, max: base.length }).map((at) => ({ text: base.slice(0, at), how: `truncate at ${at}` })),
  ).map((m) => mutant(m.text, m.how));
}

// ---------------------------------------------------------------------------------------------
// JSON

const NONFINITE = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1e-999', '123456789012345678901234567890', '-0', '1E400'];

/**
 * Structure-aware mutants of a valid JSON document, written back with two-space indentation as
 * the tools write it: one value of the wrong type or an odd number (Python's bare NaN and
 * Infinity included), one key deleted, renamed or duplicated, deep nesting, odd characters,
 * truncation.
 */
export function jsonMutants(base: string): fc.Arbitrary<Mutant> {
  const parsed = parseJson(base, { allowNonFinite: true });
  if (!parsed.ok) throw new Error(`not JSON: ${parsed.message}`);
  const root = parsed.value;
  // JSON.stringify writes NaN and ±Infinity as null: keep them as the bare tokens the tools write.
  const write = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `\u0001NF:${x}\u0001` : x), 2).replace(/"\\u0001NF:(NaN|-?Infinity)\\u0001"/g, '$1');
  const paths = valuePaths(root);
  const path = fc.constantFrom(...paths);
  const setIn = (p: (string | number)[], value: unknown, mode: 'set' | 'delete' = 'set'): unknown => {
    const copy = structuredClone(root);
    let node = copy as Record<string | number, unknown>;
    for (const seg of p.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
    const last = p[p.length - 1]!;
    if (mode === 'delete') {
      if (Array.isArray(node)) node.splice(last as number, 1);
      else delete node[last];
    } else {
      node[last] = value;
    }
    return copy;
  };
  const TOKEN = '\u0001TOKEN\u0001';
  return fc.oneof(
    { arbitrary: fc.tuple(path, oddValue).map(([p, v]) => ({ text: write(setIn(p, v)), how: `${p.join('.')} := ${String(JSON.stringify(v)).slice(0, 120)}` })), weight: 4 },
    {
      // A bare token JSON.stringify cannot write: Python's NaN/Infinity, overflowing numbers.
      arbitrary: fc.tuple(path, fc.constantFrom(...NONFINITE)).map(([p, tok]) => ({
        text: write(setIn(p, TOKEN)).replace(JSON.stringify(TOKEN), tok),
        how: `${p.join('.')} := ${tok}`,
      })),
      weight: 3,
    },
    { arbitrary: path.map((p) => ({ text: write(setIn(p, undefined, 'delete')), how: `delete ${p.join('.')}` })), weight: 2 },
    {
      arbitrary: fc.tuple(path, oddString).map(([p, k]) => {
        const copy = setIn(p, undefined, 'delete');
        let node = copy as Record<string, unknown>;
        for (const seg of p.slice(0, -1)) node = node[seg] as Record<string, unknown>;
        if (!Array.isArray(node)) node[k] = 1;
        return { text: write(copy), how: `rename ${p.join('.')} to ${JSON.stringify(k).slice(0, 60)}` };
      }),
      weight: 1,
    },
    {
      // A duplicate key: the first occurrence of `"key":` repeated with another value.
      arbitrary: fc.tuple(fc.integer({ min: 0, max: Math.max(0, base.length - 1) }), oddValue).map(([at, v]) => {
        const m = /"([^"\\]{1,40})":\s*/g;
        m.lastIndex = at;
        const hit = m.exec(base) ?? /"([^"\\]{1,40})":\s*/.exec(base);
        if (!hit) return { text: base, how: 'no key' };
        const dup = `${hit[0]}${JSON.stringify(v) ?? 'null'}, `;
        return { text: base.slice(0, hit.index) + dup + base.slice(hit.index), how: `duplicate key ${hit[1]} := ${String(JSON.stringify(v)).slice(0, 60)}` };
      }),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(path, fc.integer({ min: 100, max: 20_000 }), fc.constantFrom<'list' | 'map'>('list', 'map')).map(([p, d, k]) => ({
        text: write(setIn(p, TOKEN)).replace(JSON.stringify(TOKEN), k === 'list' ? '['.repeat(d) + ']'.repeat(d) : '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
        how: `${p.join('.')} := nested ${d} deep (${k})`,
      })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(fc.integer({ min: 0, max: base.length }), fc.oneof(oddChar, anyCodeUnits)).map(([at, s]) => ({ text: base.slice(0, at) + s + base.slice(at), how: `insert ${JSON.stringify(s)} at ${at}` })),
      weight: 1,
    },
    { arbitrary: fc.integer({ min: 0, max: base.length }).map((at) => ({ text: base.slice(0, at), how: `truncate at ${at}` })), weight: 2 },
    { arbitrary: fc.constantFrom({ text: `[${base}]`, how: 'wrapped in a list' }, { text: `${base}\n${base}`, how: 'twice' }, { text: '', how: 'empty' }, { text: 'null', how: 'null' }, { text: '\ufeff' + base, how: 'BOM' }), weight: 1 },
  ).map((m) => mutant(m.text, m.how));
}

// ---------------------------------------------------------------------------------------------
// Line-based text

/** Mutants of a line-based file: a line replaced, duplicated, deleted, odd characters, truncation. */
export function lineMutants(base: string, lineArb: fc.Arbitrary<string>): fc.Arbitrary<Mutant> {
  const lines = base.split('\n');
  const anyLine = fc.integer({ min: 0, max: lines.length - 1 });
  const edit = (f: (ls: string[]) => void): string => {
    const ls = [...lines];
    f(ls);
    return ls.join('\n');
  };
  return fc.oneof(
    fc.tuple(anyLine, lineArb).map(([i, l]) => ({ text: edit((ls) => (ls[i] = l)), how: `line ${i + 1} := ${JSON.stringify(l).slice(0, 120)}` })),
    fc.tuple(anyLine, lineArb).map(([i, l]) => ({ text: edit((ls) => ls.splice(i, 0, l)), how: `insert at line ${i + 1}: ${JSON.stringify(l).slice(0, 120)}` })),
    anyLine.map((i) => ({ text: edit((ls) => ls.splice(i, 0, ls[i]!)), how: `duplicate line ${i + 1}` })),
    anyLine.map((i) => ({ text: edit((ls) => ls.splice(i, 1)), how: `delete line ${i + 1}` })),
    fc.tuple(fc.integer({ min: 0, max: base.length }), fc.oneof(oddChar, anyCodeUnits)).map(([at, s]) => ({ text: base.slice(0, at) + s + base.slice(at), how: `insert ${JSON.stringify(s)} at ${at}` })),
    fc.integer({ min: 0, max: base.length }).map((at) => ({ text: base.slice(0, at), how: `truncate at ${at}` })),
    fc.constantFrom({ text: base.replace(/\n/g, '\r\n'), how: 'CRLF' }, { text: base.replace(/\n/g, '\r'), how: 'CR' }, { text: '\ufeff' + base, how: 'BOM' }),
  ).map((m) => mutant(m.text, m.how));
}

/** Number of lines of `text` as an editor counts them (a final newline opens an empty last line). */
export function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}
