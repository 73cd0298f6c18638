// Loads everything the gates need for each manifest: the manifest, the files it names, its
// eval results, and (where there is a base) the base's manifest and eval results.
import path from 'node:path';
import type { Codeowners } from '../codeowners/codeowners';
import { loadEvalFile, parseEval } from '../evals/load';
import type { EvalLoad } from '../evals/types';
import type { FileFact, SystemInput } from '../gates/types';
import { parseManifest } from '../manifest/parse';
import type { Workspace } from '../workspace/files';
import { lastCommitTime } from '../workspace/git';

/** Reads a file at the base commit; undefined when it does not exist there; throws when it cannot tell. */
export interface BaseReader {
  label: string;
  read(file: string): Promise<string | undefined>;
}

export interface LoadedSystems {
  systems: SystemInput[];
  /** Base manifests' records by manifest path (null: no manifest there on the base). */
  baseRecords: Record<string, { signoffs: unknown[]; waivers: unknown[] } | null>;
  /** Base reads that failed: the caller fails closed on block branches. */
  baseErrors: string[];
}

export async function loadSystems(ws: Workspace, manifestPaths: readonly string[], opts: { base?: BaseReader; codeowners?: Codeowners; commitTimes?: boolean }): Promise<LoadedSystems> {
  const systems: SystemInput[] = [];
  const baseRecords: LoadedSystems['baseRecords'] = {};
  const baseErrors: string[] = [];
  for (const file of manifestPaths) {
    const t = ws.readText(file);
    const manifest = parseManifest(t.text ?? '', file);
    if (t.problem) manifest.documentErrors.push({ file, line: 1, column: 1, path: '', expected: 'a readable manifest', found: t.problem, message: t.problem });
    const m = manifest.manifest;
    const files: Record<string, FileFact> = {};
    const note = (written: string | undefined, withText = false): void => {
      if (written !== undefined) files[written] = ws.fact(manifest.dir, written, withText);
    };
    note(m.monitoring?.alerts, true);
    note(m.rollback?.runbook);
    note(m.rollout?.comms);

    const evals: Record<string, EvalLoad> = {};
    const evalTimes: NonNullable<SystemInput['evalTimes']> = {};
    for (const e of m.evals ?? []) {
      const fact = ws.fact(manifest.dir, e.path);
      if (fact.problem || !fact.exists) {
        evals[e.name] = { ok: false, error: { file: fact.path, message: fact.problem ?? 'the file does not exist' } };
        continue;
      }
      evals[e.name] = await loadEvalFile(ws.resolve(fact.path).abs, e.format, fact.path, e.slices ? { slices: e.slices } : {});
      const loaded = evals[e.name]!;
      if (opts.commitTimes !== false && loaded.ok && !loaded.result.createdAt) {
        const time = lastCommitTime(ws.root, fact.path);
        if (time) evalTimes[e.name] = { time, source: 'git commit time of the file' };
      }
    }

    const system: SystemInput = { manifest, files, evals, evalTimes, ...(opts.codeowners ? { codeowners: opts.codeowners } : {}) };
    if (opts.base) {
      try {
        const baseText = await opts.base.read(file);
        if (baseText === undefined) {
          baseRecords[file] = null;
        } else {
          const bm = parseManifest(baseText, file).manifest;
          baseRecords[file] = { signoffs: bm.signoffs ?? [], waivers: bm.waivers ?? [] };
        }
        const baseEvals: Record<string, EvalLoad | undefined> = {};
        for (const e of m.evals ?? []) {
          const rel = path.posix.normalize(path.posix.join(manifest.dir || '.', e.path));
          const text = await opts.base.read(rel);
          if (text === undefined) continue;
          baseEvals[e.name] = parseEval(text, e.format, `${rel}@base`, e.slices ? { slices: e.slices } : {});
        }
        system.baseEvals = baseEvals;
      } catch (err) {
        baseErrors.push(`could not read ${file} or its evals at ${opts.base.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    systems.push(system);
  }
  return { systems, baseRecords, baseErrors };
}
