// What `last-mile init` can learn from the working tree (the I/O half of init): the system's
// name (git remote or folder), the default branch, the owner in CODEOWNERS, a policy already in
// the tree, and the eval outputs of a supported format with what they hold. starter.ts turns it
// into text. detectJsonFormat asks for more of each tool's marks than evidence/evals' sniffFormat
// (which only names a likely format in an error message): here every JSON file in the tree is a
// candidate, so a loose match would declare files that are not eval outputs.
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { git, remoteDefaultBranch } from '../../collect/git';
import { loadEvalFile, parseEval } from '../../collect/evals';
import { defaultPolicy } from '../../config/policy/default';
import { parsePolicy } from '../../config/policy/parse';
import { CODEOWNERS_LOCATIONS, ownersOf, ownsPath, parseCodeowners } from '../../evidence/codeowners';
import { parseJson, sniffFormat } from '../../evidence/evals/json';
import type { EvalFormat, EvalLoad } from '../../evidence/evals/types';
import { MANIFEST_PATH, POLICY_PATH, slug } from './starter';
import type { Detected } from './starter';

/** Folders never searched for eval outputs. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache']);
/** Bounds on the search, so init stays fast in a large tree. */
const MAX_LISTED = 50_000;
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_EVALS = 20;
const SAMPLES_PROBE_BYTES = 1024 * 1024;

/** What the tree at `root` tells; `systemArg` is --system; with `force` an existing policy is not kept. */
export async function detect(root: string, systemArg: string | undefined, force: boolean): Promise<Detected> {
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

  const facts: Detected = { system, systemFrom, defaultBranch, defaultBranchFrom, ownerNote: '', evals: [], unreadable: [], policy: { policy: defaultPolicy(defaultBranch), from: 'the built-in default policy' }, policyKept: false };
  findOwner(root, facts);
  findPolicy(root, facts, force);
  await findEvals(root, inGit, facts);
  return facts;
}

/**
 * The policy the thresholds follow: a valid one already in the tree (kept: release managers own
 * it, and the base branch's copy is what a pull request is judged by), else the built-in default
 * that init writes (also when --force replaces the existing one).
 */
function findPolicy(root: string, facts: Detected, force: boolean): void {
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

function findOwner(root: string, facts: Detected): void {
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

async function findEvals(root: string, inGit: boolean, facts: Detected): Promise<void> {
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

function readText(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/** The repository name in a git remote URL (https, ssh, scp-like or a local path). */
export function repoNameFromUrl(url: string): string | undefined {
  const trimmed = url.trim().replace(/[/\\]+$/, '').replace(/\.git$/i, '');
  const last = trimmed.split(/[/\\:]/).pop();
  return last && last !== '' ? last : undefined;
}
