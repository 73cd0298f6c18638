// Pull requests made from the examples, for the comment's layout tests and docs/comments/:
// each example's files as of its reference date (2026-11-25), shifted to today so that ages in
// days, expiry and eval freshness read the same on any day the tests run.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, readySystem } from './harness';
import { NO_SIGNOFFS, POLICY_PATH } from './setup';

const REFERENCE_DAY = Date.UTC(2026, 10, 25);
const DATED = /((?:created_at|requested_on|approved_on|expires_on)"?\s*:\s*"?)(\d{4}-\d{2}-\d{2})/g;

/** Dates of the records (not versions), moved by the days between the reference date and today. */
export function shiftDates(text: string, now = Date.now()): string {
  const days = Math.floor(now / 86_400_000) - REFERENCE_DAY / 86_400_000;
  return text.replace(DATED, (_m, key: string, day: string) => `${key}${new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)}`);
}

function walk(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, p) : [p];
  });
}

/** An example folder as a repository's files, dates shifted to today. */
export function exampleFiles(name: string): Record<string, string> {
  const dir = path.join(ROOT, 'examples', name);
  return Object.fromEntries(walk(dir).filter((f) => f !== 'README.md').map((f) => [f, shiftDates(readFileSync(path.join(dir, f), 'utf8'))]));
}

/** The files the base commit has: policy, CODEOWNERS and manifest (sign-offs unchanged there verify). */
export function baseOf(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith('.github/') || f.endsWith('lastmile.yml')));
}

/**
 * 40 systems under services/sys-N/, 12 of them blocked on gates that are not evals: 8 declare an
 * integration without a fallback, 4 name a runbook that does not exist. Every eval passes.
 */
export const MONOREPO_INTEGRATIONS = [5, 10, 15, 20, 25, 30, 35, 40];
export const MONOREPO_ROLLBACK = [3, 13, 23, 33];

export function monorepoFiles(): Record<string, string> {
  const files: Record<string, string> = { [POLICY_PATH]: NO_SIGNOFFS };
  for (let i = 1; i <= 40; i++) {
    const dir = `services/sys-${i}`;
    const sys = readySystem(dir);
    let manifest = sys[`${dir}/lastmile.yml`]!.replace('system: support-triage', `system: sys-${i}`).replace('name: salesforce', `name: crm-${i}`);
    if (MONOREPO_INTEGRATIONS.includes(i)) manifest = manifest.replace('    fallback: queue and retry\n', '');
    if (MONOREPO_ROLLBACK.includes(i)) delete sys[`${dir}/docs/runbook.md`];
    Object.assign(files, sys, { [`${dir}/lastmile.yml`]: manifest });
  }
  return files;
}

/** The comment as docs/comments/ shows it: the body without the hidden run state. */
export function shownComment(body: string): string {
  return `${body.replace(/\n?<!-- last-mile:state [A-Za-z0-9+/=]+ -->\n?/, '\n').trimEnd()}\n`;
}
