import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  coverage,
  guessFormat,
  metricsInExpression,
  parseAlerts,
  type AlertRule,
  type AlertsParse,
} from '../../src/evidence/monitoring/alerts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'alerts');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const parseFixture = (name: string): AlertsParse => parseAlerts(fixture(name), `ops/alerts/${name}`);

function rulesOf(result: AlertsParse): AlertRule[] {
  if (!result.ok) throw new Error(`expected ok, got ${result.kind}: ${result.message}`);
  return result.rules;
}

describe('parseAlerts: Prometheus', () => {
  it('reads alerting rules from several groups, skipping recording rules', () => {
    const result = parseFixture('prometheus-support-triage.yml');
    expect(result.ok && result.format).toBe('prometheus');
    const rules = rulesOf(result);
    expect(rules.map((r) => [r.name, r.line])).toEqual([
      ['TriageHighLatency', 17],
      ['TriageErrorRateHigh', 30],
      ['TriageEscalationsSpiking', 39],
      ['TriageDown', 50],
      ['TriageRequestErrors', 55],
    ]);
    expect(rules[0]?.expr).toBe('latency_p95 > 2');
    expect(rules.every((r) => r.format === 'prometheus')).toBe(true);
  });

  it('records which recording rules an alert reads, transitively', () => {
    const rules = rulesOf(parseFixture('prometheus-support-triage.yml'));
    const latency = rules.find((r) => r.name === 'TriageHighLatency');
    expect(latency?.inputs).toEqual([
      'histogram_quantile(0.95, sum by (le) (rate(triage_request_duration_seconds_bucket[5m])))',
    ]);
    expect(rules.find((r) => r.name === 'TriageDown')?.inputs).toBeUndefined();
  });

  it('accepts a PrometheusRule CRD among other Kubernetes documents', () => {
    const result = parseFixture('prometheusrule-crd.yaml');
    expect(result.ok && result.format).toBe('prometheus');
    expect(rulesOf(result).map((r) => [r.name, r.line])).toEqual([
      ['TriageErrorRate', 18],
      ['TriageModelDrift', 27],
    ]);
  });

  it('accepts several rule files concatenated as YAML documents', () => {
    const text = [
      'groups:',
      '  - name: a',
      '    rules:',
      '      - record: job:errors:rate5m',
      '        expr: sum by (job) (rate(errors_total[5m]))',
      '---',
      'groups:',
      '  - name: b',
      '    rules:',
      '      - alert: Errors',
      '        expr: job:errors:rate5m > 1',
    ].join('\n');
    const rules = rulesOf(parseAlerts(text, 'alerts.yml'));
    expect(rules).toEqual([
      {
        name: 'Errors',
        expr: 'job:errors:rate5m > 1',
        line: 10,
        format: 'prometheus',
        inputs: ['sum by (job) (rate(errors_total[5m]))'],
      },
    ]);
  });

  it('a file with only recording rules has no alerts', () => {
    const text = 'groups:\n  - name: r\n    rules:\n      - record: x:y\n        expr: sum(y)\n';
    expect(parseAlerts(text, 'r.yml')).toEqual({ ok: true, format: 'prometheus', rules: [] });
  });

  it('an alerting rule without expr is invalid, at its line', () => {
    const result = parseFixture('missing-expr.yml');
    expect(result).toMatchObject({ ok: false, kind: 'invalid', line: 8 });
    expect(!result.ok && result.message).toMatch(/TriageErrorRateHigh.*has no expr/);
  });

  it.each([
    ['both alert and record', '      - alert: A\n        record: b\n        expr: up\n', /both 'alert' and 'record'/],
    ['neither alert nor record', '      - expr: up\n        for: 5m\n', /neither 'alert' nor 'record'/],
    ['an empty expr', '      - alert: A\n        expr: ""\n', /has no expr/],
    ['a bad duration', '      - alert: A\n        expr: up == 0\n        for: 5 minutes\n', /'for' is not a Prometheus duration/],
    ['unbalanced parentheses', '      - alert: A\n        expr: sum(rate(x[5m]) > 1\n', /unclosed '\('/],
    ['an unterminated string', '      - alert: A\n        expr: up{job="x} == 0\n', /unterminated string/],
    ['labels that are not a mapping', '      - alert: A\n        expr: up == 0\n        labels: [a]\n', /labels must be a mapping/],
    ['a bad recorded name', '      - record: my-metric\n        expr: up\n', /not a valid metric name/],
  ])('a rule with %s is invalid, at its line', (_what, rule, message) => {
    const text = `groups:\n  - name: g\n    rules:\n${rule}`;
    const result = parseAlerts(text, 'a.yml');
    expect(result).toMatchObject({ ok: false, kind: 'invalid', line: expect.any(Number) });
    expect(!result.ok && result.message).toMatch(message);
    expect(!result.ok && result.kind === 'invalid' && result.line).toBeGreaterThanOrEqual(4);
  });

  it('a group without a name, or a repeated group name, is invalid', () => {
    expect(parseAlerts('groups:\n  - rules: []\n', 'a.yml')).toMatchObject({ kind: 'invalid', line: 2 });
    const repeated = 'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n';
    expect(parseAlerts(repeated, 'a.yml')).toMatchObject({ kind: 'invalid', line: 4 });
  });

  it('a PrometheusRule without spec.groups is invalid', () => {
    const text = 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\nspec: {}\n';
    expect(parseAlerts(text, 'rule.yaml')).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('parseAlerts: Datadog', () => {
  it('reads a JSON array exported from the API, with the line of each monitor', () => {
    const result = parseFixture('datadog-monitors.json');
    expect(result.ok && result.format).toBe('datadog');
    const rules = rulesOf(result);
    expect(rules.map((r) => [r.name, r.line])).toEqual([
      ['[support-triage] p95 latency above 2s', 2],
      ['[support-triage] error rate above 5%', 19],
      ['[support-triage] escalations anomalous', 28],
      ['[support-triage] misroute ratio', 39],
      ['[support-triage] error logs', 53],
    ]);
    expect(rules[0]?.expr).toBe(
      'avg(last_5m):p95:trace.http.request.duration{service:support-triage,env:prod} > 2',
    );
    expect(rules[3]?.inputs).toEqual([
      'query1 = sum:support_triage.misroutes{env:prod}.as_count()',
      'query2 = sum:support_triage.routed{env:prod}.as_count()',
    ]);
  });

  it('reads a single monitor object (tab-indented JSON)', () => {
    const rules = rulesOf(parseFixture('datadog-monitor-single.json'));
    expect(rules).toEqual([
      {
        name: 'Triage classifier error rate',
        expr: 'avg(last_15m):avg:support_triage.error_rate{env:prod} by {region} > 0.05',
        line: 1,
        format: 'datadog',
      },
    ]);
  });

  it('reads YAML with a monitors list', () => {
    const result = parseFixture('datadog-monitors.yaml');
    expect(result.ok && result.format).toBe('datadog');
    expect(rulesOf(result).map((r) => [r.name, r.line])).toEqual([
      ['Triage latency p95', 3],
      ['Triage escalation rate', 10],
    ]);
  });

  it('reads { "monitors": [...] } JSON and names monitors without a name by id', () => {
    const text = '{\n  "monitors": [\n    { "id": 42, "type": "metric alert", "query": "avg(last_5m):avg:a.b{*} > 1" }\n  ]\n}\n';
    expect(rulesOf(parseAlerts(text, 'monitors.json'))).toEqual([
      { name: 'monitor 42', expr: 'avg(last_5m):avg:a.b{*} > 1', line: 3, format: 'datadog' },
    ]);
  });

  it('valid JSON that the YAML parser refuses (very deep nesting) still parses, without line numbers', () => {
    const deep = '['.repeat(3000) + ']'.repeat(3000);
    const text = `[{"name":"m","type":"metric alert","query":"avg(last_5m):avg:a.b{*} > 1","options":{"x":${deep}}}]`;
    expect(rulesOf(parseAlerts(text, 'deep.json'))).toEqual([
      { name: 'm', expr: 'avg(last_5m):avg:a.b{*} > 1', line: 1, format: 'datadog' },
    ]);
  });

  it('a monitor without a query is invalid, at its line', () => {
    const result = parseFixture('datadog-missing-query.json');
    expect(result).toMatchObject({ ok: false, kind: 'invalid', line: 9 });
    expect(!result.ok && result.message).toMatch(/monitor 'Errors' has no query/);
  });
});

describe('parseAlerts: unrecognised and invalid files', () => {
  it.each(['readme.md', 'notes.txt', 'app-config.yml'])('%s is unrecognised', (name) => {
    const result = parseFixture(name);
    expect(result).toMatchObject({ ok: false, kind: 'unrecognised' });
    expect(!result.ok && result.message).toContain(name);
  });

  it.each([
    ['empty', '', 'alerts.yml'],
    ['whitespace and comments', '# nothing yet\n\n', 'alerts.yml'],
    ['a scalar', 'just a string\n', 'alerts.yml'],
    ['a list of strings', '- error_rate\n- latency_p95\n', 'alerts.yml'],
    ['a JSON array of numbers', '[1, 2, 3]', 'alerts.json'],
    ['a Grafana dashboard', '{ "title": "Triage", "panels": [ { "targets": [ { "expr": "error_rate" } ] } ] }', 'd.json'],
    ['a Kubernetes Deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n', 'deploy.yaml'],
  ])('%s is unrecognised', (_what, text, name) => {
    expect(parseAlerts(text, name)).toMatchObject({ ok: false, kind: 'unrecognised' });
  });

  it('broken YAML is invalid, with line and column', () => {
    const result = parseFixture('broken.yml');
    expect(result).toMatchObject({ ok: false, kind: 'invalid', line: 8, column: expect.any(Number) });
    expect(!result.ok && result.message).toContain('broken.yml');
  });

  it('broken JSON is invalid, with a line where the parser gives one', () => {
    const result = parseAlerts('[\n  { "name": "x", "query": "avg:a{*} > 1" },\n  { "name": "y" "query": "b" }\n]\n', 'm.json');
    expect(result).toMatchObject({ ok: false, kind: 'invalid', line: 3 });
    expect(parseAlerts('[{"query": "a", "name": "b"},]', 'm.json')).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('duplicate keys are a YAML error', () => {
    const text = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        expr: down\n';
    expect(parseAlerts(text, 'a.yml')).toMatchObject({ ok: false, kind: 'invalid', line: 6 });
  });

  it('a file that is not YAML at all is unrecognised rather than invalid', () => {
    const text = 'Alerts:\n  - error_rate: page at 5%\n  not yaml: [unclosed\n';
    expect(parseAlerts(text, 'ALERTS.md')).toMatchObject({ ok: false, kind: 'unrecognised' });
  });

  it('mixing Prometheus rules and Datadog monitors is invalid', () => {
    const text = 'groups: []\n---\nname: m\ntype: metric alert\nquery: "avg(last_5m):avg:a{*} > 1"\n';
    expect(parseAlerts(text, 'a.yml')).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('metricsInExpression: PromQL', () => {
  const cases: [string, string[]][] = [
    ['rate(error_rate[5m]) > 0.1', ['error_rate']],
    ['error_rate{job="x"} > 0.1', ['error_rate']],
    ['error_rate_total > 1', ['error_rate_total']],
    ['http_error_rate > 1', ['http_error_rate']],
    ['up{job="error_rate"} == 0', ['up']],
    ['sum by (error_rate) (up) > 1', ['up']],
    ['sum(up) without (error_rate) > 1', ['up']],
    ['a / on (instance) group_left (error_rate) b', ['a', 'b']],
    ['label_replace(up, "error_rate", "$1", "instance", "(.*)")', ['up']],
    ['histogram_quantile(0.95, sum(rate(latency_p95_bucket[5m])) by (le)) > 2', ['latency_p95_bucket', 'latency_p95']],
    ['sum(rate(latency_p95_bucket[5m])) > 2', ['latency_p95_bucket']],
    ['job:request_errors:rate5m > 0.1', ['job:request_errors:rate5m']],
    ['{__name__="error_rate", job="x"} > 0.1', ['error_rate']],
    ['{"error.rate", job="x"} > 0.1', ['error.rate']],
    ['{__name__=~"error_rate|x"} > 0.1', []],
    ['max_over_time(error_rate[1h:5m]) > 0.1 and on() hour() > 8', ['error_rate']],
    ['error_rate offset 1w > bool error_rate', ['error_rate']],
    ['SUM BY (job) (rate(errors_total[5m]))', ['errors_total']],
    ['absent(error_rate{job="x"})', ['error_rate']],
    ['topk(3, error_rate) @ end()', ['error_rate']],
    ['vector(1) # error_rate only in a comment', []],
    ['time() - process_start_time_seconds > 1e3', ['process_start_time_seconds']],
    ['x > Inf or y < -NaN', ['x', 'y']],
  ];
  it.each(cases)('%s → %j', (expr, expected) => {
    expect([...metricsInExpression(expr, 'prometheus')]).toEqual(expected);
    expect([...metricsInExpression(expr)]).toEqual(expected); // guessed as PromQL
  });
});

describe('metricsInExpression: Datadog', () => {
  const cases: [string, string[]][] = [
    ['avg(last_5m):avg:trace.http.request.duration{service:x} > 2', ['trace.http.request.duration']],
    ['avg(last_5m):p95:trace.http.request.duration{service:x,env:prod} by {host} > 2', ['trace.http.request.duration']],
    [
      'sum(last_10m):sum:custom.a.errors{env:prod}.as_count() / sum:custom.a.hits{env:prod}.as_count() > 0.05',
      ['custom.a.errors', 'custom.a.hits'],
    ],
    [
      "avg(last_4h):anomalies(avg:support_triage.escalation_rate{*}.rollup(sum, 600), 'basic', 2, direction='above') >= 1",
      ['support_triage.escalation_rate'],
    ],
    ['change(avg(last_5m),last_5m):avg:system.load.1{*} > 3', ['system.load.1']],
    ['avg(last_5m):error_rate{service:x} > 2', ['error_rate']],
    ['formula("query1 / query2").last("15m") > 0.1', []],
    ['sum:a.b{tag:error_rate}.as_count()', ['a.b']],
    ['logs("service:x error_rate").index("*").rollup("count").last("5m") > 50', []],
    ['"datadog.agent.up".over("*").by("host").last(2).count_by_status()', []],
    ['12345 && 67890', []],
  ];
  it.each(cases)('%s → %j', (expr, expected) => {
    expect([...metricsInExpression(expr, 'datadog')]).toEqual(expected);
  });

  it('guesses the syntax from the expression', () => {
    expect(guessFormat('avg(last_5m):avg:a.b{*} > 1')).toBe('datadog');
    expect(guessFormat('sum:a.b{*}.as_count()')).toBe('datadog');
    expect(guessFormat('avg:error_rate{service:x}')).toBe('datadog');
    expect(guessFormat('formula("a / b").last("5m") > 1')).toBe('datadog');
    expect(guessFormat('rate(error_rate{job="x"}[5m]) > 0.1')).toBe('prometheus');
    expect(guessFormat('job:errors:rate5m > 1')).toBe('prometheus');
    expect(guessFormat('up{} == 0')).toBe('prometheus');
  });
});

describe('coverage', () => {
  it('matches whole metric names only', () => {
    const rule = (name: string, expr: string): AlertRule => ({ name, expr, line: 1, format: 'prometheus' });
    const rules = [
      rule('A', 'error_rate_total > 1'),
      rule('B', 'http_error_rate > 1'),
      rule('C', 'up{job="error_rate"} == 0'),
      rule('D', 'rate(latency_p95[5m]) > 2'),
    ];
    const result = coverage(rules, ['error_rate', 'latency_p95']);
    expect(result.uncovered).toEqual(['error_rate']);
    expect(Object.keys(result.covered)).toEqual(['latency_p95']);
    expect(result.covered.latency_p95?.map((r) => r.name)).toEqual(['D']);
  });

  it('covers the SPEC example metrics from a realistic Prometheus file', () => {
    const rules = rulesOf(parseFixture('prometheus-support-triage.yml'));
    const result = coverage(rules, ['latency_p95', 'error_rate', 'escalation_rate', 'drift_psi']);
    expect(result.uncovered).toEqual(['drift_psi']);
    expect(result.covered.latency_p95?.map((r) => r.name)).toEqual(['TriageHighLatency']);
    expect(result.covered.error_rate?.map((r) => r.name)).toEqual(['TriageErrorRateHigh']);
    expect(result.covered.escalation_rate?.map((r) => r.name)).toEqual(['TriageEscalationsSpiking']);
  });

  it('follows recording rules: an alert on a recorded series covers what it records', () => {
    const rules = rulesOf(parseFixture('prometheus-support-triage.yml'));
    const result = coverage(rules, [
      'triage_request_errors_total',
      'triage_request_duration_seconds',
      'support_triage:request_errors:ratio_rate5m',
      'job',
    ]);
    expect(result.covered.triage_request_errors_total?.map((r) => r.name)).toEqual(['TriageRequestErrors']);
    expect(result.covered.triage_request_duration_seconds?.map((r) => r.name)).toEqual(['TriageHighLatency']);
    expect(result.covered['support_triage:request_errors:ratio_rate5m']?.map((r) => r.name)).toEqual([
      'TriageRequestErrors',
    ]);
    expect(result.uncovered).toEqual(['job']);
  });

  it('Datadog: a declared metric matches the full name or its last dotted segments', () => {
    const rules = rulesOf(parseFixture('datadog-monitors.json'));
    const result = coverage(rules, [
      'error_rate',
      'escalation_rate',
      'trace.http.request.duration',
      'request.duration',
      'duration',
      'misroutes',
      'custom.support_triage',
      'rate',
      'http',
    ]);
    expect(result.covered.error_rate?.map((r) => r.name)).toEqual(['[support-triage] error rate above 5%']);
    expect(result.covered.escalation_rate?.map((r) => r.name)).toEqual(['[support-triage] escalations anomalous']);
    expect(Object.keys(result.covered)).toEqual([
      'error_rate',
      'escalation_rate',
      'trace.http.request.duration',
      'request.duration',
      'duration',
      'misroutes', // via the formula's variable query
    ]);
    // a namespace prefix, or a part of a segment, is not a metric
    expect(result.uncovered).toEqual(['custom.support_triage', 'rate', 'http']);
  });

  it('Datadog: error logs mentioning a metric do not cover it', () => {
    const rules = rulesOf(parseFixture('datadog-monitors.json')).filter((r) => r.name.includes('error logs'));
    expect(coverage(rules, ['error_rate']).uncovered).toEqual(['error_rate']);
  });

  it('Datadog: a substring of a segment does not match', () => {
    const rules: AlertRule[] = [
      { name: 'm', expr: 'avg(last_5m):avg:custom.http_error_rate{*} > 1', line: 1 },
      { name: 'n', expr: 'avg(last_5m):avg:error_rate.p95{*} > 1', line: 2 },
    ];
    expect(coverage(rules, ['error_rate']).uncovered).toEqual(['error_rate']);
  });

  it('ignores duplicate and blank declared metrics, and a metric named __proto__ is safe', () => {
    const rules: AlertRule[] = [{ name: 'p', expr: '__proto__ > 1', line: 1 }];
    const result = coverage(rules, ['__proto__', ' ', '__proto__', 'x']);
    expect(Object.keys(result.covered)).toEqual(['__proto__']);
    expect(result.uncovered).toEqual(['x']);
  });

  const KEYWORDS = /^(?:by|without|on|ignoring|group_left|group_right|and|or|unless|bool|offset|atan2|inf|nan|smoothed|anchored|sum|min|max|avg|group|stddev|stdvar|count|count_values|bottomk|topk|quantile|limitk|limit_ratio)$/i;
  const metricName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/).filter((m) => !KEYWORDS.test(m));
  const affix = fc.stringMatching(/^[a-z0-9_]{1,5}$/);

  it('a metric inside a longer PromQL name is never covered (property)', () => {
    fc.assert(
      fc.property(metricName, affix, affix, (m, pre, post) => {
        const longer = [`${m}${post}`, `${/^[0-9]/.test(pre) ? `x${pre}` : pre}${m}`];
        for (const name of longer) {
          const rules: AlertRule[] = [{ name: 'r', expr: `rate(${name}{job="${m}"}[5m]) > 0.1`, line: 1 }];
          expect(coverage(rules, [m]).uncovered).toEqual([m]);
        }
      }),
    );
  });

  it('a metric used as a PromQL series is always covered (property)', () => {
    fc.assert(
      fc.property(metricName, (m) => {
        for (const expr of [`rate(${m}[5m]) > 0.1`, `${m}{job="x"} > 0.1`, `sum by (job) (${m}) > 1`]) {
          expect(coverage([{ name: 'r', expr, line: 1 }], [m]).uncovered).toEqual([]);
        }
      }),
    );
  });

  it('with no rules everything is uncovered', () => {
    expect(coverage([], ['a', 'b'])).toEqual({ covered: {}, uncovered: ['a', 'b'] });
  });
});
