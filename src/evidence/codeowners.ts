// GitHub CODEOWNERS: parsing and "who owns this path" — pure, no I/O.
//
// Semantics follow GitHub's "About code owners" documentation:
// - The file lives in `.github/`, the repository root or `docs/`; when several exist GitHub
//   uses the first one it finds in that order (`CODEOWNERS_LOCATIONS`).
// - Each line is a gitignore-style pattern followed by zero or more owners: `@user`,
//   `@org/team-name`, or an email address. A pattern with no owners means the matching paths
//   have no owner (the docs' `/apps/github` example).
// - Order matters: the LAST matching line wins; earlier matches are ignored entirely.
// - `#` starts a comment (a whole line, or a token that begins with `#` after the pattern).
// - gitignore features GitHub does not support: escaping a leading `#` with `\` so it is a
//   pattern, `!` negation, and `[ ]` character ranges. Such lines are reported in `errors`
//   and skipped, as GitHub skips lines with invalid syntax.
// - Brackets: "Using `[ ]` to define a character range" does not work (docs, "CODEOWNERS
//   syntax": https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-syntax).
//   An unescaped `[` or `]` is not read as a literal either: GitHub flags the line ("Invalid
//   pattern …: both `[` and `]` must be escaped with a `\`", reported for
//   `pages/s/[org]/[repo]/index.tsx` in open-sauced/pizza-cli#100) and ignores it. A path with
//   brackets, such as a Next.js route `app/[slug]/page.tsx`, is written `app/\[slug\]/page.tsx`,
//   and the escaped brackets match literally, here as on GitHub. `codeownersPattern` writes
//   such a line for any path.
// - Paths are case-sensitive (GitHub uses a case-sensitive file system); owner names are not.
//
// Pattern matching (gitignore rules as GitHub applies them):
// - A leading `/`, or a `/` anywhere but the end, anchors the pattern at the repository root;
//   otherwise the pattern matches a file or directory name at any depth (`logs`, `*.yml`).
// - A trailing `/` matches only a directory, i.e. everything beneath it (`apps/`).
// - A pattern that matches a directory also matches everything beneath it (`/docs`), except a
//   pattern whose last segment is a lone `*`: `docs/*` matches files directly in `docs/` and
//   not `docs/a/b.md` (GitHub's documented example).
// - `*` matches any run of characters except `/`; `?` one character except `/`; `**` as a
//   whole segment matches zero or more directories (`apps/**/lastmile.yml`, `**/logs`).
// - `\` escapes the next character (`\ ` for a space in a path, `\*`, `\#` inside a pattern).

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
}

export interface Codeowners {
  file: string;
  rules: CodeownersRule[];
  errors: { line: number; message: string }[];
}

/** Where GitHub looks for CODEOWNERS, in its search order: the first file found wins. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

const USER_RE = /^@[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/;
const TEAM_RE = /^@[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\/[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const EMAIL_RE = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

/** True when `token` is a syntactically valid CODEOWNERS owner. */
export function isValidOwner(token: string): boolean {
  return USER_RE.test(token) || TEAM_RE.test(token) || EMAIL_RE.test(token);
}

interface Token {
  raw: string;
  /** True when the token began with an unescaped `#` (a trailing comment). */
  comment: boolean;
}

/** Splits a line on unescaped whitespace; backslash escapes are kept in `raw`. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    const start = i;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '\\' && i + 1 < line.length) i += 2;
      else i++;
    }
    const raw = line.slice(start, i);
    tokens.push({ raw, comment: raw.startsWith('#') });
  }
  return tokens;
}

/** Validates a pattern; returns an error message, or undefined when GitHub accepts it. */
function patternError(pattern: string): string | undefined {
  if (pattern.startsWith('\\#')) {
    return "escaping a leading '#' with '\\' is not supported in CODEOWNERS (GitHub ignores this line)";
  }
  if (pattern.startsWith('!')) {
    return "negation with '!' is not supported in CODEOWNERS (GitHub ignores this line)";
  }
  let escaped = false;
  for (const ch of pattern) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (ch === '\\') {
      escaped = true;
      continue;
    }
    if (ch === '[' || ch === ']') {
      return "character ranges with '[ ]' are not supported in CODEOWNERS, and GitHub requires a bracket in a path to be escaped as '\\[' or '\\]' (GitHub ignores this line)";
    }
  }
  if (pattern.includes('***')) return "a pattern cannot contain '***'";
  if (/^\/+$/.test(pattern)) return "the pattern '/' never matches anything (did you mean '*'?)";
  return undefined;
}

export function parseCodeowners(text: string, file: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const errors: { line: number; message: string }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const tokens = tokenize(trimmed);
    const commentAt = tokens.findIndex((t) => t.comment);
    const significant = commentAt === -1 ? tokens : tokens.slice(0, commentAt);
    const [first, ...rest] = significant;
    if (first === undefined) return;
    const pattern = first.raw;
    const problem = patternError(pattern);
    if (problem !== undefined) {
      errors.push({ line, message: `${problem}: ${pattern}` });
      return;
    }
    const owners = rest.map((t) => t.raw);
    const badOwner = owners.find((o) => !isValidOwner(o));
    if (badOwner !== undefined) {
      errors.push({
        line,
        message: `invalid owner '${badOwner}' (expected @user, @org/team or an email address); GitHub ignores this line`,
      });
      return;
    }
    rules.push({ pattern, owners, line });
  });
  return { file, rules, errors };
}

const matcherCache = new Map<string, RegExp>();

function escapeRegExp(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates one path segment (not `**`) to a regular expression fragment. */
function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '\\' && i + 1 < segment.length) {
      out += escapeRegExp(segment[i + 1] as string);
      i++;
    } else if (ch === '*') {
      // `**` inside a segment (`a**b`) behaves like `*`, as in gitignore.
      while (segment[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else {
      out += escapeRegExp(ch);
    }
  }
  return out;
}

/**
 * The segments of a (valid) pattern, `**` first when it is not anchored (a slash at the start or
 * in the middle anchors it at the root), and whether it names only a directory (trailing `/`).
 */
function splitPattern(pattern: string): { dirOnly: boolean; segments: string[] } {
  const dirOnly = pattern.length > 1 && pattern.endsWith('/') && !pattern.endsWith('\\/');
  const body = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  const anchored = pattern.startsWith('/') || body.includes('/');
  const segments = body.split('/').filter((s) => s !== '');
  if (!anchored && segments[0] !== '**') segments.unshift('**');
  return { dirOnly, segments };
}

/**
 * Compiles a (valid) CODEOWNERS pattern to a regular expression over repo-relative paths: the
 * reference statement of the semantics. Matching uses the linear-time matcher below, which
 * agrees with it; a backtracking regular expression can take hours on a few wildcards.
 */
export function patternToRegExp(pattern: string): RegExp {
  const cached = matcherCache.get(pattern);
  if (cached) return cached;
  const { dirOnly, segments } = splitPattern(pattern);
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      source += last ? '.+' : '(?:.*/)?';
      return;
    }
    source += segmentSource(segment);
    if (!last) source += '/';
  });
  const lastSegment = segments[segments.length - 1];
  if (lastSegment !== '**') {
    if (dirOnly) source += '/.+';
    else if (lastSegment !== '*') source += '(?:/.*)?';
  }
  const re = new RegExp(`^${source}$`);
  matcherCache.set(pattern, re);
  return re;
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').replace(/\/{2,}/g, '/');
}

// Matching. `patternToRegExp` above states the semantics as a regular expression, but a
// backtracking engine takes polynomial time in the number of wildcards on a path that almost
// matches (`*a*a*a*a*a*a*a*a*b` against a 40-character name: seconds; `/**/**/**/**/**/**/x`
// against a 60-folder path: seconds; a few more wildcards: hours). Paths are matched instead by
// the greedy wildcard algorithm (backtrack to the last star only), applied twice: within a
// segment (`*` over characters) and over segments (`**` over folders). It runs in
// O(pattern × path) and agrees with the regular expression (test/fuzz/codeowners.fuzz.test.ts).

/** A token of one pattern segment: a literal character, `?` (one character) or `*` (any run). */
type SegmentToken = { kind: 'char'; ch: string } | { kind: 'one' } | { kind: 'any' };

/** What one step of a pattern matches: `**` (any number of segments), one segment, or any non-empty segment. */
type Unit = { kind: 'globstar' } | { kind: 'segment'; tokens: SegmentToken[] } | { kind: 'nonempty' };

const GLOBSTAR: Unit = { kind: 'globstar' };
const NONEMPTY: Unit = { kind: 'nonempty' };
const unitCache = new Map<string, Unit[]>();

function segmentTokens(segment: string): SegmentToken[] {
  const out: SegmentToken[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '\\' && i + 1 < segment.length) {
      out.push({ kind: 'char', ch: segment[i + 1] as string });
      i++;
    } else if (ch === '*') {
      while (segment[i + 1] === '*') i++;
      out.push({ kind: 'any' });
    } else if (ch === '?') {
      out.push({ kind: 'one' });
    } else {
      out.push({ kind: 'char', ch });
    }
  }
  return out;
}

/** The units of a (valid) pattern, with the same reading of `/`, `**` and a trailing `/` or `*` as {@link patternToRegExp}. */
function patternUnits(pattern: string): Unit[] {
  const cached = unitCache.get(pattern);
  if (cached) return cached;
  const { dirOnly, segments } = splitPattern(pattern);
  const units: Unit[] = segments.map((s) => (s === '**' ? GLOBSTAR : { kind: 'segment', tokens: segmentTokens(s) }));
  const last = segments[segments.length - 1];
  if (last === '**') units.splice(units.length - 1, 1, NONEMPTY, GLOBSTAR); // `.+`: something below
  else if (dirOnly) units.push(NONEMPTY, GLOBSTAR); // `/.+`: something below the directory
  else if (last !== '*') units.push(GLOBSTAR); // `(?:/.*)?`: the path itself, or anything below it
  unitCache.set(pattern, units);
  return units;
}

/**
 * Greedy wildcard matching of `items` against `pattern`: a star matches any run of items, and on
 * a mismatch only the last star takes one more item, so it runs in O(pattern × items). Used for
 * characters within a segment (`*`) and for segments within a path (`**`).
 */
function wildcardMatch<P, I>(pattern: readonly P[], items: ArrayLike<I>, isStar: (p: P) => boolean, matchesOne: (p: P, item: I) => boolean): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let starAt = 0;
  while (i < items.length) {
    const t = pattern[p];
    if (t !== undefined && !isStar(t) && matchesOne(t, items[i] as I)) {
      p++;
      i++;
    } else if (t !== undefined && isStar(t)) {
      star = p++;
      starAt = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++starAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && isStar(pattern[p] as P)) p++;
  return p === pattern.length;
}

const isAny = (t: SegmentToken): boolean => t.kind === 'any';
const charMatches = (t: SegmentToken, ch: string): boolean => t.kind === 'one' || (t.kind === 'char' && t.ch === ch);
const isGlobstar = (u: Unit): boolean => u.kind === 'globstar';
const segmentMatches = (u: Unit, seg: string): boolean => (u.kind === 'nonempty' ? seg.length > 0 : u.kind !== 'globstar' && wildcardMatch(u.tokens, seg, isAny, charMatches));

function matchesNormalized(pattern: string, target: string): boolean {
  return wildcardMatch(patternUnits(pattern), target.split('/'), isGlobstar, segmentMatches);
}

/** True when the CODEOWNERS `pattern` matches the repo-relative posix `path`. */
export function matchesPattern(pattern: string, path: string): boolean {
  return matchesNormalized(pattern, normalizePath(path));
}

/** What a CODEOWNERS pattern gives a meaning to: whitespace ends it, `#` may start a comment, the rest are wildcards or escapes. */
const PATTERN_SPECIAL = /[\\*?#[\]\s]/g;

/**
 * A CODEOWNERS pattern for exactly `path` (repo-relative, posix): the file, or with
 * `directory` everything below that folder (`''` is the whole repository: `*`). Anchored at the
 * root, with every character the syntax gives a meaning escaped, so GitHub accepts the line and
 * reads the path literally, as `matchesPattern` does: `/app/\[slug\]/`, `/src/My\ App/`.
 * Undefined for a path no CODEOWNERS line can hold (a line break in it).
 */
export function codeownersPattern(path: string, kind: 'file' | 'directory'): string | undefined {
  const clean = normalizePath(path).replace(/\/+$/, '');
  if (/[\r\n]/.test(clean)) return undefined;
  if (clean === '') return kind === 'directory' ? '*' : undefined;
  const escaped = clean.replace(PATTERN_SPECIAL, (ch) => `\\${ch}`);
  return kind === 'directory' ? `/${escaped}/` : `/${escaped}`;
}

/**
 * The owners of `path` (relative to the repository root, posix): those of the last matching
 * rule, or none. `rule` is that rule; an owner-less rule yields `owners: []` with the rule.
 */
export function ownersOf(co: Codeowners, path: string): { owners: string[]; rule?: CodeownersRule } {
  const target = normalizePath(path);
  for (let i = co.rules.length - 1; i >= 0; i--) {
    const rule = co.rules[i] as CodeownersRule;
    if (matchesNormalized(rule.pattern, target)) return { owners: [...rule.owners], rule };
  }
  return { owners: [] };
}

function normalizeOwner(owner: string): string {
  const trimmed = owner.trim().toLowerCase();
  if (trimmed === '') return trimmed;
  // Accept 'org/team' or 'user' without the '@' (but leave email addresses alone).
  return trimmed.startsWith('@') || trimmed.includes('@') ? trimmed : `@${trimmed}`;
}

/**
 * True when `owner` is among the owners of `path`. GitHub user, team and email names are
 * case-insensitive, so '@Acme/Support-ML' equals '@acme/support-ml'; a missing leading '@'
 * is tolerated ('acme/support-ml').
 */
export function ownsPath(co: Codeowners, owner: string, path: string): boolean {
  const wanted = normalizeOwner(owner);
  if (wanted === '') return false;
  return ownersOf(co, path).owners.some((o) => o.toLowerCase() === wanted);
}
