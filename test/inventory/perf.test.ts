import { describe, expect, it, vi } from 'vitest';
import { benchInventory, classifyPath, scanInventory, syntheticTree } from '../../src/evidence/inventory';

describe('performance', () => {
  const tree = syntheticTree(100_000);

  it('builds a deterministic 100,000-path tree', () => {
    expect(tree.paths).toHaveLength(100_000);
    expect(new Set(tree.paths).size).toBe(100_000);
    expect(syntheticTree(1000).paths).toEqual(syntheticTree(1000).paths);
    expect(tree.files.size).toBeGreaterThan(500);
  });

  it('reads only uncovered, unignored dependency files', () => {
    const read = vi.fn(tree.read);
    const findings = scanInventory(tree.paths, read, { manifestDirs: tree.manifestDirs, ignore: [] });
    const covered = (p: string): boolean => tree.manifestDirs.some((d) => p.startsWith(`${d}/`));
    const expected = tree.paths.filter(
      (p) => classifyPath(p)?.kind === 'dependency-file' && !covered(p) && !/(^|\/)node_modules\//.test(p),
    );
    expect(read).toHaveBeenCalledTimes(expected.length);
    expect(findings.length).toBeGreaterThan(100);
    expect(findings.every((f) => !covered(f.file))).toBe(true);
  });

  it('scans 100,000 paths quickly, also with thousands of manifest folders', () => {
    const manyDirs = Array.from({ length: 5000 }, (_, i) => `services/svc${i}/sub`);
    const t0 = performance.now();
    scanInventory(tree.paths, tree.read, { manifestDirs: manyDirs, ignore: ['**/docs/**', '*.md', 'examples/**'] });
    const ms = performance.now() - t0;
    // Typically ~100 ms; the bound only catches an accidental O(paths × manifests) or per-path regex storm.
    expect(ms).toBeLessThan(3000);
  });

  it('benchInventory reports a time and the findings', () => {
    const r = benchInventory(10_000, 1);
    expect(r.n).toBe(10_000);
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(r.findings.length).toBeGreaterThan(0);
  });
});
