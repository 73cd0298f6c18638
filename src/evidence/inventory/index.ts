// The inventory's surface for tests and scripts: one import for the scan, the parsers' entry and the package list.
export type { DeclaredDependency, Ecosystem, InventoryOptions } from './types';
export { ECOSYSTEMS } from './types';
export { scanInventory, parseDependencyFile } from './scan';
export {
  BUILTIN_PACKAGES,
  compilePackageMatcher,
  normalizePackageName,
  normalizePypiName,
  validatePackagePattern,
} from './packages';
export {
  classifyPath,
  compileCoverage,
  compileIgnore,
} from './paths';
export { renderPackageTable, updateGeneratedDoc } from './docs';
export { syntheticTree, benchInventory } from './synthetic';
