import { compilePackageMatcher } from './packages';
import type { PackageMatch, PackageMatcher } from './packages';
import { specTarget } from './specs';
import { classifyPath, compileCoverage, compileIgnore, inSkippedFolder, normalizeRelPath } from './paths';
import type { DependencyFileKind } from './paths';
import { parsePackageJson } from './parsers/npm';
import { parseRequirements } from './parsers/requirements';
import { parsePipfile, parsePyproject, parseSetupCfg } from './parsers/python';
import { parseGoMod } from './parsers/go';
import { parseGradle, parsePom, parseVersionCatalog } from './parsers/jvm';
import type { DependencyFileError } from './parsers/error';
import type { DeclaredDependency, Ecosystem, InventoryFinding, InventoryOptions } from './types';

/** `onError` hears of a file its tool would refuse (TOML that is not TOML); the parser then declares nothing. */
type Parser = (text: string, onError?: (e: DependencyFileError) => void) => DeclaredDependency[];

const PARSERS: Record<DependencyFileKind, Parser> = {
  'package.json': (text) => parsePackageJson(text),
  requirements: (text) => parseRequirements(text),
  'pyproject.toml': parsePyproject,
  Pipfile: parsePipfile,
  'setup.cfg': parseSetupCfg,
  'go.mod': parseGoMod,
  'pom.xml': parsePom,
  gradle: parseGradle,
  'gradle-catalog': parseVersionCatalog,
};

/**
 * The dependencies a dependency file declares (all of them, AI or not), or [] for other files.
 * A file that cannot be read as its format declares nothing; `onError` hears why.
 */
export function parseDependencyFile(path: string, text: string, onError?: (e: DependencyFileError) => void): DeclaredDependency[] {
  const cls = classifyPath(normalizeRelPath(path));
  if (cls?.kind !== 'dependency-file') return [];
  return PARSERS[cls.parser](text, onError);
}

/**
 * A dependency installed from a place (SPEC §5 inventory.unregistered): the package an archive's
 * file name gives, or the one a listed SDK repository publishes, whatever the declared name.
 */
function matchSpec(matcher: PackageMatcher, dep: DeclaredDependency): PackageMatch | undefined {
  const target = specTarget(dep.spec!, dep.ecosystem);
  if (!target) return undefined;
  return (target.archiveName !== undefined ? matcher.match(dep.ecosystem, target.archiveName) : undefined) ?? (target.repo !== undefined ? matcher.matchRepo(target.repo) : undefined);
}

const ECOSYSTEM_LABEL: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI', go: 'Go', maven: 'Maven' };

/**
 * Find AI in a repository that no manifest covers. Pure: `paths` are repo-relative posix paths
 * (what `git ls-files` lists) and `read` returns a file's text (undefined when unreadable);
 * only dependency files that are neither covered, ignored nor in a skipped folder are read.
 *
 * Findings are sorted by file, then line; one per file, line and package. A dependency file
 * that is not valid in its format (a pyproject.toml that is not TOML) is a finding of kind
 * `unparsable` at the line of the error: its dependencies cannot be checked, and a scan must
 * not pass over them in silence.
 */
export function scanInventory(
  paths: readonly string[],
  read: (path: string) => string | undefined,
  opts: InventoryOptions,
): InventoryFinding[] {
  const covered = compileCoverage(opts.manifestDirs);
  const ignored = compileIgnore(opts.ignore);
  let matcher: PackageMatcher | undefined;
  const findings: InventoryFinding[] = [];
  const seenPaths = new Set<string>();

  for (const original of paths) {
    // Cheap, name-only classification first: most paths stop here.
    const cls = classifyPath(original.includes('\\') || original.startsWith('./') ? normalizeRelPath(original) : original);
    if (cls === undefined) continue;
    const path = normalizeRelPath(original);
    if (seenPaths.has(path)) continue;
    seenPaths.add(path);
    if (inSkippedFolder(path) || covered(path) || ignored(path)) continue;

    if (cls.kind === 'model-file') {
      findings.push({
        file: path,
        line: 1,
        kind: 'model-file',
        detail:
          cls.folder === undefined
            ? `model file (${cls.ext})`
            : `model weights (${cls.ext}) in a "${cls.folder}" folder`,
      });
      continue;
    }

    const text = read(original);
    if (text === undefined) continue;
    matcher ??= compilePackageMatcher(opts.extraPackages);
    const seen = new Set<string>();
    const deps = PARSERS[cls.parser](text, (e) => {
      findings.push({ file: path, line: e.line, kind: 'unparsable', detail: `${e.message}: its dependencies could not be checked` });
    });
    for (const dep of deps) {
      const byName = matcher.match(dep.ecosystem, dep.name);
      const hit = byName ?? (dep.spec === undefined ? undefined : matchSpec(matcher, dep));
      if (!hit) continue;
      const id = `${dep.line}\u0000${dep.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      findings.push({
        file: path,
        line: dep.line,
        kind: 'dependency',
        ecosystem: dep.ecosystem,
        package: dep.name,
        pattern: hit.entry.name,
        section: dep.section,
        detail: `${ECOSYSTEM_LABEL[dep.ecosystem]} package "${dep.name}" in ${dep.section}${byName === undefined ? ` from ${dep.spec ?? ''}` : ''} — ${hit.entry.note}`,
      });
    }
  }

  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
