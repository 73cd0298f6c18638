// The Report: everything a renderer needs, and the JSON written to the `report` output.
import type { GateResult, Outcome } from '../gates/types';

export type Verdict = 'pass' | 'fail' | 'warn';
export type Enforce = 'block' | 'warn';

export interface MetricRow {
  metric: string;
  direction: 'min' | 'max';
  curated?: { value: number; lower?: number; upper?: number; n?: number };
  production?: { value: number; lower?: number; upper?: number; n?: number };
  /** Measured in the direction of worse (curated − production for min metrics). */
  gap?: number;
  maxGap?: number;
}

export interface SystemReport {
  system: string;
  manifest: string;
  /** fail when any gate fails or is inconclusive. */
  status: 'pass' | 'fail';
  gates: GateResult[];
  /** Curated vs production-sample side by side. */
  evalTable?: MetricRow[];
  notes: string[];
}

export interface Report {
  schema: 'https://github.com/last-mile/last-mile/report/v1';
  verdict: Verdict;
  stage: string;
  branch: string;
  enforce: Enforce;
  event: string;
  repository?: string;
  pullRequest?: number;
  headSha?: string;
  baseSha?: string;
  policy: { source: string; builtIn: boolean; changedInHead: boolean };
  counts: Record<Outcome, number>;
  /** Gates that fail or are inconclusive: the ones that block. */
  failed: number;
  repositoryGates: GateResult[];
  systems: SystemReport[];
  /** Fatal errors that ended the evaluation early (invalid policy, no manifest). */
  errors: string[];
  notes: string[];
  generatedAt: string;
}

export const BLOCKING: readonly Outcome[] = ['fail', 'inconclusive'];
