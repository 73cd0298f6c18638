import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { EvalError, EvalLoad, EvalResult, Metric } from '../../src/evidence/evals/types';

export const REAL = join(import.meta.dirname, '..', 'fixtures', 'real');

export function real(rel: string): string {
  return readFileSync(join(REAL, rel), 'utf8');
}

export function ok(load: EvalLoad): EvalResult {
  if (!load.ok) throw new Error(`expected ok, got error: ${JSON.stringify(load.error)}`);
  return load.result;
}

export function err(load: EvalLoad): EvalError {
  if (load.ok) throw new Error(`expected an error, got ok: ${JSON.stringify(load.result).slice(0, 300)}`);
  return load.error;
}

export function metric(r: EvalResult, name: string): Metric {
  const m = r.metrics[name];
  expect(m, `metric ${name} in ${Object.keys(r.metrics).join(', ')}`).toBeDefined();
  return m as Metric;
}
