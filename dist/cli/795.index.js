export const id = 795;
export const ids = [795];
export const modules = {

/***/ 5795:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ApproverDirectory: () => (/* reexport */ ApproverDirectory),
  MARKER: () => (/* reexport */ MARKER),
  createClient: () => (/* reexport */ createClient),
  publishCheckRun: () => (/* reexport */ publishCheckRun),
  readRepoFile: () => (/* reexport */ readRepoFile),
  reviewEvidence: () => (/* reexport */ reviewEvidence),
  upsertComment: () => (/* reexport */ upsertComment),
  whoAmI: () => (/* reexport */ whoAmI)
});

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
;// CONCATENATED MODULE: ./src/github/client.ts
// The REST client: @actions/github's octokit with retries, rate-limit handling and a timeout
// on every attempt, so an outage or a hung response can delay a run but never hang it.



const RETRIES = 3;
function createClient(token, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? Number(process.env.LASTMILE_HTTP_TIMEOUT_MS ?? 20_000);
    const maxWait = opts.maxRateLimitWaitS ?? 60;
    const log = opts.log ?? (() => undefined);
    const timedFetch = (input, init) => {
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        return fetch(input, { ...init, signal });
    };
    const onLimit = (kind) => (retryAfter, options, _o, retryCount) => {
        const again = retryCount < 2 && retryAfter <= maxWait;
        log(`${kind} on ${options.method} ${options.url}: ${again ? `retrying after ${retryAfter}s` : 'giving up'}`);
        return again;
    };
    return (0,github/* getOctokit */.Q)(token, {
        request: { fetch: timedFetch },
        // 429 is left to the throttling plugin, which waits as GitHub says (retry-after for a
        // secondary limit, the reset time for the primary one); retrying it after 0.4 s would not.
        retry: { retries: RETRIES, retryAfterBaseValue: 400, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
        throttle: {
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
            fallbackSecondaryRateRetryAfter: 30,
        },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}


;// CONCATENATED MODULE: ./src/github/checks.ts
const TEXT_LIMIT = 65_535;
const BATCH = 50;
async function publishCheckRun(gh, r, o) {
    const clip = (s) => (s.length <= TEXT_LIMIT ? s : `${s.slice(0, s.lastIndexOf('\n', TEXT_LIMIT - 200))}\n\n… (truncated; the job summary has the full report)`);
    const output = { title: o.title.slice(0, 255), summary: clip(o.summary), text: clip(o.text) };
    const batches = [];
    for (let i = 0; i < o.annotations.length; i += BATCH)
        batches.push(o.annotations.slice(i, i + BATCH));
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

;// CONCATENATED MODULE: ./src/github/errors.ts
// HTTP error helpers, kept apart from the client so that error reporting never loads octokit.
function statusOf(err) {
    const s = err?.status;
    return typeof s === 'number' ? s : undefined;
}
function describeError(err) {
    const status = statusOf(err);
    const msg = err instanceof Error ? err.message : String(err);
    return status ? `HTTP ${status}: ${msg.split('\n')[0]}` : msg.split('\n')[0] ?? msg;
}
/** GitHub answers a secondary rate limit with 403 (or 429): not a missing permission. */
function isRateLimit(err) {
    return /\brate limit\b/i.test(err instanceof Error ? err.message : String(err));
}

;// CONCATENATED MODULE: ./src/github/comments.ts

const MARKER = '<!-- last-mile:comment -->';
/**
 * Integration tokens (GITHUB_TOKEN, a GitHub App's) cannot ask who they are, and they comment as
 * a bot (`github-actions[bot]`, `<app>[bot]`): for them, "ours" is a marker comment by a bot. A
 * person's comment with the marker is never ours.
 */
const SOME_BOT = '[bot]';
/** The token's login, or SOME_BOT for an integration token, which cannot call GET /user. */
async function whoAmI(gh) {
    try {
        const res = await gh.rest.users.getAuthenticated();
        return res.data.login;
    }
    catch (err) {
        const s = statusOf(err);
        if (s === 403 || s === 401 || s === 404)
            return SOME_BOT;
        throw err;
    }
}
async function ownComments(gh, r, pull, me) {
    const all = await gh.paginate(gh.rest.issues.listComments, { owner: r.owner, repo: r.repo, issue_number: pull, per_page: 100 });
    return all
        .filter((c) => (c.body ?? '').includes(MARKER) && isMe(c.user, me))
        .map((c) => ({ id: c.id, body: c.body ?? '', created_at: c.created_at }))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}
function isMe(user, me) {
    if (!user?.login)
        return false;
    if (me === SOME_BOT)
        return user.type === 'Bot' && user.login.endsWith('[bot]');
    return user.login.toLowerCase() === me.toLowerCase();
}
/** `render` receives the previous body (for "what changed") and returns the new one. */
async function upsertComment(gh, r, pull, render, o) {
    if (o.mode === 'never')
        return { action: 'skipped', reason: 'comment: never' };
    const existing = await ownComments(gh, r, pull, o.me);
    const keep = existing[0];
    const body = render(keep?.body);
    if (!keep && o.mode === 'on-failure' && !o.failing)
        return { action: 'skipped', reason: 'comment: on-failure and every gate passes' };
    if (keep && keep.body === body && existing.length === 1)
        return { action: 'unchanged', id: keep.id };
    if (o.headSha) {
        const pr = await gh.rest.pulls.get({ owner: r.owner, repo: r.repo, pull_number: pull });
        if (pr.data.head.sha !== o.headSha) {
            return { action: 'skipped', reason: `the pull request's head is now ${pr.data.head.sha.slice(0, 7)}, not ${o.headSha.slice(0, 7)}: a newer run reports on it` };
        }
    }
    if (keep) {
        if (keep.body !== body)
            await gh.rest.issues.updateComment({ owner: r.owner, repo: r.repo, comment_id: keep.id, body });
        await deleteExtras(gh, r, existing.slice(1), o.warn ?? o.log);
        return { action: keep.body === body ? 'unchanged' : 'updated', id: keep.id };
    }
    const created = await gh.rest.issues.createComment({ owner: r.owner, repo: r.repo, issue_number: pull, body });
    // Another run may have created its copy at the same moment: keep the oldest, delete ours if it is not.
    const me = created.data.user?.login ?? o.me;
    const after = await ownComments(gh, r, pull, me);
    const oldest = after[0];
    if (oldest && oldest.id !== created.data.id) {
        await deleteExtras(gh, r, after.filter((c) => c.id !== oldest.id), o.warn ?? o.log);
        if (oldest.body !== body)
            await gh.rest.issues.updateComment({ owner: r.owner, repo: r.repo, comment_id: oldest.id, body });
        return { action: 'updated', id: oldest.id };
    }
    await deleteExtras(gh, r, after.slice(1), o.warn ?? o.log);
    return { action: 'created', id: created.data.id };
}
async function deleteExtras(gh, r, extras, log) {
    for (const c of extras) {
        try {
            await gh.rest.issues.deleteComment({ owner: r.owner, repo: r.repo, comment_id: c.id });
        }
        catch (err) {
            // 404: another run deleted it already.
            if (statusOf(err) !== 404)
                log(`could not delete a duplicate of the pull request comment (id ${c.id}): ${describeError(err)}. The next run deletes it.`);
        }
    }
}

;// CONCATENATED MODULE: ./src/github/contents.ts

/** The file's text, or undefined when it does not exist at that ref. Other errors throw. */
async function readRepoFile(gh, r, path, ref) {
    try {
        const res = await gh.rest.repos.getContent({ owner: r.owner, repo: r.repo, path, ref });
        const data = res.data;
        if (Array.isArray(data) || data.type !== 'file')
            return undefined;
        if (data.encoding === 'base64' && typeof data.content === 'string')
            return Buffer.from(data.content, 'base64').toString('utf8');
        // Files over 1 MB come without content: ask for the raw media type.
        const raw = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', {
            owner: r.owner,
            repo: r.repo,
            path,
            ref,
            mediaType: { format: 'raw' },
        });
        const body = raw.data;
        return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    }
    catch (err) {
        if (statusOf(err) === 404)
            return undefined;
        throw err;
    }
}

// EXTERNAL MODULE: ./src/trust/approvers.ts
var trust_approvers = __webpack_require__(7472);
// EXTERNAL MODULE: ./src/trust/types.ts
var types = __webpack_require__(1003);
;// CONCATENATED MODULE: ./src/github/reviews.ts



/** Latest non-comment review per user; only approvals of the head commit count. */
async function reviewEvidence(gh, r, pull, headSha, author) {
    const reviews = (await gh.paginate(gh.rest.pulls.listReviews, { owner: r.owner, repo: r.repo, pull_number: pull, per_page: 100 }));
    return summariseReviews(reviews, headSha, author);
}
function summariseReviews(reviews, headSha, author) {
    const latest = new Map();
    for (const rv of reviews) {
        const login = rv.user?.login;
        const state = (rv.state ?? '').toUpperCase();
        if (!login || state === 'COMMENTED' || state === 'PENDING')
            continue;
        latest.set(login.toLowerCase(), rv); // the API lists reviews oldest first
    }
    const approvingReviewers = [];
    const discountedReviews = [];
    for (const rv of latest.values()) {
        const login = rv.user.login;
        const state = (rv.state ?? '').toUpperCase();
        if (author && login.toLowerCase() === author.toLowerCase())
            continue;
        if (state !== 'APPROVED')
            discountedReviews.push({ login, why: state === 'DISMISSED' ? 'review dismissed' : 'changes requested' });
        else if (rv.commit_id !== headSha)
            discountedReviews.push({ login, why: `approved ${rv.commit_id?.slice(0, 7) ?? 'an older commit'}, not the head ${headSha.slice(0, 7)}` });
        else
            approvingReviewers.push(login);
    }
    return { approvingReviewers, discountedReviews };
}
/** Resolves team and permission approvers for each approving reviewer; cached per run. */
class ApproverDirectory {
    gh;
    repo;
    cache = new Map();
    constructor(gh, repo) {
        this.gh = gh;
        this.repo = repo;
    }
    async table(approvers, logins) {
        const out = {};
        for (const a of new Set(approvers)) {
            const spec = (0,trust_approvers/* parseApprover */.hy)(a);
            if (spec.kind === 'user')
                continue;
            for (const login of logins)
                out[(0,types/* membershipKey */.U)(a, login)] = await this.lookup(a, login);
        }
        return out;
    }
    lookup(approver, login) {
        const key = (0,types/* membershipKey */.U)(approver, login);
        let p = this.cache.get(key);
        if (!p) {
            p = this.resolve(approver, login);
            this.cache.set(key, p);
        }
        return p;
    }
    async resolve(approver, login) {
        const spec = (0,trust_approvers/* parseApprover */.hy)(approver);
        if (spec.kind === 'team') {
            try {
                const res = await this.gh.rest.teams.getMembershipForUserInOrg({ org: spec.org, team_slug: spec.slug, username: login });
                return res.data.state === 'active' ? { member: true, via: `member of @${spec.org}/${spec.slug}` } : { member: false };
            }
            catch (err) {
                const s = statusOf(err);
                // GitHub answers 404 both for "not a member" and for "this token may not see the team".
                if (s === 404)
                    return { member: false };
                // A rate limit that outlasted the waits is an error, not a missing permission.
                if ((s === 403 || s === 401) && !isRateLimit(err)) {
                    return {
                        member: 'unknown',
                        why: `cannot read the membership of @${spec.org}/${spec.slug} (${describeError(err)}): the token needs the organisation permission "Members: read" (a GitHub App installation token or a fine-grained token), passed as the action's github-token input; GITHUB_TOKEN cannot read team membership`,
                    };
                }
                throw err;
            }
        }
        if (spec.kind === 'permission') {
            try {
                const res = await this.gh.rest.repos.getCollaboratorPermissionLevel({ owner: this.repo.owner, repo: this.repo.repo, username: login });
                const data = res.data;
                // role_name carries triage/maintain; custom roles fall back to the base permission.
                const role = (0,trust_approvers/* rank */.Tm)(data.role_name) >= 0 ? data.role_name : data.permission;
                return (0,trust_approvers/* rank */.Tm)(role) >= (0,trust_approvers/* rank */.Tm)(spec.level) ? { member: true, via: `${role} access` } : { member: false };
            }
            catch (err) {
                const s = statusOf(err);
                if (s === 404)
                    return { member: false };
                if ((s === 403 || s === 401) && !isRateLimit(err))
                    return { member: 'unknown', why: `cannot read @${login}'s permission on the repository (${describeError(err)})` };
                throw err;
            }
        }
        return { member: false };
    }
}

;// CONCATENATED MODULE: ./src/github/index.ts
// Everything the action needs from the REST API, loaded on demand: runs that make no API
// call (a scheduled run without a check run) never pay for loading octokit.







/***/ })

};
