import { describe, expect, it } from 'vitest';
import { branchMatches, ruleFor } from '../../src/config/policy/branches';
import { defaultPolicy } from '../../src/config/policy/default';
import type { BranchRule } from '../../src/config/policy/schema';

describe('branchMatches', () => {
  it.each([
    ['release/**', 'release/1.0', true],
    ['release/**', 'release/1.0/hotfix', true],
    ['release/**', 'release', false],
    ['release/**', 'release/', false],
    ['release/**', 'releases/1.0', false],
    ['release/**', 'pre-release/1.0', false],
    ['main', 'main', true],
    ['main', 'mainline', false],
    ['main', 'feature/main', false],
    ['*', 'main', true],
    ['*', 'a/b', false],
    ['feature/*', 'feature/login', true],
    ['feature/*', 'feature/login/v2', false],
    ['feature/*', 'feature', false],
    ['**', 'main', true],
    ['**', 'a/b/c', true],
    ['release-*', 'release-2026', true],
    ['release-*', 'release/2026', false],
    ['v[0-9]*', 'v2', true],
    ['**/hotfix', 'release/1.0/hotfix', true],
  ])('%s vs %s → %s', (pattern, branch, expected) => {
    expect(branchMatches(pattern, branch)).toBe(expected);
  });

  it('does not treat a leading ! as negation', () => {
    expect(branchMatches('!main', 'feature')).toBe(false);
  });
});

describe('ruleFor', () => {
  const rules: BranchRule[] = [
    { pattern: 'release/**', stage: 'production', enforce: 'block' },
    { pattern: 'release/1.0/*', stage: 'staging', enforce: 'warn' },
    { pattern: 'main', stage: 'staging', enforce: 'warn' },
    { pattern: '**', stage: 'pilot', enforce: 'warn' },
  ];

  it('first match wins, even when a later rule is more specific', () => {
    expect(ruleFor(rules, 'release/1.0/hotfix')).toBe(rules[0]);
    expect(ruleFor(rules, 'release/2.0')).toBe(rules[0]);
  });

  it('falls through to later rules', () => {
    expect(ruleFor(rules, 'main')).toBe(rules[2]);
    expect(ruleFor(rules, 'mainline')).toBe(rules[3]);
    expect(ruleFor(rules, 'release')).toBe(rules[3]);
  });

  it('returns undefined when nothing matches', () => {
    expect(ruleFor(rules.slice(0, 3), 'feature/x')).toBeUndefined();
    expect(ruleFor([], 'main')).toBeUndefined();
  });

  it('the default policy blocks release/**, warns on the default branch and everywhere else', () => {
    const d = defaultPolicy('main').branches;
    expect(ruleFor(d, 'release/1.0')).toEqual({ pattern: 'release/**', stage: 'production', enforce: 'block' });
    expect(ruleFor(d, 'main')).toEqual({ pattern: 'main', stage: 'staging', enforce: 'warn' });
    expect(ruleFor(d, 'feature/a/b')).toEqual({ pattern: '**', stage: 'pilot', enforce: 'warn' });
  });
});
