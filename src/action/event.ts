// Event payload + environment → which refs this run is about (SPEC §8's table). Pure: the
// payload and env are passed in.
export interface RunContext {
  event: string;
  action?: string;
  owner: string;
  repo: string;
  serverUrl: string;
  defaultBranch: string;
  /** The branch whose policy rule applies. */
  branch: string;
  /** Where the policy, verified records and regression baseline come from; undefined: the workspace. */
  baseSha?: string;
  /** The commit under evaluation (reviews are matched against it for pull requests). */
  headSha?: string;
  pullNumber?: number;
  author?: string;
  isFork: boolean;
  /** pull-request: records verified against base + reviews; branch: already on the branch. */
  trustMode: 'pull-request' | 'branch';
  /** Whether the run may write a pull request comment (a PR event, not from a fork). */
  canComment: boolean;
  /** merge_group: the PR whose reviews count. */
  reviewsOf?: number;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});

export function stripRef(ref: string | undefined): string | undefined {
  return ref?.replace(/^refs\/heads\//, '');
}

/** `gh-readonly-queue/main/pr-123-<sha>` → 123 */
export function mergeQueuePr(headRef: string | undefined): number | undefined {
  const m = /(?:^|\/)pr-(\d+)-[0-9a-f]+$/.exec(headRef ?? '');
  return m ? Number(m[1]) : undefined;
}

/** `gh-readonly-queue/release/1.0/pr-12-<sha>` → the queue's target branch and pull request. */
export function mergeQueueBranch(branch: string | undefined): { base: string; pr: number } | undefined {
  const m = /^gh-readonly-queue\/(.+)\/pr-(\d+)-[0-9a-f]+$/.exec(branch ?? '');
  return m ? { base: m[1]!, pr: Number(m[2]) } : undefined;
}

export function contextFrom(eventName: string, payload: Json, env: Record<string, string | undefined>, opts: { branchInput?: string; workspaceHead?: string }): RunContext {
  const repository = obj(payload.repository);
  const [envOwner, envRepo] = (env.GITHUB_REPOSITORY ?? '/').split('/');
  const owner = str(obj(repository.owner).login) ?? envOwner ?? '';
  const repo = str(repository.name) ?? envRepo ?? '';
  const base: Omit<RunContext, 'branch' | 'trustMode' | 'canComment' | 'isFork'> = {
    event: eventName,
    ...(str(payload.action) ? { action: str(payload.action)! } : {}),
    owner,
    repo,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    defaultBranch: str(repository.default_branch) ?? 'main',
  };
  if (eventName === 'pull_request' || eventName === 'pull_request_target' || eventName === 'pull_request_review') {
    const pr = obj(payload.pull_request);
    const b = obj(pr.base);
    const h = obj(pr.head);
    const isFork = str(obj(h.repo).full_name) !== str(obj(b.repo).full_name);
    return {
      ...base,
      branch: str(b.ref) ?? '',
      ...(str(b.sha) ? { baseSha: str(b.sha)! } : {}),
      ...(str(h.sha) ? { headSha: str(h.sha)! } : {}),
      ...(typeof pr.number === 'number' ? { pullNumber: pr.number } : {}),
      ...(str(obj(pr.user).login) ? { author: str(obj(pr.user).login)! } : {}),
      isFork,
      trustMode: 'pull-request',
      canComment: !isFork,
    };
  }
  if (eventName === 'merge_group') {
    const mg = obj(payload.merge_group);
    const pr = mergeQueuePr(str(mg.head_ref));
    return {
      ...base,
      branch: stripRef(str(mg.base_ref)) ?? '',
      ...(str(mg.base_sha) ? { baseSha: str(mg.base_sha)! } : {}),
      ...(str(mg.head_sha) ? { headSha: str(mg.head_sha)! } : {}),
      ...(pr !== undefined ? { reviewsOf: pr } : {}),
      isFork: false,
      trustMode: 'pull-request',
      canComment: false,
    };
  }
  // push, schedule, workflow_dispatch and anything else: the checked-out branch is the base.
  const pushed = eventName === 'push' ? stripRef(str(payload.ref)) : undefined;
  // A push to a merge queue's branch is the merge group's commit: judged like `merge_group`
  // (the target branch's rule, the queued pull request's reviews), never as a branch of its
  // own whose `**` rule would leave a green check on the commit the queue is about to merge.
  const queue = mergeQueueBranch(pushed);
  if (queue) {
    const head = opts.workspaceHead ?? str(payload.after) ?? env.GITHUB_SHA;
    return { ...base, branch: queue.base, ...(head ? { headSha: head } : {}), reviewsOf: queue.pr, isFork: false, trustMode: 'pull-request', canComment: false };
  }
  const branch = opts.branchInput || pushed || env.GITHUB_REF_NAME || stripRef(env.GITHUB_REF) || base.defaultBranch;
  const head = opts.workspaceHead ?? env.GITHUB_SHA;
  return {
    ...base,
    branch,
    ...(head ? { headSha: head } : {}),
    isFork: false,
    trustMode: 'branch',
    canComment: false,
  };
}

/** The parts of an open pull request that its own run is judged by (src/github/pulls.ts). */
export interface PullRef {
  number: number;
  baseRef: string;
  baseSha: string;
  headSha: string;
  author?: string;
}

/**
 * A branch-event run answering for an open pull request (SPEC §8): the context that pull
 * request's own run has — its base branch's rule, its base SHA for the policy, verified records
 * and regression baseline, its reviews on its head — on the same event. It writes no comment
 * (the pull request's own runs do) and is not a fork run: the token is this repository's.
 */
export function pullRequestContext(ctx: RunContext, pr: PullRef): RunContext {
  const { baseSha: _b, reviewsOf: _r, author: _a, pullNumber: _p, ...rest } = ctx;
  return {
    ...rest,
    branch: pr.baseRef,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    pullNumber: pr.number,
    ...(pr.author ? { author: pr.author } : {}),
    isFork: false,
    trustMode: 'pull-request',
    canComment: false,
  };
}
