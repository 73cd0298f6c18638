/**
 * URL-style dependency specs: what a dependency installs when its version is a place rather than
 * a range. An SDK can be pulled in under any name from its repository (`"x": "github:openai/openai-node"`,
 * `"openai": "git+https://github.com/openai/openai-node.git"`, `foo @ git+https://github.com/openai/openai-python`)
 * or from an archive (`https://…/openai-4.0.0.tgz`, a wheel): the inventory must see through both.
 */
import type { Ecosystem } from './types';

/** What a spec points at: a GitHub repository (`owner/name`, lower case), an archive's package name. */
export interface SpecTarget {
  repo?: string;
  archiveName?: string;
}

const GITHUB_HOSTS = new Set(['github.com', 'www.github.com', 'codeload.github.com']);
const ARCHIVE = /\.(?:tgz|tar\.gz|tar\.bz2|tar\.xz|tbz2|tar|zip|whl)$/i;
/** An npm `owner/repo` GitHub shorthand, optionally with `#ref` (segments never start with `.`). */
const NPM_SHORTHAND = /^([A-Za-z0-9_-][A-Za-z0-9_.-]*)\/([A-Za-z0-9_-][A-Za-z0-9_.-]*)(?:#.*)?$/;

function repoOf(owner: string | undefined, name: string | undefined): string | undefined {
  if (!owner || !name) return undefined;
  // pip's VCS form pins a ref after the name: `…/openai-python.git@v1.0` (a name has no `@`).
  const repo = name.replace(/@.*$/, '').replace(/\.git$/i, '');
  return repo === '' ? undefined : `${owner}/${repo}`.toLowerCase();
}

/** `openai-4.0.0.tgz` → `openai`; `openai-1.2.3-py3-none-any.whl` → `openai`; npm's scoped registry path → `@scope/name`. */
function archiveName(segments: readonly string[]): string | undefined {
  const file = segments[segments.length - 1] ?? '';
  if (!ARCHIVE.test(file)) return undefined;
  // npm registry: /@scope/name/-/name-1.0.0.tgz and /name/-/name-1.0.0.tgz
  const dash = segments.lastIndexOf('-');
  if (dash >= 1 && dash === segments.length - 2) {
    const name = segments[dash - 1]!;
    const scope = segments[dash - 2];
    return scope?.startsWith('@') ? `${scope}/${name}` : name;
  }
  const stem = file.replace(ARCHIVE, '');
  if (/\.whl$/i.test(file)) return stem.split('-')[0] || undefined;
  // name-1.2.3, name-v1.2.3, name_1.2.3 (sdists): the name ends before the version.
  const m = /^(.+?)[-_]v?\d[\w.+-]*$/.exec(stem);
  const name = m?.[1] ?? stem;
  // A GitHub archive is named by its tag (`v4.0.0.tar.gz`): no package name there.
  return name === '' || /^v?\d/.test(name) ? undefined : name;
}

/**
 * The target of a spec, or undefined when it is a plain version range, a tag or a local path.
 * `ecosystem` decides whether `owner/repo` alone means GitHub (npm's shorthand).
 */
export function specTarget(spec: string, ecosystem: Ecosystem): SpecTarget | undefined {
  let s = spec.trim();
  if (s === '') return undefined;
  const github = /^github:([^/#\s]+)\/([^#\s]+)/i.exec(s);
  if (github) return { repo: repoOf(github[1], github[2])! };
  if (ecosystem === 'npm') {
    const short = NPM_SHORTHAND.exec(s);
    if (short) return { repo: repoOf(short[1], short[2])! };
  }
  s = s.replace(/^(?:git|hg|svn|bzr)\+/i, '');
  // scp-like: git@github.com:owner/repo.git
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)([^/\s]+)\/([^/#\s]+)/.exec(s);
  if (scp) return GITHUB_HOSTS.has(scp[1]!.toLowerCase()) ? { repo: repoOf(scp[2], scp[3])! } : undefined;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s)) return undefined;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter((x) => x !== '').map((x) => decodeSafe(x));
  const out: SpecTarget = {};
  if (GITHUB_HOSTS.has(host)) {
    const repo = repoOf(segments[0], segments[1]);
    if (repo) out.repo = repo;
  } else if (host === 'api.github.com' && segments[0] === 'repos') {
    const repo = repoOf(segments[1], segments[2]);
    if (repo) out.repo = repo;
  }
  const name = archiveName(segments);
  if (name) out.archiveName = name;
  return out.repo || out.archiveName ? out : undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether a string is a URL-style spec worth keeping on a declared dependency. */
export function isUrlSpec(spec: string, ecosystem: Ecosystem): boolean {
  return specTarget(spec, ecosystem) !== undefined;
}
