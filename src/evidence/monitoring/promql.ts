// PromQL: which metric names an alert expression reads, or why the expression does not parse.
//
// Parsed with the Prometheus project's own grammar, `@prometheus-io/lezer-promql` (the parser of
// the Prometheus UI), so that what counts as a series is what Prometheus reads as one. The
// names an expression reads are the series its vector and matrix selectors select:
// - `error_rate`, `error_rate{job="x"}`, `rate(error_rate[5m])`, `error_rate[1h:5m]`: the
//   selector's identifier;
// - `{__name__="error_rate"}` and Prometheus 3's quoted `{"error.rate"}`: the name matched
//   exactly (a regex `__name__=~"..."` names no one metric, so it names none);
// - label names and values, grouping labels (`by (...)`, `on (...)`), function and aggregation
//   names, keywords, strings and `#` comments are not metrics.
// One allowance: inside `histogram_quantile(...)`, a `m_bucket` series is histogram `m`, so it
// also reads `m` — the quantile of a histogram is an alert on it. (`_total`, `_count`, `_sum`
// are NOT stripped: `error_rate_total` does not read `error_rate`.)
//
// lezer parsers recover from errors by default; this one is strict, so any syntax error makes
// the expression unparsable: it reads no metric (fail closed — an expression Prometheus would
// reject covers nothing) and the rule file is invalid. `describePromqlError` says what is wrong
// in the terms of the expression (unclosed bracket, unterminated string, unknown function); the
// brackets are counted outside the strings and comments that the grammar found. Limits of the
// grammar's parser, not of Prometheus: past 2,000 characters it stops at about 300 operators in
// a row (`a or b or c ...`) and at about 2,800 levels of nesting.

import {
  EqlSingle,
  FunctionCall,
  HistogramQuantile,
  Identifier,
  LabelMatchers,
  LabelName,
  LineComment,
  MatchOp,
  parser,
  QuotedLabelMatcher,
  QuotedLabelName,
  StringLiteral,
  UnquotedLabelMatcher,
  VectorSelector,
} from '@prometheus-io/lezer-promql';

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

export type PromqlRead = { ok: true; names: string[] } | { ok: false; names: []; at: number };

/**
 * The grammar's keyword tables are plain objects looked up by the lower-cased identifier, so
 * `constructor` and `__proto__` (valid metric names) find Object.prototype's members there and
 * break the parse. They are parsed as an identifier of the same length, and read back from the
 * original text, which positions still index.
 */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype).filter((n) => n === n.toLowerCase()));

function masked(expr: string): string {
  return expr.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) => (PROTOTYPE_NAMES.has(w.toLowerCase()) ? 'x'.repeat(w.length) : w));
}

// Strict: stop at the first error. Recovering from errors costs up to a second per 10 KB of
// garbage, and an expression with an error reads nothing anyway.
const strictParser = parser.configure({ strict: true });

/**
 * The metric names `expr` reads (in order, each once), or the offset where it stops being
 * PromQL (`describePromqlError` says why).
 */
export function readPromql(expr: string): PromqlRead {
  let tree: Tree;
  try {
    tree = strictParser.parse(masked(expr));
  } catch (e) {
    // lezer throws SyntaxError("No parse at <offset>").
    if (!(e instanceof SyntaxError)) throw e;
    const at = Number(/at (\d+)/.exec(e.message)?.[1] ?? 0);
    return { ok: false, names: [], at: Math.min(at, expr.length) };
  }
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    names.push(name);
  };
  tree.iterate({
    enter: (n) => {
      if (n.type.id !== VectorSelector) return undefined;
      const selector = n.node;
      for (const name of selectorNames(selector, expr)) {
        add(name);
        if (name.endsWith('_bucket') && name.length > '_bucket'.length && insideHistogramQuantile(selector)) {
          add(name.slice(0, -'_bucket'.length));
        }
      }
      return false; // nothing inside a selector selects further series
    },
  });
  return { ok: true, names };
}

const text = (expr: string, node: SyntaxNode | null): string => (node ? expr.slice(node.from, node.to) : '');

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** A PromQL string literal's value. */
function unquote(token: string): string {
  const body = token.slice(1, -1);
  return token.startsWith('`') ? body : body.replace(/\\(.)/g, '$1');
}

/** The metric a selector names: its identifier, `__name__="m"`, or a bare quoted `"m"`. */
function selectorNames(selector: SyntaxNode, expr: string): string[] {
  const names: string[] = [];
  for (const part of children(selector)) {
    if (part.type.id === Identifier) names.push(text(expr, part));
    if (part.type.id !== LabelMatchers) continue;
    for (const m of children(part)) {
      if (m.type.id === QuotedLabelName) {
        names.push(unquote(text(expr, m.getChild(StringLiteral))));
      } else if (m.type.id === UnquotedLabelMatcher || m.type.id === QuotedLabelMatcher) {
        const label = m.type.id === UnquotedLabelMatcher ? text(expr, m.getChild(LabelName)) : unquote(text(expr, m.getChild(QuotedLabelName)));
        const exact = m.getChild(MatchOp)?.firstChild?.type.id === EqlSingle;
        const value = m.getChildren(StringLiteral).at(-1) ?? null;
        if (label === '__name__' && exact && value) names.push(unquote(text(expr, value)));
      }
    }
  }
  return names;
}

function insideHistogramQuantile(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type.id === FunctionCall && p.firstChild?.firstChild?.type.id === HistogramQuantile) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Why an expression does not parse

function terminated(token: string): boolean {
  const quote = token[0];
  if (quote === '`') return token.length >= 2 && token.endsWith('`');
  for (let i = 1; i < token.length; i++) {
    if (token[i] === '\\') i++;
    else if (token[i] === quote) return i === token.length - 1;
  }
  return false;
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** Expressions up to this long are tokenised whole to say why they do not parse. */
const WHOLE_SCAN = 4000;
/** Past this many characters, lezer cuts long operator chains and deep nesting short. */
const LEZER_LONG = 2000;

/** Why `expr` stops being PromQL at offset `at` (from `readPromql`), in the expression's terms. */
export function describePromqlError(expr: string, at: number): string {
  const prefix = expr.slice(0, at);
  const rest = expr.slice(at).trim();
  // Brackets are counted outside the strings and comments the grammar finds, in the whole
  // expression when it is short; else before the error only, where the parse went well (the
  // recovery that tokenises past an error costs up to a second per 10 KB of garbage).
  const scanned = expr.length <= WHOLE_SCAN ? expr : prefix;
  const skipped: [number, number][] = [];
  let unterminated = false;
  parser.parse(masked(scanned)).iterate({
    enter: (n) => {
      if (n.type.id === StringLiteral) {
        skipped.push([n.from, n.to]);
        if (!terminated(scanned.slice(n.from, n.to))) unterminated = true;
      } else if (n.type.id === LineComment) {
        skipped.push([n.from, n.to]);
      }
    },
  });
  // (A raw string's token needs its closing backtick, so an unclosed one is no token at all.)
  if (unterminated || (rest.startsWith('`') && !rest.includes('`', 1))) return 'has an unterminated string';

  skipped.sort((a, b) => a[0] - b[0]);
  const open: string[] = [];
  let k = 0;
  for (let i = 0; i < scanned.length; i++) {
    while (k < skipped.length && (skipped[k] as [number, number])[1] <= i) k++;
    const range = skipped[k];
    if (range && range[0] <= i) {
      i = range[1] - 1;
      continue;
    }
    const ch = scanned[i] as string;
    if (ch === '(' || ch === '[' || ch === '{') open.push(ch);
    else if (ch === ')' || ch === ']' || ch === '}') {
      const top = open.pop();
      if (top === undefined || CLOSING[top] !== ch) return `has an unmatched '${ch}'`;
    }
  }
  const next = rest[0];
  if (scanned === prefix && (next === ')' || next === ']' || next === '}')) {
    const top = open.at(-1);
    if (top === undefined || CLOSING[top] !== next) return `has an unmatched '${next}'`;
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined && (scanned === expr || rest === '')) return `has an unclosed '${unclosed}'`;

  const call = /([A-Za-z_:][A-Za-z0-9_:]*)\s*$/.exec(prefix);
  if (call && next === '(') return `calls ${call[1]}(), which is not a PromQL function`;
  if (rest === '') return 'is not valid PromQL: it ends too early';
  const column = at - prefix.lastIndexOf('\n');
  const long = at >= LEZER_LONG ? ' (or too long for the PromQL grammar: it stops at about 300 operators in a row, or very deep nesting; move parts into recording rules)' : '';
  return `is not valid PromQL at column ${column}, near '${rest.slice(0, 20)}'${long}`;
}
