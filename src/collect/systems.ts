// Loads everything the gates need for each manifest: the manifest, the files it names, its
// eval results, and (where there is a base) the same system's manifest and eval results on the
// base, matched by `system` id, else by path (SPEC §6), so that moving or renaming a manifest
// or its result files cannot escape the base's bar.
import path from 'node:path';
import picomatch from 'picomatch';
import type { Codeowners } from '../evidence/codeowners';
import { loadEvalFile, parseEval } from './evals';
import type { EvalLoad } from '../evidence/evals/types';
import type { FileFact, SystemInput } from '../core/types';
import { parseManifest } from '../config/manifest/parse';
import type { ParsedManifest } from '../config/manifest/parse';
import type { Workspace } from './workspace';
import { lastCommitTime } from './git';

/** Reads a file at the base commit; undefined when it does not exist there; throws when it cannot tell. */
export interface BaseReader {
  label: string;
  read(file: string): Promise<string | undefined>;
  /** Every file path at the base commit, to find manifests the head moved or removed; throws when it cannot. */
  list?(): Promise<string[]>;
}

export interface LoadedSystems {
  systems: SystemInput[];
  /** The base records of each head manifest's system, by head manifest path (null: a new system). */
  baseRecords: Record<string, { signoffs: unknown[]; waivers: unknown[] } | null>;
  /** Systems on the base that no head manifest carries (removed, or renamed beyond recognition). */
  removed: { system: string; file: string }[];
  /** Base reads that failed: the caller fails closed on block branches. */
  baseErrors: string[];
}

export async function loadSystems(
  ws: Workspace,
  manifestPaths: readonly string[],
  opts: { base?: BaseReader; codeowners?: Codeowners; commitTimes?: boolean; globs?: readonly string[] },
): Promise<LoadedSystems> {
  const systems: SystemInput[] = [];
  const baseErrors: string[] = [];
  const heads = manifestPaths.map((file) => {
    const t = ws.readText(file);
    const manifest = parseManifest(t.text ?? '', file);
    if (t.problem) manifest.documentErrors.push({ file, line: 1, column: 1, path: '', expected: 'a readable manifest', found: t.problem, message: t.problem });
    return manifest;
  });
  flagDuplicateIds(heads);

  const bases = opts.base ? await readBaseManifests(opts.base, manifestPaths, opts.globs, baseErrors) : undefined;
  const matched = bases ? matchBases(heads, bases) : undefined;
  // The second round of base reads (the eval files the matched base manifests name), all at once:
  // a batching reader answers them with a few requests instead of one per file (SPEC §7.1).
  const baseEvals = new Map<string, Promise<Record<string, EvalLoad | undefined>>>();
  if (opts.base && matched) {
    for (const [headFile, b] of matched) {
      const read = readBaseEvals(opts.base, b);
      read.catch(() => undefined); // awaited below, in order; never an unhandled rejection meanwhile
      baseEvals.set(headFile, read);
    }
  }

  for (const manifest of heads) {
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
    if (opts.base && matched) {
      const b = matched.get(manifest.file) ?? null;
      system.base = b ? { file: b.file, manifest: b.manifest } : null;
      if (b) {
        try {
          system.baseEvals = await baseEvals.get(manifest.file)!;
        } catch (err) {
          baseErrors.push(`could not read the eval results of ${b.file} at ${opts.base.label}: ${message(err)}`);
        }
      }
    }
    systems.push(system);
  }

  const baseRecords: LoadedSystems['baseRecords'] = {};
  for (const s of systems) {
    const b = s.base?.manifest;
    baseRecords[s.manifest.file] = b ? { signoffs: b.signoffs ?? [], waivers: b.waivers ?? [] } : null;
  }
  const claimed = new Set(matched ? [...matched.values()].map((b) => b.file) : []);
  const removed = (bases ?? []).filter((b) => !claimed.has(b.file)).map((b) => ({ system: b.system, file: b.file }));
  return { systems, baseRecords, removed, baseErrors };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Two manifests of one `system` id would share a bar and a base: the later ones are invalid. */
function flagDuplicateIds(heads: ParsedManifest[]): void {
  const first = new Map<string, string>();
  for (const h of heads) {
    const id = h.manifest.system;
    if (id === undefined) continue;
    const seen = first.get(id);
    if (seen === undefined) {
      first.set(id, h.file);
      continue;
    }
    const p = h.positionOf(['system']);
    h.documentErrors.push({
      file: h.file,
      line: p.line,
      column: p.column,
      path: 'system',
      expected: 'a system id no other manifest has',
      found: `"${id}", also the id of ${seen}`,
      message: `the system id "${id}" is also used by ${seen}`,
    });
  }
}

interface BaseManifest {
  file: string;
  system: string;
  manifest: ParsedManifest['manifest'];
  dir: string;
}

/**
 * The base's manifests: every file of the base tree that the manifest globs match, where the
 * reader can list the tree; otherwise those at the head's paths (matching by id then covers
 * only manifests that stayed where they were).
 */
async function readBaseManifests(base: BaseReader, headPaths: readonly string[], globs: readonly string[] | undefined, errors: string[]): Promise<BaseManifest[]> {
  let paths: string[] = [...headPaths];
  if (base.list && globs && globs.length > 0) {
    try {
      const matchers = globs.map((g) => g.trim().replace(/^\.\//, '')).filter(Boolean).map((g) => picomatch(g, { dot: true }));
      const listed = (await base.list()).filter((p) => matchers.some((m) => m(p)));
      paths = [...new Set([...listed, ...headPaths])].sort();
    } catch (err) {
      errors.push(`could not list the files at ${base.label} (manifests moved or removed by this pull request cannot be found): ${message(err)}`);
    }
  }
  // One round: every read is asked for at once (a batching reader coalesces them), results kept in path order.
  const read = await Promise.all(
    paths.map((file) =>
      base.read(file).then(
        (text) => ({ file, text }),
        (err: unknown) => ({ file, err }),
      ),
    ),
  );
  const out: BaseManifest[] = [];
  for (const r of read) {
    if ('err' in r) {
      errors.push(`could not read ${r.file} at ${base.label}: ${message(r.err)}`);
      continue;
    }
    if (r.text === undefined) continue;
    const parsed = parseManifest(r.text, r.file);
    out.push({ file: r.file, system: parsed.manifest.system ?? parsed.system, manifest: parsed.manifest, dir: parsed.dir });
  }
  return out;
}

/** Head manifest path → its base manifest: by `system` id first, then by path (SPEC §6). */
function matchBases(heads: readonly ParsedManifest[], bases: readonly BaseManifest[]): Map<string, BaseManifest> {
  const out = new Map<string, BaseManifest>();
  const used = new Set<string>();
  const byId = new Map<string, BaseManifest>();
  for (const b of bases) if (!byId.has(b.system)) byId.set(b.system, b);
  for (const h of heads) {
    const id = h.manifest.system;
    const b = id !== undefined ? byId.get(id) : undefined;
    if (b && !used.has(b.file)) {
      out.set(h.file, b);
      used.add(b.file);
    }
  }
  // By path even where another head manifest took that base by id: a manifest that keeps its
  // path but renames its id (while a decoy takes the old id) still carries the base's bar.
  const byPath = new Map(bases.map((b) => [b.file, b]));
  for (const h of heads) {
    if (out.has(h.file)) continue;
    const b = byPath.get(h.file);
    if (b) {
      out.set(h.file, b);
      used.add(b.file);
    }
  }
  return out;
}

/** The base manifest's evals at the base, by the base's eval names and paths (SPEC §5: by name). */
async function readBaseEvals(base: BaseReader, b: BaseManifest): Promise<Record<string, EvalLoad | undefined>> {
  const out: Record<string, EvalLoad | undefined> = {};
  const wanted = (b.manifest.evals ?? [])
    .map((e) => ({ e, rel: path.posix.normalize(path.posix.join(b.dir || '.', e.path)) }))
    .filter(({ rel }) => !(rel.startsWith('../') || rel === '..'));
  const texts = await Promise.all(wanted.map(({ rel }) => base.read(rel)));
  wanted.forEach(({ e, rel }, i) => {
    const text = texts[i];
    out[e.name] = text === undefined ? undefined : parseEval(text, e.format, `${rel}@base`, {});
  });
  return out;
}
