// What a gate receives and returns. Gates are pure: everything they need is loaded before.
import type { ParsedManifest } from '../config/manifest/parse';
import type { Policy } from '../config/policy/schema';
import type { Codeowners } from '../evidence/codeowners';
import type { EvalLoad } from '../evidence/evals/types';
import type { TrustEvidence } from '../evidence/trust/types';
import type { Manifest } from '../config/manifest/schema';
import type { SystemBar } from './bar';
import type { PolicyParse } from '../config/policy/parse';
import type { InventoryFinding } from '../evidence/inventory/types';

export type { GateResult, Location, Outcome } from '../model/result';

/** A file a manifest names, resolved by the loader (exists, inside the workspace). */
export interface FileFact {
  /** Path relative to the workspace, posix. */
  path: string;
  exists: boolean;
  /** Set when the path escapes the workspace (also through a symlink) or cannot be read. */
  problem?: string;
  /** Text, for files a gate reads (alerts). */
  text?: string;
}

export interface SystemInput {
  manifest: ParsedManifest;
  /** Keyed by the path as written in the manifest. */
  files: Record<string, FileFact>;
  /** The CODEOWNERS that applies (from the base where there is one); undefined when the repo has none. */
  codeowners?: Codeowners;
  /** Eval results by eval name. */
  evals: Record<string, EvalLoad>;
  /**
   * The same system's manifest on the base (matched by `system` id, else by path): null when the
   * base has no such system, undefined when there is no base to compare with.
   */
  base?: { file: string; manifest: Partial<Manifest> } | null;
  /** Results of the base manifest's evals at the base, by the base's eval name; undefined: no base. */
  baseEvals?: Record<string, EvalLoad | undefined>;
  /** When an eval file was last committed, for formats that record no time (by eval name). */
  evalTimes?: Record<string, { time: string; source: string }>;
}

export interface GateContext {
  system: SystemInput;
  policy: Policy;
  stage: string;
  now: Date;
  trust: TrustEvidence;
  /** The commit under evaluation, for eval freshness. */
  headSha?: string;
  /** The bar this system is judged by (base and head merged, policy floors); set by evaluateSystem. */
  bar?: SystemBar;
}

/** What a system gate runs on: the context with its bar (gates read `ctx.bar`, never compute it). */
export interface SystemContext extends GateContext {
  bar: SystemBar;
}

/** What a repository gate runs on: facts about the whole repository, gathered before. */
export interface RepositoryContext {
  /** The policy as read (policy.integrity judges it). */
  policyInput: PolicyInput;
  /** Systems whose manifest loosens a bar of the base (kept until merge, SPEC §6). */
  loosened: readonly string[];
  /** Inventory findings; undefined when the scan could not run. */
  inventory?: InventoryFinding[];
  inventoryError?: string;
}

/** A repository gate the stage turns on runs under a valid policy and a branch rule's stage. */
export interface StagedRepositoryContext extends RepositoryContext {
  policy: Policy;
  stage: string;
}

export interface PolicyInput {
  /** Where it was read: `.github/lastmile-policy.yml@<base sha>`, `owner/repo/path@ref`, or `built-in`. */
  source: string;
  builtIn: boolean;
  parse: PolicyParse;
  /** The pull request's head changes the policy file (it applies only after merge). */
  changedInHead: boolean;
}
