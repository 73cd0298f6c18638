// Everything the action needs from the REST API, loaded on demand: a run that ends before it
// needs the API (bad inputs, no commit to answer for) never pays for loading octokit.
export { createClient } from './client';
export type { GitHub } from './client';
export { latestCheckRun, publishCheckRun } from './checks';
export { MARKER, upsertComment, whoAmI } from './comments';
export { listRepoFiles, readRepoFile, treeReader } from './contents';
export type { RepoRef } from './contents';
export { openPullsHeadedBy, openPullsInto } from './pulls';
export type { OpenPull } from './pulls';
export { ApproverDirectory, reviewEvidence } from './reviews';
