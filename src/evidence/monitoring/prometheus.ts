// Prometheus rule files: the alerting rules of `groups: [{ name, interval?, rules: [{ alert, expr,
// for?, keep_firing_for?, labels?, annotations? } | { record, expr }] }]`, as Prometheus reads
// them (rule files) or as prometheus-operator's `PrometheusRule` holds them (`spec.groups`).
// A rule Prometheus would refuse makes the file invalid, at the rule's line. Recording rules are
// not alerts, but an alert that reads a recorded series also reads what that recording rule
// reads (see `AlertRule.inputs`).
import { formatPath } from '../../config/yaml';
import type { AlertRule, Ctx, Path } from './common';
import { InvalidRule, isObj, lineAt, scalarText, valueAt } from './common';
import { describePromqlError, readPromql } from './promql';

/** A document (or a `kind: List` item) holding rule groups at `groupsPath` from its root. */
export interface RuleGroupsSource {
  ctx: Ctx;
  root: unknown;
  groupsPath: Path;
}

/** `groups:` that Prometheus would read as rule groups (an empty list included). */
export function looksLikeRuleGroups(groups: unknown): boolean {
  if (!Array.isArray(groups)) return false;
  return groups.length === 0 || groups.some((g) => isObj(g) && Object.prototype.hasOwnProperty.call(g, 'rules'));
}

const PROM_DURATION = /^(?:0|(?:\d+(?:ms|s|m|h|d|w|y))+)$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function checkDuration(v: unknown, what: string, where: string, line: number): void {
  if (v === undefined || v === null) return;
  const text = scalarText(v);
  if (text === undefined || !PROM_DURATION.test(text)) {
    throw new InvalidRule(`${where}: '${what}' is not a Prometheus duration (e.g. 5m, 1h30m): ${String(text ?? typeof v)}`, line);
  }
}

interface RawRule {
  alert?: string;
  record?: string;
  expr: string;
  /** The series the expression reads. */
  names: string[];
  line: number;
}

/** The alerting rules of all the sources (one file), each with the recording rules it reads. */
export function prometheusRules(sources: RuleGroupsSource[], fileName: string): AlertRule[] {
  const raw: RawRule[] = [];
  for (const source of sources) raw.push(...groupRules(source, fileName));

  // Recorded series → the rules that produce them (a name may be recorded more than once).
  const recorded = new Map<string, RawRule[]>();
  for (const r of raw) {
    if (r.record !== undefined) recorded.set(r.record, [...(recorded.get(r.record) ?? []), r]);
  }
  const alerts: AlertRule[] = [];
  for (const r of raw) {
    if (r.alert === undefined) continue;
    const inputs: string[] = [];
    const seen = new Set<string>();
    const queue = [...r.names];
    while (queue.length > 0) {
      const series = queue.shift() as string;
      if (seen.has(series)) continue;
      seen.add(series);
      for (const rec of recorded.get(series) ?? []) {
        inputs.push(rec.expr);
        queue.push(...rec.names);
      }
    }
    alerts.push({ name: r.alert, expr: r.expr, line: r.line, format: 'prometheus', ...(inputs.length ? { inputs } : {}) });
  }
  return alerts;
}

function groupRules({ ctx, root, groupsPath }: RuleGroupsSource, fileName: string): RawRule[] {
  const groups = valueAt(root, groupsPath);
  if (!Array.isArray(groups)) {
    throw new InvalidRule(`${fileName}: ${formatPath(groupsPath)} must be a list of rule groups`, lineAt(ctx, groupsPath));
  }
  const raw: RawRule[] = [];
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
      raw.push(oneRule(rule, ctx, [...gPath, 'rules', ri], `${fileName}: group '${gName}' rule ${ri + 1}`, gName, fileName));
    });
  });
  return raw;
}

function oneRule(rule: unknown, ctx: Ctx, rPath: Path, where: string, gName: string, fileName: string): RawRule {
  const rLine = lineAt(ctx, rPath);
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
  const read = readPromql(expr);
  if (!read.ok) throw new InvalidRule(`${fileName}: ${label}: expr ${describePromqlError(expr, read.at)}`, lineAt(ctx, [...rPath, 'expr']));
  if (!hasAlert) {
    if (!METRIC_NAME.test(name)) throw new InvalidRule(`${fileName}: ${label}: '${name}' is not a valid metric name`, rLine);
    return { record: name, expr, names: read.names, line: rLine };
  }
  checkDuration(rule.for, 'for', `${fileName}: ${label}`, lineAt(ctx, [...rPath, 'for']));
  checkDuration(rule.keep_firing_for, 'keep_firing_for', `${fileName}: ${label}`, lineAt(ctx, [...rPath, 'keep_firing_for']));
  for (const key of ['labels', 'annotations'] as const) {
    const v = rule[key];
    if (v !== undefined && v !== null && !isObj(v)) {
      throw new InvalidRule(`${fileName}: ${label}: ${key} must be a mapping`, lineAt(ctx, [...rPath, key]));
    }
  }
  return { alert: name, expr, names: read.names, line: rLine };
}
