// Alerts files: are the declared metrics really alerted on? Pure, no I/O.
//
// Two formats are recognised (SPEC §5 "monitoring"):
// - Prometheus alerting rules: YAML `groups: [{ name, interval?, rules: [{ alert, expr, for?,
//   keep_firing_for?, labels?, annotations? } | { record, expr }] }]`, also inside a Kubernetes
//   `PrometheusRule` (apiVersion monitoring.coreos.com/v1, `spec.groups`), in any of several
//   YAML documents. Recording rules are not alerts, but an alert that reads a recorded series
//   also reads what that recording rule reads (see `AlertRule.inputs`).
// - Datadog monitors as the API exports them (JSON or YAML): one monitor object, an array of
//   them, or `{ "monitors": [...] }`; each has a `query`.
// Anything that parses but is neither gives `unrecognised` (the gate becomes inconclusive); a
// syntax error, or a rule of a recognised format that its tool would reject, gives `invalid`.
//
// Metric matching — a declared metric counts only as a metric NAME in an expression, never as
// a substring of another name, a label value, a label name, a function or a string:
// - PromQL: names are identifiers `[a-zA-Z_:][a-zA-Z0-9_:]*` that are not keywords,
//   aggregation operators or functions (an identifier followed by `(`), and not inside
//   `{...}` label matchers, `by/without/on/ignoring/group_left/group_right (...)` label lists,
//   `[...]` ranges, strings or `#` comments. `{__name__="m"}` and Prometheus 3's quoted
//   `{"m"}` name the metric `m`. `error_rate` is covered by `rate(error_rate[5m]) > 0.1` and
//   `error_rate{job="x"} > 0.1`, but not by `error_rate_total`, `http_error_rate` or
//   `up{job="error_rate"}`. One allowance: inside `histogram_quantile(...)`, a `m_bucket`
//   series is histogram `m`, so it covers `m` — the quantile of a histogram is an alert on it.
//   (`_total`, `_count`, `_sum` are NOT stripped: `error_rate_total` does not cover `error_rate`.)
// - Datadog: metric names are dotted (`trace.http.request.duration`) and appear after a space
//   aggregator (`avg:`, `sum:`, `p95:`...) or right before a `{scope}`. A declared metric matches
//   a Datadog metric whose full name equals it, or that ends with `.` + it: `error_rate` is
//   covered by `custom.support_triage.error_rate` (Datadog metrics are namespaced by the
//   integration or app, and manifests name the metric, not the namespace), but not by
//   `custom.http_error_rate` or `error_rate.p95`. Tags inside `{...}`, `.as_count()`-style
//   methods, strings, and formula variable names (`query1`) are not metrics.

import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { complexKey, MAX_NESTING, yamlTokens } from '../../config/yaml';

export type AlertsFormat = 'prometheus' | 'datadog';

export interface AlertRule {
  name: string;
  expr: string;
  line: number;
  /** The format the rule came from; `metricsInExpression` guesses it when absent. */
  format?: AlertsFormat;
  /**
   * Further expressions the alert evaluates besides `expr`: a Datadog formula monitor's
   * variable queries (`query1 = sum:...`), and the expressions of the recording rules (same
   * file, transitively) whose series a Prometheus alert reads. Coverage looks at these too.
   */
  inputs?: string[];
}

export type AlertsParse =
  | { ok: true; format: AlertsFormat; rules: AlertRule[] }
  | { ok: false; kind: 'unrecognised'; message: string }
  | { ok: false; kind: 'invalid'; message: string; line?: number; column?: number };

type Invalid = Extract<AlertsParse, { kind: 'invalid' }>;
type Path = (string | number)[];

class InvalidRule extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

interface Ctx {
  doc: Document | undefined;
  lc: LineCounter;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** The 1-based line of the node at `path`, or of its nearest ancestor that has a position. */
function lineAt(ctx: Ctx, path: Path): number {
  const { doc } = ctx;
  if (!doc) return 1;
  for (let p = path; ; p = p.slice(0, -1)) {
    const node: unknown = p.length === 0 ? doc.contents : doc.getIn(p, true);
    if (isNode(node) && node.range) return ctx.lc.linePos(node.range[0]).line;
    if (p.length === 0) return 1;
  }
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const SYNTAX_EXTENSIONS = /\.(ya?ml|json|rules)$/i;
const LOOKS_STRUCTURED = /^\s*(groups|apiVersion|kind|spec|monitors)\s*:|^\s*[[{]/m;
/** Largest alerts file read (rule files of whole clusters stay well under it). */
export const MAX_ALERTS_BYTES = 4 * 1024 * 1024;

export function parseAlerts(text: string, fileName: string): AlertsParse {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') {
    return { ok: false, kind: 'unrecognised', message: `${fileName} is empty` };
  }
  const bytes = source.length > MAX_ALERTS_BYTES / 4 ? Buffer.byteLength(source, 'utf8') : source.length;
  if (bytes > MAX_ALERTS_BYTES) {
    return { ok: false, kind: 'invalid', message: `${fileName} is ${bytes} bytes; alerts files are read up to ${MAX_ALERTS_BYTES} bytes`, line: 1 };
  }
  const jsonName = /\.json$/i.test(fileName);
  if (jsonName) {
    const strict = strictJsonError(source, fileName);
    if (strict) return strict;
  }

  // Nesting too deep for the YAML composer (it recurses once per level and can take the
  // process down): refused, unless it is valid JSON, which JSON.parse reads without recursing.
  const depthLines = new LineCounter();
  const depth = yamlTokens(source, MAX_NESTING, depthLines.addNewLine);
  if (!depth.ok && !jsonName) {
    const pos = depthLines.linePos(depth.offset);
    return { ok: false, kind: 'invalid', message: `${fileName}: ${depth.message}`, line: pos.line, column: pos.col };
  }

  const lc = new LineCounter();
  const docs = depth.ok ? parseAllDocuments(source, { lineCounter: lc, uniqueKeys: !jsonName, prettyErrors: true }) : [];
  const list = Array.isArray(docs) ? docs : [];
  // Each document's value, with the parsed document for line numbers.
  let entries: { value: () => unknown; ctx: Ctx }[] = list.map((doc) => ({
    value: () => docValue(doc, fileName, lc),
    ctx: { doc, lc },
  }));
  const err = list.flatMap((doc) => doc.errors)[0];
  if ((err || !depth.ok) && jsonName) {
    // Valid JSON (checked above) that the YAML parser refuses: use JSON, without line numbers.
    entries = [{ value: () => JSON.parse(source) as unknown, ctx: { doc: undefined, lc } }];
  } else if (err) {
    const pos = err.linePos?.[0];
    const message = `${fileName}: ${(err.message.split('\n')[0] ?? err.message).replace(/:\s*$/, '')}`;
    if (!SYNTAX_EXTENSIONS.test(fileName) && !LOOKS_STRUCTURED.test(source)) {
      return {
        ok: false,
        kind: 'unrecognised',
        message: `${fileName} is neither YAML nor JSON, so not Prometheus alerting rules or Datadog monitors`,
      };
    }
    return { ok: false, kind: 'invalid', message, ...(pos ? { line: pos.line, column: pos.col } : {}) };
  }

  const found: { format: AlertsFormat; rules: AlertRule[] }[] = [];
  try {
    const prometheusDocs: { ctx: Ctx; value: Record<string, unknown>; groupsPath: Path }[] = [];
    for (const entry of entries) {
      const value = entry.value();
      const { ctx } = entry;
      const kind = classify(value);
      if (kind === 'prometheus' && isObj(value)) {
        prometheusDocs.push({ ctx, value, groupsPath: ['groups'] });
      } else if (kind === 'prometheus-crd' && isObj(value)) {
        prometheusDocs.push({ ctx, value, groupsPath: ['spec', 'groups'] });
      } else if (kind === 'datadog') {
        found.push({ format: 'datadog', rules: datadogRules(value, ctx, fileName) });
      }
    }
    if (prometheusDocs.length > 0) {
      found.push({ format: 'prometheus', rules: prometheusRules(prometheusDocs, fileName) });
    }
  } catch (e) {
    if (e instanceof InvalidRule) {
      return { ok: false, kind: 'invalid', message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) };
    }
    throw e;
  }

  const [first, ...others] = found;
  if (!first) {
    return {
      ok: false,
      kind: 'unrecognised',
      message:
        `${fileName} is neither Prometheus alerting rules (groups[].rules[] with alert and expr) ` +
        'nor Datadog monitors (objects with a query)',
    };
  }
  if (others.some((f) => f.format !== first.format)) {
    return { ok: false, kind: 'invalid', message: `${fileName} mixes Prometheus rules and Datadog monitors` };
  }
  return { ok: true, format: first.format, rules: found.flatMap((f) => f.rules) };
}

function docValue(doc: Document, fileName: string, lc: LineCounter): unknown {
  const key = complexKey(doc);
  if (key) throw new InvalidRule(`${fileName}: a mapping key must be a plain name, not a list, mapping or alias`, lc.linePos(key.offset).line);
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // e.g. excessive alias expansion ("billion laughs")
    throw new InvalidRule(`${fileName}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** For a `.json` file, JSON's own grammar is the judge (YAML accepts more). */
function strictJsonError(source: string, fileName: string): Invalid | undefined {
  try {
    JSON.parse(source);
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message);
    const base: Invalid = { ok: false, kind: 'invalid', message: `${fileName}: invalid JSON: ${message}` };
    if (!at) return base;
    const offset = Number(at[1]);
    const before = source.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { ...base, line, column };
  }
}

type DocKind = 'prometheus' | 'prometheus-crd' | 'datadog' | 'other';

function looksLikePrometheusGroups(groups: unknown): boolean {
  if (!Array.isArray(groups)) return false;
  return groups.length === 0 || groups.some((g) => isObj(g) && has(g, 'rules'));
}

// Datadog monitor types: "metric alert", "query alert", "log alert", ..., "composite", "service check".
const DATADOG_TYPE = /^[a-z0-9-]+(?: [a-z0-9-]+)* alert$|^composite$|^service check$/;

/** A Datadog monitor: a `query` with a name/message/options/type, or a monitor `type` with a name. */
function looksLikeMonitor(v: unknown): boolean {
  if (!isObj(v)) return false;
  const described = has(v, 'name') || has(v, 'message') || has(v, 'options');
  if (typeof v.type === 'string' && DATADOG_TYPE.test(v.type) && (described || has(v, 'query'))) return true;
  return typeof v.query === 'string' && (described || has(v, 'type'));
}

function classify(value: unknown): DocKind {
  if (isObj(value)) {
    if (value.kind === 'PrometheusRule') return 'prometheus-crd';
    if (looksLikePrometheusGroups(value.groups)) return 'prometheus';
    if (Array.isArray(value.monitors)) return 'datadog';
    if (looksLikeMonitor(value)) return 'datadog';
    return 'other';
  }
  if (Array.isArray(value) && value.some(looksLikeMonitor)) return 'datadog';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Prometheus

const PROM_DURATION = /^(?:0|(?:\d+(?:ms|s|m|h|d|w|y))+)$/;

function checkDuration(v: unknown, what: string, where: string, line: number): void {
  if (v === undefined || v === null) return;
  const text = scalarText(v);
  if (text === undefined || !PROM_DURATION.test(text)) {
    throw new InvalidRule(`${where}: '${what}' is not a Prometheus duration (e.g. 5m, 1h30m): ${String(text ?? typeof v)}`, line);
  }
}

interface RawPromRule {
  alert?: string;
  record?: string;
  expr: string;
  line: number;
}

function prometheusRules(
  docs: { ctx: Ctx; value: Record<string, unknown>; groupsPath: Path }[],
  fileName: string,
): AlertRule[] {
  const raw: RawPromRule[] = [];
  for (const { ctx, value, groupsPath } of docs) {
    let groups: unknown = value;
    for (const key of groupsPath) groups = isObj(groups) ? groups[key] : undefined;
    if (!Array.isArray(groups)) {
      throw new InvalidRule(`${fileName}: ${groupsPath.join('.')} must be a list of rule groups`, lineAt(ctx, groupsPath));
    }
    const groupNames = new Set<string>();
    groups.forEach((group: unknown, gi) => {
      const gPath = [...groupsPath, gi];
      const gLine = lineAt(ctx, gPath);
      if (!isObj(group)) throw new InvalidRule(`${fileName}: rule group ${gi + 1} is not a mapping`, gLine);
      const gName = scalarText(group.name);
      if (gName === undefined || gName.trim() === '') {
        throw new InvalidRule(`${fileName}: rule group ${gi + 1} has no name`, gLine);
      }
      if (groupNames.has(gName)) throw new InvalidRule(`${fileName}: rule group name '${gName}' is repeated`, gLine);
      groupNames.add(gName);
      checkDuration(group.interval, 'interval', `${fileName}: group '${gName}'`, lineAt(ctx, [...gPath, 'interval']));
      const rules = group.rules ?? [];
      if (!Array.isArray(rules)) {
        throw new InvalidRule(`${fileName}: group '${gName}': rules must be a list`, lineAt(ctx, [...gPath, 'rules']));
      }
      rules.forEach((rule: unknown, ri) => {
        const rPath = [...gPath, 'rules', ri];
        const rLine = lineAt(ctx, rPath);
        const where = `${fileName}: group '${gName}' rule ${ri + 1}`;
        if (!isObj(rule)) throw new InvalidRule(`${where} is not a mapping`, rLine);
        const hasAlert = rule.alert !== undefined && rule.alert !== null;
        const hasRecord = rule.record !== undefined && rule.record !== null;
        if (hasAlert && hasRecord) throw new InvalidRule(`${where} has both 'alert' and 'record'`, rLine);
        if (!hasAlert && !hasRecord) throw new InvalidRule(`${where} has neither 'alert' nor 'record'`, rLine);
        const name = scalarText(hasAlert ? rule.alert : rule.record);
        if (name === undefined || name.trim() === '') {
          throw new InvalidRule(`${where}: '${hasAlert ? 'alert' : 'record'}' must be a non-empty name`, rLine);
        }
        const label = hasAlert ? `alerting rule '${name}'` : `recording rule '${name}'`;
        const expr = scalarText(rule.expr);
        if (expr === undefined || expr.trim() === '') {
          throw new InvalidRule(`${fileName}: ${label} (group '${gName}') has no expr`, rLine);
        }
        const exprLine = lineAt(ctx, [...rPath, 'expr']);
        const lexed = lexPromql(expr);
        if (lexed.error) throw new InvalidRule(`${fileName}: ${label}: expr ${lexed.error}`, exprLine);
        if (hasAlert) {
          checkDuration(rule.for, 'for', `${fileName}: ${label}`, lineAt(ctx, [...rPath, 'for']));
          checkDuration(rule.keep_firing_for, 'keep_firing_for', `${fileName}: ${label}`, lineAt(ctx, [...rPath, 'keep_firing_for']));
          for (const key of ['labels', 'annotations'] as const) {
            const v = rule[key];
            if (v !== undefined && v !== null && !isObj(v)) {
              throw new InvalidRule(`${fileName}: ${label}: ${key} must be a mapping`, lineAt(ctx, [...rPath, key]));
            }
          }
          raw.push({ alert: name, expr, line: rLine });
        } else {
          if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
            throw new InvalidRule(`${fileName}: ${label}: '${name}' is not a valid metric name`, rLine);
          }
          raw.push({ record: name, expr, line: rLine });
        }
      });
    });
  }

  // Recorded series → the expressions that produce them (a name may be recorded more than once).
  const recorded = new Map<string, string[]>();
  for (const r of raw) {
    if (r.record !== undefined) recorded.set(r.record, [...(recorded.get(r.record) ?? []), r.expr]);
  }
  const alerts: AlertRule[] = [];
  for (const r of raw) {
    if (r.alert === undefined) continue;
    const inputs: string[] = [];
    const seen = new Set<string>();
    const queue = [...lexPromql(r.expr).names];
    while (queue.length > 0) {
      const series = queue.shift() as string;
      if (seen.has(series)) continue;
      seen.add(series);
      for (const e of recorded.get(series) ?? []) {
        inputs.push(e);
        queue.push(...lexPromql(e).names);
      }
    }
    alerts.push({ name: r.alert, expr: r.expr, line: r.line, format: 'prometheus', ...(inputs.length ? { inputs } : {}) });
  }
  return alerts;
}

// ---------------------------------------------------------------------------------------------
// Datadog

function datadogRules(value: unknown, ctx: Ctx, fileName: string): AlertRule[] {
  let items: unknown[];
  let base: Path;
  if (Array.isArray(value)) {
    items = value;
    base = [];
  } else if (isObj(value) && Array.isArray(value.monitors)) {
    items = value.monitors;
    base = ['monitors'];
  } else {
    return [datadogRule(value, ctx, [], fileName, 0)];
  }
  return items.map((item, i) => datadogRule(item, ctx, [...base, i], fileName, i));
}

function datadogRule(item: unknown, ctx: Ctx, path: Path, fileName: string, index: number): AlertRule {
  const line = lineAt(ctx, path);
  if (!isObj(item)) throw new InvalidRule(`${fileName}: monitor ${index + 1} is not an object`, line);
  const name =
    (typeof item.name === 'string' && item.name.trim() !== '' ? item.name : undefined) ??
    (scalarText(item.id) !== undefined ? `monitor ${scalarText(item.id)}` : `monitor ${index + 1}`);
  const query = item.query;
  if (typeof query !== 'string' || query.trim() === '') {
    throw new InvalidRule(`${fileName}: Datadog monitor '${name}' has no query`, line);
  }
  const inputs: string[] = [];
  const options = item.options;
  if (isObj(options) && Array.isArray(options.variables)) {
    for (const v of options.variables) {
      if (isObj(v) && typeof v.query === 'string' && v.query.trim() !== '') {
        inputs.push(typeof v.name === 'string' ? `${v.name} = ${v.query}` : v.query);
      }
    }
  }
  return { name, expr: query, line, format: 'datadog', ...(inputs.length ? { inputs } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Expressions

/**
 * The metric names an expression reads (see the matching rules at the top of this file).
 * `format` selects PromQL or Datadog query syntax; without it the syntax is guessed.
 */
export function metricsInExpression(expr: string, format?: AlertsFormat): Set<string> {
  const dialect = format ?? guessFormat(expr);
  return new Set(dialect === 'datadog' ? datadogMetrics(expr) : lexPromql(expr).names);
}

function stripQuoted(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

/** Datadog queries have `avg(last_5m):`, `avg:metric.name`, `{tag:value}` scopes or `.as_count()`. */
export function guessFormat(expr: string): AlertsFormat {
  const s = stripQuoted(expr);
  if (/\)\s*:/.test(s)) return 'datadog';
  if (/(?:^|[^\w:.])(?:avg|sum|min|max|count|p\d+(?:\.\d+)?)\s*:\s*[A-Za-z][\w]*\./.test(s)) return 'datadog';
  if (/\.\s*(?:as_count|as_rate|rollup|fill|last|index|by)\s*\(/.test(s) || /^\s*formula\s*\(/.test(s)) return 'datadog';
  for (const m of s.matchAll(/\{([^{}]*)\}/g)) {
    const inner = (m[1] ?? '').trim();
    if (inner !== '' && inner !== '""' && !inner.includes('=')) return 'datadog';
  }
  return 'prometheus';
}

const PROM_GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const PROM_AGGREGATORS = new Set([
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values',
  'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio',
]);
// `start()`/`end()` (after `@`) are followed by `(` and so read as functions.
const PROM_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan', 'smoothed', 'anchored']);

function isIdentStart(ch: string | undefined): boolean {
  return ch !== undefined && /[a-zA-Z_:]/.test(ch);
}

function isIdentPart(ch: string | undefined): boolean {
  return ch !== undefined && /[a-zA-Z0-9_:]/.test(ch);
}

function skipString(s: string, i: number): number | undefined {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length) {
    const ch = s[j];
    if (ch === '\\' && quote !== '`') j += 2;
    else if (ch === quote) return j + 1;
    else j++;
  }
  return undefined;
}

function unquote(token: string): string {
  const body = token.slice(1, -1);
  return token.startsWith('`') ? body : body.replace(/\\(.)/g, '$1');
}

/**
 * Reads a `{...}` label-matcher block starting at `i` (the `{`). Returns the index after `}`,
 * and the metric named inside it, if any (`__name__="m"` or a bare quoted `"m"`).
 */
function promMatchers(s: string, i: number): { end: number; names: string[] } | { error: string } {
  const items: string[][] = [[]];
  let j = i + 1;
  while (j < s.length) {
    const ch = s[j] as string;
    if (ch === '}') {
      const names: string[] = [];
      for (const item of items) {
        const [a, b, c] = item;
        if (item.length === 1 && a !== undefined && /^["'`]/.test(a)) names.push(unquote(a));
        if (item.length === 3 && a !== undefined && c !== undefined && b === '=' && /^["'`]/.test(c)) {
          const label = /^["'`]/.test(a) ? unquote(a) : a;
          if (label === '__name__') names.push(unquote(c));
        }
      }
      return { end: j + 1, names };
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = skipString(s, j);
      if (end === undefined) return { error: 'has an unterminated string' };
      (items.at(-1) as string[]).push(s.slice(j, end));
      j = end;
    } else if (ch === ',') {
      items.push([]);
      j++;
    } else if (/\s/.test(ch)) {
      j++;
    } else if (/[=!~]/.test(ch)) {
      const op = /^(?:=~|!~|!=|=)/.exec(s.slice(j))?.[0] ?? ch;
      (items.at(-1) as string[]).push(op);
      j += op.length;
    } else if (ch === '{') {
      return { error: "has a '{' inside label matchers" };
    } else {
      let k = j;
      while (k < s.length && !/[\s,{}=!~"'`]/.test(s[k] as string)) k++;
      (items.at(-1) as string[]).push(s.slice(j, k));
      j = k;
    }
  }
  return { error: "has an unclosed '{'" };
}

/** Skips a balanced `open...close` group starting at `i`, honouring strings. */
function skipBalanced(s: string, i: number, open: string, close: string): number | undefined {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const ch = s[j];
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = skipString(s, j);
      if (end === undefined) return undefined;
      j = end;
      continue;
    }
    if (ch === open) depth++;
    else if (ch === close) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return undefined;
}

function nextNonSpace(s: string, i: number): { ch: string | undefined; at: number } {
  let j = i;
  while (j < s.length && /\s/.test(s[j] as string)) j++;
  return { ch: s[j], at: j };
}

/** Metric names in a PromQL expression, or a description of why it is not well-formed. */
export function lexPromql(expr: string): { names: string[]; error?: string } {
  const names: string[] = [];
  const add = (n: string): void => {
    if (!names.includes(n)) names.push(n);
  };
  const parens: string[] = [];
  let pendingCall = '';
  const s = expr;
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      const end = skipString(s, i);
      if (end === undefined) return { names, error: 'has an unterminated string' };
      i = end;
    } else if (ch === '{') {
      const block = promMatchers(s, i);
      if ('error' in block) return { names, error: block.error };
      block.names.forEach(add);
      i = block.end;
    } else if (ch === '}') {
      return { names, error: "has an unmatched '}'" };
    } else if (ch === '[') {
      const end = skipBalanced(s, i, '[', ']');
      if (end === undefined) return { names, error: "has an unclosed '['" };
      i = end;
    } else if (ch === ']') {
      return { names, error: "has an unmatched ']'" };
    } else if (ch === '(') {
      parens.push(pendingCall);
      pendingCall = '';
      i++;
    } else if (ch === ')') {
      if (parens.pop() === undefined) return { names, error: "has an unmatched ')'" };
      i++;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      while (i < s.length && /[0-9a-zA-Z_.]/.test(s[i] as string)) i++;
    } else if (isIdentStart(ch)) {
      let j = i + 1;
      while (isIdentPart(s[j])) j++;
      const ident = s.slice(i, j);
      const lower = ident.toLowerCase();
      const next = nextNonSpace(s, j);
      i = j;
      if (PROM_GROUPING.has(lower)) {
        if (next.ch === '(') {
          const end = skipBalanced(s, next.at, '(', ')');
          if (end === undefined) return { names, error: "has an unclosed '('" };
          i = end;
        }
      } else if (PROM_AGGREGATORS.has(lower)) {
        pendingCall = lower;
      } else if (PROM_KEYWORDS.has(lower)) {
        // not a metric
      } else if (next.ch === '(') {
        pendingCall = ident;
      } else {
        add(ident);
        if (ident.endsWith('_bucket') && ident.length > '_bucket'.length && parens.includes('histogram_quantile')) {
          add(ident.slice(0, -'_bucket'.length));
        }
      }
    } else {
      i++;
    }
  }
  if (parens.length > 0) return { names, error: "has an unclosed '('" };
  return { names };
}

const DD_IDENT_START = /[A-Za-z_]/;
const DD_IDENT_PART = /[A-Za-z0-9_.]/;
const DD_KEYWORDS = new Set(['by', 'in', 'not', 'and', 'or']);

/** Metric names in a Datadog monitor query (and formula variable queries). */
function datadogMetrics(expr: string): string[] {
  const names: string[] = [];
  const s = expr;
  let i = 0;
  // The identifier just before the last ':' seen, i.e. a space aggregator such as `avg:`.
  let afterAggregator = false;
  while (i < s.length) {
    const ch = s[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = skipString(s, i) ?? s.length;
      afterAggregator = false;
      continue;
    }
    if (ch === '{') {
      i = skipBalanced(s, i, '{', '}') ?? s.length;
      afterAggregator = false;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      while (i < s.length && /[0-9.eE]/.test(s[i] as string)) i++;
      afterAggregator = false;
      continue;
    }
    if (DD_IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < s.length && DD_IDENT_PART.test(s[j] as string)) j++;
      const ident = s.slice(i, j).replace(/\.+$/, '');
      const prev = s.slice(0, i).trimEnd().at(-1);
      const next = nextNonSpace(s, i + ident.length);
      const isMethod = prev === '.';
      i = i + ident.length;
      if (isMethod && next.ch === '(') {
        // `.as_count()`, `.rollup(sum, 60)`, `.last("5m")`: arguments are not metrics.
        i = skipBalanced(s, next.at, '(', ')') ?? s.length;
        afterAggregator = false;
        continue;
      }
      if (next.ch === ':') {
        // A space aggregator (`avg:`, `p95:`) names the metric that follows it.
        i = next.at + 1;
        afterAggregator = true;
        continue;
      }
      const metric =
        !isMethod && !DD_KEYWORDS.has(ident.toLowerCase()) && next.ch !== '(' && next.ch !== '=' &&
        (afterAggregator || next.ch === '{');
      if (metric && !names.includes(ident)) names.push(ident);
      afterAggregator = false;
      continue;
    }
    afterAggregator = false;
    i++;
  }
  return names;
}

function metricMatches(declared: string, found: string, format: AlertsFormat): boolean {
  if (declared === found) return true;
  return format === 'datadog' && found.endsWith(`.${declared}`);
}

/**
 * Which declared metrics at least one alert reads (its `expr` or its `inputs`), and which none
 * does. `covered` holds only covered metrics; `uncovered` keeps the declared order.
 */
export function coverage(
  rules: AlertRule[],
  metrics: string[],
): { covered: Record<string, AlertRule[]>; uncovered: string[] } {
  const read = rules.map((rule) => {
    const format = rule.format ?? guessFormat(rule.expr);
    const names = new Set<string>();
    for (const e of [rule.expr, ...(rule.inputs ?? [])]) {
      for (const n of metricsInExpression(e, format)) names.add(n);
    }
    return { rule, format, names: [...names] };
  });
  const entries: [string, AlertRule[]][] = [];
  const uncovered: string[] = [];
  const seen = new Set<string>();
  for (const raw of metrics) {
    const metric = raw.trim();
    if (metric === '' || seen.has(metric)) continue;
    seen.add(metric);
    const hits = read.filter((r) => r.names.some((n) => metricMatches(metric, n, r.format))).map((r) => r.rule);
    if (hits.length > 0) entries.push([metric, hits]);
    else uncovered.push(metric);
  }
  return { covered: Object.fromEntries(entries), uncovered };
}
