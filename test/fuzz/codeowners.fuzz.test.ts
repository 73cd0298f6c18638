// Fuzz: CODEOWNERS parsing and matching.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidOwner, matchesPattern, ownersOf, ownsPath, parseCodeowners, patternToRegExp } from '../../src/evidence/codeowners';
import { elapsed, lineCount, oddChar, params, timeout } from './fuzz';

const token = fc.oneof(
  fc.constantFrom('*', '**', '/', '?', '\\', '\\ ', '\\#', '#', '!', '[a-z]', '.', 'docs', 'src', 'lastmile.yml', '*.yml', 'apps/', '/apps/github', '**/logs', 'a**b', '***'),
  fc.constantFrom('@acme/support-ml', '@alice', 'dana@acme.com', '@', '@-bad', 'not-an-owner', '@acme/', '@Acme/Support-ML'),
  oddChar,
  fc.string({ maxLength: 6 }),
);
const line = fc.tuple(fc.array(token, { maxLength: 6 }), fc.constantFrom(' ', '\t', '  ')).map(([ts, sep]) => ts.join(sep));
const file = fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n'));
const path = fc.array(fc.oneof(fc.constantFrom('services', 'triage', 'lastmile.yml', 'docs', 'a b', '.github', 'x.yml'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 8 }).map((s) => s.join('/'));

describe('fuzz: CODEOWNERS', () => {
  it(
    'parsing never throws; rules and errors are on lines of the file; owners are valid; matching never throws',
    () => {
      fc.assert(
        fc.property(file, fc.array(path, { maxLength: 5 }), (text, paths) => {
          const co = parseCodeowners(text, '.github/CODEOWNERS');
          const lines = lineCount(text);
          const seen = new Set<number>();
          for (const r of co.rules) {
            expect(r.line >= 1 && r.line <= lines).toBe(true);
            expect(seen.has(r.line)).toBe(false);
            seen.add(r.line);
            expect(r.pattern).not.toBe('');
            for (const o of r.owners) expect(isValidOwner(o), o).toBe(true);
          }
          for (const e of co.errors) {
            expect(e.line >= 1 && e.line <= lines).toBe(true);
            expect(seen.has(e.line)).toBe(false); // a line is a rule or an error, not both
            expect(e.message).not.toBe('');
          }
          for (const p of paths) {
            const { owners, rule } = ownersOf(co, p);
            if (rule) expect(co.rules).toContain(rule);
            else expect(owners).toEqual([]);
            for (const o of owners) expect(ownsPath(co, o, p)).toBe(true);
            expect(ownsPath(co, '', p)).toBe(false);
          }
        }),
        params(500),
      );
    },
    timeout(),
  );

  // Patterns and paths over a small alphabet, so that the regular expression stays fast.
  const patternChar = fc.constantFrom('a', 'b', '*', '?', '/', '**', '.', '\\*', '\\a');
  const pattern = fc.array(patternChar, { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));
  const segment = fc.constantFrom('a', 'b', 'ab', 'ba', 'aa', '.a', '*', 'a*');
  const plainPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));

  it(
    'the linear-time matcher agrees with the regular expression that states the semantics',
    () => {
      fc.assert(
        fc.property(pattern, plainPath, (p, target) => {
          const co = parseCodeowners(`${p} @o`, 'CODEOWNERS');
          fc.pre(co.rules.length === 1);
          expect(matchesPattern(p, target), `${p} vs ${target}`).toBe(patternToRegExp(p).test(target));
        }),
        params(3000),
      );
    },
    timeout(),
  );

  it('matching takes linear time on patterns full of wildcards (a backtracking regular expression takes hours)', () => {
    const cases: [string, string][] = [
      ['*a'.repeat(40) + '*b', 'a'.repeat(5000)],
      ['/' + '**/'.repeat(40) + 'x', 'a/'.repeat(2000) + 'y'],
      ['/' + '**/a*/'.repeat(30) + 'z', 'a/'.repeat(2000) + 'y'],
      ['?*'.repeat(50), 'b'.repeat(49)],
    ];
    for (const [p, target] of cases) {
      const co = parseCodeowners(`${p} @o`, 'CODEOWNERS');
      expect(co.errors).toEqual([]);
      let owners: string[] = [];
      const ms = elapsed(() => {
        owners = ownersOf(co, target).owners;
      });
      expect(ms, `${p.slice(0, 20)}… took ${Math.round(ms)} ms`).toBeLessThan(200);
      expect(owners).toEqual([]);
    }
  });
});
