export type { DeclaredDependency, Ecosystem, InventoryFinding, InventoryOptions } from './types';
export { ECOSYSTEMS } from './types';
export { scanInventory, parseDependencyFile } from './scan';
export {
  BUILTIN_PACKAGES,
  compilePackageMatcher,
  normalizePackageName,
  normalizePypiName,
  validatePackagePattern,
} from './packages';
export type { PackageEntry, PackageMatch, PackageMatcher } from './packages';
export {
  classifyPath,
  compileCoverage,
  compileIgnore,
  FOLDER_MODEL_EXTENSIONS,
  MODEL_EXTENSIONS,
  MODEL_FOLDERS,
  SKIPPED_FOLDERS,
} from './paths';
export type { DependencyFileKind, PathClass } from './paths';
export { renderPackageTable, renderModelFileRule, updateGeneratedDoc } from './docs';
export { syntheticTree, benchInventory } from './synthetic';
export type { SyntheticTree } from './synthetic';
