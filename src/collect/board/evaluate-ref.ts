// One repository at one branch, through the same pipeline as the action (collect, then evaluate):
// the files a run needs are materialised from the API into a temporary folder, which the
// Workspace reads, so that the eval adapters that stream from disk run unchanged. The board
// passes its own readers only: the branch as its own base, and an inventory over the tree listing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { CODEOWNERS_LOCATIONS } from '../../evidence/codeowners';
import { classifyPath, compileCoverage, compileIgnore, inSkippedFolder } from '../../evidence/inventory/paths';
import { scanInventory } from '../../evidence/inventory/scan';
import type { InventoryFinding } from '../../evidence/inventory/types';
import { collect } from '../collect';
import { parseManifest } from '../../config/manifest/parse';
import type { Policy } from '../../config/policy/schema';
import { evaluate } from '../../core/evaluate';
import type { Report } from '../../model/report';
import type { SystemInput } from '../../core/types';
import { Workspace } from '../workspace';
import type { RepoApi } from './fetch';

/** Dependency files read for the inventory gate per branch; beyond, the gate says it could not scan. */
export const MAX_DEPENDENCY_FILES = 20;

export interface RefResult {
  branch: string;
  sha: string;
  date?: string;
  /** Undefined when the branch holds no manifest. */
  report?: Report;
  inputs: SystemInput[];
  policy?: Policy;
}

export interface RefOptions {
  manifests: readonly string[];
  policyPath: string;
  defaultBranch: string;
  now: Date;
}

export async function evaluateRef(api: RepoApi, branch: string, o: RefOptions): Promise<RefResult> {
  const head = await api.head(branch);
  const tree = await api.tree(head.sha);
  const isManifest = o.manifests.map((g) => picomatch(g.replace(/^\.\//, ''), { dot: true }));
  const manifestPaths = [...tree].filter((p) => isManifest.some((m) => m(p))).sort();
  const base = { branch, sha: head.sha, ...(head.date ? { date: head.date } : {}), inputs: [] };
  if (manifestPaths.length === 0) return base;

  const dir = mkdtempSync(path.join(tmpdir(), 'lm-board-'));
  try {
    const put = (rel: string, data: Buffer | string): void => {
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, data);
    };
    const fetchInto = async (rel: string): Promise<void> => {
      if (!tree.has(rel)) return;
      const data = await api.file(rel, head.sha);
      if (data) put(rel, data);
    };
    await fetchInto(o.policyPath);
    for (const loc of CODEOWNERS_LOCATIONS) await fetchInto(loc);
    for (const file of manifestPaths) {
      await fetchInto(file);
      const text = new Workspace(dir).readText(file).text;
      if (text === undefined) continue;
      const parsed = parseManifest(text, file);
      const m = parsed.manifest;
      const inDir = (written: string): string | undefined => {
        const rel = path.posix.normalize(path.posix.join(parsed.dir || '.', written.replace(/\\/g, '/')));
        return rel.startsWith('../') || rel === '..' ? undefined : rel;
      };
      // Runbook and comms are only checked for existence: the tree listing tells, at no cost.
      for (const written of [m.rollback?.runbook, m.rollout?.comms]) {
        const rel = written ? inDir(written) : undefined;
        if (rel && tree.has(rel)) put(rel, '');
      }
      const alerts = m.monitoring?.alerts ? inDir(m.monitoring.alerts) : undefined;
      if (alerts) await fetchInto(alerts);
      for (const e of m.evals ?? []) {
        const rel = inDir(e.path);
        if (!rel) continue;
        if (tree.has(rel)) await fetchInto(rel);
        // An eval path may be a folder (lm-eval writes one per run).
        else for (const p of tree) if (p.startsWith(`${rel}/`)) await fetchInto(p);
      }
    }

    const ws = new Workspace(dir);
    const collected = await collect(
      {
        event: 'board',
        branch,
        defaultBranch: o.defaultBranch,
        now: o.now,
        repository: { owner: api.owner, repo: api.repo },
        headSha: head.sha,
        policy: o.policyPath,
        manifests: o.manifests,
        commitTimes: false,
        trust: { mode: 'branch' },
      },
      {
        workspace: ws,
        // The branch is its own base: what is on it came through its gates (as a scheduled run).
        policyBase: { label: `${branch}@${head.sha.slice(0, 7)}`, read: async (p) => ws.readText(p).text },
        inventory: (policy, paths) => inventory(api, tree, head.sha, put, ws, policy, paths),
      },
    );
    const report = evaluate(collected.input);
    const loaded = collected.systems;
    const resolved = collected.policy.parse.ok ? collected.policy.parse.policy : undefined;
    return { ...base, report, inputs: loaded.systems, ...(resolved ? { policy: resolved } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The inventory scan over the tree listing, reading at most MAX_DEPENDENCY_FILES dependency files. */
async function inventory(
  api: RepoApi,
  tree: Set<string>,
  sha: string,
  put: (rel: string, data: Buffer) => void,
  ws: Workspace,
  policy: Policy,
  manifestPaths: readonly string[],
): Promise<{ findings?: InventoryFinding[]; error?: string }> {
  const paths = [...tree].sort();
  const manifestDirs = manifestPaths.map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : ''));
  // Only what the scan would read: not covered by a manifest's folder, not ignored by the policy.
  const covered = compileCoverage(manifestDirs);
  const ignored = compileIgnore(policy.inventory.ignore);
  const deps = paths.filter((p) => classifyPath(p)?.kind === 'dependency-file' && !inSkippedFolder(p) && !covered(p) && !ignored(p));
  if (deps.length > MAX_DEPENDENCY_FILES) return { error: `${deps.length} dependency files, over the board's limit of ${MAX_DEPENDENCY_FILES} per branch: run the action on the repository to scan it` };
  for (const p of deps) {
    const data = await api.file(p, sha);
    if (data) put(p, data);
  }
  const findings = scanInventory(paths, (p) => ws.readText(p).text, { manifestDirs, ignore: policy.inventory.ignore, extraPackages: policy.inventory.packages });
  return { findings };
}
