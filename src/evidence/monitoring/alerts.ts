// Alerts files (`monitoring.alerts`): read the file, tell its format, and hand each document to
// its reader; the entry point of the monitoring gate. Pure, no I/O.
//
// The file is YAML or JSON, with one or several documents (`---`); a `kind: List` document
// (as `kubectl get -o yaml` writes) stands for its items. Each document or item is one of
// (SPEC §5 "monitoring"):
// - Prometheus alerting rules, `groups: [...]`, or a prometheus-operator `PrometheusRule`
//   (monitoring.coreos.com/v1, `spec.groups`): prometheus.ts;
// - Datadog monitors, as the API exports them, as integration monitor templates, or as Datadog
//   Operator `DatadogMonitor` resources: datadog.ts.
// Anything that parses but is neither gives `unrecognised` (the gate becomes inconclusive); a
// syntax error, or a rule of a recognised format that its tool would reject, gives `invalid`,
// with the file and line. Which declared metrics the alerts read is coverage.ts.

import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { complexKey, MAX_NESTING, yamlTokens } from '../../config/yaml';
import type { AlertRule, AlertsFormat, AlertsParse, Ctx, Path } from './common';
import { InvalidRule, isObj, valueAt } from './common';
import { datadogRules, holdsDatadogMonitors } from './datadog';
import { looksLikeRuleGroups, prometheusRules } from './prometheus';
import type { RuleGroupsSource } from './prometheus';

export type { AlertRule, AlertsParse } from './common';
export { coverage, guessFormat, metricsInExpression } from './coverage';

type Invalid = Extract<AlertsParse, { kind: 'invalid' }>;

const SYNTAX_EXTENSIONS = /\.(ya?ml|json|rules)$/i;
const LOOKS_STRUCTURED = /^\s*(groups|apiVersion|kind|spec|monitors)\s*:|^\s*[[{]/m;
/** Largest alerts file read (rule files of whole clusters stay well under it). */
export const MAX_ALERTS_BYTES = 4 * 1024 * 1024;

/** One document of the file: its value (converted when first asked) and its positions. */
interface Entry {
  value: () => unknown;
  ctx: Ctx;
}

export function parseAlerts(text: string, fileName: string): AlertsParse {
  const read = readDocuments(text.replace(/^\uFEFF/, ''), fileName);
  if (!Array.isArray(read)) return read;

  const found: { format: AlertsFormat; rules: AlertRule[] }[] = [];
  try {
    const ruleGroups: RuleGroupsSource[] = [];
    for (const entry of read) {
      const root = entry.value();
      for (const path of resources(root)) {
        const value = valueAt(root, path);
        if (isObj(value) && value.kind === 'PrometheusRule') {
          ruleGroups.push({ ctx: entry.ctx, root, groupsPath: [...path, 'spec', 'groups'] });
        } else if (isObj(value) && looksLikeRuleGroups(value.groups)) {
          ruleGroups.push({ ctx: entry.ctx, root, groupsPath: [...path, 'groups'] });
        } else if (holdsDatadogMonitors(value)) {
          found.push({ format: 'datadog', rules: datadogRules(root, entry.ctx, path, fileName) });
        }
      }
    }
    if (ruleGroups.length > 0) found.push({ format: 'prometheus', rules: prometheusRules(ruleGroups, fileName) });
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

/**
 * The paths of the resources a document holds: the document itself, or the items of a
 * Kubernetes list (`kind: List`, `kind: PrometheusRuleList`...). Lists are not nested in
 * practice, so the items of an item are not looked into.
 */
function resources(root: unknown): Path[] {
  if (isObj(root) && typeof root.kind === 'string' && root.kind.endsWith('List') && Array.isArray(root.items)) {
    return root.items.map((_, i) => ['items', i]);
  }
  return [[]];
}

/** The file's documents, or why it cannot be read as YAML or JSON. */
function readDocuments(source: string, fileName: string): Entry[] | AlertsParse {
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
  const err = list.flatMap((doc) => doc.errors)[0];
  if ((err || !depth.ok) && jsonName) {
    // Valid JSON (checked above) that the YAML parser refuses: use JSON, without line numbers.
    return [{ value: () => JSON.parse(source) as unknown, ctx: { doc: undefined, lc } }];
  }
  if (err) {
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
  return list.map((doc) => ({ value: () => docValue(doc, fileName, lc), ctx: { doc, lc } }));
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
