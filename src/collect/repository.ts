// Everything repository-wide a run loads besides the systems: CODEOWNERS and the AI inventory.
import { CODEOWNERS_LOCATIONS, parseCodeowners } from '../evidence/codeowners';
import type { Codeowners } from '../evidence/codeowners';
import { scanInventory } from '../evidence/inventory/scan';
import type { InventoryFinding } from '../evidence/inventory/types';
import type { Policy } from '../config/policy/schema';
import type { Workspace } from './workspace';
import { trackedFiles } from './git';

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
  // A dependency file that cannot be read (too large, outside the workspace) must not hide a
  // dependency: the gate is then inconclusive, never a pass.
  const unreadable: string[] = [];
  const findings = scanInventory(
    paths,
    (p) => {
      const t = ws.readText(p);
      if (t.problem) unreadable.push(`${p} ${t.problem}`);
      return t.text;
    },
    { manifestDirs, ignore: policy.inventory.ignore, extraPackages: policy.inventory.packages },
  );
  if (unreadable.length > 0) return { error: `dependency files could not be read: ${unreadable.join('; ')}` };
  return { findings };
}
