// Report → check-run annotations on the lines the gates concern, capped (SPEC §7): at most 50
// per system and 200 per run, so a large monorepo's check run is not throttled for minutes
// (GitHub takes 50 per request); the summary counts the rest.
import { blocking } from './counts';
import type { Report } from '../model/report';
import { ANNOTATIONS_PER_RUN, ANNOTATIONS_PER_SYSTEM } from '../model/annotation';
import type { Annotation } from '../model/annotation';

/** A check-run annotation, in the shape GitHub's checks API takes. */
export interface CappedAnnotations {
  /** The annotations to send: failures before warnings, then in report order. */
  annotations: Annotation[];
  /** Located blocking gates left without an annotation by the caps. */
  annotationsOmitted: number;
}

/** Every annotation the report calls for, uncapped, in report order. */
export function annotations(r: Report): Annotation[] {
  return located(r).map((a) => a.annotation);
}

/** The annotations to send to the check run, within the caps, and how many were left out. */
export function cappedAnnotations(r: Report, caps: { perSystem?: number; perRun?: number } = {}): CappedAnnotations {
  const perSystem = caps.perSystem ?? ANNOTATIONS_PER_SYSTEM;
  const perRun = caps.perRun ?? ANNOTATIONS_PER_RUN;
  const all = located(r);
  // Failures first, so a cap never hides a blocking failure behind warnings; stable otherwise.
  const ranked = all.map((a, i) => ({ ...a, i })).sort((a, b) => rank(a.annotation) - rank(b.annotation) || a.i - b.i);
  const perGroup = new Map<string, number>();
  const kept = new Set<number>();
  for (const a of ranked) {
    if (kept.size >= perRun) break;
    const n = perGroup.get(a.group) ?? 0;
    if (n >= perSystem) continue;
    perGroup.set(a.group, n + 1);
    kept.add(a.i);
  }
  // Sent in report order (repository gates, then each system's), as the report reads.
  return { annotations: all.filter((_, i) => kept.has(i)).map((a) => a.annotation), annotationsOmitted: all.length - kept.size };
}

function rank(a: Annotation): number {
  return a.annotation_level === 'failure' ? 0 : 1;
}

function located(r: Report): { group: string; annotation: Annotation }[] {
  const out: { group: string; annotation: Annotation }[] = [];
  const all = [
    ...r.repositoryGates.map((g) => ({ g, system: '', group: '' })),
    // Grouped by manifest as well as id: two manifests naming the same system are capped apart.
    ...r.systems.flatMap((s) => s.gates.map((g) => ({ g, system: s.system, group: `${s.manifest}\u0000${s.system}` }))),
  ];
  for (const { g, system, group } of all) {
    if (!blocking(g) || !g.location) continue;
    out.push({
      group,
      annotation: {
        path: g.location.file,
        start_line: g.location.line,
        end_line: g.location.line,
        annotation_level: g.outcome === 'fail' && r.enforce === 'block' ? 'failure' : 'warning',
        title: `${g.id}${system ? ` (${system})` : ''}: ${g.outcome}`,
        message: `${g.reason}${g.fix ? `\nFix: ${g.fix}` : ''}`.slice(0, 64_000),
      },
    });
  }
  return out;
}
