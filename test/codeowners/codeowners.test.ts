import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CODEOWNERS_LOCATIONS,
  isValidOwner,
  matchesPattern,
  ownersOf,
  ownsPath,
  parseCodeowners,
} from '../../src/evidence/codeowners';

// pattern → { path: expected match }
const TABLE: Record<string, Record<string, boolean>> = {
  '*': {
    'README.md': true,
    'src/index.ts': true,
    'a/b/c/d.txt': true,
    '.github/workflows/ci.yml': true,
  },
  '*.yml': {
    'lastmile.yml': true,
    'apps/triage/lastmile.yml': true,
    'lastmile.yaml': false,
    'yml': false,
    'config.yml.bak': false,
    // a directory named x.yml: everything beneath it matches
    'weird.yml/inner.txt': true,
  },
  '*.js': {
    'a.js': true,
    'deep/nested/b.js': true,
    'a.jsx': false,
    'a.ts': false,
  },
  '/build/logs/': {
    'build/logs/a.log': true,
    'build/logs/deep/b.log': true,
    'build/logs': false,
    'x/build/logs/a.log': false,
    'build/logsx/a.log': false,
  },
  'docs/*': {
    'docs/getting-started.md': true,
    'docs/build-app/troubleshooting.md': false,
    'docs/a/b': false,
    'docs': false,
    'x/docs/a.md': false,
  },
  '/docs/': {
    'docs/a.md': true,
    'docs/a/b/c.md': true,
    'x/docs/a.md': false,
    docs: false,
  },
  'apps/': {
    'apps/a.ts': true,
    'apps/x/y/z.ts': true,
    'src/apps/a.ts': true,
    'x/y/apps/z/w.ts': true,
    apps: false,
    'myapps/a.ts': false,
    'apps.ts': false,
  },
  '/apps': {
    apps: true,
    'apps/github/x.ts': true,
    'src/apps/a.ts': false,
    'appsx/a.ts': false,
  },
  '/apps/github': {
    'apps/github': true,
    'apps/github/workflows/ci.yml': true,
    'apps/githubx': false,
    'x/apps/github/a': false,
  },
  logs: {
    logs: true,
    'logs/a.txt': true,
    'build/logs': true,
    'build/logs/a.txt': true,
    'logs.txt': false,
    'build/mylogs/a': false,
  },
  '**/logs': {
    logs: true,
    'logs/a': true,
    'deep/dir/logs/x.log': true,
    'deep/dir/logsx/x.log': false,
  },
  'apps/**/lastmile.yml': {
    'apps/lastmile.yml': true,
    'apps/triage/lastmile.yml': true,
    'apps/a/b/c/lastmile.yml': true,
    'apps/triage/lastmile.yaml': false,
    'x/apps/triage/lastmile.yml': false,
    'apps/triage/not-lastmile.yml': false,
  },
  'src/**': {
    'src/a.ts': true,
    'src/a/b/c.ts': true,
    src: false,
    'x/src/a.ts': false,
  },
  '/*': {
    'README.md': true,
    '.gitignore': true,
    'src/index.ts': false,
  },
  '/*/': {
    'src/index.ts': true,
    'a/b/c': true,
    'README.md': false,
  },
  'src/*.ts': {
    'src/a.ts': true,
    'src/a/b.ts': false,
    'x/src/a.ts': false,
  },
  'foo/*/baz': {
    'foo/bar/baz': true,
    'foo/bar/baz/qux': true,
    'foo/baz': false,
    'foo/a/b/baz': false,
  },
  'f?o': {
    foo: true,
    fao: true,
    fo: false,
    fooo: false,
    'f/o': false,
  },
  'f\\*o': {
    'f*o': true,
    foo: false,
  },
  '/src/System\\ Application/App': {
    'src/System Application/App/x.al': true,
    'src/SystemApplication/App/x.al': false,
  },
  'docs/\\#notes.md': {
    'docs/#notes.md': true,
    'docs/notes.md': false,
  },
  'Makefile': {
    Makefile: true,
    'sub/Makefile': true,
    makefile: false, // paths are case-sensitive
  },
  'a.b': {
    'a.b': true,
    axb: false, // '.' is literal
  },
};

describe('pattern matching', () => {
  for (const [pattern, paths] of Object.entries(TABLE)) {
    for (const [path, expected] of Object.entries(paths)) {
      it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
        expect(matchesPattern(pattern, path)).toBe(expected);
      });
    }
  }

  it('normalises leading ./ and / on the queried path', () => {
    expect(matchesPattern('/apps/', './apps/x.ts')).toBe(true);
    expect(matchesPattern('/apps/', '/apps/x.ts')).toBe(true);
  });

  it('a lone * never crosses a slash when anchored (property)', () => {
    const seg = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(seg, seg, seg, (a, b, c) => {
        expect(matchesPattern(`/${a}/*`, `${a}/${b}`)).toBe(true);
        expect(matchesPattern(`/${a}/*`, `${a}/${b}/${c}`)).toBe(false);
        expect(matchesPattern(`/${a}/**`, `${a}/${b}/${c}`)).toBe(true);
      }),
    );
  });
});

const GITHUB_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

*       @global-owner1 @global-owner2
*.js    @js-owner
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
`;

describe('parseCodeowners', () => {
  it("parses GitHub's documented example", () => {
    const co = parseCodeowners(GITHUB_EXAMPLE, '.github/CODEOWNERS');
    expect(co.file).toBe('.github/CODEOWNERS');
    expect(co.errors).toEqual([]);
    expect(co.rules).toHaveLength(12);
    expect(co.rules[0]).toEqual({ pattern: '*', owners: ['@global-owner1', '@global-owner2'], line: 4 });
    expect(co.rules.at(-1)).toEqual({ pattern: '/apps/github', owners: [], line: 15 });
  });

  it('applies last-match-wins on the documented example', () => {
    const co = parseCodeowners(GITHUB_EXAMPLE, 'CODEOWNERS');
    expect(ownersOf(co, 'README.md').owners).toEqual(['@global-owner1', '@global-owner2']);
    expect(ownersOf(co, 'src/app.js').owners).toEqual(['@js-owner']);
    expect(ownersOf(co, 'main.go').owners).toEqual(['docs@example.com']);
    expect(ownersOf(co, 'notes.txt').owners).toEqual(['@octo-org/octocats']);
    // docs/* then /docs/ later: /docs/ wins for both direct and nested files
    expect(ownersOf(co, 'docs/getting-started.md').owners).toEqual(['@doctocat']);
    expect(ownersOf(co, 'docs/build-app/troubleshooting.md').owners).toEqual(['@doctocat']);
    expect(ownersOf(co, 'scripts/deploy.sh').owners).toEqual(['@doctocat', '@octocat']);
    expect(ownersOf(co, 'build/logs/out.log').owners).toEqual(['@octocat']); // **/logs is later
    expect(ownersOf(co, 'apps/web/index.js').owners).toEqual(['@octocat']); // /apps/ beats *.js
  });

  it('an owner-less line leaves the matching paths with no owners', () => {
    const co = parseCodeowners(GITHUB_EXAMPLE, 'CODEOWNERS');
    const result = ownersOf(co, 'apps/github/workflow.yml');
    expect(result.owners).toEqual([]);
    expect(result.rule).toEqual({ pattern: '/apps/github', owners: [], line: 15 });
    expect(ownsPath(co, '@octocat', 'apps/github/workflow.yml')).toBe(false);
    expect(ownsPath(co, '@octocat', 'apps/other/workflow.yml')).toBe(true);
  });

  it('returns no rule when nothing matches', () => {
    const co = parseCodeowners('/src/ @a\n', 'CODEOWNERS');
    expect(ownersOf(co, 'README.md')).toEqual({ owners: [] });
  });

  it('last match wins even when an earlier rule is more specific', () => {
    const co = parseCodeowners(
      ['apps/triage/lastmile.yml @acme/triage', 'apps/** @acme/platform'].join('\n'),
      'CODEOWNERS',
    );
    expect(ownersOf(co, 'apps/triage/lastmile.yml').owners).toEqual(['@acme/platform']);
    expect(ownersOf(co, 'apps/triage/lastmile.yml').rule?.line).toBe(2);
  });

  it('handles comments, blank lines, indentation, CRLF and a BOM', () => {
    const text = '\uFEFF# header\r\n\r\n   # indented comment\r\n  /src/   @a   @b  # trailing comment\r\n\t\r\n';
    const co = parseCodeowners(text, 'CODEOWNERS');
    expect(co.errors).toEqual([]);
    expect(co.rules).toEqual([{ pattern: '/src/', owners: ['@a', '@b'], line: 4 }]);
  });

  it('a trailing comment right after the pattern leaves the pattern owner-less', () => {
    const co = parseCodeowners('/vendor/ # nobody owns vendored code\n', 'CODEOWNERS');
    expect(co.rules).toEqual([{ pattern: '/vendor/', owners: [], line: 1 }]);
  });

  it('keeps escaped spaces and escaped # inside a pattern', () => {
    const co = parseCodeowners('/src/System\\ Application/ @ms/team\ndocs/\\#notes.md @writer\n', 'CODEOWNERS');
    expect(co.errors).toEqual([]);
    expect(co.rules.map((r) => r.pattern)).toEqual(['/src/System\\ Application/', 'docs/\\#notes.md']);
    expect(ownersOf(co, 'src/System Application/x.al').owners).toEqual(['@ms/team']);
    expect(ownersOf(co, 'docs/#notes.md').owners).toEqual(['@writer']);
  });

  it('reports and skips lines GitHub does not support', () => {
    const text = [
      '* @default', // 1
      '\\#hash.md @a', // 2: escaping a leading # does not work on GitHub
      '!/apps/ @b', // 3: negation
      'Python/ceval*.[ch] @c', // 4: character range
      '[Section] @d', // 5: GitLab section header
      '/ @e', // 6: never matches
      'src/ @f', // 7: fine
      'a***b @g', // 8
    ].join('\n');
    const co = parseCodeowners(text, 'CODEOWNERS');
    expect(co.rules.map((r) => r.line)).toEqual([1, 7]);
    expect(co.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(co.errors[0]?.message).toMatch(/escaping a leading '#'/);
    expect(co.errors[1]?.message).toMatch(/negation/);
    expect(co.errors[2]?.message).toMatch(/character ranges/);
    expect(co.errors[4]?.message).toMatch(/never matches/);
    // the skipped negation does not un-own anything
    expect(ownersOf(co, 'apps/x.ts').owners).toEqual(['@default']);
  });

  it('reports invalid owners and skips the line', () => {
    const co = parseCodeowners('* @good\n/src/ acme/team @ok\n/lib/ @org/team/extra\n', 'CODEOWNERS');
    expect(co.rules.map((r) => r.line)).toEqual([1]);
    expect(co.errors).toEqual([
      { line: 2, message: expect.stringContaining("invalid owner 'acme/team'") },
      { line: 3, message: expect.stringContaining("invalid owner '@org/team/extra'") },
    ]);
    expect(ownersOf(co, 'src/a.ts').owners).toEqual(['@good']);
  });
});

describe('owners', () => {
  it.each([
    ['@octocat', true],
    ['@octo-org/octocats', true],
    ['@Acme/Support-ML', true],
    ['@emu_user_acme', true],
    ['@org/team.name', true],
    ['user@example.com', true],
    ['first.last+tag@sub.example.co.uk', true],
    ['octocat', false],
    ['@', false],
    ['@org/', false],
    ['@-bad', false],
    ['not-an-email@', false],
    ['@org/team/sub', false],
  ])('isValidOwner(%s) = %s', (owner, valid) => {
    expect(isValidOwner(owner)).toBe(valid);
  });

  it('ownsPath compares owners case-insensitively', () => {
    const co = parseCodeowners('apps/triage/ @Acme/Support-ML Jane.Doe@Example.com\n', 'CODEOWNERS');
    expect(ownsPath(co, '@acme/support-ml', 'apps/triage/lastmile.yml')).toBe(true);
    expect(ownsPath(co, '@ACME/SUPPORT-ML', 'apps/triage/lastmile.yml')).toBe(true);
    expect(ownsPath(co, 'acme/support-ml', 'apps/triage/lastmile.yml')).toBe(true); // '@' optional
    expect(ownsPath(co, 'jane.doe@example.com', 'apps/triage/lastmile.yml')).toBe(true);
    expect(ownsPath(co, '@acme/support', 'apps/triage/lastmile.yml')).toBe(false);
    expect(ownsPath(co, '@acme/support-ml', 'apps/other/lastmile.yml')).toBe(false);
    expect(ownsPath(co, '', 'apps/triage/lastmile.yml')).toBe(false);
  });

  it('ownsPath follows the last matching rule only', () => {
    const co = parseCodeowners('apps/ @acme/support-ml\napps/triage/ @acme/platform\n', 'CODEOWNERS');
    expect(ownsPath(co, '@acme/support-ml', 'apps/triage/lastmile.yml')).toBe(false);
    expect(ownsPath(co, '@acme/platform', 'apps/triage/lastmile.yml')).toBe(true);
  });
});

describe('CODEOWNERS_LOCATIONS', () => {
  it("is GitHub's search order", () => {
    expect(CODEOWNERS_LOCATIONS).toEqual(['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']);
  });
});
