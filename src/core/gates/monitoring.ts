// monitoring: metrics, alerts and drift declared; the alerts file exists and its alerts cover
// every declared metric (Prometheus rules or Datadog monitors).
import { defineGate } from './define';
import { at, fileProblem, requireKeys, result, sectionProblem } from './result';
import type { GateContext, GateResult } from '../types';
import { coverage, parseAlerts } from '../../evidence/monitoring/alerts';

const gate = defineGate({ id: 'monitoring', scope: 'system', requires: 'monitoring', run: check });
export default gate;
/** The gate run alone, on a context with or without its bar (tests). */
export const monitoring = gate.run;

function check(ctx: GateContext): GateResult {
  const problem = sectionProblem(ctx, 'monitoring', 'monitoring', 'Add `monitoring:` with `metrics`, an `alerts` file and `drift` detection.');
  if (problem) return problem;
  const m = ctx.system.manifest.manifest.monitoring!;
  const missing = requireKeys(ctx, 'monitoring', 'monitoring', m, ['metrics', 'alerts', 'drift']);
  if (missing) return missing;
  const alertsPath = m.alerts!;
  const bad = fileProblem(ctx, alertsPath);
  if (bad) return result('monitoring', 'fail', `alerts file ${bad}`, { fix: 'Commit the alerting rules at the path `monitoring.alerts` names (relative to the manifest).', location: at(ctx, ['monitoring', 'alerts']) });
  const metrics = m.metrics!;
  if (!ctx.policy.monitoring.verify_alerts) {
    return result('monitoring', 'pass', `${metrics.length} metrics, alerts in ${alertsPath} (not verified: the policy sets verify_alerts: false), drift by ${m.drift!.method}`, { location: at(ctx, ['monitoring']) });
  }
  const fact = ctx.system.files[alertsPath]!;
  const parsed = parseAlerts(fact.text ?? '', fact.path);
  if (!parsed.ok && parsed.kind === 'unrecognised') {
    return result('monitoring', 'inconclusive', `cannot verify that the metrics are alerted on: ${fact.path} is neither Prometheus alerting rules nor Datadog monitors`, {
      fix: 'Use Prometheus alerting rules (`groups[].rules[]` with `alert` and `expr`) or Datadog monitors (`query`), or set `monitoring: { verify_alerts: false }` in the policy.',
      location: at(ctx, ['monitoring', 'alerts']),
      details: [parsed.message],
    });
  }
  if (!parsed.ok) {
    return result('monitoring', 'fail', `${fact.path}${parsed.line ? `:${parsed.line}` : ''}: ${parsed.message}`, {
      fix: `Fix the alerts file ${fact.path}.`,
      location: parsed.line ? { file: fact.path, line: parsed.line, ...(parsed.column ? { column: parsed.column } : {}) } : at(ctx, ['monitoring', 'alerts']),
    });
  }
  const { uncovered } = coverage(parsed.rules, metrics);
  if (uncovered.length > 0) {
    return result('monitoring', 'fail', `no alert in ${fact.path} fires on ${uncovered.join(', ')}`, {
      fix: `Add an alerting rule whose expression uses ${uncovered.map((x) => `\`${x}\``).join(', ')}, or stop declaring the metric.`,
      location: at(ctx, ['monitoring', 'metrics']),
      details: uncovered.map((x) => `${x}: not in any alert expression of ${fact.path}`),
    });
  }
  return result('monitoring', 'pass', `${metrics.length} metric${metrics.length === 1 ? '' : 's'} alerted on in ${fact.path} (${parsed.format}); drift by ${m.drift!.method}`, { location: at(ctx, ['monitoring']) });
}
