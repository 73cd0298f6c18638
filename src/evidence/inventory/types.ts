/** Package ecosystems the inventory understands (keys of the policy's `inventory.packages`). */
export type Ecosystem = 'npm' | 'pypi' | 'go' | 'maven';

export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi', 'go', 'maven'];

/**
 * One piece of AI found in the repository outside every manifest folder, or (`unparsable`) a
 * dependency file there that cannot be read as its format, so its dependencies are unknown.
 */
export interface InventoryFinding {
  /** Repo-relative posix path. */
  file: string;
  /** 1-based line: the dependency's line, 1 for a model file, the error's line when unparsable. */
  line: number;
  kind: 'dependency' | 'model-file' | 'unparsable';
  /** For dependencies. */
  ecosystem?: Ecosystem;
  /** For dependencies: the name as declared (`groupId:artifactId` for Maven). */
  package?: string;
  /** For dependencies: the list entry that matched (`openai`, `@langchain/*`, …). */
  pattern?: string;
  /** For dependencies: where in the file (`dependencies`, `[project.optional-dependencies] rag`, …). */
  section?: string;
  /** One line a reviewer can read, e.g. `npm package "openai" in dependencies (OpenAI API client)`. */
  detail: string;
}

export interface InventoryOptions {
  /**
   * Folders holding a readiness manifest, repo-relative. '' or '.' is the repository root and
   * covers every path. Everything under one of them is covered and not reported.
   */
  manifestDirs: string[];
  /** Globs (picomatch, dot: true) of paths to leave out; see docs/inventory.md. */
  ignore: string[];
  /** Extra package names per ecosystem (policy `inventory.packages`); extends the built-in list. */
  extraPackages?: Partial<Record<Ecosystem, string[]>>;
}

/** A dependency as declared in a dependency file, before matching against the list. */
export interface DeclaredDependency {
  ecosystem: Ecosystem;
  /** As written (`groupId:artifactId` for Maven, module path for Go). */
  name: string;
  /** 1-based line of the name. */
  line: number;
  /** Human-readable section, e.g. `devDependencies`. */
  section: string;
  /**
   * Where it is installed from, when that is a place rather than a version: a repository or
   * archive URL, `github:owner/repo`. The inventory matches what it points at too.
   */
  spec?: string;
}
