/**
 * `lastmile`: Last Mile's own summary JSON, for pipelines that compute their metrics themselves.
 * The zod schema below is the contract; `lastmileJsonSchema()` turns it into the JSON Schema that
 * is published in the repository. Unknown keys are rejected (a typo must not silently drop a
 * metric), every number must be finite, and a proportion's `successes` must agree with its value.
 *
 * ```json
 * { "version": 1,
 *   "model": { "name": "triage-classifier", "version": "2026-11-01" },
 *   "commit": "5abecd6",
 *   "created_at": "2026-11-20T10:00:00Z",
 *   "metrics": { "accuracy": { "value": 0.94, "n": 50, "successes": 47 },
 *                "latency_p95_ms": { "value": 812, "n": 50, "kind": "percentile" } },
 *   "slices": [ { "field": "language", "value": "pt",
 *                 "metrics": { "accuracy": { "value": 0.8, "n": 10, "successes": 8 } } } ] }
 * ```
 *
 * What it cannot prove: that the numbers were computed honestly from real samples; only that they
 * are well-formed and consistent.
 */
import { z } from 'zod';
import { lazy } from '../../../lib/lazy';
import { formatPath, locatePath, parseEvalJson } from '../json';
import { wrongFormat } from '../sniff';
import type { EvalLoad, Metric, MetricKind, SliceMetrics } from '../types';
import { fail, isRecord, parseTime, record } from '../util';
import { commitProblem, newestTime } from './provenance';

// Built on first use (see src/lib/lazy.ts).
const schemas = lazy(() => {
  const metricSchema = z
    .strictObject({
      value: z.number().describe('The point estimate (finite).'),
      n: z.int().nonnegative().optional().describe('Number of samples the value is computed over.'),
      successes: z.int().nonnegative().optional().describe('For proportions: how many of the n samples succeeded.'),
      stderr: z.number().nonnegative().optional().describe('Standard error of the value.'),
      kind: z
        .enum(['proportion', 'mean', 'percentile'])
        .optional()
        .describe('proportion (Wilson interval from n and successes), mean (normal interval from stderr), percentile (point estimate). Default: proportion when successes is given, else mean.'),
      range: z.tuple([z.number(), z.number()]).optional().describe('The possible range of the value, e.g. [0, 1].'),
      higher_is_better: z.boolean().optional(),
    })
    .describe('One metric.');

  const metricsSchema = z.record(z.string().min(1), metricSchema).describe('Metrics by the name a manifest uses for them.');

  const lastmileSchema = z
    .strictObject({
      $schema: z.string().optional().describe('Optional URL of this JSON Schema, for editors.'),
      version: z.literal(1),
      model: z
        .strictObject({
          name: z.string().min(1).optional(),
          version: z.string().min(1).optional().describe('Must equal the manifest model.version for eval.freshness.'),
        })
        .optional(),
      commit: z.string().min(1).optional().describe('The commit the results were produced for.'),
      created_at: z.iso.datetime({ offset: true }).describe('When the results were produced (ISO 8601 with a time zone).'),
      status: z.enum(['complete', 'partial', 'inconclusive']).optional(),
      status_reason: z.string().optional(),
      metrics: metricsSchema,
      slices: z
        .array(
          z.strictObject({
            field: z.string().min(1),
            value: z.union([z.string(), z.number(), z.boolean()]),
            metrics: metricsSchema,
          }),
        )
        .optional(),
    })
    .describe('Last Mile eval summary (format: lastmile), version 1.');

  return { metricSchema, lastmileSchema };
});

/** The zod schema of a `lastmile` summary file. */
export const lastmileSchema = () => schemas().lastmileSchema;


/** The JSON Schema (draft 2020-12) of the `lastmile` format, for publication. */
export function lastmileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(lastmileSchema()) as Record<string, unknown>;
}

type RawMetric = z.infer<ReturnType<typeof schemas>['metricSchema']>;

/** Parses a `lastmile` summary. Never throws for bad input. */
export function parseLastmile(text: string, file: string): EvalLoad {
  const parsed = parseEvalJson(text, 'lastmile', false);
  if (!parsed.ok) return fail(file, parsed.message, parsed.line, parsed.column);
  const raw = parsed.value;
  if (!isRecord(raw) || raw['version'] === undefined || !isRecord(raw['metrics'])) {
    return fail(file, wrongFormat('lastmile', raw, 'expected an object with "version": 1 and "metrics"'));
  }
  const at = (path: (string | number)[], message: string): EvalLoad => {
    const loc = locatePath(text, path);
    return fail(file, `${formatPath(path)}: ${message}`, loc?.line, loc?.column);
  };
  const res = lastmileSchema().safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    if (issue === undefined) return fail(file, 'invalid summary');
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      if (key !== undefined) return at([...path, key], `unknown key "${key}"`);
    }
    if (issue.code === 'invalid_format' && path[path.length - 1] === 'created_at') {
      message = 'expected an ISO 8601 date-time with a time zone, e.g. "2026-11-20T10:00:00Z"';
    }
    return at(path, message);
  }
  const data = res.data;
  // zod's record parse would treat "__proto__" specially; read metric names from the raw object.
  const metricNames = Object.keys(raw['metrics'] as object);
  if (metricNames.length === 0) return at(['metrics'], 'no metrics');

  const metrics = record<Metric>();
  for (const name of metricNames) {
    const m = convert(name, (raw['metrics'] as Record<string, RawMetric>)[name] as RawMetric);
    if (typeof m === 'string') return at(['metrics', name], m);
    metrics[name] = m;
  }
  const slices: SliceMetrics[] = [];
  const seen = new Set<string>();
  const rawSlices = Array.isArray(raw['slices']) ? (raw['slices'] as Record<string, unknown>[]) : [];
  for (let i = 0; i < rawSlices.length; i++) {
    const s = rawSlices[i] as { field: string; value: string | number | boolean; metrics: Record<string, RawMetric> };
    const key = `${s.field}\u0000${String(s.value)}`;
    if (seen.has(key)) return at(['slices', i], `slice ${s.field}=${String(s.value)} appears twice`);
    seen.add(key);
    const sm = record<Metric>();
    let count = 0;
    for (const name of Object.keys(s.metrics)) {
      const m = convert(name, s.metrics[name] as RawMetric);
      if (typeof m === 'string') return at(['slices', i, 'metrics', name], m);
      sm[name] = m;
      count = Math.max(count, m.n ?? 0);
    }
    slices.push({ field: s.field, value: String(s.value), count, metrics: sm });
  }

  const warnings: string[] = [];
  const result: EvalLoad = {
    ok: true,
    result: {
      format: 'lastmile',
      file,
      metrics,
      slices,
      versionRecorded: data.model?.version !== undefined,
      timeRecorded: true,
      status: data.status ?? 'complete',
      warnings,
    },
  };
  const r = result.result;
  if (data.model) {
    r.model = {};
    if (data.model.name !== undefined) r.model.name = data.model.name;
    if (data.model.version !== undefined) {
      r.model.version = data.model.version;
      r.modelVersions = [data.model.version];
    }
  }
  if (data.commit !== undefined) {
    // A short or non-hex "commit" would match any head that starts with it (SPEC §6: invalid).
    const bad = commitProblem(data.commit);
    if (bad) return at(['commit'], bad);
    r.commit = data.commit;
  }
  const t = parseTime(data.created_at);
  if (t !== undefined) r.createdAt = new Date(t).toISOString();
  const newest = newestTime(text, [{ path: ['created_at'], ms: t }]);
  if (newest) r.newestTime = newest;
  if (data.status_reason !== undefined) r.statusReason = data.status_reason;
  if (r.status !== 'complete' && r.statusReason === undefined) r.statusReason = `the file says the run is ${r.status}`;
  return result;
}

/** A checked Metric, or the reason the metric is inconsistent. */
function convert(name: string, m: RawMetric): Metric | string {
  const kind: MetricKind = m.kind ?? (m.successes !== undefined ? 'proportion' : 'mean');
  if (m.successes !== undefined) {
    if (m.n === undefined) return '"successes" needs "n"';
    if (m.successes > m.n) return `"successes" (${m.successes}) is more than "n" (${m.n})`;
    if (kind !== 'proportion') return '"successes" is only for kind "proportion"';
  }
  let range = m.range;
  if (range && !(range[0] < range[1])) return `"range" must be [min, max] with min < max`;
  if (kind === 'proportion') {
    range ??= [0, 1];
    if (!(m.value >= 0 && m.value <= 1)) return `a proportion must be from 0 to 1, found ${m.value}`;
    if (m.successes !== undefined && m.n !== undefined && m.n > 0 && Math.abs(m.successes / m.n - m.value) > 1e-3) {
      return `"value" ${m.value} does not match successes / n = ${m.successes}/${m.n} = ${(m.successes / m.n).toFixed(4)}`;
    }
  }
  if (range && !(m.value >= range[0] && m.value <= range[1])) return `"value" ${m.value} is outside its range [${range[0]}, ${range[1]}]`;
  const out: Metric = { name, value: m.value, kind };
  if (m.n !== undefined) out.n = m.n;
  if (m.successes !== undefined) out.successes = m.successes;
  if (m.stderr !== undefined) out.stderr = m.stderr;
  if (range) out.range = [range[0], range[1]];
  if (m.higher_is_better !== undefined) out.higherIsBetter = m.higher_is_better;
  return out;
}
