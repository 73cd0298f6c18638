// Finds the policy that judges this run: a central policy (`owner/repo/path@ref`), the base
// branch's file, or the built-in default. Never the pull request's own copy.
import { parsePolicy } from '../policy/parse';
import type { PolicyParse } from '../policy/parse';
import { defaultPolicy } from '../policy/default';
import type { Workspace } from '../workspace/files';
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

export async function loadPolicy(o: {
  input: string;
  explicit: boolean;
  defaultBranch: string;
  base?: BaseReader;
  workspace: Workspace;
  central?: (owner: string, repo: string, path: string, ref: string) => Promise<string | undefined>;
  /** The evaluated repository's owner: a central policy must belong to it. */
  repositoryOwner?: string;
}): Promise<LoadedPolicy> {
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
