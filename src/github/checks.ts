// The check run: conclusion, summary, the report as text, annotations on manifest lines
// (50 per request, GitHub's limit).
import type { GitHub } from './client';
import type { RepoRef } from './contents';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

const TEXT_LIMIT = 65_535;
const BATCH = 50;

export async function publishCheckRun(
  gh: GitHub,
  r: RepoRef,
  o: { name: string; headSha: string; conclusion: 'success' | 'failure' | 'neutral'; title: string; summary: string; text: string; annotations: Annotation[] },
): Promise<number> {
  const clip = (s: string): string => (s.length <= TEXT_LIMIT ? s : `${s.slice(0, s.lastIndexOf('\n', TEXT_LIMIT - 200))}\n\n… (truncated; the job summary has the full report)`);
  const output = { title: o.title.slice(0, 255), summary: clip(o.summary), text: clip(o.text) };
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
