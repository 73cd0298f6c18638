// API reads for the board, counted per repository and bounded: a repository that would need
// more than its budget is listed "not evaluated" instead of costing the organisation's rate limit.
import picomatch from 'picomatch';
import type { GitHub } from '../../github/client';
import { statusOf } from '../../github/errors';

export class BudgetExceeded extends Error {}

/** The run's time budget: an instant after which no repository is started or read further. */
export interface TimeBudget {
  /** Epoch milliseconds. */
  at: number;
  minutes: number;
}

export class TimeBudgetExceeded extends Error {}

export const timeBudgetReason = (t: TimeBudget): string => `the run's time budget (${t.minutes} min) ran out`;

export class RepoApi {
  requests = 0;
  constructor(
    private readonly gh: GitHub,
    readonly owner: string,
    readonly repo: string,
    private readonly budget: number,
    private readonly time?: TimeBudget,
  ) {}

  private spend(): void {
    if (this.time && Date.now() >= this.time.at) throw new TimeBudgetExceeded(timeBudgetReason(this.time));
    if (this.requests >= this.budget) throw new BudgetExceeded(`the request budget of ${this.budget} per repository ran out`);
    this.requests++;
  }

  async defaultBranch(): Promise<string> {
    this.spend();
    return (await this.gh.rest.repos.get({ owner: this.owner, repo: this.repo })).data.default_branch;
  }

  /** Branch names matching the globs, one request per 100 branches (at most `max` names kept). */
  async branchesMatching(globs: readonly string[], max: number): Promise<string[]> {
    const matchers = globs.map((g) => picomatch(g));
    const out: string[] = [];
    for (let page = 1; page <= 10; page++) {
      this.spend();
      const res = await this.gh.request('GET /repos/{owner}/{repo}/branches', { owner: this.owner, repo: this.repo, per_page: 100, page });
      const names = (res.data as { name: string }[]).map((b) => b.name);
      out.push(...names.filter((n) => matchers.some((m) => m(n))));
      if (names.length < 100) break;
    }
    return out.sort().slice(0, max);
  }

  /** The branch's head commit and its committer date. */
  async head(ref: string): Promise<{ sha: string; date?: string }> {
    this.spend();
    const res = await this.gh.rest.repos.getCommit({ owner: this.owner, repo: this.repo, ref });
    const date = res.data.commit.committer?.date ?? res.data.commit.author?.date;
    return { sha: res.data.sha, ...(date ? { date } : {}) };
  }

  /** Every blob path of the commit (symbolic links excluded: never followed). */
  async tree(sha: string): Promise<Set<string>> {
    this.spend();
    const res = await this.gh.rest.git.getTree({ owner: this.owner, repo: this.repo, tree_sha: sha, recursive: '1' });
    if (res.data.truncated) throw new Error(`the tree of ${sha.slice(0, 7)} is too large for one listing`);
    return new Set(res.data.tree.filter((t) => t.type === 'blob' && t.mode !== '120000' && typeof t.path === 'string').map((t) => t.path!));
  }

  /** A file's bytes at the commit; undefined when absent. */
  async file(path: string, sha: string): Promise<Buffer | undefined> {
    this.spend();
    try {
      const res = await this.gh.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: this.owner, repo: this.repo, path, ref: sha, mediaType: { format: 'raw' } });
      const body: unknown = res.data;
      return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body as ArrayBuffer);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/** Repositories of an owner (organisation, else user), archived ones left out. */
export async function listOwnerRepos(gh: GitHub, owner: string): Promise<string[]> {
  try {
    const repos = await gh.paginate(gh.rest.repos.listForOrg, { org: owner, per_page: 100 });
    return repos.filter((r) => !r.archived).map((r) => r.full_name);
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
    const repos = await gh.paginate(gh.rest.repos.listForUser, { username: owner, per_page: 100 });
    return repos.filter((r) => !r.archived).map((r) => r.full_name);
  }
}
