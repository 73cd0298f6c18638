// An alias kept while test/fuzz/regressions.test.ts imports this path: manifest.valid lives in
// manifest/valid.ts. Delete once that test imports the new path.
export { manifestValid } from './manifest/valid';
