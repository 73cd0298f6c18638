// The check run: conclusion, summary, the report as text, annotations on manifest lines
// (50 per request, GitHub's limit; capped per system and per run by the caller, and the
// summary counts those left out).
import { ANNOTATIONS_PER_RUN, ANNOTATIONS_PER_SYSTEM } from '../model/annotation';
import type { Annotation } from '../model/annotation';

export type { Annotation };
import type { GitHub } from './client';
import type { RepoRef } from './contents';


const TEXT_LIMIT = 65_535;
const BATCH = 50;

export async function publishCheckRun(
  gh: GitHub,
  r: RepoRef,
  o: {
    name: string;
    headSha: string;
    conclusion: 'success' | 'failure' | 'neutral';
    title: string;
    summary: string;
    text: string;
    annotations: Annotation[];
    /** Located blocking gates the annotation caps left out: the summary says how many. */
    annotationsOmitted?: number;
  },
): Promise<number> {
  const clip = (s: string): string => (s.length <= TEXT_LIMIT ? s : `${s.slice(0, s.lastIndexOf('\n', TEXT_LIMIT - 200))}\n\n… (truncated; the job summary has the full report)`);
  const omitted = o.annotationsOmitted ?? 0;
  const summary = omitted > 0 ? `${o.summary}\n\n${omittedLine(o.annotations.length, omitted)}` : o.summary;
  const output = { title: o.title.slice(0, 255), summary: clip(summary), text: clip(o.text) };
  const batches: Annotation[][] = [];
  for (let i = 0; i < o.annotations.length; i += BATCH) batches.push(o.annotations.slice(i, i + BATCH));
  const created = await gh.rest.checks.create({
    owner: r.owner,
    repo: r.repo,
    name: o.name,
    head_sha: o.headSha,
    status: 'completed',
    conclusion: o.conclusion,
    output: { ...output, annotations: batches[0] ?? [] },
  });
  for (const batch of batches.slice(1)) {
    await gh.rest.checks.update({ owner: r.owner, repo: r.repo, check_run_id: created.data.id, output: { ...output, annotations: batch } });
  }
  return created.data.id;
}

/** The summary's count of the annotations the caps left out. */
export function omittedLine(shown: number, omitted: number): string {
  return `${shown} annotation${shown === 1 ? '' : 's'} shown, ${omitted} more not shown: a check run carries at most ${ANNOTATIONS_PER_SYSTEM} per system and ${ANNOTATIONS_PER_RUN} per run. The job summary lists every gate.`;
}

/** The newest check run of that name on a commit (the one GitHub's required checks read). */
export async function latestCheckRun(gh: GitHub, r: RepoRef, sha: string, name: string): Promise<{ conclusion: string | null; title: string | null } | undefined> {
  const res = await gh.rest.checks.listForRef({ owner: r.owner, repo: r.repo, ref: sha, check_name: name, filter: 'latest', per_page: 100 });
  // `filter: latest` keeps the newest per name; picking by id as well does not rely on order.
  const run = res.data.check_runs.reduce<(typeof res.data.check_runs)[number] | undefined>((a, b) => (!a || b.id > a.id ? b : a), undefined);
  return run ? { conclusion: run.conclusion, title: run.output.title } : undefined;
}
