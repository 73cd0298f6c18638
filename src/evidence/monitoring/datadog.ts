// Datadog monitors: which objects of an alerts file are monitors, and the metrics their queries
// read. A monitor (`query`, `type`, `name`, `message`, `options`, as the API and the UI export
// it) is read from any of the shapes monitors are kept in:
// - one monitor, an array of them, or `{ "monitors": [...] }` (YAML or JSON);
// - a monitor template, `{ "title", "description", "definition": { ...monitor } }`, as Datadog's
//   integrations ship them (`assets/monitors/*.json`);
// - a Datadog Operator `DatadogMonitor` resource (apiVersion datadoghq.com/v1alpha1) with the
//   monitor in `spec`, also as an item of a `kind: List`.
//
// Metric names in a query are read by hand: Datadog publishes no grammar or parser for its
// monitor query language. Metric names are dotted (`trace.http.request.duration`) and appear
// after a space aggregator (`avg:`, `sum:`, `p95:`...) or right before a `{scope}`. Tags inside
// `{...}`, `.as_count()`-style methods, strings, and formula variable names (`query1`) are not
// metrics. (Which declared metric a Datadog name covers is in coverage.ts.)
import type { AlertRule, Ctx, Path } from './common';
import { has, InvalidRule, isObj, lineAt, scalarText, valueAt } from './common';

// Datadog monitor types: "metric alert", "query alert", "log alert", ..., "composite", "service check".
const DATADOG_TYPE = /^[a-z0-9-]+(?: [a-z0-9-]+)* alert$|^composite$|^service check$/;

/** A Datadog monitor: a `query` with a name/message/options/type, or a monitor `type` with a name. */
function looksLikeMonitor(v: unknown): boolean {
  if (!isObj(v)) return false;
  const described = has(v, 'name') || has(v, 'message') || has(v, 'options');
  if (typeof v.type === 'string' && DATADOG_TYPE.test(v.type) && (described || has(v, 'query'))) return true;
  return typeof v.query === 'string' && (described || has(v, 'type'));
}

const isOperatorMonitor = (v: unknown): v is Record<string, unknown> => isObj(v) && v.kind === 'DatadogMonitor';

/** A monitor, a monitor template (`definition`), or a `DatadogMonitor` resource. */
function isMonitorEntry(v: unknown): boolean {
  return looksLikeMonitor(v) || isOperatorMonitor(v) || (isObj(v) && looksLikeMonitor(v.definition));
}

/** Whether a document (or a `kind: List` item) holds Datadog monitors. */
export function holdsDatadogMonitors(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isMonitorEntry);
  return isObj(value) && (Array.isArray(value.monitors) || isMonitorEntry(value));
}

/** The monitors of the document value at `path` inside `root`. */
export function datadogRules(root: unknown, ctx: Ctx, path: Path, fileName: string): AlertRule[] {
  const value = valueAt(root, path);
  let base: Path;
  if (Array.isArray(value)) base = path;
  else if (isObj(value) && Array.isArray(value.monitors)) base = [...path, 'monitors'];
  else return [datadogRule(root, ctx, path, fileName, 0)];
  const items = valueAt(root, base) as unknown[];
  return items.map((_, i) => datadogRule(root, ctx, [...base, i], fileName, i));
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function datadogRule(root: unknown, ctx: Ctx, itemPath: Path, fileName: string, index: number): AlertRule {
  const item = valueAt(root, itemPath);
  // Where the monitor itself is, and what to call it if it has no name.
  let path = itemPath;
  let fallback: string | undefined;
  if (isOperatorMonitor(item)) {
    fallback = isObj(item.metadata) ? nonEmpty(item.metadata.name) : undefined;
    path = [...itemPath, 'spec'];
    if (!isObj(item.spec)) {
      throw new InvalidRule(`${fileName}: DatadogMonitor '${fallback ?? index + 1}' has no spec`, lineAt(ctx, itemPath));
    }
  } else if (isObj(item) && !looksLikeMonitor(item) && isObj(item.definition)) {
    fallback = nonEmpty(item.title);
    path = [...itemPath, 'definition'];
  }
  const monitor = valueAt(root, path);
  const line = lineAt(ctx, path);
  if (!isObj(monitor)) throw new InvalidRule(`${fileName}: monitor ${index + 1} is not an object`, line);
  const id = scalarText(monitor.id);
  const name = nonEmpty(monitor.name) ?? fallback ?? (id !== undefined ? `monitor ${id}` : `monitor ${index + 1}`);
  const query = monitor.query;
  if (typeof query !== 'string' || query.trim() === '') {
    throw new InvalidRule(`${fileName}: Datadog monitor '${name}' has no query`, line);
  }
  const inputs: string[] = [];
  const options = monitor.options;
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
// Metric names in a query

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

const DD_IDENT_START = /[A-Za-z_]/;
const DD_IDENT_PART = /[A-Za-z0-9_.]/;
const DD_KEYWORDS = new Set(['by', 'in', 'not', 'and', 'or']);

/** Metric names in a Datadog monitor query (and formula variable queries). */
export function datadogMetrics(expr: string): string[] {
  const names: string[] = [];
  const s = expr;
  let i = 0;
  // Whether the identifier just read was a space aggregator such as `avg:`.
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
