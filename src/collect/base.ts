// Readers of the base commit, the bar's source (SPEC §6, §7.1): by object id from git where the
// commit is in the workspace or one fetch brings it (the action), else through the API; and a
// git ref of a local clone (the CLI's `--base`).
import { openGitBase } from './git-base';
import { listFiles, showFile } from './git';
import type { BaseReader } from './systems';

interface ApiReader {
  read(path: string): Promise<string | undefined>;
  list(): Promise<string[]>;
}

/**
 * The base commit's reader for a run on GitHub: git where it can (no API request at all), else
 * `api()` (one tree listing, then batched reads). `forceApi`: LASTMILE_BASE_READS=api, a knob for
 * tests and the benchmark. The log says which path was taken and why.
 */
export function openBase(o: { root: string; sha: string; api: () => ApiReader; forceApi?: boolean; log: (line: string) => void }): { base: BaseReader; close(): void } {
  const short = o.sha.slice(0, 7);
  const label = `base ${short}`;
  const opened = o.forceApi ? undefined : openGitBase(o.root, o.sha);
  if (opened?.ok) {
    const r = opened.reader;
    o.log(`Base ${short}: read from git by object id (${r.source === 'workspace' ? 'the commit is in the workspace' : 'fetched from origin'}), no API requests.`);
    return { base: { label, read: (p) => r.read(p), list: () => r.list() }, close: () => r.close() };
  }
  o.log(`Base ${short}: read through the API, one tree listing and then the files needed in batches (${o.forceApi ? 'LASTMILE_BASE_READS=api' : `git cannot: ${opened?.reason}`}).`);
  const t = o.api();
  return { base: { label, read: (p) => t.read(p), list: () => t.list() }, close: () => undefined };
}

/** A ref of the local clone as the base (`last-mile check --base <ref>`), read with `git show`. */
export function refReader(root: string, ref: string): BaseReader {
  return {
    label: ref,
    // `./`: relative to --cwd, which may be a folder inside the repository, not its root.
    read: async (p) => showFile(root, ref, `./${p}`),
    list: async () => {
      const files = listFiles(root, ref);
      if (!files) throw new Error(`git ls-tree ${ref} failed`);
      return files;
    },
  };
}
