// PromQL read with the Prometheus project's grammar: the metric names a rule reads, fail-closed
// on what does not parse, and the messages that say why.
import { describe, expect, it } from 'vitest';
import { coverage, metricsInExpression, parseAlerts, type AlertRule } from '../../src/evidence/monitoring/alerts';
import { describePromqlError, readPromql } from '../../src/evidence/monitoring/promql';

const rule = (expr: string): AlertRule => ({ name: 'r', expr, line: 1, format: 'prometheus' });
const ruleFile = (expr: string): string => `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${JSON.stringify(expr)}\n`;

describe('readPromql: the series an expression selects', () => {
  const cases: [string, string[]][] = [
    ['rate(error_rate[5m] offset 1h) > 0.1', ['error_rate']],
    ['max_over_time(deriv(error_rate[10m])[1h:1m]) > 0.1', ['error_rate']],
    ['error_rate @ start() > 0.1', ['error_rate']],
    ['{"__name__"="error_rate", job="x"} > 0.1', ['error_rate']],
    ['{__name__!="error_rate"} > 0.1', []],
    ['{"support.triage.error_rate"} > 0.1', ['support.triage.error_rate']],
    ['a + on (job) group_left (team) b * ignoring (x) c', ['a', 'b', 'c']],
    ['sum without (instance) (error_rate) > bool 1', ['error_rate']],
    ['count_values("version", build_info)', ['build_info']],
    ['quantile by (job) (0.9, error_rate) > 1', ['error_rate']],
    ['-error_rate < -1e-3', ['error_rate']],
    ['histogram_quantile(0.9, rate({__name__="latency_bucket"}[5m])) > 1', ['latency_bucket', 'latency']],
    ['histogram_quantile(0.9, rate(latency[5m])) > 1', ['latency']],
    ['rate(latency_bucket[5m]) > 1', ['latency_bucket']],
    ['label_join(up, "foo", ",", "error_rate")', ['up']],
    ['rate(x[5m]) # error_rate\n  > 1', ['x']],
    ['sum(rate(x[5m])) by (le) > 1 or sum(rate(x[5m])) by (le) > 2', ['x']],
    // Keywords and function names are names of series where they stand as one.
    ['rate > 1', ['rate']],
    ['sum > 1', ['sum']],
    // Object.prototype's members are metric names like any other (the grammar's keyword tables
    // are plain objects: without care they break the parse).
    ['constructor{job="constructor"} > 1', ['constructor']],
    ['__proto__ + hasOwnProperty > 1', ['__proto__', 'hasOwnProperty']],
    ['{__name__="constructor"} > 1', ['constructor']],
  ];
  it.each(cases)('%s → %j', (expr, expected) => {
    expect(readPromql(expr)).toEqual({ ok: true, names: expected });
    expect([...metricsInExpression(expr, 'prometheus')]).toEqual(expected);
  });
});

describe('readPromql: what does not parse reads nothing (fail closed)', () => {
  const invalid: [string, string | RegExp][] = [
    ['sum(rate(error_rate[5m]) > 1', "has an unclosed '('"],
    ['rate(error_rate[5m) > 1', "has an unmatched ')'"],
    ['error_rate{job="x"}} > 1', "has an unmatched '}'"],
    ['error_rate{job="x} > 1', 'has an unterminated string'],
    ['error_rate{job=`x} > 1', 'has an unterminated string'],
    ['error_rat(error_rate) > 1', 'calls error_rat(), which is not a PromQL function'],
    ['error_rate >', 'is not valid PromQL: it ends too early'],
    ['error_rate error_rate > 1', "is not valid PromQL at column 12, near 'error_rate > 1'"],
    ['error_rate{job="x" env="y"} > 1', /^is not valid PromQL at column 20/],
    ['sum(error_rate) by (job > 1', "has an unclosed '('"],
  ];
  it.each(invalid)('%s: %s', (expr, message) => {
    const read = readPromql(expr);
    expect(read).toMatchObject({ ok: false, names: [] });
    if (read.ok) return;
    expect(describePromqlError(expr, read.at)).toMatch(message);
    expect([...metricsInExpression(expr, 'prometheus')]).toEqual([]);
    expect(coverage([rule(expr)], ['error_rate']).uncovered).toEqual(['error_rate']);
  });

  it('an alert with such an expression makes the file invalid, at the expr line', () => {
    const r = parseAlerts(ruleFile('error_rat(error_rate) > 1'), 'ops/a.yml');
    expect(r).toEqual({ ok: false, kind: 'invalid', line: 5, message: "ops/a.yml: alerting rule 'A': expr calls error_rat(), which is not a PromQL function" });
  });

  it('brackets inside strings and comments do not count', () => {
    expect(readPromql('up{job="(x"} # (\n > 0')).toEqual({ ok: true, names: ['up'] });
    const expr = 'sum(\n  rate(x[5m]) # (\n)) > 1';
    const read = readPromql(expr);
    expect(!read.ok && describePromqlError(expr, read.at)).toBe("has an unmatched ')'");
  });

  it('a long expression past the parser\'s limits says so', () => {
    // lezer cuts a chain of more than about 300 operators once it is over 2,000 characters long.
    const expr = Array.from({ length: 400 }, (_, i) => `up{job="j${i}"} == 0`).join(' or ');
    const read = readPromql(expr);
    expect(read.ok).toBe(false);
    expect(!read.ok && describePromqlError(expr, read.at)).toMatch(/too long for the PromQL grammar.*recording rules/);
    // A long expression of a realistic shape parses.
    const long = Array.from({ length: 100 }, (_, i) => `up{job="j${i}"} == 0`).join(' or ');
    expect(readPromql(long)).toEqual({ ok: true, names: ['up'] });
  });

  it('refuses megabytes of garbage quickly (the parser does not try to recover)', () => {
    for (const junk of ['('.repeat(1_000_000), '"'.repeat(1_000_000), ')]}'.repeat(300_000), 'a b '.repeat(250_000)]) {
      const started = performance.now();
      const read = readPromql(junk);
      expect(read.ok).toBe(false);
      if (!read.ok) describePromqlError(junk, read.at);
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });
});
