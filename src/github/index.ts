// Everything the action needs from the REST API, loaded on demand: runs that make no API
// call (a scheduled run without a check run) never pay for loading octokit.
export { createClient } from './client';
export type { GitHub } from './client';
export { publishCheckRun } from './checks';
export { MARKER, upsertComment, whoAmI } from './comments';
export { readRepoFile } from './contents';
export type { RepoRef } from './contents';
export { ApproverDirectory, reviewEvidence } from './reviews';
