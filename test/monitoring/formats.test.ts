// Alerts files in the shapes real repositories keep them: Datadog Operator resources, Datadog
// integration monitor templates, `kubectl get -o yaml` lists of PrometheusRules, and `helm
// template` output with several documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverage, parseAlerts, type AlertRule, type AlertsParse } from '../../src/evidence/monitoring/alerts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monitoring');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const parseFixture = (name: string): AlertsParse => parseAlerts(fixture(name), `ops/${name}`);

function rulesOf(result: AlertsParse): AlertRule[] {
  if (!result.ok) throw new Error(`expected ok, got ${result.kind}: ${result.message}`);
  return result.rules;
}

describe('Datadog Operator DatadogMonitor resources', () => {
  it('reads spec.query of each resource of a multi-document file, named by spec.name or metadata.name', () => {
    const result = parseFixture('datadogmonitors.yaml');
    expect(result.ok && result.format).toBe('datadog');
    expect(rulesOf(result).map((r) => [r.name, r.line])).toEqual([
      ['[support-triage] p95 latency above 2s', 8],
      ['[support-triage] error rate above 5%', 33],
      ['support-triage-restarts', 49],
    ]);
    expect(rulesOf(result)[1]?.expr).toBe('avg(last_15m):avg:support_triage.error_rate{env:prod} by {region} > 0.05');
  });

  it('covers the metrics the monitors query', () => {
    const result = coverage(rulesOf(parseFixture('datadogmonitors.yaml')), [
      'error_rate',
      'trace.http.request.duration',
      'kubernetes.containers.restarts',
      'escalation_rate',
      'pod_name',
    ]);
    expect(result.covered.error_rate?.map((r) => r.name)).toEqual(['[support-triage] error rate above 5%']);
    expect(result.covered['kubernetes.containers.restarts']?.map((r) => r.name)).toEqual(['support-triage-restarts']);
    expect(result.uncovered).toEqual(['escalation_rate', 'pod_name']);
  });

  it('a DatadogMonitor without spec.query, or without a spec, is invalid at its line', () => {
    const noQuery = 'apiVersion: datadoghq.com/v1alpha1\nkind: DatadogMonitor\nmetadata:\n  name: m\nspec:\n  type: metric alert\n  name: Errors\n';
    const r = parseAlerts(noQuery, 'ops/monitor.yaml');
    expect(r).toMatchObject({ ok: false, kind: 'invalid', line: 6 });
    expect(!r.ok && r.message).toMatch(/ops\/monitor\.yaml: Datadog monitor 'Errors' has no query/);
    const noSpec = 'apiVersion: datadoghq.com/v1alpha1\nkind: DatadogMonitor\nmetadata:\n  name: errors\n';
    expect(parseAlerts(noSpec, 'ops/monitor.yaml')).toMatchObject({ ok: false, kind: 'invalid', line: 1, message: "ops/monitor.yaml: DatadogMonitor 'errors' has no spec" });
  });

  it('reads a kubectl list of DatadogMonitors', () => {
    const text = [
      'apiVersion: datadoghq.com/v1alpha1',
      'kind: DatadogMonitorList',
      'items:',
      '  - apiVersion: datadoghq.com/v1alpha1',
      '    kind: DatadogMonitor',
      '    metadata: { name: latency }',
      '    spec:',
      '      name: Triage latency',
      '      type: query alert',
      '      query: "avg(last_5m):avg:support_triage.latency_p95{env:prod} > 2"',
      'metadata: { resourceVersion: "" }',
    ].join('\n');
    expect(rulesOf(parseAlerts(text, 'monitors.yaml'))).toEqual([
      { name: 'Triage latency', expr: 'avg(last_5m):avg:support_triage.latency_p95{env:prod} > 2', line: 8, format: 'datadog' },
    ]);
  });
});

describe('Datadog monitor templates ({ "definition": monitor })', () => {
  it('reads the monitor under definition, at its line', () => {
    const result = parseFixture('redis-high-memory.json');
    expect(result.ok && result.format).toBe('datadog');
    expect(rulesOf(result)).toEqual([
      {
        name: '[Redis] High memory consumption',
        expr: 'avg(last_5m):100 * avg:redis.mem.used{*} by {host} / avg:redis.mem.maxmemory{*} by {host} > 90',
        line: 10,
        format: 'datadog',
      },
    ]);
    const result2 = coverage(rulesOf(result), ['redis.mem.used', 'mem.maxmemory', 'host']);
    expect(Object.keys(result2.covered)).toEqual(['redis.mem.used', 'mem.maxmemory']);
    expect(result2.uncovered).toEqual(['host']);
  });

  it('names a template without definition.name by its title; a definition without query is invalid', () => {
    const template = JSON.parse(fixture('redis-high-memory.json')) as { definition: Record<string, unknown> };
    delete template.definition.name;
    expect(rulesOf(parseAlerts(JSON.stringify(template, null, 2), 'm.json'))[0]?.name).toBe('Memory consumption is high');
    delete template.definition.query;
    const r = parseAlerts(JSON.stringify(template, null, 2), 'm.json');
    expect(r).toMatchObject({ ok: false, kind: 'invalid', line: 10 });
    expect(!r.ok && r.message).toMatch(/monitor 'Memory consumption is high' has no query/);
  });

  it('a list of templates is read too', () => {
    const one = JSON.parse(fixture('redis-high-memory.json')) as unknown;
    const rules = rulesOf(parseAlerts(JSON.stringify([one, one]), 'templates.json'));
    expect(rules.map((r) => r.name)).toEqual(['[Redis] High memory consumption', '[Redis] High memory consumption']);
  });
});

describe('Kubernetes lists of PrometheusRules (kubectl get prometheusrules -o yaml)', () => {
  it('reads the alerting rules of every item, at their lines, following recording rules across items', () => {
    const result = parseFixture('prometheusrules-list.yaml');
    expect(result.ok && result.format).toBe('prometheus');
    const rules = rulesOf(result);
    expect(rules.map((r) => [r.name, r.line])).toEqual([
      ['TriageErrorRatioHigh', 42],
      ['TriageSlow', 51],
      ['TriageModelDrift', 58],
    ]);
    expect(rules[0]?.inputs).toEqual([
      'sum by (job) (rate(triage_request_errors_total[5m])) / sum by (job) (rate(triage_requests_total[5m]))',
    ]);
    const result2 = coverage(rules, ['triage_request_errors_total', 'triage_request_duration_seconds', 'model_feature_psi', 'escalation_rate']);
    expect(result2.covered.triage_request_duration_seconds?.map((r) => r.name)).toEqual(['TriageSlow']);
    expect(result2.uncovered).toEqual(['escalation_rate']);
  });

  it('an invalid rule inside an item is invalid at its line', () => {
    const text = fixture('prometheusrules-list.yaml').replace('for: 15m', 'for: 15 minutes');
    const r = parseAlerts(text, 'ops/rules.yaml');
    expect(r).toMatchObject({ ok: false, kind: 'invalid', line: 55 });
    expect(!r.ok && r.message).toMatch(/alerting rule 'TriageSlow': 'for' is not a Prometheus duration/);
  });

  it('an item PrometheusRule without spec.groups is invalid, naming where', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: monitoring.coreos.com/v1\n    kind: PrometheusRule\n    metadata: { name: x }\n    spec: {}\n';
    const r = parseAlerts(text, 'rules.yaml');
    expect(r).toMatchObject({ ok: false, kind: 'invalid', line: 7 });
    expect(!r.ok && r.message).toBe('rules.yaml: items[0].spec.groups must be a list of rule groups');
  });

  it('a list with neither rules nor monitors is unrecognised; one with both is invalid', () => {
    const deployments = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: { name: x }\n';
    expect(parseAlerts(deployments, 'list.yaml')).toMatchObject({ ok: false, kind: 'unrecognised' });
    const mixed = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - { apiVersion: monitoring.coreos.com/v1, kind: PrometheusRule, metadata: { name: a }, spec: { groups: [] } }',
      '  - { apiVersion: datadoghq.com/v1alpha1, kind: DatadogMonitor, metadata: { name: b }, spec: { type: metric alert, query: "avg(last_5m):avg:a.b{*} > 1" } }',
    ].join('\n');
    expect(parseAlerts(mixed, 'list.yaml')).toMatchObject({ ok: false, kind: 'invalid', message: 'list.yaml mixes Prometheus rules and Datadog monitors' });
  });
});

describe('several documents (helm template, kustomize build)', () => {
  it('reads the PrometheusRules among other resources, with recording rules from the same file', () => {
    const result = parseFixture('helm-template.yaml');
    expect(result.ok && result.format).toBe('prometheus');
    const rules = rulesOf(result);
    expect(rules.map((r) => [r.name, r.line])).toEqual([
      ['TriageEscalationsSpiking', 45],
      ['TriageDown', 64],
      ['TriageLatencyHigh', 69],
    ]);
    const result2 = coverage(rules, ['triage_escalations_total', 'up', 'triage_latency_seconds', 'job']);
    expect(result2.covered.triage_escalations_total?.map((r) => r.name)).toEqual(['TriageEscalationsSpiking']);
    expect(result2.covered.triage_latency_seconds?.map((r) => r.name)).toEqual(['TriageLatencyHigh']);
    expect(result2.uncovered).toEqual(['job']);
  });

  it('a plain rule file and a PrometheusRule list in one file are read together', () => {
    const text = [
      'groups:',
      '  - name: recorded',
      '    rules:',
      '      - record: job:errors:rate5m',
      '        expr: sum by (job) (rate(errors_total[5m]))',
      '---',
      fixture('prometheusrules-list.yaml'),
    ].join('\n');
    const rules = rulesOf(parseAlerts(text, 'rules.yaml'));
    expect(rules.map((r) => [r.name, r.line])).toEqual([
      ['TriageErrorRatioHigh', 48],
      ['TriageSlow', 57],
      ['TriageModelDrift', 64],
    ]);
  });

  it('several DatadogMonitor documents and a template-free monitors list are Datadog together', () => {
    const text = `${fixture('datadogmonitors.yaml')}---\nmonitors:\n  - name: Escalations\n    type: query alert\n    query: "sum(last_1h):sum:support_triage.escalation_rate{env:prod}.as_rate() > 0.3"\n`;
    const rules = rulesOf(parseAlerts(text, 'monitors.yaml'));
    expect(rules.map((r) => r.name)).toEqual([
      '[support-triage] p95 latency above 2s',
      '[support-triage] error rate above 5%',
      'support-triage-restarts',
      'Escalations',
    ]);
    expect(coverage(rules, ['escalation_rate', 'error_rate']).uncovered).toEqual([]);
  });
});
