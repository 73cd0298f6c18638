// The few git facts the action needs from the checked-out workspace.
import { execFileSync } from 'node:child_process';

/** A git command's output, or undefined when it fails (not a repository, no such ref). */
export function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

export function headSha(cwd: string): string | undefined {
  return git(cwd, ['rev-parse', 'HEAD'])?.trim() || undefined;
}

/** Files git tracks (not a walk of node_modules); undefined outside a git work tree. */
export function trackedFiles(cwd: string): string[] | undefined {
  const out = git(cwd, ['ls-files', '-z']);
  return out === undefined ? undefined : out.split('\0').filter(Boolean);
}

/** Commit time (ISO) of the last commit that touched a file. */
export function lastCommitTime(cwd: string, rel: string): string | undefined {
  return git(cwd, ['log', '-1', '--format=%cI', '--', rel])?.trim() || undefined;
}

/** A file at a ref, through `git show`; undefined when absent. */
export function showFile(cwd: string, ref: string, rel: string): string | undefined {
  return git(cwd, ['show', `${ref}:${rel}`]);
}

export function currentBranch(cwd: string): string | undefined {
  const b = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD'])?.trim();
  return b && b !== 'HEAD' ? b : undefined;
}

/** The remote's default branch as the local clone knows it (origin/HEAD), if it does. */
export function remoteDefaultBranch(cwd: string): string | undefined {
  const head = git(cwd, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'])?.trim();
  const prefix = 'refs/remotes/origin/';
  return head && head.startsWith(prefix) && head.length > prefix.length ? head.slice(prefix.length) : undefined;
}

/** Files of a ref's tree under the working directory, relative to it; undefined when git cannot tell. */
export function listFiles(cwd: string, ref: string): string[] | undefined {
  const out = git(cwd, ['ls-tree', '-r', '-z', '--name-only', ref, '--', '.']);
  return out === undefined ? undefined : out.split('\0').filter(Boolean);
}
