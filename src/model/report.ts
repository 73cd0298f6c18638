// The Report: everything a renderer needs, and the JSON written to the `report` output.
// The types derive from the zod schema in ./schema.ts, which also yields the published JSON Schema.
import type { z } from 'zod';
import type { Outcome } from './result';
import type { metricRowSchema, reportSchema, systemReportSchema } from './report-schema';

export type Verdict = 'pass' | 'fail' | 'warn';
export type Enforce = 'block' | 'warn';
export type MetricRow = z.infer<ReturnType<typeof metricRowSchema>>;
export type SystemReport = z.infer<ReturnType<typeof systemReportSchema>>;
export type Report = z.infer<ReturnType<typeof reportSchema>>;

export const BLOCKING: readonly Outcome[] = ['fail', 'inconclusive'];
