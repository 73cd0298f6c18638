// The starter files `last-mile init` writes, from what detect.ts found: the manifest (every fact
// a human must supply left as a commented TODO, so the gates report it "missing" rather than
// passing on a placeholder), the built-in policy and the workflow. Pure: no file system, process
// or environment; the text is built by hand, not by a YAML library, because its comments (the
// TODOs, where each value came from) are the point of the starter.
import path from 'node:path';
import { AUTH_METHODS, CLASSIFICATIONS, RISK_TIERS, ROLLBACK_STRATEGIES } from '../../config/manifest/schema';
import { DEFAULT_POLICY_YAML } from '../../config/policy/default';
import type { EvalFormat, EvalResult } from '../../evidence/evals/types';
import { pickComment, pickThresholds } from './thresholds';
import type { MetricPick, PolicySource } from './thresholds';

const SCHEMA_BASE = 'https://raw.githubusercontent.com/last-mile/last-mile/v1/schema';
export const MANIFEST_SCHEMA_COMMENT = `# yaml-language-server: $schema=${SCHEMA_BASE}/manifest.schema.json`;
export const POLICY_SCHEMA_COMMENT = `# yaml-language-server: $schema=${SCHEMA_BASE}/policy.schema.json`;
export const WORKFLOW_SCHEMA_COMMENT = '# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json';

export const MANIFEST_PATH = 'lastmile.yml';
export const POLICY_PATH = '.github/lastmile-policy.yml';
export const WORKFLOW_PATH = '.github/workflows/last-mile.yml';

/** The README's workflow snippet, verbatim (a test keeps the two equal). */
export const WORKFLOW_YAML = `# .github/workflows/last-mile.yml
name: Last Mile
on:
  pull_request:
    types: [opened, synchronize, reopened, edited]   # edited: a retarget changes the policy
  pull_request_review:
    types: [submitted, dismissed]                    # an approval can verify a sign-off
  merge_group:                                       # merge queues: same job, same check
  push:
    branches: ["release/**"]
  workflow_dispatch:
permissions:
  contents: read
  pull-requests: write     # the gap-summary comment; reviews are read to verify sign-offs
  checks: write            # the "Last Mile gates" check run with annotations
jobs:
  last-mile:
    name: Last Mile        # make this job the required status check
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: last-mile/last-mile@v1
        # with:
        #   manifests: services/*/lastmile.yml   # monorepos
        #   github-token: \${{ secrets.LAST_MILE_TOKEN }}   # only for team approvers, see below
`;

export interface DetectedEval {
  /** Path relative to the working tree (and so to the manifest, which is at its root), posix. */
  path: string;
  format: EvalFormat;
  result: EvalResult;
}

/** What detect.ts found in the working tree. */
export interface Detected {
  system: string;
  systemFrom: string;
  defaultBranch: string;
  defaultBranchFrom: string;
  owner?: { team: string; from: string };
  ownerNote: string;
  evals: DetectedEval[];
  unreadable: { path: string; format: EvalFormat; message: string }[];
  searchNote?: string;
  /** The policy whose floors and confidence the thresholds follow. */
  policy: PolicySource;
  policyNote?: string;
  /** A valid policy is in the tree and stays (no --force). */
  policyKept: boolean;
}

/** What was found, with the thresholds the starter declares for it. */
export interface Facts extends Detected {
  /** Per eval (same order as `evals`): the metrics declared and their thresholds. */
  thresholds: { picks: MetricPick[]; skipped: string[]; more: number }[];
}

export function withThresholds(d: Detected): Facts {
  return { ...d, thresholds: d.evals.map((e) => pickThresholds(e.result, e.path, d.policy)) };
}

/** The files to write, relative to the root. */
export function starterFiles(f: Facts): { rel: string; text: string }[] {
  return [
    { rel: MANIFEST_PATH, text: manifestYaml(f) },
    // A valid policy in the tree is the release managers' bar: kept, not a conflict (--force replaces it).
    ...(f.policyKept ? [] : [{ rel: POLICY_PATH, text: policyYaml(f.defaultBranch) }]),
    { rel: WORKFLOW_PATH, text: workflowYaml() },
  ];
}

const GENERIC_NAMES = new Set(['output', 'outputs', 'result', 'results', 'eval', 'evals', 'log', 'logs', 'summary', 'report', 'data', 'samples', 'latest-test-run']);

/**
 * `name` for an eval entry, stable across runs (regression compares evals of the same name): the
 * file's name as an id; lm-eval's `results_<date>` becomes the task; a generic file name
 * (`output.json`) takes its folder's name in front.
 */
function evalName(e: DetectedEval, taken: Set<string>): string {
  const file = path.posix.basename(e.path).replace(/\.jsonl?$/i, '');
  const dir = path.posix.dirname(e.path);
  const parent = dir === '.' ? '' : path.posix.basename(dir).replace(/^\./, '');
  let base = file;
  if (e.format === 'deepeval' && file === '.latest_test_run') base = 'deepeval';
  if (e.format === 'lm-eval') {
    const rest = file.replace(/^results_?/i, '').replace(/^\d{4}-\d{2}-\d{2}T[\d.:-]+$/i, '');
    const tasks = new Set(Object.keys(e.result.metrics).filter((n) => n.includes('/')).map((n) => n.slice(0, n.indexOf('/'))));
    const task = tasks.size === 1 ? [...tasks][0] : undefined;
    base = rest || task || (parent ? `${parent}-lm-eval` : 'lm-eval');
  }
  let id = slug(base);
  if ((id === '' || GENERIC_NAMES.has(id)) && parent !== '' && slug(parent) !== '') id = id === '' ? slug(parent) : `${slug(parent)}-${id}`;
  if (id === '') id = e.format;
  let name = id;
  for (let i = 2; taken.has(name); i++) name = `${id}-${i}`;
  taken.add(name);
  return name;
}

/** The eval's source, from words in its path: prod/production, red-team, shadow; else curated. */
export function evalSource(relPath: string): 'curated' | 'production-sample' | 'red-team' | 'shadow' {
  const words = relPath.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words.some((w) => w === 'prod' || w === 'production')) return 'production-sample';
  if (words.includes('redteam') || words.join(' ').includes('red team')) return 'red-team';
  if (words.includes('shadow')) return 'shadow';
  return 'curated';
}

/** A YAML scalar: plain when that is unambiguous, else double-quoted (JSON strings are valid YAML). */
export function yamlScalar(s: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(s) && !/^(?:true|false|yes|no|on|off|null|y|n)$/i.test(s)) return s;
  return JSON.stringify(s);
}

export function manifestYaml(f: Facts): string {
  const L: string[] = [];
  // The policy that applies: a kept one names its own sign-off kinds and required sources.
  const policy = f.policy.policy;
  const conditional = Object.entries(policy.signoffs)
    .filter(([, r]) => r.when)
    .map(([k]) => k);
  L.push(
    MANIFEST_SCHEMA_COMMENT,
    '# Last Mile readiness manifest, written by `last-mile init`.',
    '# Every section below that is commented out is one a gate needs at production: fill in each TODO',
    '# and uncomment it. Until then the gates report it "missing", so this starter is honestly not ready.',
    '# Check it with `last-mile check` (and `--branch release/1.0` for the production gates): today',
    '# `npx --yes github:last-mile/last-mile#v1 check`, once published on npm `npx last-mile check`.',
    'version: 1',
    `system: ${yamlScalar(f.system)}`,
    '# description: <TODO what the system does, in one line>',
    '',
  );

  // ownership (required at every stage)
  if (f.owner) {
    L.push(
      '# ownership: who owns it after it ships, who is paged, where to escalate.',
      'owner:',
      `  team: ${JSON.stringify(f.owner.team)}   # from ${f.owner.from}`,
      '  # TODO the on-call schedule and escalation channel; the ownership gate fails until both are set',
      '  # oncall: <TODO on-call schedule URL>',
      '  # escalation: <TODO escalation channel>',
    );
  } else {
    L.push(
      '# TODO ownership (required at every stage): the GitHub team that owns the system after it ships',
      '# (it must own this file in CODEOWNERS where the repository has one), who is paged, where to',
      '# escalate. The ownership gate fails until this is filled in and uncommented.',
      '# owner:',
      '#   team: "<TODO @org/team>"',
      '#   oncall: <TODO on-call schedule URL>',
      '#   escalation: <TODO escalation channel>',
    );
  }
  L.push('# business_owner: <TODO the business owner who relies on it>', '');

  const models = [
    ...new Set(
      f.evals.flatMap((e) => {
        const m = e.result.model;
        if (!m?.name && !m?.version) return [];
        return [oneLine(m.version ? `${m.name ?? '(unnamed)'} version ${m.version}` : (m.name ?? ''))];
      }),
    ),
  ];
  L.push(
    '# TODO the model under test: eval results must be for model.version (eval.freshness).',
    ...models.slice(0, 4).map((m) => `#   (an eval output names ${m})`),
    '# model:',
    '#   name: <TODO model name>',
    '#   version: "<TODO model version>"',
    '',
    '# TODO identity: the system as an identity principal (SSO / service account).',
    '# identity:',
    '#   principal: <TODO service account or principal>',
    `#   auth: <TODO ${AUTH_METHODS.join(' | ')}>`,
    '#   provisioning: <TODO ticket or reference>',
    '',
    '# TODO data: what data it touches, and the grant for production data.',
    '# data:',
    `#   classification: <TODO ${CLASSIFICATIONS.join(' | ')}>`,
    '#   production_access: <TODO data-governance grant reference>',
    '#   pii: <TODO true | false>',
    '',
    '# TODO compliance: the risk tier (EU AI Act style); unacceptable never passes production.',
    '# compliance:',
    `#   risk_tier: <TODO ${RISK_TIERS.join(' | ')}>`,
    '',
    `# TODO sign-offs the policy requires at production (${Object.keys(policy.signoffs).join(', ')}${conditional.length > 0 ? ';' : ').'}`,
    `# ${conditional.length > 0 ? `${conditional.join(', ')} only where its \`when\` matches the facts above). ` : ''}Record each when it is requested, then approved;`,
    '# a record counts once it is on the base branch or the pull request has an approving review from one',
    '# of its approvers.',
    '# signoffs:',
  );
  for (const kind of Object.keys(policy.signoffs)) {
    L.push(`#   - kind: ${kind}`, '#     status: requested          # requested | approved | rejected', '#     ticket: <TODO ticket>', '#     requested_on: <TODO YYYY-MM-DD>');
  }
  L.push(
    '',
    '# TODO monitoring: the metrics watched in production, an alerts file in this repository that alerts',
    '# on each of them (Prometheus rules or Datadog monitors), and drift detection.',
    '# monitoring:',
    '#   metrics: [<TODO metric>, <TODO metric>]',
    '#   alerts: <TODO path/to/alerts.yml>',
    '#   dashboard: <TODO dashboard URL>',
    '#   drift: { method: <TODO psi | ks | ...>, features: [<TODO feature>], threshold: <TODO 0.2> }',
    '',
    '# TODO rollback: how to turn it off, and a runbook in this repository.',
    '# rollback:',
    `#   strategy: <TODO ${ROLLBACK_STRATEGIES.join(' | ')}>`,
    '#   runbook: <TODO docs/runbook.md>',
    '',
    '# TODO rollout: the plan, and the comms file where you have one.',
    '# rollout:',
    '#   plan: <TODO e.g. canary 5% then 25% then 100% over 2 weeks>',
    '#   comms: <TODO docs/rollout-comms.md>',
    '',
    '# TODO integrations: every system it calls, with auth, rate limit, timeout and fallback',
    '# (`integrations: []` when it calls none).',
    '# integrations:',
    '#   - name: <TODO system it calls>',
    `#     auth: <TODO ${AUTH_METHODS.join(' | ')}>`,
    '#     rate_limit: <TODO e.g. 100/min>',
    '#     timeout_ms: <TODO e.g. 3000>',
    '#     fallback: <TODO what happens when it fails>',
    '',
  );

  // evals
  const taken = new Set<string>();
  const sources = new Set<string>();
  if (f.evals.length > 0) {
    L.push(
      '# Eval outputs found in the tree. Each threshold is the policy\'s floor where it sets one, else what the',
      `# evidence found clears at ${pct(f.policy.policy.evals.confidence)} confidence: the lower bound of a higher-is-better metric rounded down,`,
      '# the upper bound of a lower-is-better one rounded up, a percentile (a point estimate) rounded up. So',
      '# eval.thresholds passes on this evidence, and a clearly worse result does not. Each says "review": it is',
      '# what the model did, not what the business needs. TODO review each bar (min, or max for errors and latencies).',
      'evals:',
    );
    for (const [i, e] of f.evals.entries()) {
      const name = evalName(e, taken);
      const source = evalSource(e.path);
      sources.add(source);
      const { picks, skipped, more } = f.thresholds[i] ?? { picks: [], skipped: [], more: 0 };
      L.push(
        `  - name: ${yamlScalar(name)}`,
        `    source: ${source}   # curated | production-sample | shadow | red-team | load`,
        `    path: ${yamlScalar(e.path)}`,
        `    format: ${e.format}`,
      );
      if (e.result.status !== 'complete') L.push(`    # NOTE: this run is ${e.result.status}${e.result.statusReason ? `: ${oneLine(e.result.statusReason)}` : ''}`);
      if (e.format === 'lm-eval') L.push('    # lm-eval writes a new results_<date>.json per run: `path` may name its folder to read the newest');
      if (picks.some((p) => p.bar)) L.push('    metrics:');
      else L.push('    # TODO name the metrics to gate on under `metrics:`, e.g. accuracy with { min: 0.9 }');
      for (const p of picks) {
        // A metric without a defensible threshold stays a comment: a guessed bar would pass or fail on nothing.
        if (p.bar) L.push(`      ${yamlScalar(p.name)}: { ${p.bar.dir}: ${p.bar.value} }   # ${oneLine(pickComment(p))}`);
        else L.push(`      # ${oneLine(pickComment(p))}`);
      }
      if (more > 0) L.push(`    # ${more} more metric${more === 1 ? '' : 's'} in the file; add the ones that matter`);
      for (const s of skipped) L.push(`    # not gated: ${oneLine(s)}`);
      const sliceFields = [...new Set(e.result.slices.map((s) => s.field))];
      if (sliceFields.length > 0) L.push(`    # slices: [${sliceFields.slice(0, 6).map(yamlScalar).join(', ')}]   # slice fields in the file; list the ones to check`);
    }
  } else {
    L.push('# TODO evals: no eval output of a supported format was found in the tree (promptfoo, lm-eval, inspect,', '# DeepEval, samples JSONL, Last Mile summary). Commit the results and declare them:');
  }
  const needed = policy.evals.require_sources.filter((s) => !sources.has(s));
  if (needed.length > 0) {
    if (f.evals.length > 0) L.push(`  # TODO the policy requires ${needed.join(' and ')} results too (the benchmark trap: curated vs production-like data):`);
    // Commented entries that line up with the list once "# " is removed.
    const pad = f.evals.length > 0 ? '  # ' : '#   ';
    if (f.evals.length === 0) L.push('# evals:');
    for (const s of needed) {
      L.push(
        `${pad}- name: ${s}`,
        `${pad}  source: ${s}`,
        `${pad}  path: <TODO evals/${s}.jsonl>`,
        `${pad}  format: <TODO samples | lastmile | promptfoo | lm-eval | inspect | deepeval>`,
        `${pad}  metrics:`,
        `${pad}    accuracy: { min: <TODO 0.9> }`,
      );
    }
  }
  return `${L.join('\n')}\n`;
}

export function pct(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10} %`;
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function policyYaml(defaultBranch: string): string {
  const body = DEFAULT_POLICY_YAML.replace('{ pattern: main, stage: staging', `{ pattern: ${flowScalar(defaultBranch)}, stage: staging`);
  return [
    POLICY_SCHEMA_COMMENT,
    '# Last Mile policy, written by `last-mile init`: the built-in default. It is read from the base branch of',
    '# a pull request, so a change here applies after it is merged. Guard this file with CODEOWNERS.',
    body,
  ].join('\n');
}

/** A scalar inside a flow mapping (`,` `{` `}` `[` `]` must be quoted there). */
function flowScalar(s: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(s) && !/^(?:true|false|yes|no|on|off|null|y|n)$/i.test(s) && !/^[0-9.]+$/.test(s) ? s : JSON.stringify(s);
}

export function workflowYaml(): string {
  return `${WORKFLOW_SCHEMA_COMMENT}\n${WORKFLOW_YAML}`;
}

/** Lowercase [a-z0-9-]+, runs of anything else as one "-". */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
