// Coverage: which declared metrics (the manifest's `monitoring.metrics`) at least one alert
// reads, and which none does. Pure, no I/O.
//
// A declared metric counts only as a metric NAME in an expression, never as a substring of
// another name, a label value, a label name, a function or a string:
// - PromQL (see promql.ts): the names the expression's selectors select. `error_rate` is
//   covered by `rate(error_rate[5m]) > 0.1` and `error_rate{job="x"} > 0.1`, but not by
//   `error_rate_total`, `http_error_rate` or `up{job="error_rate"}`. An expression that does
//   not parse covers nothing.
// - Datadog (see datadog.ts): a declared metric matches a Datadog metric whose full name equals
//   it, or that ends with `.` + it: `error_rate` is covered by `custom.support_triage.error_rate`
//   (Datadog metrics are namespaced by the integration or app, and manifests name the metric,
//   not the namespace), but not by `custom.http_error_rate` or `error_rate.p95`.
import type { AlertRule, AlertsFormat } from './common';
import { datadogMetrics } from './datadog';
import { readPromql } from './promql';

/**
 * The metric names an expression reads (see the matching rules at the top of this file).
 * `format` selects PromQL or Datadog query syntax; without it the syntax is guessed.
 */
export function metricsInExpression(expr: string, format?: AlertsFormat): Set<string> {
  const dialect = format ?? guessFormat(expr);
  return new Set(dialect === 'datadog' ? datadogMetrics(expr) : readPromql(expr).names);
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
