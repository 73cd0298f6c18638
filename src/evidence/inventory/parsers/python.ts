import type { DeclaredDependency } from '../types';
import { pep508Name, pep508Url } from './requirements';
import { isUrlSpec } from '../specs';
import { keyStartsWith, readTomlOr } from './toml';
import type { DependencyFileError } from './error';
import type { TomlEvent, TomlValue } from './toml';
import { splitLines } from './lines';

/** PEP 508 strings of an array value, each with its own line. */
function requirementArray(value: TomlValue, section: string, out: DeclaredDependency[]): void {
  if (value.kind !== 'array') return;
  for (const item of value.items) {
    if (item.kind !== 'string') continue; // e.g. PEP 735 {include-group = "…"}
    const name = pep508Name(item.value);
    if (name === undefined) continue;
    // `openai @ git+https://…` or `foo @ https://…/openai-1.0.0.tar.gz`: matched by its URL as well.
    const url = pep508Url(item.value);
    out.push({ ecosystem: 'pypi', name, line: item.line, section, ...(url !== undefined && isUrlSpec(url, 'pypi') ? { spec: url } : {}) });
  }
}

/**
 * Tables whose keys are package names (Poetry, Pipfile): report each name once, at the first
 * line that names it: its key (`openai = "^1"`) or its sub-table header (`[….openai]`).
 */
class NameTables {
  private readonly seen = new Map<string, DeclaredDependency>();
  constructor(private readonly out: DeclaredDependency[]) {}

  /** `spec`: a `git` or `url` source given for the package, on this or a later event. */
  add(section: string, name: string | undefined, line: number, spec?: string): void {
    if (name === undefined || name === '') return;
    const id = `${section}\u0000${name}`;
    const known = this.seen.get(id);
    if (known) {
      if (spec !== undefined && known.spec === undefined) known.spec = spec;
      return;
    }
    const dep: DeclaredDependency = { ecosystem: 'pypi', name, line, section, ...(spec !== undefined ? { spec } : {}) };
    this.seen.set(id, dep);
    this.out.push(dep);
  }
}

/**
 * The `git` or `url` source of a package table entry whose name is key `nameAt` of `ev`:
 * `openai = { git = "https://…" }`, or `git = "https://…"` under `[….openai]`.
 */
function sourceSpec(ev: TomlEvent, nameAt: number): string | undefined {
  if (ev.type !== 'pair') return undefined;
  const k = ev.key;
  const isSource = (key: readonly string[], v: TomlValue): v is Extract<TomlValue, { kind: 'string' }> =>
    key.length === 1 && (key[0] === 'git' || key[0] === 'url') && v.kind === 'string';
  let found: string | undefined;
  if (k.length === nameAt + 1 && ev.value.kind === 'table') {
    for (const p of ev.value.pairs) if (isSource(p.key, p.value)) found = p.value.value;
  } else if (k.length === nameAt + 2 && isSource(k.slice(nameAt + 1), ev.value)) {
    found = ev.value.value;
  }
  return found !== undefined && isUrlSpec(found, 'pypi') ? found : undefined;
}

const dotted = (key: readonly string[]): string => key.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join('.');

/**
 * pyproject.toml: PEP 621 `[project] dependencies` and `[project.optional-dependencies]`,
 * PEP 735 `[dependency-groups]`, Poetry `[tool.poetry.dependencies]`,
 * `[tool.poetry.dev-dependencies]` and `[tool.poetry.group.<g>.dependencies]`, plus
 * `[tool.uv] dev-dependencies`, `[tool.pdm.dev-dependencies]` and Hatch environments'
 * `dependencies`/`extra-dependencies`. `[build-system] requires` is not read (build tools).
 * A text that is not TOML declares nothing (pip, uv and Poetry refuse it); `onError` hears why.
 */
export function parsePyproject(text: string, onError?: (e: DependencyFileError) => void): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  const tables = new NameTables(out);
  for (const ev of readTomlOr(text, onError)) {
    const k = ev.key;
    if (ev.type === 'pair') {
      const v = ev.value;
      if (k.length === 2 && k[0] === 'project' && k[1] === 'dependencies') requirementArray(v, 'project.dependencies', out);
      else if (k.length === 3 && keyStartsWith(k, ['project', 'optional-dependencies'])) requirementArray(v, dotted(k), out);
      else if (k.length === 2 && k[0] === 'dependency-groups') requirementArray(v, dotted(k), out);
      else if (k.length === 3 && keyStartsWith(k, ['tool', 'uv']) && k[2] === 'dev-dependencies') requirementArray(v, dotted(k), out);
      else if (k.length === 4 && keyStartsWith(k, ['tool', 'pdm', 'dev-dependencies'])) requirementArray(v, dotted(k), out);
      else if (k.length === 5 && keyStartsWith(k, ['tool', 'hatch', 'envs']) && (k[4] === 'dependencies' || k[4] === 'extra-dependencies')) {
        requirementArray(v, dotted(k), out);
      }
    }
    poetry(ev, tables);
  }
  return out;
}

function poetry(ev: TomlEvent, tables: NameTables): void {
  const k = ev.key;
  if (!keyStartsWith(k, ['tool', 'poetry'])) return;
  if (k.length >= 4 && (k[2] === 'dependencies' || k[2] === 'dev-dependencies')) {
    tables.add(dotted(k.slice(0, 3)), k[3], ev.line, sourceSpec(ev, 3));
  } else if (k.length >= 6 && k[2] === 'group' && k[4] === 'dependencies') {
    tables.add(dotted(k.slice(0, 5)), k[5], ev.line, sourceSpec(ev, 5));
  }
}

/** Pipfile tables that are not package categories. */
const PIPFILE_NON_PACKAGES = new Set(['source', 'requires', 'scripts', 'pipenv']);

/**
 * Pipfile: `[packages]`, `[dev-packages]` and any custom package category (pipenv allows
 * them); `[source]`, `[requires]`, `[scripts]` and `[pipenv]` are not packages. A text that is
 * not TOML declares nothing (pipenv refuses it); `onError` hears why.
 */
export function parsePipfile(text: string, onError?: (e: DependencyFileError) => void): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  const tables = new NameTables(out);
  for (const ev of readTomlOr(text, onError)) {
    const k = ev.key;
    if (k.length >= 2 && k[0] !== undefined && !PIPFILE_NON_PACKAGES.has(k[0])) tables.add(k[0], k[1], ev.line, sourceSpec(ev, 1));
  }
  return out;
}

/**
 * setup.cfg: `[options] install_requires` and `tests_require`, and every key of
 * `[options.extras_require]`. As setuptools reads them: a value on several lines has one
 * requirement per line (a `;` there starts an environment marker); a value on one line is
 * split on `;`. Lines starting with `#` or `;` are comments. `file:` values are not followed
 * (the requirements file they name is scanned on its own when it is called requirements*.txt).
 */
export function parseSetupCfg(text: string): DeclaredDependency[] {
  const lines = splitLines(text);
  const out: DeclaredDependency[] = [];
  let section = '';
  let current: { key: string; items: { text: string; line: number }[]; indent: number } | undefined;

  const flush = (): void => {
    if (!current) return;
    const { key, items } = current;
    current = undefined;
    const wanted =
      (section === 'options' && (key === 'install_requires' || key === 'tests_require')) || section === 'options.extras_require';
    if (!wanted) return;
    const label = section === 'options' ? `[options] ${key}` : `[options.extras_require] ${key}`;
    // configparser drops trailing blank lines; what is left spans lines or not.
    while (items.length > 1 && items[items.length - 1]?.text.trim() === '') items.pop();
    const multi = items.length > 1;
    for (const item of items) {
      const t = item.text.trim();
      if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
      if (t.startsWith('file:')) continue;
      const parts = multi ? [t] : t.split(';');
      for (const part of parts) {
        const name = pep508Name(part.replace(/\s#.*$/, ''));
        if (name !== undefined) out.push({ ecosystem: 'pypi', name, line: item.line, section: label });
      }
    }
  };

  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const indent = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (current && (trimmed === '' || indent > current.indent)) {
      // Continuation (blank lines inside a value are allowed when more indented lines follow).
      current.items.push({ text: trimmed.startsWith('#') || trimmed.startsWith(';') ? '' : raw, line });
      return;
    }
    flush();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header?.[1] !== undefined) {
      section = header[1].trim();
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (kv?.[1] !== undefined) current = { key: kv[1].trim().toLowerCase(), items: [{ text: kv[2] ?? '', line }], indent };
  });
  flush();
  return out;
}

/** requirements.txt and friends (re-exported for symmetry). */
