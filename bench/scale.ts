/**
 * Scale (issue 8, item 4): a monorepo of 500 AI systems, and one manifest with 10,000 sign-off
 * records, each evaluated through the code `last-mile check` runs (src/cli/check.ts: loaders,
 * every gate, the report), with its output captured.
 *
 * - `manifests_500_ms`: wall time of `check --cwd <repo> --json --branch release/1.0 --manifest
 *   'services/*\/lastmile.yml'` on 500 service folders, each with a manifest, two eval files in
 *   the `lastmile` format, a Prometheus alerts file, a runbook and a comms doc (3,000 files,
 *   plus a 500-line CODEOWNERS and a git history for the inventory scan).
 * - `manifests_500_rss_mb`: the peak resident set size (MB) sampled every 5 ms during that run
 *   (the whole process: Node itself is about 50 MB of it).
 * - `signoffs_10k_ms`: `check --base base --json` on a manifest holding 10,000 approved sign-off
 *   records over the policy's four kinds, unchanged from the base branch (so each one is
 *   looked up among the base's records, the pull-request trust path of SPEC §6): both manifests
 *   parsed, every record judged by src/core/gates/signoffs.ts through evaluate().
 *
 * Deterministic inputs; dates are relative to today so nothing expires.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { check } from '../src/cli/check';

export interface ScaleBench {
  manifests_500_ms: number;
  manifests_500_rss_mb: number;
  signoffs_10k_ms: number;
}

const SYSTEMS = 500;
const SIGNOFFS = 10_000;
const KINDS = ['security', 'data-governance', 'compliance', 'business-owner'];

function isoDay(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

function isoTime(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function write(root: string, rel: string, text: string): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' },
  });
}

function policy(signoffs: string): string {
  return `version: 1
branches:
  - { pattern: "release/**", stage: production, enforce: block }
  - { pattern: main, stage: staging, enforce: warn }
stages:
  pilot:      { require: [ownership] }
  staging:    { require: [ownership, evals, monitoring] }
  production: { require: [ownership, identity, data, compliance, signoffs, monitoring, rollback, rollout, integrations, evals] }
${signoffs}
evals:
  confidence: 0.95
  min_samples: 300
  max_age_days: 30
  require_sources: [curated, production-sample]
  max_gap: { accuracy: 0.05 }
  slices: { min_samples: 30, max_drop: 0.10 }
  regression: { max_drop: 0.02 }
waivers: { approvers: [erin], max_days: 90 }
inventory:
  require_manifest: true
`;
}

/** A summary in the `lastmile` format: accuracy overall and per language. */
function lastmileEval(name: string, accuracy: number, n: number): string {
  const slices = ['en', 'de', 'fr', 'es'].map((value, i) => {
    const sn = Math.round(n / 4);
    const successes = Math.round(sn * (accuracy - 0.01 * i));
    return { field: 'language', value, metrics: { accuracy: { value: successes / sn, n: sn, successes } } };
  });
  const successes = Math.round(n * accuracy);
  return `${JSON.stringify(
    {
      version: 1,
      model: { name, version: '2026-11-01' },
      created_at: isoTime(-2),
      metrics: { accuracy: { value: successes / n, n, successes }, latency_p95_ms: { value: 640, n, kind: 'percentile' } },
      slices,
    },
    null,
    2,
  )}\n`;
}

function manifest(id: string, team: string): string {
  return `version: 1
system: ${id}
description: ${id} routes and summarises requests with an LLM
owner:
  team: "${team}"
  oncall: https://acme.pagerduty.com/schedules/${id}
  escalation: "#${id}-oncall"
business_owner: owner-${id}@acme.com
model:
  name: ${id}-model
  version: "2026-11-01"
identity:
  principal: svc-${id}
  auth: oidc
  provisioning: IAM-${id}
data:
  classification: confidential
  production_access: DG-${id}
  pii: true
compliance:
  risk_tier: limited
signoffs: []
monitoring:
  metrics: [latency_p95, error_rate]
  alerts: ops/alerts.yml
  dashboard: https://grafana.acme.com/d/${id}
  drift: { method: psi, features: [input_length, language], threshold: 0.2 }
  feedback: reviewers flag wrong answers; sampled weekly
rollback:
  strategy: feature-flag
  runbook: docs/runbook.md
rollout:
  plan: canary 5% -> 25% -> 100% over 2 weeks
  comms: docs/rollout-comms.md
integrations:
  - name: crm
    auth: oauth2-client-credentials
    rate_limit: 100/min
    timeout_ms: 3000
    fallback: queue and retry
evals:
  - name: curated
    source: curated
    path: evals/curated.json
    format: lastmile
    metrics:
      accuracy: { min: 0.85 }
  - name: production-sample
    source: production-sample
    path: evals/prod-sample.json
    format: lastmile
    metrics:
      accuracy: { min: 0.82 }
      latency_p95_ms: { max: 1000 }
    slices: [language]
`;
}

function alerts(id: string): string {
  return `groups:
  - name: ${id}
    rules:
      - alert: LatencyHigh
        expr: latency_p95{service="${id}"} > 2000
        for: 10m
        labels: { severity: page }
      - alert: ErrorRateHigh
        expr: rate(error_rate{service="${id}"}[5m]) > 0.05
        for: 5m
        labels: { severity: page }
`;
}

/** Runs `check` with its output captured; the peak RSS is sampled while it runs. */
async function timedCheck(argv: string[]): Promise<{ ms: number; rssMb: number; report: { verdict?: string; systems?: unknown[] }; code: number }> {
  let out = '';
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const t0 = process.hrtime.bigint();
  let code: number;
  try {
    code = await check(argv, (s) => (out += s), { NO_COLOR: '1' });
  } finally {
    clearInterval(timer);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms: Math.round(ms), rssMb: Math.round(peak / 1048576), report: JSON.parse(out) as { verdict?: string; systems?: unknown[] }, code };
}

/** 500 service folders in one repository, evaluated by `check`. */
async function monorepo(dir: string, log: (line: string) => void): Promise<{ ms: number; rssMb: number }> {
  write(dir, '.github/lastmile-policy.yml', policy('signoffs: {}'));
  const owners: string[] = [];
  for (let i = 0; i < SYSTEMS; i++) {
    const id = `svc-${String(i).padStart(3, '0')}`;
    const team = `@acme/team-${i % 40}`;
    const base = `services/${id}`;
    write(dir, `${base}/lastmile.yml`, manifest(id, team));
    write(dir, `${base}/evals/curated.json`, lastmileEval(`${id}-model`, 0.92, 800));
    write(dir, `${base}/evals/prod-sample.json`, lastmileEval(`${id}-model`, 0.9, 1200));
    write(dir, `${base}/ops/alerts.yml`, alerts(id));
    write(dir, `${base}/docs/runbook.md`, `# ${id} runbook\n\nTurn off the flag \`${id}-llm\`.\n`);
    write(dir, `${base}/docs/rollout-comms.md`, `# ${id} rollout\n`);
    write(dir, `${base}/package.json`, `${JSON.stringify({ name: id, dependencies: { openai: '^4.0.0', express: '^4.19.0' } }, null, 2)}\n`);
    owners.push(`/${base}/ ${team}`);
  }
  write(dir, '.github/CODEOWNERS', `* @acme/platform\n${owners.join('\n')}\n`);
  git(dir, 'init', '-q', '-b', 'release/1.0');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'monorepo');
  // One warm-up run (module loading, JIT), then the measured one.
  await timedCheck(['--cwd', dir, '--json', '--branch', 'release/1.0', '--manifest', 'services/svc-000/lastmile.yml']);
  const r = await timedCheck(['--cwd', dir, '--json', '--branch', 'release/1.0', '--manifest', 'services/*/lastmile.yml']);
  const systems = r.report.systems?.length ?? 0;
  if (systems !== SYSTEMS) throw new Error(`scale bench: expected ${SYSTEMS} systems in the report, found ${systems}`);
  log(`scale: ${SYSTEMS} manifests (${SYSTEMS * 7} files) evaluated in ${r.ms} ms, peak RSS ${r.rssMb} MB, verdict ${r.report.verdict ?? '?'}`);
  return { ms: r.ms, rssMb: r.rssMb };
}

/** One manifest with 10,000 approved sign-off records, unchanged from the base branch. */
async function signoffs(dir: string, log: (line: string) => void): Promise<number> {
  const kinds = KINDS.map((k) => `  ${k}: { approvers: [alice], max_age_days: 180 }`).join('\n');
  write(dir, '.github/lastmile-policy.yml', policy(`signoffs:\n${kinds}`));
  const lines: string[] = [];
  for (let i = 0; i < SIGNOFFS; i++) {
    // Compact flow mappings: 10,000 records fit in the 1 MiB limit of a YAML file.
    lines.push(`  - {kind: ${KINDS[i % KINDS.length]}, status: approved, ticket: T-${i}, approved_by: alice, approved_on: ${isoDay(-10 - (i % 90))}}`);
  }
  const text = manifest('many-signoffs', '@acme/ml').replace('signoffs: []\n', `signoffs:\n${lines.join('\n')}\n`);
  write(dir, 'lastmile.yml', text);
  write(dir, 'evals/curated.json', lastmileEval('many-signoffs-model', 0.92, 800));
  write(dir, 'evals/prod-sample.json', lastmileEval('many-signoffs-model', 0.9, 1200));
  write(dir, 'ops/alerts.yml', alerts('many-signoffs'));
  write(dir, 'docs/runbook.md', '# runbook\n');
  write(dir, 'docs/rollout-comms.md', '# comms\n');
  git(dir, 'init', '-q', '-b', 'base');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  const r = await timedCheck(['--cwd', dir, '--json', '--base', 'base', '--branch', 'release/1.0']);
  const gates = (r.report.systems?.[0] as { gates?: { id: string; outcome: string }[] } | undefined)?.gates ?? [];
  const gate = gates.find((g) => g.id === 'signoffs');
  if (gate?.outcome !== 'pass') throw new Error(`scale bench: the signoffs gate of the 10,000-record manifest is ${gate?.outcome ?? 'missing'}, not pass`);
  log(`scale: ${SIGNOFFS} sign-off records (${Math.round(text.length / 1024)} KB manifest, unchanged from the base) judged in ${r.ms} ms, peak RSS ${r.rssMb} MB`);
  return r.ms;
}

export async function benchScale(log: (line: string) => void = () => undefined): Promise<ScaleBench> {
  const root = mkdtempSync(path.join(tmpdir(), 'last-mile-scale-'));
  try {
    const repo = path.join(root, 'monorepo');
    mkdirSync(repo);
    const many = path.join(root, 'signoffs');
    mkdirSync(many);
    const m = await monorepo(repo, log);
    const s = await signoffs(many, log);
    return { manifests_500_ms: m.ms, manifests_500_rss_mb: m.rssMb, signoffs_10k_ms: s };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
