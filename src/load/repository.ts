// Everything repository-wide a run loads besides the systems: CODEOWNERS and the AI inventory.
import { CODEOWNERS_LOCATIONS, parseCodeowners } from '../codeowners/codeowners';
import type { Codeowners } from '../codeowners/codeowners';
import { scanInventory } from '../inventory/scan';
import type { InventoryFinding } from '../inventory/types';
import type { Policy } from '../policy/schema';
import type { Workspace } from '../workspace/files';
import { trackedFiles } from '../workspace/git';

/** The first CODEOWNERS GitHub would use, read through `read` (base via API, or the workspace). */
export async function loadCodeowners(read: (path: string) => Promise<string | undefined>): Promise<Codeowners | undefined> {
  for (const loc of CODEOWNERS_LOCATIONS) {
    const text = await read(loc);
    if (text !== undefined) return parseCodeowners(text, loc);
  }
  return undefined;
}

export function scanRepository(ws: Workspace, policy: Policy, manifestPaths: readonly string[]): { findings?: InventoryFinding[]; error?: string } {
  const paths = trackedFiles(ws.root);
  if (!paths) return { error: 'the workspace is not a git work tree' };
  const manifestDirs = manifestPaths.map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : ''));
  const findings = scanInventory(paths, (p) => ws.readText(p).text, {
    manifestDirs,
    ignore: policy.inventory.ignore,
    extraPackages: policy.inventory.packages,
  });
  return { findings };
}
