// The one pipeline that builds the core's input, for the action, the CLI and the board: policy
// (at the base where there is one), the head's manifests and evals, the base's manifests and
// evals (the bar), CODEOWNERS (at the base), the AI inventory, and the trust evidence. The entry
// points differ only in the readers they pass in (git or API for the base, a review reader or
// none) and in what they do with the report, so that what one judges the other judges too.
import type { Workspace } from './workspace';
import type { BaseReader } from './systems';
import { loadSystems } from './systems';
import type { LoadedSystems } from './systems';
import { loadPolicy } from './policy';
import type { CentralRefContext, LoadedPolicy } from './policy';
import { loadCodeowners, scanRepository } from './repository';
import { DEFAULT_POLICY_PATH } from '../config/policy/default';
import { ruleFor } from '../config/policy/branches';
import type { Policy } from '../config/policy/schema';
import { inventoryRuns } from '../core/gates/inventory/unregistered';
import type { EvaluationInput } from '../core/evaluate';
import type { InventoryFinding } from '../evidence/inventory/types';
import type { TrustEvidence } from '../evidence/trust/types';
import { NO_TRUST } from '../evidence/trust/types';

/** What a review reader found for a pull request (the action reads them through the API). */
export interface ReviewFindings {
  trust: Pick<TrustEvidence, 'approvingReviewers' | 'discountedReviews' | 'memberships'> & Partial<Pick<TrustEvidence, 'author' | 'reviewHead'>>;
  /** Reads that failed: records stay unverified and the run fails closed. */
  fatal: string[];
  notes: string[];
}

export interface CollectRequest {
  event: string;
  branch: string;
  defaultBranch: string;
  now: Date;
  repository?: { owner: string; repo: string };
  pullRequest?: number;
  headSha?: string;
  baseSha?: string;
  /** The policy as the user named it (input or `--policy`); empty or undefined: the default path. */
  policy: string | undefined;
  /** Read the policy from the workspace even when there is a base (the CLI's `--policy` with `--base`). */
  policyFromWorkspace?: boolean;
  manifests: readonly string[];
  /** Whether an eval file without `created_at` takes its last git commit's time (not in a folder git does not know). */
  commitTimes?: boolean;
  /** What a central policy's ref is checked against (SPEC §3). */
  central?: CentralRefContext;
  trust: {
    /** pull-request: records judged against the base and reviews; branch: already on a gated branch; none: a local check without a base. */
    mode: TrustEvidence['mode'];
    author?: string;
    /** Reads who approved; undefined where reviews are not read (a local check, SPEC §9). */
    reviews?: (policy: Policy | undefined) => Promise<ReviewFindings>;
  };
  notes?: string[];
}

export interface CollectReaders {
  workspace: Workspace;
  /** The base commit: where the policy, CODEOWNERS and the bar come from. */
  base?: BaseReader;
  /** Where the policy is read when not at the base (the board: the branch itself, which is its own base). */
  policyBase?: BaseReader;
  /** The AI inventory scan; by default over the files git tracks in the workspace. */
  inventory?: (policy: Policy, manifestPaths: readonly string[]) => Promise<{ findings?: InventoryFinding[]; error?: string }>;
  /** A central policy (`owner/repo/path@ref`) through the API. */
  central?: (owner: string, repo: string, file: string, ref: string) => Promise<string | undefined>;
  /** Describes a failed read for the report (the action keeps HTTP statuses in it). */
  describe?: (err: unknown) => string;
  /** Told the policy as soon as it is loaded: a later unexpected error still fails closed by its branch rules. */
  onPolicy?: (policy: LoadedPolicy) => void;
}

/** The files the verdict was computed from: what an attestation records besides the report. */
export interface CollectEvidence {
  policy?: { path: string; text: string };
  manifests: string[];
  evals: string[];
  ws: Workspace;
}

export interface Collected {
  input: EvaluationInput;
  evidence: CollectEvidence;
  policy: LoadedPolicy;
  systems: LoadedSystems;
}

/** Whether the user named a policy file of their own: one that is missing is then an error, not the built-in policy. */
export function isExplicitPolicy(input: string | undefined): boolean {
  return input !== undefined && input !== '' && input !== DEFAULT_POLICY_PATH;
}

export async function collect(req: CollectRequest, readers: CollectReaders): Promise<Collected> {
  const ws = readers.workspace;
  const base = readers.base;
  const describe = readers.describe ?? ((err: unknown) => (err instanceof Error ? err.message : String(err)));
  const fatal: string[] = [];
  const notes: string[] = [...(req.notes ?? [])];

  const policyInput = req.policy || DEFAULT_POLICY_PATH;
  const policy = await loadPolicy({
    input: policyInput,
    explicit: isExplicitPolicy(req.policy),
    defaultBranch: req.defaultBranch,
    ...(base && !req.policyFromWorkspace ? { base } : readers.policyBase ? { base: readers.policyBase } : {}),
    workspace: ws,
    ...(readers.central ? { central: readers.central } : {}),
    ...(req.repository ? { repositoryOwner: req.repository.owner, repositoryName: req.repository.repo } : {}),
    ...req.central,
  });
  fatal.push(...policy.errors);
  readers.onPolicy?.(policy);
  const parsed = policy.parse.ok ? policy.parse.policy : undefined;

  const manifestPaths = ws.findManifests(req.manifests);
  // CODEOWNERS comes from the base where there is one: a pull request cannot make itself the owner.
  const codeowners = await loadCodeowners(base ? (p) => base.read(p) : async (p) => ws.readText(p).text).catch((err: unknown) => {
    // Ownership cannot be judged without it: fail closed, and still report every other gate.
    fatal.push(`could not read CODEOWNERS at the ${base?.label ?? 'workspace'}: ${describe(err)}`);
    return undefined;
  });
  const loaded = await loadSystems(ws, manifestPaths, {
    ...(base ? { base } : {}),
    ...(codeowners ? { codeowners } : {}),
    globs: req.manifests,
    ...(req.commitTimes === false ? { commitTimes: false } : {}),
  });
  fatal.push(...loaded.baseErrors);

  const trust = await trustOf(req, loaded, parsed, fatal, notes);

  let inventory: EvaluationInput['inventory'];
  let inventoryError: string | undefined;
  const rule = parsed ? ruleFor(parsed.branches, req.branch) : undefined;
  if (parsed && rule && inventoryRuns(parsed, rule.stage)) {
    const scan = readers.inventory ? await readers.inventory(parsed, manifestPaths) : scanRepository(ws, parsed, manifestPaths);
    inventory = scan.findings;
    inventoryError = scan.error;
  }

  const input: EvaluationInput = {
    event: req.event,
    branch: req.branch,
    defaultBranch: req.defaultBranch,
    ...(req.repository ? { repository: `${req.repository.owner}/${req.repository.repo}` } : {}),
    ...(req.pullRequest !== undefined ? { pullRequest: req.pullRequest } : {}),
    ...(req.headSha ? { headSha: req.headSha } : {}),
    ...(req.baseSha ? { baseSha: req.baseSha } : {}),
    now: req.now,
    policy: { source: policy.source, builtIn: policy.builtIn, parse: policy.parse, changedInHead: policy.changedInHead },
    systems: loaded.systems,
    trust,
    ...(inventory ? { inventory } : {}),
    ...(inventoryError ? { inventoryError } : {}),
    removedSystems: loaded.removed,
    fatal,
    notes,
  };
  const evidence: CollectEvidence = {
    ...(policy.text !== undefined ? { policy: { path: policy.source, text: policy.text } } : {}),
    manifests: manifestPaths,
    evals: loaded.systems.flatMap((sys) => Object.values(sys.evals).map((l) => (l.ok ? l.result.file : l.error.file))),
    ws,
  };
  return { input, evidence, policy, systems: loaded };
}

/** The evidence records are verified with (SPEC §6): the base's records, and who approved the head. */
async function trustOf(req: CollectRequest, loaded: LoadedSystems, policy: Policy | undefined, fatal: string[], notes: string[]): Promise<TrustEvidence> {
  const local = req.trust.reviews === undefined && req.trust.mode !== 'branch';
  if (req.trust.mode !== 'pull-request') return { ...NO_TRUST, mode: req.trust.mode, ...(local ? { reviewsUnseen: true } : {}) };
  const trust: TrustEvidence = {
    mode: 'pull-request',
    baseManifests: loaded.baseRecords,
    approvingReviewers: [],
    discountedReviews: [],
    memberships: {},
    ...(req.trust.author ? { author: req.trust.author } : {}),
  };
  if (loaded.baseErrors.length > 0) trust.baseUnavailable = loaded.baseErrors.join('; ');
  if (!req.trust.reviews) return { ...trust, reviewsUnseen: true };
  const found = await req.trust.reviews(policy);
  fatal.push(...found.fatal);
  notes.push(...found.notes);
  return { ...trust, ...found.trust };
}
