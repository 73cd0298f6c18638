export const id = 499;
export const ids = [499];
export const modules = {

/***/ 5499:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ApproverDirectory: () => (/* reexport */ ApproverDirectory),
  MARKER: () => (/* reexport */ MARKER),
  createClient: () => (/* reexport */ client/* createClient */.U),
  latestCheckRun: () => (/* reexport */ latestCheckRun),
  listRepoFiles: () => (/* reexport */ listRepoFiles),
  openPullsHeadedBy: () => (/* reexport */ openPullsHeadedBy),
  openPullsInto: () => (/* reexport */ openPullsInto),
  publishCheckRun: () => (/* reexport */ publishCheckRun),
  readRepoFile: () => (/* reexport */ readRepoFile),
  reviewEvidence: () => (/* reexport */ reviewEvidence),
  treeReader: () => (/* reexport */ treeReader),
  upsertComment: () => (/* reexport */ upsertComment),
  whoAmI: () => (/* reexport */ whoAmI)
});

// EXTERNAL MODULE: ./src/github/client.ts + 26 modules
var client = __webpack_require__(8231);
;// CONCATENATED MODULE: ./src/model/annotation.ts
// A check-run annotation and the caps on how many one run sends (SPEC v2 §7.1): shared by the
// renderer that makes them and the GitHub adapter that sends them.
/** At most this many annotations per system (the repository's own gates count as one system). */
const ANNOTATIONS_PER_SYSTEM = 50;
/** At most this many annotations per run. */
const ANNOTATIONS_PER_RUN = 200;

;// CONCATENATED MODULE: ./src/github/checks.ts
// The check run: conclusion, summary, the report as text, annotations on manifest lines
// (50 per request, GitHub's limit; capped per system and per run by the caller, and the
// summary counts those left out).

const TEXT_LIMIT = 65_535;
const BATCH = 50;
async function publishCheckRun(gh, r, o) {
    const clip = (s) => (s.length <= TEXT_LIMIT ? s : `${s.slice(0, s.lastIndexOf('\n', TEXT_LIMIT - 200))}\n\n… (truncated; the job summary has the full report)`);
    const omitted = o.annotationsOmitted ?? 0;
    const summary = omitted > 0 ? `${o.summary}\n\n${omittedLine(o.annotations.length, omitted)}` : o.summary;
    const output = { title: o.title.slice(0, 255), summary: clip(summary), text: clip(o.text) };
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
/** The summary's count of the annotations the caps left out. */
function omittedLine(shown, omitted) {
    return `${shown} annotation${shown === 1 ? '' : 's'} shown, ${omitted} more not shown: a check run carries at most ${ANNOTATIONS_PER_SYSTEM} per system and ${ANNOTATIONS_PER_RUN} per run. The job summary lists every gate.`;
}
/** The newest check run of that name on a commit (the one GitHub's required checks read). */
async function latestCheckRun(gh, r, sha, name) {
    const res = await gh.rest.checks.listForRef({ owner: r.owner, repo: r.repo, ref: sha, check_name: name, filter: 'latest', per_page: 100 });
    // `filter: latest` keeps the newest per name; picking by id as well does not rely on order.
    const run = res.data.check_runs.reduce((a, b) => (!a || b.id > a.id ? b : a), undefined);
    return run ? { conclusion: run.conclusion, title: run.output.title } : undefined;
}

// EXTERNAL MODULE: ./src/github/errors.ts
var errors = __webpack_require__(3116);
;// CONCATENATED MODULE: ./src/github/comments.ts

const MARKER = '<!-- last-mile:comment -->';
/** The account GitHub Actions' GITHUB_TOKEN writes as (id 41898282 on github.com). */
const ACTIONS_BOT = 'github-actions[bot]';
const VIEWER = 'query { viewer { login databaseId } }';
/**
 * The token's identity. GET /user answers personal tokens; integration tokens (GITHUB_TOKEN, a
 * GitHub App's) get 403 there, and GraphQL `viewer` gives the bot account they write as.
 */
async function whoAmI(gh, env = process.env) {
    try {
        const res = await gh.rest.users.getAuthenticated();
        return { login: res.data.login, id: res.data.id, source: 'user' };
    }
    catch (err) {
        const s = (0,errors/* statusOf */.c2)(err);
        if (s !== 403 && s !== 401 && s !== 404)
            throw err;
    }
    try {
        const res = await gh.graphql(VIEWER);
        const login = res.viewer?.login;
        if (login)
            return { login, ...(typeof res.viewer?.databaseId === 'number' ? { id: res.viewer.databaseId } : {}), source: 'viewer' };
    }
    catch (err) {
        // An outage or a rate limit is an error (the comment is not written, with a warning); a
        // refusal (4xx) or a GraphQL error means the identity cannot be learned here.
        const s = (0,errors/* statusOf */.c2)(err);
        const refused = s !== undefined ? s >= 400 && s < 500 && !(0,errors/* isRateLimit */.a5)(err) : err?.name === 'GraphqlResponseError';
        if (!refused)
            throw err;
    }
    // Not learned. In GitHub Actions the default token is GITHUB_TOKEN, whose one account is
    // github-actions[bot]: assuming it can only match comments by that exact account. Elsewhere
    // nothing is ours: the run posts its own comment and learns its identity from it.
    return env.GITHUB_ACTIONS === 'true' ? { login: ACTIONS_BOT, source: 'actions' } : { source: 'unknown' };
}
async function ownComments(gh, r, pull, me) {
    if (me.login === undefined && me.id === undefined)
        return [];
    const all = await gh.paginate(gh.rest.issues.listComments, { owner: r.owner, repo: r.repo, issue_number: pull, per_page: 100 });
    return all
        .filter((c) => (c.body ?? '').includes(MARKER) && isMe(c.user, me))
        .map((c) => ({ id: c.id, body: c.body ?? '', created_at: c.created_at }))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}
/** Whether a comment's author is the token's own account: by id where both are known, else by exact login. */
function isMe(user, me) {
    if (!user?.login)
        return false;
    if (me.id !== undefined && typeof user.id === 'number')
        return user.id === me.id;
    if (me.login === undefined)
        return false;
    const login = user.login.toLowerCase();
    const mine = me.login.toLowerCase();
    if (me.source === 'actions' && user.type !== 'Bot')
        return false;
    // GraphQL may name a bot without the `[bot]` suffix that REST shows.
    return login === mine || (user.type === 'Bot' && !mine.endsWith('[bot]') && login === `${mine}[bot]`);
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
    // The new comment's author is the token's account for certain: it decides what else is ours.
    const author = created.data.user;
    const me = author?.login ? { login: author.login, ...(typeof author.id === 'number' ? { id: author.id } : {}), source: 'comment' } : o.me;
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
            if ((0,errors/* statusOf */.c2)(err) !== 404)
                log(`could not delete a duplicate of the pull request comment (id ${c.id}): ${(0,errors/* describeError */.Uc)(err)}. The next run deletes it.`);
        }
    }
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/github/contents.ts
// Files at a ref through the API: the base's policy, manifests, evals and CODEOWNERS. One file
// through the contents API (`readRepoFile`), or a commit's files in batches (`treeReader`: one
// tree listing, then GraphQL queries of up to 100 files each, SPEC §7.1).


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
        if ((0,errors/* statusOf */.c2)(err) === 404)
            return undefined;
        throw err;
    }
}
/**
 * Every file path of a commit's tree, in one request (`recursive=1`): the base's manifests that a
 * pull request moved or removed. Throws when GitHub truncates the listing (over 100,000 entries),
 * since a partial list would miss systems silently.
 */
async function listRepoFiles(gh, r, sha) {
    return [...(await listRepoTree(gh, r, sha)).keys()];
}
/** A commit's file paths (symbolic links included), recursively. Throws when truncated. */
async function listRepoTree(gh, r, sha) {
    const res = await gh.rest.git.getTree({ owner: r.owner, repo: r.repo, tree_sha: sha, recursive: '1' });
    if (res.data.truncated)
        throw new Error(`the tree of ${sha.slice(0, 7)} is too large for one listing`);
    const files = new Map();
    for (const t of res.data.tree) {
        if (t.type !== 'blob' || typeof t.path !== 'string')
            continue;
        files.set(t.path, { oid: t.sha, size: t.size, link: t.mode === '120000' });
    }
    return files;
}
/**
 * Files per GraphQL query. GitHub documents no cap on aliases; what bounds a query is its 10 s
 * server timeout (a timed-out query still costs rate limit) and its answer, which carries every
 * file's text: 100 aliases (also the `first`/`last` ceiling GitHub sets on connections) and
 * BATCH_BYTES of text keep one answer to a few megabytes. Each query costs one point of the
 * GraphQL rate limit whatever its alias count (no connections), far below the 500,000-node cap.
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
const BATCH_FILES = 100;
const BATCH_BYTES = 4 * 1024 * 1024;
/**
 * GitHub cuts `Blob.text` at 512,000 bytes (not documented; observed, and flagged by
 * `isTruncated`): larger files go to the contents API directly rather than twice.
 */
const contents_TEXT_LIMIT = 512_000;
/**
 * The base commit's files through the API, where git cannot read them (SPEC §7.1): one tree
 * listing (also the answer to `list`), then the files it holds in batches. Reads made while a
 * batch is pending (the same turn of the event loop: `Promise.all(paths.map(read))`) share
 * GraphQL queries of up to 100 files each, whose expressions (`<sha>:<path>`; the path is the
 * pull request's to choose) travel as variables, never inside the query's text.
 *
 * - A path the listing lacks costs nothing and reads as undefined (CODEOWNERS is looked for in
 *   three places).
 * - The contents API answers, one file each, where GraphQL cannot say the same: a batch of one
 *   file (one request either way), symbolic links (the contents API follows them, as git-base
 *   does), files over 512,000 bytes, an answer that is binary, truncated, re-encoded, of another
 *   blob than the listing's or missing although listed; and every file of a query that failed
 *   (an error, `errors` in the answer, a rate limit, no GraphQL). Its errors throw out of `read`:
 *   a failed read never becomes a missing file.
 * - Where the listing itself fails or is truncated, each read asks the contents API as before.
 */
function treeReader(gh, r, sha) {
    let tree;
    const listing = () => (tree ??= listRepoTree(gh, r, sha));
    const rest = (path) => readRepoFile(gh, r, path, sha);
    let pending;
    const read = async (path) => {
        const files = await listing().catch(() => undefined);
        if (!files)
            return rest(path);
        const key = external_node_path_.posix.normalize(path).replace(/^\.\//, '');
        const file = files.get(key);
        if (!file)
            return undefined;
        if (file.link || (file.size ?? 0) > contents_TEXT_LIMIT)
            return rest(path);
        return new Promise((resolve, reject) => {
            if (!pending) {
                const batch = (pending = new Map());
                setImmediate(() => {
                    pending = undefined;
                    const wanted = [...batch.values()];
                    answer(wanted).catch((err) => {
                        for (const w of wanted)
                            for (const x of w.waiters)
                                x.reject(err); // no-op for those already answered
                    });
                });
            }
            const wanted = pending.get(key) ?? { key, file, waiters: [] };
            wanted.waiters.push({ path, resolve, reject });
            pending.set(key, wanted);
        });
    };
    /** One file through the contents API, for each of its waiters. */
    const viaRest = async (w) => {
        try {
            const text = await rest(w.waiters[0].path);
            for (const x of w.waiters)
                x.resolve(text);
        }
        catch (err) {
            for (const x of w.waiters)
                x.reject(err);
        }
    };
    const answer = async (batch) => {
        if (batch.length === 1)
            return viaRest(batch[0]);
        const chunks = [];
        let bytes = 0;
        for (const w of batch) {
            const last = chunks.at(-1);
            const size = w.file.size ?? contents_TEXT_LIMIT;
            if (last && last.length < BATCH_FILES && bytes + size <= BATCH_BYTES) {
                last.push(w);
                bytes += size;
            }
            else {
                chunks.push([w]);
                bytes = size;
            }
        }
        await Promise.all(chunks.map((c) => viaGraphql(c)));
    };
    const viaGraphql = async (chunk) => {
        if (chunk.length === 1)
            return viaRest(chunk[0]);
        let blobs;
        try {
            blobs = await queryBlobs(gh, r, sha, chunk.map((w) => w.key));
        }
        catch {
            blobs = undefined; // the whole query failed: the contents API, file by file
        }
        await Promise.all(chunk.map(async (w, i) => {
            const text = blobs ? textOf(blobs[i], w.file) : undefined;
            if (text === undefined)
                return viaRest(w);
            for (const x of w.waiters)
                x.resolve(text);
        }));
    };
    return {
        read,
        readMany: (paths) => Promise.all(paths.map(read)),
        async list() {
            return [...(await listing()).keys()];
        },
    };
}
/** The blob's whole text, where GraphQL gave exactly the listing's file; else undefined. */
function textOf(b, file) {
    if (!b || typeof b.text !== 'string' || b.isBinary !== false || b.isTruncated !== false)
        return undefined;
    if (file.oid !== undefined && b.oid !== file.oid)
        return undefined;
    // GitHub re-encodes text that is not UTF-8: then the bytes are not the file's.
    if (typeof b.byteSize !== 'number' || Buffer.byteLength(b.text, 'utf8') !== b.byteSize)
        return undefined;
    return b.text;
}
/**
 * One GraphQL query for the blobs at `<sha>:<path>` of each path, in order: an answer per path
 * (null where no object is there). Throws where the query failed or GitHub answered errors.
 */
async function queryBlobs(gh, r, sha, paths) {
    const variables = { owner: r.owner, name: r.repo };
    const declared = ['$owner: String!', '$name: String!'];
    const fields = [];
    paths.forEach((p, i) => {
        variables[`e${i}`] = `${sha}:${p}`;
        declared.push(`$e${i}: String!`);
        fields.push(`f${i}: object(expression: $e${i}) { ... on Blob { oid byteSize isBinary isTruncated text } }`);
    });
    const query = `query(${declared.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
    const res = await gh.graphql(query, variables);
    const repo = res?.repository;
    if (!repo || typeof repo !== 'object')
        throw new Error(`GraphQL gave no repository ${r.owner}/${r.repo}`);
    return paths.map((_, i) => repo[`f${i}`]);
}

;// CONCATENATED MODULE: ./src/github/pulls.ts
const PER_PAGE = 100;
/** Pages of open pull requests read to find those headed by a commit (1,000 pull requests). */
const MAX_OPEN_PAGES = 10;
function toOpenPull(p) {
    const login = p.user?.login;
    return {
        number: p.number,
        baseRef: p.base.ref,
        baseSha: p.base.sha,
        headSha: p.head.sha,
        ...(login ? { author: login } : {}),
        fork: (p.head.repo?.full_name ?? '') !== (p.base.repo?.full_name ?? ''),
    };
}
/**
 * The open pull requests whose head is `sha`. The list of open pull requests is read (one
 * request per 100) rather than `GET /commits/{sha}/pulls`, which for a commit already on the
 * default branch lists only the merged pull request that introduced it: a promotion pull
 * request (main → release) or a branch cut at main's tip would be missed. Past
 * {@link MAX_OPEN_PAGES} pages, the commit's associated pull requests stand in for the rest.
 * Any failure throws: the caller fails closed.
 */
async function openPullsHeadedBy(gh, r, sha, maxPages = MAX_OPEN_PAGES) {
    const want = sha.toLowerCase();
    const found = new Map();
    const keep = (list) => {
        for (const p of list)
            if ((p.state ?? 'open') === 'open' && p.head.sha.toLowerCase() === want)
                found.set(p.number, toOpenPull(p));
    };
    let requests = 0;
    for (let page = 1; page <= maxPages; page++) {
        const res = await gh.rest.pulls.list({ owner: r.owner, repo: r.repo, state: 'open', sort: 'created', direction: 'desc', per_page: PER_PAGE, page });
        requests++;
        keep(res.data);
        if (res.data.length < PER_PAGE)
            return { pulls: [...found.values()], requests };
    }
    const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ owner: r.owner, repo: r.repo, commit_sha: sha, per_page: PER_PAGE });
    keep(res.data);
    return {
        pulls: [...found.values()],
        requests: requests + 1,
        note: `More than ${maxPages * PER_PAGE} open pull requests: beyond the first ${maxPages * PER_PAGE}, only the commit's associated pull requests were checked (GitHub lists none of them for a commit already on the default branch).`,
    };
}
/** Open pull requests into `base`, most recently updated first, at most `limit` (one request). */
async function openPullsInto(gh, r, base, limit) {
    const res = await gh.rest.pulls.list({ owner: r.owner, repo: r.repo, state: 'open', base, sort: 'updated', direction: 'desc', per_page: PER_PAGE });
    // The API filters by base already; the check guards against a proxy or cache that did not.
    const all = res.data.filter((p) => p.base.ref === base && (p.state ?? 'open') === 'open').map(toOpenPull);
    return { pulls: all.slice(0, limit), leftOut: Math.max(0, all.length - limit) };
}

// EXTERNAL MODULE: ./src/evidence/trust/approvers.ts
var trust_approvers = __webpack_require__(9262);
// EXTERNAL MODULE: ./src/evidence/trust/types.ts
var types = __webpack_require__(809);
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
                const s = (0,errors/* statusOf */.c2)(err);
                // GitHub answers 404 both for "not a member" and for "this token may not see the team":
                // say both, so that a reviewer who could only count through the team is not silently refused.
                if (s === 404)
                    return { member: 'unknown', why: teamNotFound(spec.org, spec.slug, login) };
                // A rate limit that outlasted the waits is an error, not a missing permission.
                if ((s === 403 || s === 401) && !(0,errors/* isRateLimit */.a5)(err)) {
                    return {
                        member: 'unknown',
                        why: `cannot read the membership of @${spec.org}/${spec.slug} (${(0,errors/* describeError */.Uc)(err)}): the token needs the organisation permission "Members: read" (a GitHub App installation token or a fine-grained token), passed as the action's github-token input; GITHUB_TOKEN cannot read team membership`,
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
                const s = (0,errors/* statusOf */.c2)(err);
                if (s === 404)
                    return { member: false };
                if ((s === 403 || s === 401) && !(0,errors/* isRateLimit */.a5)(err))
                    return { member: 'unknown', why: `cannot read @${login}'s permission on the repository (${(0,errors/* describeError */.Uc)(err)})` };
                throw err;
            }
        }
        return { member: false };
    }
}
/** The reason for a 404 on a team membership: either not a member, or a token that cannot read the team (SPEC §6). */
function teamNotFound(org, slug, login) {
    return (`GitHub answered 404 for @${login} in @${org}/${slug}: either @${login} is not a member, or the token may be unable to read that team. ` +
        'Reading team membership needs the organisation permission "Members: read": a GitHub App installation token with "Members: read" ' +
        '(for example from actions/create-github-app-token), or a fine-grained personal access token with the organisation\'s "Members" read access, ' +
        "passed as the action's github-token input; GITHUB_TOKEN cannot read team membership");
}

;// CONCATENATED MODULE: ./src/github/index.ts
// Everything the action needs from the REST API, loaded on demand: a run that ends before it
// needs the API (bad inputs, no commit to answer for) never pays for loading octokit.








/***/ })

};
