// Branch patterns as branch protection matches them: `*` stays inside one path segment,
// `**` crosses `/`; first matching rule wins.
import picomatch from 'picomatch';
import type { BranchRule } from './schema';

export function branchMatches(pattern: string, branch: string): boolean {
  if (!picomatch.isMatch(branch, pattern, { dot: true, nonegate: true })) return false;
  // picomatch lets `release/**` match `release` itself; branch protection does not.
  if (pattern.endsWith('/**')) {
    const prefix = pattern.slice(0, -3);
    if (!prefix.includes('*') && branch.length <= prefix.length + 1) return false;
  }
  return true;
}

export function ruleFor(rules: readonly BranchRule[], branch: string): BranchRule | undefined {
  return rules.find((r) => branchMatches(r.pattern, branch));
}
