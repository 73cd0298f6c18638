// Finds the policy that judges this run: a central policy (`owner/repo/path@ref`), the base
// branch's file, or the built-in default. Never the pull request's own copy.
import { parsePolicy } from '../config/policy/parse';
import type { PolicyParse } from '../config/policy/parse';
import { defaultPolicy } from '../config/policy/default';
import type { Workspace } from './workspace';
import type { BaseReader } from './systems';

export interface LoadedPolicy {
  source: string;
  builtIn: boolean;
  parse: PolicyParse;
  changedInHead: boolean;
  /** The policy's text, for its digest in the attestation; absent for the built-in default. */
  text?: string;
  /** Reads that failed: fail closed. */
  errors: string[];
}

const CENTRAL = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/(.+)@([^@]+)$/;

export function parseCentral(input: string): { owner: string; repo: string; path: string; ref: string } | undefined {
  const m = CENTRAL.exec(input.trim());
  return m ? { owner: m[1]!, repo: m[2]!, path: m[3]!, ref: m[4]! } : undefined;
}

/** What a central policy's `@ref` is checked against: refs the pull request could control. */
export interface CentralRefContext {
  /** The evaluated repository's name (its owner is `repositoryOwner`). */
  repositoryName?: string;
  /** The branch whose rule applies: for a pull request, its base branch. */
  baseBranch?: string;
  /** The pull request's head commit and branch, for a precise refusal. */
  headSha?: string;
  headRef?: string;
}

const SHA_LIKE = /^[0-9a-f]{7,40}$/i;

/**
 * Why a central policy's ref is refused (SPEC §6), or undefined when it is acceptable: a
 * branch or tag name of another repository, or, in this repository, the base branch itself.
 * Anything else could hold a policy the pull request wrote.
 */
export function centralRefProblem(central: { owner: string; repo: string; path: string; ref: string }, o: CentralRefContext & { repositoryOwner?: string }): string | undefined {
  const { ref } = central;
  const sameRepo =
    o.repositoryOwner !== undefined &&
    o.repositoryName !== undefined &&
    central.owner.toLowerCase() === o.repositoryOwner.toLowerCase() &&
    central.repo.toLowerCase() === o.repositoryName.toLowerCase();
  const branch = ref.replace(/^refs\/heads\//, '');
  if (sameRepo && o.baseBranch !== undefined && branch === o.baseBranch) return undefined;
  const refused = (why: string): string =>
    `the input policy: ${central.owner}/${central.repo}/${central.path}@${ref} is refused: ${why}. A central policy must be read at a branch or tag name of another repository${o.baseBranch ? `, or, in this repository, at the base branch ${o.baseBranch}` : ''}`;
  if (o.headSha && ref.toLowerCase() === o.headSha.toLowerCase()) return refused("the ref is the pull request's head commit, whose policy the pull request wrote");
  // A commit pushed to any fork is served by SHA through the repository it forks: a SHA names
  // content its author may control, wherever it points.
  if (SHA_LIKE.test(ref)) return refused(`the ref is a commit SHA, not a branch or tag name: a commit pushed to any fork of ${central.owner}/${central.repo} can be read through it by SHA`);
  if (/^(?:refs\/)?pull\//i.test(ref)) return refused("the ref is a pull request's ref, which its author controls");
  if (!sameRepo) return undefined;
  if (o.headRef && branch === o.headRef.replace(/^refs\/heads\//, '')) return refused("the ref is the pull request's head branch, which the pull request controls");
  if (/^refs\/tags\//.test(ref)) return refused('the ref is a tag of this repository, which anyone who can push to it can create or move');
  return refused(
    o.baseBranch
      ? `in this repository only the base branch (${o.baseBranch}) is accepted: another branch or a tag of this repository may be one the pull request's author pushed`
      : 'the base branch of this run is unknown, so no ref of this repository can be told apart from one the pull request controls',
  );
}

export async function loadPolicy(o: {
  input: string;
  explicit: boolean;
  defaultBranch: string;
  base?: BaseReader;
  workspace: Workspace;
  central?: (owner: string, repo: string, path: string, ref: string) => Promise<string | undefined>;
  /** The evaluated repository's owner: a central policy must belong to it. */
  repositoryOwner?: string;
} & CentralRefContext): Promise<LoadedPolicy> {
  const builtIn = (note?: string): LoadedPolicy => ({
    source: 'built-in default',
    builtIn: true,
    parse: { ok: true, policy: defaultPolicy(o.defaultBranch), document: { version: 1 } },
    changedInHead: false,
    errors: note ? [note] : [],
  });
  const failed = (source: string, message: string): LoadedPolicy => ({
    source,
    builtIn: false,
    parse: { ok: false, errors: [] },
    changedInHead: false,
    errors: [message],
  });
  const central = parseCentral(o.input);
  if (central) {
    const source = `${central.owner}/${central.repo}/${central.path}@${central.ref}`;
    if (!o.central) return failed(source, `a central policy (${source}) needs the GitHub API`);
    // A pull request can edit its workflow's inputs; it must not be able to name a policy of its own.
    if (o.repositoryOwner && central.owner.toLowerCase() !== o.repositoryOwner.toLowerCase()) {
      return failed(source, `the central policy ${source} is outside this repository's owner (${o.repositoryOwner}): a central policy must live in the same organisation`);
    }
    const refused = centralRefProblem(central, o);
    if (refused) return failed(source, refused);
    let text: string | undefined;
    try {
      text = await o.central(central.owner, central.repo, central.path, central.ref);
    } catch (err) {
      return failed(source, `could not read the central policy ${source}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (text === undefined) return failed(source, `the central policy ${source} does not exist (or the token cannot read that repository)`);
    return { source, builtIn: false, parse: parsePolicy(text, source, o.defaultBranch), changedInHead: false, text, errors: [] };
  }
  const head = o.workspace.readText(o.input);
  if (head.problem && !o.base) return failed(o.input, `the policy ${o.input} ${head.problem}`);
  let text: string | undefined;
  let source = o.input;
  if (o.base) {
    source = `${o.input}@${o.base.label}`;
    try {
      text = await o.base.read(o.input);
    } catch (err) {
      return failed(source, `could not read the policy at the ${o.base.label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    text = head.text;
  }
  const changedInHead = o.base !== undefined && (head.text ?? '') !== (text ?? '');
  if (text === undefined) {
    if (o.explicit) return { ...failed(source, `the policy ${source} does not exist`), changedInHead };
    return { ...builtIn(), changedInHead };
  }
  return { source, builtIn: false, parse: parsePolicy(text, o.input, o.defaultBranch), changedInHead, text, errors: [] };
}
