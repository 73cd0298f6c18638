// `last-mile init`: writes a starter manifest, policy and workflow, filled from what the
// working tree already tells (repository name, CODEOWNERS, eval outputs and their metrics).
//
// The starter is honest: it validates, but every fact a human must supply is a commented TODO,
// so the gates report it "missing" (never a placeholder value that would silently pass).
import { remoteDefaultBranch } from '../collect/git';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, openSync, readFileSync, readSync, closeSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CODEOWNERS_LOCATIONS, ownersOf, ownsPath, parseCodeowners } from '../evidence/codeowners';
import { parseJson, sniffFormat } from '../evidence/evals/json';
import { loadEvalFile, parseEval } from '../collect/evals';
import type { EvalFormat, EvalLoad, EvalResult } from '../evidence/evals/types';
import { AUTH_METHODS, CLASSIFICATIONS, RISK_TIERS, ROLLBACK_STRATEGIES } from '../config/manifest/schema';
import { DEFAULT_POLICY_YAML, defaultPolicy } from '../config/policy/default';
import { parsePolicy } from '../config/policy/parse';
import { UsageError, parseCommand } from './args';
import { pickComment, pickSummary, pickThresholds } from './init/thresholds';
import type { MetricPick, PolicySource } from './init/thresholds';

export const INIT_HELP = `Usage: last-mile init [options]

Writes a starter readiness manifest (lastmile.yml), policy (.github/lastmile-policy.yml) and
workflow (.github/workflows/last-mile.yml), filled from what it finds: the repository name, the
owner in CODEOWNERS, and eval outputs already in the tree (promptfoo, lm-eval, inspect, DeepEval,
samples JSONL, Last Mile summaries) with their metrics. Each metric's threshold is the policy's
floor where it sets one, else what the evidence found clears at the policy's confidence (the lower
bound, rounded down; the upper for errors and latencies), marked for the team to review. What it
cannot know is left as commented TODOs, so the starter validates but is honestly "not ready" until
the team fills them in. A valid policy already in the tree is kept, and its floors and confidence
apply. Never overwrites an existing file without --force.

Options:
  --cwd <dir>      the repository root (default: the current directory)
  --system <id>    the system id, [a-z0-9-]+ (default: the repository name)
  --force          overwrite files that already exist
  --dry-run        print what it would write, write nothing (with --force, also for files
                   that exist)
  -h, --help       show this help
`;

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

/** Folders never searched for eval outputs. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache']);
/** Bounds on the search, so init stays fast in a large tree. */
const MAX_LISTED = 50_000;
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_EVALS = 20;
const SAMPLES_PROBE_BYTES = 1024 * 1024;

export interface DetectedEval {
  /** Path relative to the working tree (and so to the manifest, which is at its root), posix. */
  path: string;
  format: EvalFormat;
  result: EvalResult;
}

interface Facts {
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
  /** Per eval (same order as `evals`): the metrics declared and their thresholds. */
  thresholds: { picks: MetricPick[]; skipped: string[]; more: number }[];
}

export async function init(argv: string[], out: (s: string) => void, _env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseCommand({
    args: argv,
    options: {
      cwd: { type: 'string' },
      system: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }).values;
  if (args.help) {
    out(INIT_HELP);
    return 0;
  }
  const root = path.resolve(args.cwd ?? '.');
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--cwd ${args.cwd ?? '.'}: not a directory`);
  if (args.system !== undefined && !/^[a-z0-9-]+$/.test(args.system)) {
    const suggestion = slug(args.system);
    throw new UsageError(`--system: expected an id of lowercase letters, digits and "-", found "${args.system}"${suggestion ? ` (try --system ${suggestion})` : ''}`);
  }

  const facts = await gather(root, args.system, args.force === true);
  const files: { rel: string; text: string }[] = [
    { rel: MANIFEST_PATH, text: manifestYaml(facts) },
    // A valid policy in the tree is the release managers' bar: kept, not a conflict (--force replaces it).
    ...(facts.policyKept ? [] : [{ rel: POLICY_PATH, text: policyYaml(facts.defaultBranch) }]),
    { rel: WORKFLOW_PATH, text: workflowYaml() },
  ];

  const existing = files.filter((f) => exists(path.join(root, f.rel)));
  if (existing.length > 0 && !args.force) {
    out(
      `last-mile init: not writing anything: ${existing.map((f) => f.rel).join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}.\n` +
        `Use --force to overwrite ${existing.length === 1 ? 'it' : 'them'} (or --dry-run --force to see what would be written).\n`,
    );
    return 1;
  }

  out(summary(facts));
  if (args['dry-run']) {
    for (const f of files) {
      const verb = existing.includes(f) ? 'would overwrite' : 'would write';
      out(`\n--- ${f.rel} (${verb}) ---\n${f.text}`);
    }
    out('\nDry run: nothing was written.\n');
    return 0;
  }
  for (const f of files) {
    const abs = path.join(root, f.rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    // --force replaces a symlink with a file rather than writing through it (possibly outside the tree).
    if (existing.includes(f) && lstatSync(abs).isSymbolicLink()) unlinkSync(abs);
    writeFileSync(abs, f.text);
    out(`${existing.includes(f) ? 'overwrote' : 'wrote'} ${f.rel}\n`);
  }
  out(nextSteps(facts));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// What the tree tells

async function gather(root: string, systemArg: string | undefined, force: boolean): Promise<Facts> {
  const inGit = git(root, ['rev-parse', '--is-inside-work-tree'])?.trim() === 'true';
  let system: string;
  let systemFrom: string;
  if (systemArg !== undefined) {
    system = systemArg;
    systemFrom = '--system';
  } else {
    const remote = inGit ? git(root, ['remote', 'get-url', 'origin'])?.trim() : undefined;
    const fromRemote = remote ? repoNameFromUrl(remote) : undefined;
    const name = fromRemote ?? path.basename(root);
    system = slug(name) || 'ai-system';
    systemFrom = fromRemote ? `the repository name in git remote origin (${remote})` : `the folder name "${path.basename(root)}"`;
  }

  let defaultBranch = 'main';
  let defaultBranchFrom = 'assumed: no origin/HEAD; edit the policy if your default branch differs';
  const remote = inGit ? remoteDefaultBranch(root) : undefined;
  if (remote) {
    defaultBranch = remote;
    defaultBranchFrom = 'origin/HEAD';
  }

  const facts: Facts = { system, systemFrom, defaultBranch, defaultBranchFrom, ownerNote: '', evals: [], unreadable: [], policy: { policy: defaultPolicy(defaultBranch), from: 'the built-in default policy' }, policyKept: false, thresholds: [] };
  findOwner(root, facts);
  findPolicy(root, facts, force);
  await findEvals(root, inGit, facts);
  facts.thresholds = facts.evals.map((e) => pickThresholds(e.result, e.path, facts.policy));
  return facts;
}

/**
 * The policy the thresholds follow: a valid one already in the tree (kept: release managers own
 * it, and the base branch's copy is what a pull request is judged by), else the built-in default
 * that init writes (also when --force replaces the existing one).
 */
function findPolicy(root: string, facts: Facts, force: boolean): void {
  const text = readText(path.join(root, POLICY_PATH));
  if (text === undefined) return;
  const parsed = parsePolicy(text, POLICY_PATH, facts.defaultBranch);
  if (parsed.ok && !force) {
    facts.policy = { policy: parsed.policy, from: POLICY_PATH };
    facts.policyKept = true;
    facts.policyNote = `policy: keeping the existing ${POLICY_PATH}; the thresholds follow its floors and confidence`;
  } else if (parsed.ok) {
    facts.policyNote = `policy: --force replaces the existing ${POLICY_PATH} with the built-in default; the thresholds follow the default`;
  } else {
    facts.policyNote = `${POLICY_PATH} exists but is invalid (${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}): thresholds follow the built-in default policy`;
  }
}

function findOwner(root: string, facts: Facts): void {
  for (const loc of CODEOWNERS_LOCATIONS) {
    const text = readText(path.join(root, loc));
    if (text === undefined) continue;
    const co = parseCodeowners(text, loc);
    const { owners, rule } = ownersOf(co, MANIFEST_PATH);
    // owner.team takes a GitHub user or team (not an email); prefer a team.
    const github = owners.filter((o) => /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/.test(o));
    const team = github.find((o) => o.includes('/')) ?? github[0];
    if (team && rule && ownsPath(co, team, MANIFEST_PATH)) {
      facts.owner = { team, from: `${loc}:${rule.line}` };
      facts.ownerNote = `owner.team ${team} (from ${loc} line ${rule.line})`;
    } else {
      facts.ownerNote = `owner.team: ${loc} assigns ${MANIFEST_PATH} to ${owners.length > 0 ? `no GitHub user or team (${owners.join(', ')})` : 'no one'}; fill it in and add a CODEOWNERS line for it`;
    }
    return;
  }
  facts.ownerNote = 'owner.team: no CODEOWNERS file; fill it in (TODO in lastmile.yml)';
}

/** Files of the tree: git's view (tracked and untracked, not ignored) when it has one, else a walk. */
function listFiles(root: string, inGit: boolean): { files: string[]; truncated: boolean } {
  if (inGit) {
    const outText = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    if (outText !== undefined) {
      const all = [...new Set(outText.split('\0').filter(Boolean))].filter((p) => !p.split('/').some((s) => SKIP_DIRS.has(s)));
      all.sort();
      return { files: all.slice(0, MAX_LISTED), truncated: all.length > MAX_LISTED };
    }
  }
  const files: string[] = [];
  let truncated = false;
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (files.length >= MAX_LISTED) {
        truncated = true;
        return;
      }
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(child);
      } else if (e.isFile()) {
        files.push(child);
      }
    }
  };
  walk('');
  return { files, truncated };
}

async function findEvals(root: string, inGit: boolean, facts: Facts): Promise<void> {
  const { files, truncated } = listFiles(root, inGit);
  if (truncated) facts.searchNote = `searched the first ${MAX_LISTED} files only`;
  for (const rel of files) {
    if (facts.evals.length >= MAX_EVALS) {
      facts.searchNote = `listed the first ${MAX_EVALS} eval outputs only`;
      break;
    }
    const lower = rel.toLowerCase();
    let found: { format: EvalFormat; load: EvalLoad } | undefined;
    if (lower.endsWith('.json')) found = await probeJson(root, rel);
    else if (lower.endsWith('.jsonl')) found = await probeSamples(root, rel);
    if (!found) continue;
    if (found.load.ok) facts.evals.push({ path: rel, format: found.format, result: found.load.result });
    else facts.unreadable.push({ path: rel, format: found.format, message: found.load.error.message });
  }
}

/** A JSON eval output of a supported format, read with its adapter; undefined when it is none. */
async function probeJson(root: string, rel: string): Promise<{ format: EvalFormat; load: EvalLoad } | undefined> {
  const abs = path.join(root, rel);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return undefined;
    size = st.size;
  } catch {
    return undefined;
  }
  if (size === 0 || size > MAX_JSON_BYTES) return undefined;
  const text = readText(abs);
  if (text === undefined) return undefined;
  // Cheap filter before parsing: every supported JSON format has one of these keys.
  if (!/"(?:results|metrics|testRunData|testCases)"\s*:/.test(text)) return undefined;
  const parsed = parseJson(text, { allowNonFinite: true });
  if (!parsed.ok) return undefined;
  const format = detectJsonFormat(parsed.value, rel);
  if (format === undefined) return undefined;
  return { format, load: parseEval(text, format, rel) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The format of a parsed JSON value, by the marks each tool's output carries: promptfoo
 * (`results.version`, `results.results`), lm-eval (`results` with `n-samples` / `config(s)` /
 * `versions`), inspect (`eval` and `results.scores`), DeepEval (`.deepeval/.latest_test_run.json`,
 * `testRunData`), Last Mile's summary (`version: 1`, `metrics`).
 */
export function detectJsonFormat(v: unknown, rel = ''): EvalFormat | undefined {
  if (!isRecord(v)) return undefined;
  const results = v['results'];
  if (isRecord(results) && Array.isArray(results['results']) && results['version'] !== undefined) return 'promptfoo';
  if (isRecord(v['eval']) && isRecord(results) && Array.isArray(results['scores'])) return 'inspect';
  if (isRecord(results) && (isRecord(v['n-samples']) || isRecord(v['config']) || isRecord(v['configs']) || isRecord(v['versions']))) return 'lm-eval';
  if (rel === '.deepeval/.latest_test_run.json' || rel.endsWith('/.deepeval/.latest_test_run.json')) return 'deepeval';
  const sniffed = sniffFormat(v);
  if (sniffed === 'deepeval' || sniffed === 'lastmile') return sniffed;
  return undefined;
}

/** A `samples` JSONL file: its first lines are objects with `correct` (bool) or `score` (number). */
async function probeSamples(root: string, rel: string): Promise<{ format: EvalFormat; load: EvalLoad } | undefined> {
  const abs = path.join(root, rel);
  let head: string;
  try {
    const fd = openSync(abs, 'r');
    try {
      const buf = Buffer.alloc(SAMPLES_PROBE_BYTES);
      const n = readSync(fd, buf, 0, buf.length, 0);
      head = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const lines = head.split(/\r?\n/);
  if (lines.length > 1) lines.pop(); // possibly cut short
  const probe = lines.map((l) => l.trim()).filter((l) => l !== '').slice(0, 3);
  if (probe.length === 0) return undefined;
  for (const line of probe) {
    const p = parseJson(line);
    if (!p.ok || !isRecord(p.value)) return undefined;
    if (typeof p.value['correct'] !== 'boolean' && typeof p.value['score'] !== 'number') return undefined;
  }
  return { format: 'samples', load: await loadEvalFile(abs, 'samples', rel) };
}

// ---------------------------------------------------------------------------------------------
// The starter files

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

function manifestYaml(f: Facts): string {
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

function pct(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10} %`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function policyYaml(defaultBranch: string): string {
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

function workflowYaml(): string {
  return `${WORKFLOW_SCHEMA_COMMENT}\n${WORKFLOW_YAML}`;
}

function summary(f: Facts): string {
  const lines = [`last-mile init: system "${f.system}" (from ${f.systemFrom})`, `  ${f.ownerNote}`];
  if (f.evals.length > 0) {
    lines.push(`  evals: ${f.evals.length} eval output${f.evals.length === 1 ? '' : 's'} found`);
    for (const [i, e] of f.evals.entries()) {
      lines.push(`    ${e.path} (${e.format}, ${evalSource(e.path)})`);
      for (const p of f.thresholds[i]?.picks ?? []) lines.push(`      ${oneLine(pickSummary(p))}`);
    }
    const all = f.thresholds.flatMap((t) => t.picks);
    const fromEvidence = all.filter((p) => p.bar && p.bar.origin !== 'floor').length;
    const fromFloors = all.filter((p) => p.bar?.origin === 'floor').length;
    if (fromEvidence + fromFloors > 0) {
      const parts = [
        fromEvidence > 0 ? `${fromEvidence} from what the evidence clears at ${pct(f.policy.policy.evals.confidence)} confidence` : '',
        fromFloors > 0 ? `${fromFloors} from the policy's floors` : '',
      ].filter(Boolean);
      lines.push(`  thresholds: ${parts.join(', ')}; each is marked "review" in ${MANIFEST_PATH}: set the bar the business needs`);
    }
    if (all.some((p) => !p.bar)) {
      const none = all.filter((p) => !p.bar).length;
      lines.push(`  ${none} metric${none === 1 ? '' : 's'} without a defensible threshold ${none === 1 ? 'is' : 'are'} left as ${none === 1 ? 'a comment' : 'comments'} in ${MANIFEST_PATH}`);
    }
  } else {
    lines.push('  evals: no eval output of a supported format found');
  }
  if (f.policyNote) lines.push(`  ${f.policyNote}`);
  for (const u of f.unreadable) lines.push(`  skipped ${u.path}: looks like ${u.format} but cannot be read: ${oneLine(u.message)}`);
  if (f.searchNote) lines.push(`  note: ${f.searchNote}`);
  lines.push(`  default branch: ${f.defaultBranch} (${f.defaultBranchFrom})`);
  return `${lines.join('\n')}\n`;
}

function nextSteps(f: Facts): string {
  return `
Next steps:
  1. Fill in the TODOs in ${MANIFEST_PATH}${f.owner ? '' : ' (start with owner.team: the ownership gate fails until it is set)'} and review the eval thresholds (each marked "review").
  2. See the gates for this branch (add --branch release/1.0 for what production still needs):
       npx --yes github:last-mile/last-mile#v1 check    today (not on npm yet; Node 20+)
       npx last-mile check                              once published on npm
  3. Commit the files; make the "Last Mile" job a required status check on release/**.
`;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

function readText(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** Lowercase [a-z0-9-]+, runs of anything else as one "-". */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The repository name in a git remote URL (https, ssh, scp-like or a local path). */
export function repoNameFromUrl(url: string): string | undefined {
  const trimmed = url.trim().replace(/[/\\]+$/, '').replace(/\.git$/i, '');
  const last = trimmed.split(/[/\\:]/).pop();
  return last && last !== '' ? last : undefined;
}
