import { describe, expect, it } from 'vitest';
import { monitoring } from '../../src/core/gates/monitoring';
import type { FileFact } from '../../src/core/types';
import { makeContext, policyFrom } from '../helpers/context';
import { editYaml, FULL_MANIFEST } from '../helpers/fixtures';

const ALERTS = 'ops/alerts/support-triage.yml';
const alerts = (text: string, path = ALERTS): Record<string, FileFact> => ({ [ALERTS]: { path, exists: true, text } });

describe('monitoring: declarations and files', () => {
  it('passes when every declared metric is alerted on', () => {
    const r = monitoring(makeContext());
    expect(r).toMatchObject({ outcome: 'pass', reason: '3 metrics alerted on in ops/alerts/support-triage.yml (prometheus); drift by psi', location: { line: 34 } });
  });

  it('names each missing key', () => {
    const ctx = makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => { d.deleteIn(['monitoring', 'alerts']); d.deleteIn(['monitoring', 'drift']); }) });
    const r = monitoring(ctx);
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('missing: monitoring.alerts, monitoring.drift');
    expect(r.fix).toBe('Declare `monitoring.alerts`, `monitoring.drift`.');
  });

  it('an empty metrics list is missing', () => {
    const r = monitoring(makeContext({ manifestYaml: FULL_MANIFEST.replace('metrics: [latency_p95, error_rate, escalation_rate]', 'metrics: []') }));
    expect(r).toMatchObject({ outcome: 'fail', reason: 'missing: monitoring.metrics' });
  });

  it('fails "missing" without the section', () => {
    expect(monitoring(makeContext({ manifestYaml: editYaml(FULL_MANIFEST, (d) => d.delete('monitoring')) })).reason).toBe('missing: the manifest has no `monitoring:` section');
  });

  it('fails when the alerts file does not exist, pointing at monitoring.alerts', () => {
    const r = monitoring(makeContext({ files: { [ALERTS]: { path: `svc/${ALERTS}`, exists: false } } }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe(`alerts file ${ALERTS} does not exist (looked for svc/${ALERTS})`);
    expect(r.location).toEqual({ file: 'lastmile.yml', line: 35, column: 11 });
  });

  it('fails when the alerts file lies outside the workspace', () => {
    const r = monitoring(makeContext({ files: { [ALERTS]: { path: '../../etc/alerts.yml', exists: true, problem: 'resolves outside the workspace' } } }));
    expect(r).toMatchObject({ outcome: 'fail', reason: `alerts file ${ALERTS}: resolves outside the workspace` });
  });
});

describe('monitoring: the alerts are real', () => {
  it('fails when a declared metric is in no alert expression, naming it', () => {
    const text = 'groups:\n  - name: g\n    rules:\n      - alert: Slow\n        expr: latency_p95 > 2\n      - alert: Errors\n        expr: http_error_rate > 0.1\n';
    const r = monitoring(makeContext({ files: alerts(text) }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe(`no alert in ${ALERTS} fires on error_rate, escalation_rate`);
    expect(r.details).toEqual([`error_rate: not in any alert expression of ${ALERTS}`, `escalation_rate: not in any alert expression of ${ALERTS}`]);
    expect(r.location?.line).toBe(34);
  });

  it('recording rules are not alerts', () => {
    const text = 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: latency_p95 + error_rate + escalation_rate\n';
    expect(monitoring(makeContext({ files: alerts(text) })).outcome).toBe('fail');
  });

  it('accepts Datadog monitors', () => {
    const text = JSON.stringify([
      { name: 'slow', query: 'avg(last_5m):avg:triage.latency_p95{env:prod} > 2' },
      { name: 'errors', query: 'avg(last_5m):sum:triage.error_rate{env:prod} > 0.1' },
      { name: 'esc', query: 'avg(last_1h):avg:triage.escalation_rate{*} > 0.2' },
    ]);
    const r = monitoring(makeContext({ files: alerts(text, 'ops/alerts/monitors.json') }));
    expect(r.outcome).toBe('pass');
    expect(r.reason).toContain('(datadog)');
  });

  it('is inconclusive for a file of another format', () => {
    const r = monitoring(makeContext({ files: alerts('# On-call notes\n\nPage someone when latency_p95 is high.\n', 'ops/alerts/README.md') }));
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toMatch(/^cannot verify that the metrics are alerted on: /);
    expect(r.fix).toContain('verify_alerts: false');
  });

  it('passes an unverifiable file when the policy sets verify_alerts: false', () => {
    const policy = policyFrom('version: 1\nmonitoring: { verify_alerts: false }\n');
    const r = monitoring(makeContext({ policy, files: alerts('not alerts at all', 'ops/alerts/notes.txt') }));
    expect(r.outcome).toBe('pass');
    expect(r.reason).toContain('not verified');
  });

  it('fails on an alerts file with a syntax error, at its line', () => {
    const r = monitoring(makeContext({ files: alerts('groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: [up\n') }));
    expect(r.outcome).toBe('fail');
    expect(r.location?.file).toBe(ALERTS);
    expect(r.location?.line).toBeGreaterThanOrEqual(5);
    expect(r.reason.startsWith(`${ALERTS}:`)).toBe(true);
  });
});
