import picomatch from 'picomatch';

/** Which parser reads a dependency file. */
export type DependencyFileKind =
  | 'package.json'
  | 'requirements'
  | 'pyproject.toml'
  | 'Pipfile'
  | 'setup.cfg'
  | 'go.mod'
  | 'pom.xml'
  | 'gradle'
  | 'gradle-catalog';

export type PathClass =
  | { kind: 'dependency-file'; parser: DependencyFileKind }
  | { kind: 'model-file'; ext: string; folder?: string };

/** Model formats reported wherever they are. */
export const MODEL_EXTENSIONS: readonly string[] = ['.onnx', '.safetensors', '.gguf', '.tflite', '.mlmodel'];
/**
 * Extensions that are model weights only by convention; reported only under a folder named one
 * of MODEL_FOLDERS (at any depth), because `.bin` or `.pkl` elsewhere is usually something else.
 */
export const FOLDER_MODEL_EXTENSIONS: readonly string[] = ['.pt', '.pth', '.bin', '.ckpt', '.h5', '.pkl', '.joblib'];
export const MODEL_FOLDERS: readonly string[] = ['models', 'model', 'checkpoints', 'weights'];
/** Folder names never scanned, at any depth (third-party code). */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules', 'vendor', '.git', '.venv', 'site-packages'];

const MODEL_EXT_SET = new Set(MODEL_EXTENSIONS);
const FOLDER_MODEL_EXT_SET = new Set(FOLDER_MODEL_EXTENSIONS);
const MODEL_FOLDER_SET = new Set(MODEL_FOLDERS);
const SKIPPED_FOLDER_SET = new Set(SKIPPED_FOLDERS);

const EXACT_NAMES = new Map<string, DependencyFileKind>([
  ['package.json', 'package.json'],
  ['pyproject.toml', 'pyproject.toml'],
  ['Pipfile', 'Pipfile'],
  ['setup.cfg', 'setup.cfg'],
  ['go.mod', 'go.mod'],
  ['pom.xml', 'pom.xml'],
  ['build.gradle', 'gradle'],
  ['build.gradle.kts', 'gradle'],
  ['libs.versions.toml', 'gradle-catalog'],
]);

/** Extensions of the names above, and of requirements files: a cheap first filter. */
const DEPENDENCY_EXT_SET = new Set(['.json', '.toml', '.cfg', '.mod', '.xml', '.gradle', '.kts', '.txt', '.in']);

/** `requirements.txt`, `requirements-dev.in`, `dev-requirements.txt`, `requirements.prod.txt`. */
const REQUIREMENTS_NAME = /^(?:[^/]*[-_.])?requirements(?:[-_.][^/]*)?\.(?:txt|in)$/i;

/** Normalise a repo-relative path or folder: posix separators, no `./` or leading/trailing `/`. */
export function normalizeRelPath(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '.' ? '' : s;
}

/**
 * Classify a path by its name alone (no I/O). Returns undefined for the vast majority of paths.
 * The model-folder rule for conditional extensions is applied here; skipped folders, coverage
 * and ignore globs are not (see scanInventory).
 */
export function classifyPath(path: string): PathClass | undefined {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) {
    // No extension (or a dotfile): only `Pipfile` matters.
    return path.endsWith('Pipfile') && path.length - slash - 1 === 7 ? { kind: 'dependency-file', parser: 'Pipfile' } : undefined;
  }
  if (path.length - dot > 12) return undefined; // no extension we know is that long
  const ext = path.slice(dot).toLowerCase();
  if (MODEL_EXT_SET.has(ext)) return { kind: 'model-file', ext };
  if (FOLDER_MODEL_EXT_SET.has(ext)) {
    const folder = modelFolderOf(path, slash);
    return folder === undefined ? undefined : { kind: 'model-file', ext, folder };
  }
  if (!DEPENDENCY_EXT_SET.has(ext)) return undefined;
  const base = slash === -1 ? path : path.slice(slash + 1);
  if (ext === '.txt' || ext === '.in') {
    return REQUIREMENTS_NAME.test(base) || parentName(path, slash) === 'requirements'
      ? { kind: 'dependency-file', parser: 'requirements' }
      : undefined;
  }
  const exact = EXACT_NAMES.get(base);
  if (exact === undefined) return undefined;
  // `libs.versions.toml` is a Gradle version catalog only in a `gradle/` folder.
  if (exact === 'gradle-catalog' && parentName(path, slash) !== 'gradle') return undefined;
  return { kind: 'dependency-file', parser: exact };
}

function parentName(path: string, slash: number): string {
  if (slash <= 0) return '';
  const prev = path.lastIndexOf('/', slash - 1);
  return path.slice(prev + 1, slash);
}

const MODEL_FOLDER_LENGTHS = new Set(MODEL_FOLDERS.map((f) => f.length));

function modelFolderOf(path: string, slash: number): string | undefined {
  let start = 0;
  while (start < slash) {
    let end = path.indexOf('/', start);
    if (end === -1 || end > slash) end = slash;
    if (MODEL_FOLDER_LENGTHS.has(end - start)) {
      const seg = path.slice(start, end);
      if (MODEL_FOLDER_SET.has(seg.toLowerCase())) return seg;
    }
    start = end + 1;
  }
  return undefined;
}

/** Whether a path lies under node_modules/, vendor/, .git/ (at any depth), and the like. */
export function inSkippedFolder(path: string): boolean {
  let start = 0;
  for (;;) {
    const slash = path.indexOf('/', start);
    if (slash === -1) return false;
    if (SKIPPED_FOLDER_SET.has(path.slice(start, slash))) return true;
    start = slash + 1;
  }
}

/**
 * Coverage by manifest folders: a path is covered when one of its ancestor folders (or the root)
 * holds a manifest. One Set lookup per ancestor: O(depth), independent of the manifest count.
 */
export function compileCoverage(manifestDirs: readonly string[]): (path: string) => boolean {
  const dirs = new Set(manifestDirs.map(normalizeRelPath));
  if (dirs.has('')) return () => true;
  if (dirs.size === 0) return () => false;
  return (path) => {
    let slash = path.indexOf('/');
    while (slash !== -1) {
      if (dirs.has(path.slice(0, slash))) return true;
      slash = path.indexOf('/', slash + 1);
    }
    return false;
  };
}

/** A test of a path against globs, on the path and each of its folders. */
function compileGlobs(globs: readonly string[]): ((path: string) => boolean) | undefined {
  const withSlash: string[] = [];
  const bare: string[] = [];
  for (const g of globs) {
    const glob = normalizeRelPath(g.trim());
    if (glob === '') continue;
    (glob.includes('/') ? withSlash : bare).push(glob);
  }
  if (withSlash.length === 0 && bare.length === 0) return undefined;
  const full = withSlash.length > 0 ? picomatch(withSlash, { dot: true }) : undefined;
  const name = bare.length > 0 ? picomatch(bare, { dot: true }) : undefined;
  return (path) => {
    let start = 0;
    for (;;) {
      const slash = path.indexOf('/', start);
      const end = slash === -1 ? path.length : slash;
      if (name?.(path.slice(start, end))) return true;
      if (full?.(path.slice(0, end))) return true;
      if (slash === -1) return false;
      start = slash + 1;
    }
  };
}

/**
 * `inventory.ignore`: picomatch globs with `dot: true`. A glob drops a path when it matches the
 * path or any of its folders (so `examples/*` drops everything below `examples/x/`). A glob
 * without a `/` is matched against each name in the path, as in .gitignore (`*.onnx` anywhere,
 * `notebooks` at any depth). A leading `./` or `/` is dropped. A glob starting with `!` takes
 * paths back (`examples/**` with `!examples/prod/**`), whatever the order.
 */
export function compileIgnore(globs: readonly string[]): (path: string) => boolean {
  const positive = compileGlobs(globs.filter((g) => !g.trim().startsWith('!')));
  if (!positive) return () => false;
  const negative = compileGlobs(globs.filter((g) => g.trim().startsWith('!')).map((g) => g.trim().slice(1)));
  return negative ? (path) => positive(path) && !negative(path) : positive;
}
