// Brackets in CODEOWNERS (issue #15): GitHub has no `[ ]` character ranges and refuses an
// unescaped bracket ("both `[` and `]` must be escaped with a `\`"); escaped brackets match
// literally, as Next.js routes (`app/[slug]/page.tsx`) need. And the line the ownership gate
// suggests is one this matcher (and GitHub) accepts and that owns the manifest.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeownersPattern, matchesPattern, ownersOf, ownsPath, parseCodeowners, patternToRegExp } from '../../src/evidence/codeowners';
import { ownership } from '../../src/core/gates/ownership';
import { makeContext } from '../helpers/context';

describe('brackets in patterns', () => {
  it('escaped brackets match literally: Next.js dynamic routes', () => {
    const co = parseCodeowners(
      ['* @acme/web', '/app/\\[slug\\]/ @acme/content', 'pages/users/\\[userId\\].js @acme/users', '/app/\\[\\[...all\\]\\]/page.tsx @acme/catch-all'].join('\n'),
      'CODEOWNERS',
    );
    expect(co.errors).toEqual([]);
    expect(ownersOf(co, 'app/[slug]/page.tsx').owners).toEqual(['@acme/content']);
    expect(ownersOf(co, 'app/[slug]/edit/page.tsx').owners).toEqual(['@acme/content']);
    expect(ownersOf(co, 'pages/users/[userId].js').owners).toEqual(['@acme/users']);
    expect(ownersOf(co, 'web/pages/users/[userId].js').owners).toEqual(['@acme/web']); // a middle slash anchors at the root
    expect(ownersOf(co, 'app/[[...all]]/page.tsx').owners).toEqual(['@acme/catch-all']);
    // Literal, not a character class: `[slug]` is not one of s, l, u, g.
    expect(ownersOf(co, 'app/s/page.tsx').owners).toEqual(['@acme/web']);
    expect(ownersOf(co, 'pages/users/u.js').owners).toEqual(['@acme/web']);
  });

  it('an unescaped bracket is refused, as GitHub refuses it, with how to write it', () => {
    const co = parseCodeowners('* @acme/web\n/app/[slug]/ @acme/content\npages/users/[userId].js @acme/users\napp/a]b @x\n', 'CODEOWNERS');
    expect(co.rules.map((r) => r.line)).toEqual([1]);
    expect(co.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(co.errors[0]!.message).toMatch(/character ranges/);
    expect(co.errors[0]!.message).toContain("escaped as '\\[' or '\\]'");
    expect(ownersOf(co, 'app/[slug]/page.tsx').owners).toEqual(['@acme/web']);
  });
});

describe('codeownersPattern', () => {
  it.each([
    ['app/[slug]', 'directory', '/app/\\[slug\\]/'],
    ['app/[slug]/', 'directory', '/app/\\[slug\\]/'],
    ['src/My App', 'directory', '/src/My\\ App/'],
    ['services/triage', 'directory', '/services/triage/'],
    ['lastmile.yml', 'file', '/lastmile.yml'],
    ['[id]/lastmile.yml', 'file', '/\\[id\\]/lastmile.yml'],
    ['a/*/b?/#c', 'directory', '/a/\\*/b\\?/\\#c/'],
    ['', 'directory', '*'],
  ] as const)('%s (%s) → %s', (path, kind, pattern) => {
    expect(codeownersPattern(path, kind)).toBe(pattern);
  });

  it('no pattern for a path no CODEOWNERS line can hold', () => {
    expect(codeownersPattern('a\nb', 'directory')).toBeUndefined();
    expect(codeownersPattern('', 'file')).toBeUndefined();
  });

  // Round trip: the suggested line parses without error and owns the manifest, and only what
  // lies under that folder (a sibling with the same characters unescaped-looking is not owned).
  const segment = fc
    .array(fc.constantFrom('a', 'b', 's', '[', ']', '*', '?', '#', '!', ' ', '\t', '.', '-', '(', ')', '+', '@', '{', '}', 'é', '**', '[slug]', '[[...x]]'), { minLength: 1, maxLength: 6 })
    .map((xs) => xs.join(''))
    .filter((s) => s.trim() !== '' && s !== '.' && s !== '..');
  const dir = fc.array(segment, { minLength: 1, maxLength: 4 }).map((xs) => xs.join('/'));

  it('the suggested line is accepted and owns the manifest below it, and nothing beside it (property)', () => {
    fc.assert(
      fc.property(dir, segment, (d, other) => {
        const pattern = codeownersPattern(d, 'directory')!;
        const co = parseCodeowners(`* @acme/platform\n${pattern} @acme/support-ml\n`, 'CODEOWNERS');
        expect(co.errors).toEqual([]);
        expect(co.rules).toHaveLength(2);
        const manifest = `${d}/lastmile.yml`;
        expect(ownsPath(co, '@acme/support-ml', manifest)).toBe(true);
        expect(patternToRegExp(pattern).test(manifest)).toBe(true); // the reference semantics agree
        const beside = `${other}/lastmile.yml`;
        if (!beside.startsWith(`${d}/`)) expect(matchesPattern(pattern, beside)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a file pattern owns exactly that file (property)', () => {
    fc.assert(
      fc.property(dir, segment, (d, name) => {
        const file = `${d}/${name}`;
        const pattern = codeownersPattern(file, 'file')!;
        const co = parseCodeowners(`${pattern} @acme/support-ml\n`, 'CODEOWNERS');
        expect(co.errors).toEqual([]);
        expect(ownsPath(co, '@acme/support-ml', file)).toBe(true);
        expect(ownsPath(co, '@acme/support-ml', `${d}/x${name}`)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the ownership gate on a manifest in a bracketed folder', () => {
  const ctx = (co: string) => makeContext({ manifestFile: 'app/[slug]/lastmile.yml', codeowners: co });

  it('passes when an escaped rule gives the folder to the team', () => {
    expect(ownership(ctx('* @acme/platform\n/app/\\[slug\\]/ @acme/support-ml\n')).outcome).toBe('pass');
  });

  it('fails when the rule is unescaped (GitHub ignores that line too)', () => {
    expect(ownership(ctx('* @acme/platform\n/app/[slug]/ @acme/support-ml\n')).outcome).toBe('fail');
  });

  // The fix hint (src/core/gates/ownership.ts) is built with codeownersPattern: for this manifest
  // `/app/\\[slug\\]/`, not `/app/[slug]/`, a line GitHub and this matcher refuse.
  it('the suggested line is accepted and makes the gate pass', () => {
    const failing = ownership(ctx('* @acme/platform\n'));
    const rule = /`([^`]+)`/.exec(failing.fix ?? '')![1]!;
    expect(parseCodeowners(`* @acme/platform\n${rule}\n`, 'CODEOWNERS').errors).toEqual([]);
    expect(ownership(ctx(`* @acme/platform\n${rule}\n`)).outcome).toBe('pass');
  });
});
