/**
 * A fake GitHub REST API for end-to-end tests.
 *
 * Every request is checked against GitHub's own OpenAPI description
 * (`@octokit/openapi`, api.github.com.json): a method + path that is not an operation of the
 * description, a malformed path/query parameter, or a JSON body that does not parse or does not
 * match the operation's request schema is answered like GitHub would (404 / 400 / 422) AND
 * recorded in `server.violations`. The server's own JSON answers are completed and checked
 * against the operation's response schema, so their shapes are GitHub's.
 *
 * Plain TypeScript (no test-framework imports): start it with `startGitHubServer()` and point
 * the client (or `GITHUB_API_URL` of a child process) at `server.url`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRequire } from 'node:module';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type PermissionLevel = 'none' | 'read' | 'write';

/** What the token may do (a GitHub App / GITHUB_TOKEN permission set). Missing rights → 403. */
export interface TokenPermissions {
  /** contents API, commits, compare */
  contents: PermissionLevel;
  /** pull requests, reviews; `write` also allows commenting on pull requests */
  pullRequests: PermissionLevel;
  /** issue comments (write allows commenting on issues and pull requests) */
  issues: PermissionLevel;
  /** check runs */
  checks: PermissionLevel;
  /** organisation members / team membership ("Members: read") */
  members: 'none' | 'read';
}

export interface Identity {
  login: string;
  /** default: `Bot` when login ends with `[bot]`, else `User` */
  type?: 'User' | 'Bot';
  id?: number;
  /**
   * Whether `GET /user` answers with the user. Default: true for `User`, false for `Bot`
   * (a GitHub App installation token / GITHUB_TOKEN gets 403 "Resource not accessible by integration").
   */
  canGetUser?: boolean;
  /** overrides of the server-wide `permissions` for this identity's token */
  permissions?: Partial<TokenPermissions>;
}

export interface RepoInit {
  owner: string;
  name: string;
  defaultBranch?: string;
  private?: boolean;
  id?: number;
  fork?: boolean;
}

export interface StartOptions {
  /** the default repository, `owner/name` (default `octo-org/octo-repo`) */
  repository?: string;
  /** its default branch (default `main`) */
  defaultBranch?: string;
  private?: boolean;
  /** identity of every token (unless registered with `setToken`); default github-actions[bot] */
  identity?: Identity;
  /** server-wide token permissions; default contents:read, pullRequests:write, issues:none, checks:write, members:read */
  permissions?: Partial<TokenPermissions>;
  /**
   * Require an Authorization header: `true` = any token; a string / list = only these tokens
   * (tokens registered with `setToken` are always accepted). Missing → 401 "Requires authentication",
   * unknown → 401 "Bad credentials".
   */
  requireToken?: boolean | string | readonly string[];
  /** check (and complete) the server's own JSON answers against the response schemas; default true */
  validateResponses?: boolean;
  /** x-ratelimit-limit (default 5000) */
  rateLimit?: number;
  /** clock for created_at / updated_at etc. */
  now?: () => Date;
  /** path of the OpenAPI description (default: @octokit/openapi's api.github.com.json) */
  specFile?: string;
  /** bytes of a GraphQL `Blob.text` before it is cut (`isTruncated`); default 512,000, as GitHub */
  graphqlTextLimit?: number;
}

export interface RecordedRequest {
  /** 1-based sequence number */
  id: number;
  /** epoch ms when the request arrived */
  time: number;
  method: string;
  /** path without query, as sent (percent-encoding preserved) */
  path: string;
  /** query parameters (last value wins) */
  query: Record<string, string>;
  /** raw query string including `?`, or '' */
  search: string;
  /** lower-cased header names */
  headers: Record<string, string>;
  authorization: string | undefined;
  /** parsed JSON body, or the raw text when it is not JSON, or undefined when empty */
  body: unknown;
  rawBody: string;
  /** the OpenAPI operation it matched */
  operationId: string | undefined;
  template: string | undefined;
  /** decoded path parameters */
  params: Record<string, string>;
  /** status answered; 0 while pending or when no answer was sent (hang / reset / client gone) */
  status: number;
  /** an injected fault answered (or delayed) this request */
  injected: boolean;
  /** the connection was reset by an injected fault */
  reset: boolean;
  /** the client went away before an answer was sent */
  aborted: boolean;
  durationMs: number | undefined;
}

export type ViolationKind =
  | 'unknown-route' // method + path is not an operation of the OpenAPI description
  | 'bad-path-param' // e.g. a non-numeric issue_number
  | 'bad-query' // query parameter of the wrong type / not in enum / missing
  | 'invalid-json' // request body is not JSON
  | 'bad-body' // JSON body does not match the request schema (or GitHub's limits)
  | 'unimplemented' // a real GitHub operation the fake does not serve
  | 'response-schema' // the fake's own answer does not match the response schema (a bug here)
  | 'hook-error';

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | undefined;
  message: string;
  time: number;
}

export interface RequestMatcher {
  /** HTTP method, case-insensitive; omitted or '*' = any */
  method?: string;
  /**
   * RegExp tested against the path (without query); a string is either an exact path
   * (`/repos/o/r/pulls/1`) or, when it contains `{`, an OpenAPI template
   * (`/repos/{owner}/{repo}/issues/{issue_number}/comments`).
   */
  path?: RegExp | string;
  /** OpenAPI operationId, e.g. `issues/create-comment` */
  operationId?: string;
  /**
   * RegExp tested against the raw request body: tells GraphQL queries apart (all are
   * `POST /graphql`), e.g. `/\brepository\s*\(/` for the base's file queries, not `viewer`.
   */
  requestBody?: RegExp;
}

export interface Fault extends RequestMatcher {
  /** how many matching requests get this answer (default 1; Infinity = until cancelled) */
  times?: number;
  /** answer status; when status, body and reset are all absent the request is only delayed
   *  (and `headers` are added to the normal answer) */
  status?: number;
  headers?: Record<string, string>;
  /** JSON value, or a string / Buffer sent as is; default `{ message: <reason phrase> }` */
  body?: unknown;
  /** wait before answering; Infinity = never answer (a hung response) */
  delayMs?: number;
  /** destroy the connection (TCP reset) instead of answering */
  reset?: boolean;
}

export interface FaultHandle {
  readonly fired: number;
  readonly remaining: number;
  cancel(): void;
}

export interface HoldOptions extends RequestMatcher {
  /** hold matching requests until this many have arrived, then let them all go */
  count: number;
  /** release anyway after this long (default 15000 ms) */
  timeoutMs?: number;
}

export interface Hold {
  readonly arrived: number;
  /** resolves when the held requests are released */
  readonly released: Promise<void>;
  release(): void;
}

export interface RequestContext {
  readonly request: RecordedRequest;
  readonly operationId: string;
  readonly template: string;
  readonly params: Readonly<Record<string, string>>;
}

export type RequestHook = (ctx: RequestContext) => void | Promise<void>;

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface UserRef {
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  id: number;
}

export interface PullRequestInit {
  number: number;
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  merged?: boolean;
  draft?: boolean;
  /** author login (default `octocat`) */
  user?: string;
  head: { ref: string; sha: string; /** full_name of the head repository (a fork); default the base repository */ repo?: string };
  base: { ref: string; sha: string };
  /** for GET /pulls/{n}/files */
  files?: PullRequestFile[];
  labels?: string[];
}

export interface PullRequestFile {
  filename: string;
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions?: number;
  deletions?: number;
  patch?: string;
  previous_filename?: string;
}

export interface PullRequestState {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  user: UserRef;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string };
  files: PullRequestFile[];
  labels: string[];
  created_at: string;
  updated_at: string;
}

export interface ReviewInit {
  user: string;
  state: ReviewState;
  /** default: the pull request's head SHA now */
  commit_id?: string | null;
  /** default: now (none for PENDING) */
  submitted_at?: string;
  body?: string;
  id?: number;
}

export interface ReviewRecord {
  id: number;
  user: UserRef;
  state: ReviewState;
  commit_id: string | null;
  submitted_at: string | undefined;
  body: string;
}

export interface CommentInit {
  body: string;
  /** author login; default the server identity */
  user?: string;
  created_at?: string;
  updated_at?: string;
}

export interface CommentRecord {
  id: number;
  node_id: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: UserRef;
  created_at: string;
  updated_at: string;
  /** how many times it was PATCHed */
  edits: number;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  details_url: string | null;
  external_id: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Annotation[] };
  /** size of each annotations batch received (create + every update carrying annotations) */
  annotationBatches: number[];
  /** number of PATCH requests */
  updates: number;
}

export interface CommitInit {
  message?: string;
  parents?: string[];
  files?: PullRequestFile[];
}

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>` — use as GITHUB_API_URL / baseUrl */
  readonly url: string;
  readonly port: number;
  /** the default repository, `owner/name` */
  readonly repository: string;
  readonly requests: RecordedRequest[];
  readonly violations: Violation[];
  /** server-wide token permissions (mutable) */
  readonly permissions: TokenPermissions;
  /** size of every annotations batch sent to any check run, in order */
  readonly annotationBatches: number[];

  close(): Promise<void>;

  // request log
  countRequests(method?: string, path?: RegExp | string): number;
  findRequests(method?: string, path?: RegExp | string): RecordedRequest[];
  /** resolves once `count` matching requests have arrived (including earlier ones) */
  waitForRequests(matcher: RequestMatcher, count?: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** forget the request log and the violations */
  clearLog(): void;

  // faults and races
  inject(fault: Fault): FaultHandle;
  clearFaults(): void;
  onRequest(hook: RequestHook): () => void;
  hold(options: HoldOptions): Hold;

  // identity and auth
  setIdentity(identity: Identity): void;
  /** a token with its own identity (tokens not registered use the server identity) */
  setToken(token: string, identity: Identity): void;
  readonly identity: Identity;

  // state
  addRepo(init: RepoInit): void;
  setFile(ref: string, path: string, content: string | Uint8Array, repo?: string): void;
  deleteFile(ref: string, path: string, repo?: string): void;
  setBranch(branch: string, sha: string, repo?: string): void;
  setCommit(sha: string, init?: CommitInit, repo?: string): void;
  addIssue(number: number, repo?: string): void;
  addPullRequest(init: PullRequestInit, repo?: string): PullRequestState;
  pullRequest(number: number, repo?: string): PullRequestState | undefined;
  addReview(pullNumber: number, init: ReviewInit, repo?: string): ReviewRecord;
  addComment(issueNumber: number, init: CommentInit, repo?: string): CommentRecord;
  /** comments of an issue / pull request, oldest first (live records) */
  comments(issueNumber: number, repo?: string): CommentRecord[];
  /** `null` removes the collaborator */
  setCollaborator(username: string, permission: RepoPermission | null, repo?: string): void;
  /** `null` removes the membership */
  setTeamMember(org: string, teamSlug: string, username: string, membership?: { role?: 'member' | 'maintainer'; state?: 'active' | 'pending' } | null): void;
  checkRuns(repo?: string): CheckRunRecord[];
}

// ---------------------------------------------------------------------------------------------
// OpenAPI description: loading, route matching, schema validation and completion
// ---------------------------------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

interface ParamSpec {
  name: string;
  in: string;
  required: boolean;
  schema: Schema;
}

interface OperationSpec {
  method: string;
  template: string;
  operationId: string;
  docsUrl: string;
  params: ParamSpec[];
  body: { required: boolean; schema: Schema | undefined } | undefined;
  /** status → application/json schema of the answer */
  responses: Map<string, Schema | undefined>;
}

interface RouteSpec {
  template: string;
  regex: RegExp;
  paramNames: string[];
  score: number[];
  operations: Map<string, OperationSpec>;
}

export interface OperationMatch {
  operationId: string;
  template: string;
  params: Record<string, string>;
}

interface ApiIndex {
  routes: RouteSpec[];
  schemas: Record<string, Schema>;
}

const DOCS_ROOT = 'https://docs.github.com/rest';
const specCache = new Map<string, Promise<ApiIndex>>();

function defaultSpecFile(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('@octokit/openapi/generated/api.github.com.json');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Loads (once per process and file) the OpenAPI description and indexes its operations. */
function loadApi(file: string = defaultSpecFile()): Promise<ApiIndex> {
  let cached = specCache.get(file);
  if (!cached) {
    cached = readFile(file, 'utf8').then((text) => indexApi(JSON.parse(text) as unknown));
    cached.catch(() => specCache.delete(file));
    specCache.set(file, cached);
  }
  return cached;
}

function indexApi(doc: unknown): ApiIndex {
  if (!isRecord(doc) || !isRecord(doc.paths)) throw new Error('not an OpenAPI description');
  const components = isRecord(doc.components) ? doc.components : {};
  const schemas = (isRecord(components.schemas) ? components.schemas : {}) as Record<string, Schema>;
  const parameters = isRecord(components.parameters) ? components.parameters : {};
  const responses = isRecord(components.responses) ? components.responses : {};
  const deref = (v: unknown, table: Record<string, unknown>): unknown => {
    if (isRecord(v) && typeof v.$ref === 'string') return table[v.$ref.split('/').pop() ?? ''];
    return v;
  };
  const routes: RouteSpec[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) continue;
    const operations = new Map<string, OperationSpec>();
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    const multi = new Set<string>();
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!isRecord(op)) continue;
      const params: ParamSpec[] = [];
      for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const p = deref(raw, parameters);
        if (!isRecord(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
        if (p['x-multi-segment'] === true) multi.add(p.name);
        params.push({ name: p.name, in: p.in, required: p.required === true, schema: (isRecord(p.schema) ? p.schema : {}) as Schema });
      }
      let body: OperationSpec['body'];
      if (isRecord(op.requestBody)) {
        const content = isRecord(op.requestBody.content) ? op.requestBody.content : {};
        const json = content['application/json'];
        body = { required: op.requestBody.required === true, schema: isRecord(json) && isRecord(json.schema) ? (json.schema as Schema) : undefined };
      }
      const answers = new Map<string, Schema | undefined>();
      if (isRecord(op.responses)) {
        for (const [status, r0] of Object.entries(op.responses)) {
          const r = deref(r0, responses);
          const content = isRecord(r) && isRecord(r.content) ? r.content : {};
          const json = content['application/json'];
          answers.set(status, isRecord(json) && isRecord(json.schema) ? (json.schema as Schema) : undefined);
        }
      }
      const docs = isRecord(op.externalDocs) && typeof op.externalDocs.url === 'string' ? op.externalDocs.url : DOCS_ROOT;
      operations.set(m.toUpperCase(), {
        method: m.toUpperCase(),
        template,
        operationId: typeof op.operationId === 'string' ? op.operationId : `${m} ${template}`,
        docsUrl: docs,
        params,
        body,
        responses: answers,
      });
    }
    if (operations.size === 0) continue;
    const paramNames: string[] = [];
    const score: number[] = [];
    const parts = template.split('/').map((segment) => {
      if (!segment.includes('{')) {
        score.push(3);
        return escapeRegExp(segment);
      }
      const whole = /^\{([^}]+)\}$/.exec(segment);
      let mixed = !whole;
      const source = segment.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, literal: string | undefined) => {
        if (name === undefined) return escapeRegExp(literal ?? '');
        paramNames.push(name);
        if (multi.has(name)) {
          mixed = false;
          return '(.+)';
        }
        return '([^/]+)';
      });
      score.push(whole ? (multi.has(whole[1] ?? '') ? 0 : 1) : mixed ? 2 : 0);
      return source;
    });
    routes.push({ template, regex: new RegExp(`^${parts.join('/')}$`), paramNames, score, operations });
  }
  // most specific first: literal segments beat parameters, single-segment beats multi-segment
  routes.sort((a, b) => {
    const n = Math.max(a.score.length, b.score.length);
    for (let i = 0; i < n; i++) {
      const d = (b.score[i] ?? -1) - (a.score[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  });
  return { routes, schemas };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface Matched {
  op: OperationSpec;
  params: Record<string, string>;
}

/** `undefined` = no such path; `null` = path exists, method does not */
function matchRoute(api: ApiIndex, method: string, path: string): Matched | null | undefined {
  let pathFound = false;
  for (const route of api.routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    pathFound = true;
    const op = route.operations.get(method);
    if (!op) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      params[name] = safeDecode(m[i + 1] ?? '');
    });
    return { op, params };
  }
  return pathFound ? null : undefined;
}

/**
 * GitHub's GraphQL endpoint is not part of the REST description: `POST /graphql` is matched
 * here as one operation (`graphql`), whose queries the handler parses and validates itself
 * against the part of GitHub's schema it serves (GQL_TYPES: `viewer`, and a repository's
 * `object(expression:)` blobs); any other query is a violation.
 */
const GRAPHQL_OP: OperationSpec = {
  method: 'post',
  template: '/graphql',
  operationId: 'graphql',
  docsUrl: 'https://docs.github.com/graphql',
  params: [],
  body: { required: true, schema: { type: 'object', required: ['query'], properties: { query: { type: 'string' }, variables: { type: 'object' } } } },
  responses: new Map(),
};

function matchGraphql(method: string, path: string): Matched | null | undefined {
  if (path !== '/graphql') return undefined;
  return method === 'POST' ? { op: GRAPHQL_OP, params: {} } : null;
}

/** Which OpenAPI operation `method path` is, if any (for use in tests). */
export async function matchGitHubOperation(method: string, path: string, specFile?: string): Promise<OperationMatch | undefined> {
  const api = await loadApi(specFile);
  const m = matchRoute(api, method.toUpperCase(), path.split('?')[0] ?? path);
  return m ? { operationId: m.op.operationId, template: m.op.template, params: m.params } : undefined;
}

function resolveSchema(api: ApiIndex, s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 10 && cur.$ref; i++) {
    const next = api.schemas[cur.$ref.split('/').pop() ?? ''];
    if (!next) return {};
    cur = next;
  }
  return cur;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function validateValue(api: ApiIndex, schema0: Schema, value: unknown, at: string, errors: string[], depth = 0): void {
  if (errors.length >= 20 || depth > 40) return;
  const schema = resolveSchema(api, schema0);
  if (value === null) {
    if (schema.nullable || schema0.nullable || (!schema.type && !schema.properties && !schema.oneOf && !schema.anyOf && !schema.allOf)) return;
    errors.push(`${at}: null is not allowed`);
    return;
  }
  if (schema.allOf) for (const s of schema.allOf) validateValue(api, s, value, at, errors, depth + 1);
  for (const alts of [schema.oneOf, schema.anyOf]) {
    if (!alts) continue;
    const ok = alts.some((alt) => {
      const e: string[] = [];
      validateValue(api, alt, value, at, e, depth + 1);
      return e.length === 0;
    });
    if (!ok) errors.push(`${at}: matches none of the allowed schemas`);
  }
  const actual = typeOf(value);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type) {
    const fits = type === actual || (type === 'number' && actual === 'integer');
    if (!fits) {
      errors.push(`${at}: ${JSON.stringify(value)?.slice(0, 60)} is not ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${at}: ${JSON.stringify(value)?.slice(0, 60)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') {
    const len = schema.maxLength !== undefined || schema.minLength !== undefined ? charLength(value) : 0;
    if (schema.maxLength !== undefined && len > schema.maxLength) errors.push(`${at}: only ${schema.maxLength} characters are allowed; ${len} were supplied`);
    if (schema.minLength !== undefined && len < schema.minLength) errors.push(`${at}: at least ${schema.minLength} characters are required`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: ${value} is less than ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: ${value} is greater than ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: ${value.length} items; at most ${schema.maxItems} are allowed`);
    if (schema.items) value.forEach((item, i) => validateValue(api, schema.items ?? {}, item, `${at}/${i}`, errors, depth + 1));
  } else if (isRecord(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value) || value[key] === undefined) errors.push(`${at}: required property "${key}" is missing`);
    }
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in value && value[key] !== undefined) validateValue(api, sub, value[key], `${at}/${key}`, errors, depth + 1);
    }
  }
}

const PLACEHOLDER_TIME = '2020-01-01T00:00:00Z';

/** A minimal value satisfying `schema` (required properties only). */
function synthesize(api: ApiIndex, schema0: Schema, depth = 0): unknown {
  const schema = resolveSchema(api, schema0);
  if (schema.nullable || schema0.nullable || depth > 12) return null;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => synthesize(api, s, depth + 1));
    if (parts.every(isRecord)) return Object.assign({}, ...parts) as Record<string, unknown>;
  }
  const alt = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alt && !schema.type && !schema.properties) return synthesize(api, alt, depth + 1);
  switch (schema.type ?? (schema.properties ? 'object' : undefined)) {
    case 'string':
      if (schema.format === 'date-time') return PLACEHOLDER_TIME;
      if (schema.format === 'uri') return 'https://github.com';
      if (schema.format === 'email') return 'noreply@github.com';
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const sub = schema.properties?.[key];
        out[key] = sub ? synthesize(api, sub, depth + 1) : null;
      }
      return out;
    }
    default:
      return null;
  }
}

/** Completes `value` with the required properties `schema` asks for and it lacks. */
function conform(api: ApiIndex, schema0: Schema, value: unknown, depth = 0): unknown {
  if (value === undefined) return synthesize(api, schema0, depth);
  if (value === null || depth > 30) return value;
  const schema = resolveSchema(api, schema0);
  let v: unknown = value;
  if (schema.allOf) for (const s of schema.allOf) v = conform(api, s, v, depth + 1);
  const alts = schema.oneOf ?? schema.anyOf;
  if (alts && alts.length > 0) {
    for (const alt of alts) {
      const candidate = conform(api, alt, v, depth + 1);
      const errors: string[] = [];
      validateValue(api, alt, candidate, '', errors);
      if (errors.length === 0) {
        v = candidate;
        break;
      }
    }
  }
  if (Array.isArray(v) && schema.items) {
    const items = schema.items;
    return v.map((item) => conform(api, items, item, depth + 1));
  }
  if (isRecord(v) && (schema.properties || schema.required)) {
    const out: Record<string, unknown> = { ...v };
    for (const key of schema.required ?? []) {
      if (out[key] === undefined) {
        const sub = schema.properties?.[key];
        out[key] = sub ? synthesize(api, sub, depth + 1) : null;
      }
    }
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (out[key] !== undefined) out[key] = conform(api, sub, out[key], depth + 1);
    }
    return out;
  }
  return v;
}

function validateScalarParam(schema: Schema, raw: string): string | undefined {
  const type = schema.type;
  if (type === 'integer' && !/^-?\d+$/.test(raw)) return `${JSON.stringify(raw)} is not an integer`;
  if (type === 'number' && !Number.isFinite(Number(raw))) return `${JSON.stringify(raw)} is not a number`;
  if (type === 'boolean' && raw !== 'true' && raw !== 'false') return `${JSON.stringify(raw)} is not a boolean`;
  if (schema.enum && type !== 'array' && !schema.enum.map(String).includes(raw)) return `${JSON.stringify(raw)} is not one of ${JSON.stringify(schema.enum)}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Fault presets
// ---------------------------------------------------------------------------------------------

const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';

/** Ready-made answers to spread into `inject({ path, ...faults.x() })`. */
export const faults = {
  serverError(status = 500): Fault {
    return { status, body: { message: 'Server Error' } };
  },
  /** 429 with retry-after (GitHub answers secondary rate limits with 403 or 429) */
  tooManyRequests(retryAfterSeconds = 1): Fault {
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE, documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
    };
  },
  secondaryRateLimit(retryAfterSeconds = 1): Fault {
    return {
      status: 403,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE, documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
    };
  },
  /** primary rate limit exhausted: 403 with x-ratelimit-remaining 0 and a reset `resetInSeconds` from now */
  primaryRateLimit(resetInSeconds = 1): Fault {
    return {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds) },
      body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits' },
    };
  },
  /** never answers (until the client gives up or the server closes) */
  hang(): Fault {
    return { delayMs: Number.POSITIVE_INFINITY, status: 504 };
  },
  connectionReset(): Fault {
    return { reset: true };
  },
  forbidden(message = 'Resource not accessible by integration'): Fault {
    return { status: 403, body: { message, documentation_url: DOCS_ROOT } };
  },
};

// ---------------------------------------------------------------------------------------------
// In-memory state
// ---------------------------------------------------------------------------------------------

interface RepoStateInternal {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  defaultBranch: string;
  private: boolean;
  fork: boolean;
  createdAt: string;
  /** ref (branch name or sha) → path → bytes */
  files: Map<string, Map<string, Buffer>>;
  branches: Map<string, string>;
  commits: Map<string, CommitInit>;
  issues: Set<number>;
  pulls: Map<number, PullRequestState>;
  reviews: Map<number, ReviewRecord[]>;
  collaborators: Map<string, { login: string; permission: RepoPermission }>;
}

interface Reply {
  status: number;
  /** JSON value (undefined = no body) */
  json?: unknown;
  /** raw body instead of JSON */
  raw?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
  /** skip response-schema completion/validation (e.g. error bodies with extra shape) */
  noConform?: boolean;
}

interface HandlerContext {
  op: OperationSpec;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
  identity: Identity;
  perms: TokenPermissions;
  path: string;
}

type Handler = (ctx: HandlerContext) => Reply;

interface ActiveFault {
  fault: Fault;
  remaining: number;
  fired: number;
}

interface ActiveHold {
  opts: HoldOptions;
  arrived: number;
  done: boolean;
  release: () => void;
  promise: Promise<void>;
}

const GITHUB_ACTIONS_BOT: Identity = { login: 'github-actions[bot]', type: 'Bot', id: 41898282, canGetUser: false };

const DEFAULT_PERMISSIONS: TokenPermissions = { contents: 'read', pullRequests: 'write', issues: 'none', checks: 'write', members: 'read' };

function stableId(seed: string, base = 1_000_000): number {
  const h = createHash('sha1').update(seed).digest();
  return base + (h.readUInt32BE(0) % 90_000_000);
}

function nodeId(kind: string, id: number): string {
  return `${kind}_kwDO${Buffer.from(String(id)).toString('base64').replace(/=+$/, '')}`;
}

function gitBlobSha(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

function identityType(identity: { login: string; type?: 'User' | 'Bot' }): 'User' | 'Bot' {
  return identity.type ?? (identity.login.endsWith('[bot]') ? 'Bot' : 'User');
}

function base64Wrapped(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 60) lines.push(b64.slice(i, i + 60));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function isUtf8(data: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

function matchesRequest(m: RequestMatcher, method: string, path: string, template: string | undefined, operationId: string | undefined, rawBody = ''): boolean {
  if (m.method && m.method !== '*' && m.method.toUpperCase() !== method) return false;
  if (m.operationId && m.operationId !== operationId) return false;
  if (m.requestBody) {
    m.requestBody.lastIndex = 0;
    if (!m.requestBody.test(rawBody)) return false;
  }
  if (m.path !== undefined) {
    if (typeof m.path === 'string') {
      if (m.path.includes('{') ? m.path !== template : m.path !== path) return false;
    } else {
      m.path.lastIndex = 0;
      if (!m.path.test(path)) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// GraphQL: a parser, validator and executor for the part of GitHub's schema that is served
// ---------------------------------------------------------------------------------------------

interface GqlLoc {
  line: number;
  column: number;
}

interface GqlToken extends GqlLoc {
  kind: 'punct' | 'name' | 'string' | 'int' | 'float' | 'eof';
  value: string;
}

/** One entry of a GraphQL answer's `errors`, as GitHub writes them. */
interface GqlErrorJson {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: GqlLoc[];
  extensions?: Record<string, unknown>;
}

type GqlValue =
  | { kind: 'variable'; name: string; loc: GqlLoc }
  | { kind: 'string' | 'int' | 'float' | 'enum'; value: string; loc: GqlLoc }
  | { kind: 'boolean'; value: boolean; loc: GqlLoc }
  | { kind: 'null'; loc: GqlLoc }
  | { kind: 'list'; values: GqlValue[]; loc: GqlLoc }
  | { kind: 'object'; fields: Map<string, GqlValue>; loc: GqlLoc };

interface GqlField {
  kind: 'field';
  alias: string | undefined;
  name: string;
  args: Map<string, GqlValue>;
  selections: GqlSelection[] | undefined;
  loc: GqlLoc;
}

interface GqlInline {
  kind: 'inline';
  on: string | undefined;
  selections: GqlSelection[];
  loc: GqlLoc;
}

type GqlSelection = GqlField | GqlInline;

interface GqlVariableDef {
  name: string;
  /** as written, e.g. `String!` */
  type: string;
  defaultValue: GqlValue | undefined;
  loc: GqlLoc;
}

interface GqlOperation {
  operation: string;
  name: string | undefined;
  variables: GqlVariableDef[];
  selections: GqlSelection[];
  loc: GqlLoc;
}

/** A query GitHub would refuse (HTTP 200 with `errors`); `kind` is the violation it records. */
class GraphqlRejected extends Error {
  constructor(
    readonly kind: ViolationKind,
    readonly errors: GqlErrorJson[],
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const GQL_PUNCT: Record<string, string> = {
  '{': 'LCURLY',
  '}': 'RCURLY',
  '(': 'LPAREN',
  ')': 'RPAREN',
  '[': 'LBRACKET',
  ']': 'RBRACKET',
  ':': 'COLON',
  '!': 'BANG',
  $: 'VAR_SIGN',
  '=': 'EQUALS',
  '@': 'DIR_SIGN',
  '|': 'PIPE',
  '&': 'AMP',
  '...': 'ELLIPSIS',
};

function gqlParseError(tok: GqlToken | (GqlLoc & { text: string })): GraphqlRejected {
  let message: string;
  if ('text' in tok) message = `Parse error on ${tok.text} at [${tok.line}, ${tok.column}]`;
  else if (tok.kind === 'eof') message = 'Unexpected end of document';
  else {
    const kind = tok.kind === 'punct' ? GQL_PUNCT[tok.value] : tok.kind === 'name' ? 'IDENTIFIER' : tok.kind.toUpperCase();
    message = `Parse error on ${JSON.stringify(tok.value)} (${kind}) at [${tok.line}, ${tok.column}]`;
  }
  return new GraphqlRejected('bad-body', [{ message, locations: [{ line: tok.line, column: tok.column }] }]);
}

/** The tokens of a GraphQL document (commas, white space and comments dropped). */
function gqlTokens(src: string): GqlToken[] {
  const out: GqlToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (): GqlLoc => ({ line, column: i - lineStart + 1 });
  const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n' || c === '\r') {
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === ',' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    const at = loc();
    if (src.startsWith('...', i)) {
      out.push({ kind: 'punct', value: '...', ...at });
      i += 3;
      continue;
    }
    if (c in GQL_PUNCT) {
      out.push({ kind: 'punct', value: c, ...at });
      i++;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(src);
    if (name) {
      out.push({ kind: 'name', value: name[0], ...at });
      i += name[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num) {
      out.push({ kind: num[1] || num[2] ? 'float' : 'int', value: num[0], ...at });
      i += num[0].length;
      continue;
    }
    if (src.startsWith('"""', i)) {
      let j = i + 3;
      let text = '';
      for (;;) {
        if (j >= src.length) throw gqlParseError({ ...at, text: 'unterminated string' });
        if (src.startsWith('\\"""', j)) {
          text += '"""';
          j += 4;
        } else if (src.startsWith('"""', j)) {
          break;
        } else {
          if (src[j] === '\n') {
            line++;
            lineStart = j + 1;
          }
          text += src[j];
          j++;
        }
      }
      out.push({ kind: 'string', value: text, ...at });
      i = j + 3;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        const d = src[j];
        if (d === undefined || d === '\n' || d === '\r') throw gqlParseError({ ...at, text: 'unterminated string' });
        if (d === '"') break;
        if (d === '\\') {
          const e = src[j + 1] ?? '';
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e in simple) {
            text += simple[e];
            j += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(j + 2, j + 6))) {
            text += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
          } else {
            throw gqlParseError({ line, column: j - lineStart + 1, text: `bad escape sequence "\\${e}"` });
          }
          continue;
        }
        text += d;
        j++;
      }
      out.push({ kind: 'string', value: text, ...at });
      i = j + 1;
      continue;
    }
    throw gqlParseError({ ...at, text: JSON.stringify(c) });
  }
  out.push({ kind: 'eof', value: '', ...loc() });
  return out;
}

/** The operations of a GraphQL document. Fragments and directives are not served. */
function parseGraphql(src: string): GqlOperation[] {
  const t = gqlTokens(src);
  let i = 0;
  const peek = (): GqlToken => t[Math.min(i, t.length - 1)]!;
  const next = (): GqlToken => t[Math.min(i++, t.length - 1)]!;
  const isPunct = (v: string): boolean => peek().kind === 'punct' && peek().value === v;
  const expect = (v: string): GqlToken => {
    const tok = next();
    if (tok.kind !== 'punct' || tok.value !== v) throw gqlParseError(tok);
    return tok;
  };
  const name = (): GqlToken => {
    const tok = next();
    if (tok.kind !== 'name') throw gqlParseError(tok);
    return tok;
  };
  const unsupported = (what: string, tok: GqlToken): never => {
    throw new GraphqlRejected('unimplemented', [{ message: `the fake GitHub server does not serve ${what}`, locations: [{ line: tok.line, column: tok.column }] }]);
  };
  const type = (): string => {
    let out: string;
    if (isPunct('[')) {
      next();
      out = `[${type()}]`;
      expect(']');
    } else {
      out = name().value;
    }
    if (isPunct('!')) {
      next();
      out += '!';
    }
    return out;
  };
  const value = (constant: boolean): GqlValue => {
    const tok = next();
    const loc = { line: tok.line, column: tok.column };
    if (tok.kind === 'punct' && tok.value === '$' && !constant) return { kind: 'variable', name: name().value, loc };
    if (tok.kind === 'string' || tok.kind === 'int' || tok.kind === 'float') return { kind: tok.kind, value: tok.value, loc };
    if (tok.kind === 'name') {
      if (tok.value === 'true' || tok.value === 'false') return { kind: 'boolean', value: tok.value === 'true', loc };
      if (tok.value === 'null') return { kind: 'null', loc };
      return { kind: 'enum', value: tok.value, loc };
    }
    if (tok.kind === 'punct' && tok.value === '[') {
      const values: GqlValue[] = [];
      while (!isPunct(']')) values.push(value(constant));
      next();
      return { kind: 'list', values, loc };
    }
    if (tok.kind === 'punct' && tok.value === '{') {
      const fields = new Map<string, GqlValue>();
      while (!isPunct('}')) {
        const key = name().value;
        expect(':');
        fields.set(key, value(constant));
      }
      next();
      return { kind: 'object', fields, loc };
    }
    throw gqlParseError(tok);
  };
  const noDirectives = (): void => {
    if (isPunct('@')) unsupported('directives', peek());
  };
  const selectionSet = (): GqlSelection[] => {
    expect('{');
    const out: GqlSelection[] = [];
    do {
      const tok = peek();
      const loc = { line: tok.line, column: tok.column };
      if (isPunct('...')) {
        next();
        let on: string | undefined;
        if (peek().kind === 'name' && peek().value === 'on') {
          next();
          on = name().value;
        } else if (peek().kind === 'name') {
          unsupported('fragment spreads', peek());
        }
        noDirectives();
        out.push({ kind: 'inline', on, selections: selectionSet(), loc });
        continue;
      }
      let fieldName = name().value;
      let alias: string | undefined;
      if (isPunct(':')) {
        next();
        alias = fieldName;
        fieldName = name().value;
      }
      const args = new Map<string, GqlValue>();
      if (isPunct('(')) {
        next();
        do {
          const argTok = name();
          expect(':');
          if (args.has(argTok.value)) {
            throw new GraphqlRejected('bad-body', [{ message: `There can be only one argument named "${argTok.value}"`, locations: [{ line: argTok.line, column: argTok.column }] }]);
          }
          args.set(argTok.value, value(false));
        } while (!isPunct(')'));
        next();
      }
      noDirectives();
      out.push({ kind: 'field', alias, name: fieldName, args, selections: isPunct('{') ? selectionSet() : undefined, loc });
    } while (!isPunct('}'));
    next();
    return out;
  };
  const ops: GqlOperation[] = [];
  do {
    const tok = peek();
    const loc = { line: tok.line, column: tok.column };
    if (isPunct('{')) {
      ops.push({ operation: 'query', name: undefined, variables: [], selections: selectionSet(), loc });
      continue;
    }
    if (tok.kind === 'name' && tok.value === 'fragment') unsupported('fragments', tok);
    if (tok.kind !== 'name' || !['query', 'mutation', 'subscription'].includes(tok.value)) throw gqlParseError(tok);
    next();
    const opName = peek().kind === 'name' ? name().value : undefined;
    const variables: GqlVariableDef[] = [];
    if (isPunct('(')) {
      next();
      do {
        const at = expect('$');
        const varName = name().value;
        expect(':');
        const varType = type();
        let defaultValue: GqlValue | undefined;
        if (isPunct('=')) {
          next();
          defaultValue = value(true);
        }
        variables.push({ name: varName, type: varType, defaultValue, loc: { line: at.line, column: at.column } });
      } while (!isPunct(')'));
      next();
    }
    noDirectives();
    ops.push({ operation: tok.value, name: opName, variables, selections: selectionSet(), loc });
  } while (peek().kind !== 'eof');
  return ops;
}

interface GqlFieldDef {
  type: string;
  args?: Record<string, string>;
}

interface GqlTypeDef {
  fields: Record<string, GqlFieldDef>;
  /** of an interface */
  possibleTypes?: string[];
  /** of an object */
  interfaces?: string[];
}

const GQL_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID', 'GitObjectID', 'URI', 'DateTime']);
const GIT_OBJECT_FIELDS: Record<string, GqlFieldDef> = { id: { type: 'ID!' }, oid: { type: 'GitObjectID!' }, abbreviatedOid: { type: 'String!' } };

/**
 * The part of GitHub's GraphQL schema that is served (https://docs.github.com/graphql/reference):
 * the token's `viewer`, and a repository's `object(expression: "<rev>:<path>")` with the fields
 * of GitHub's `Blob` (https://docs.github.com/graphql/reference/objects#blob).
 */
const GQL_TYPES: Record<string, GqlTypeDef> = {
  Query: {
    fields: {
      viewer: { type: 'User!' },
      repository: { type: 'Repository', args: { owner: 'String!', name: 'String!', followRenames: 'Boolean' } },
    },
  },
  User: { fields: { id: { type: 'ID!' }, login: { type: 'String!' }, databaseId: { type: 'Int' } }, interfaces: ['Node'] },
  Repository: {
    fields: {
      id: { type: 'ID!' },
      name: { type: 'String!' },
      nameWithOwner: { type: 'String!' },
      isPrivate: { type: 'Boolean!' },
      object: { type: 'GitObject', args: { expression: 'String', oid: 'GitObjectID' } },
    },
    interfaces: ['Node'],
  },
  GitObject: { fields: GIT_OBJECT_FIELDS, possibleTypes: ['Blob', 'Commit', 'Tree'] },
  Node: { fields: { id: { type: 'ID!' } }, possibleTypes: ['Blob', 'Commit', 'Tree', 'User', 'Repository'] },
  Blob: {
    fields: { ...GIT_OBJECT_FIELDS, byteSize: { type: 'Int!' }, isBinary: { type: 'Boolean' }, isTruncated: { type: 'Boolean!' }, text: { type: 'String' } },
    interfaces: ['GitObject', 'Node'],
  },
  Commit: { fields: GIT_OBJECT_FIELDS, interfaces: ['GitObject', 'Node'] },
  Tree: { fields: GIT_OBJECT_FIELDS, interfaces: ['GitObject', 'Node'] },
};

const gqlNamed = (type: string): string => type.replace(/[[\]!]/g, '');

/** Whether an object of type `concrete` is (or implements) `condition`. */
function gqlIsA(concrete: string, condition: string): boolean {
  return concrete === condition || (GQL_TYPES[concrete]?.interfaces ?? []).includes(condition);
}

/** Whether a fragment on `condition` can apply inside a selection on `parent`. */
function gqlOverlaps(parent: string, condition: string): boolean {
  const concrete = (t: string): string[] => GQL_TYPES[t]?.possibleTypes ?? [t];
  const a = concrete(parent);
  return concrete(condition).some((t) => a.includes(t));
}

function gqlPrint(v: GqlValue): string {
  switch (v.kind) {
    case 'variable':
      return `$${v.name}`;
    case 'string':
      return JSON.stringify(v.value);
    case 'null':
      return 'null';
    case 'boolean':
      return String(v.value);
    case 'list':
      return `[${v.values.map(gqlPrint).join(', ')}]`;
    case 'object':
      return `{${[...v.fields].map(([k, x]) => `${k}: ${gqlPrint(x)}`).join(', ')}}`;
    default:
      return v.value;
  }
}

/** Whether a literal fits an input type (scalars and lists of them). */
function gqlLiteralFits(v: GqlValue, type: string): boolean {
  if (v.kind === 'null') return !type.endsWith('!');
  const t = type.replace(/!$/, '');
  if (t.startsWith('[')) return v.kind === 'list' ? v.values.every((x) => gqlLiteralFits(x, t.slice(1, -1))) : gqlLiteralFits(v, t.slice(1, -1));
  if (t === 'Int') return v.kind === 'int';
  if (t === 'Float') return v.kind === 'int' || v.kind === 'float';
  if (t === 'Boolean') return v.kind === 'boolean';
  if (t === 'ID') return v.kind === 'string' || v.kind === 'int';
  return v.kind === 'string';
}

/** Whether a JSON variable value fits an input type. */
function gqlJsonFits(v: unknown, type: string): boolean {
  if (v === null || v === undefined) return !type.endsWith('!');
  const t = type.replace(/!$/, '');
  if (t.startsWith('[')) return Array.isArray(v) ? v.every((x) => gqlJsonFits(x, t.slice(1, -1))) : gqlJsonFits(v, t.slice(1, -1));
  if (t === 'Int') return Number.isInteger(v) && Math.abs(v as number) < 2 ** 31;
  if (t === 'Float') return typeof v === 'number' && Number.isFinite(v);
  if (t === 'Boolean') return typeof v === 'boolean';
  if (t === 'ID') return typeof v === 'string' || Number.isInteger(v);
  return typeof v === 'string';
}

/**
 * GitHub's static checks of an operation (GraphQL's validation rules that apply here): fields
 * and arguments exist, required arguments are given, literals fit, selections match types,
 * fragments can apply, aliases do not clash, and every variable is declared, used and typed to
 * fit where it is used. Returns the errors, none when valid.
 */
function validateGraphql(op: GqlOperation): GqlErrorJson[] {
  const errors: GqlErrorJson[] = [];
  const opLabel = op.name ?? 'anonymous query';
  const declared = new Map<string, GqlVariableDef>();
  for (const v of op.variables) {
    if (declared.has(v.name)) errors.push({ message: `There can only be one variable named "${v.name}"`, locations: [v.loc] });
    declared.set(v.name, v);
    if (!GQL_SCALARS.has(gqlNamed(v.type))) errors.push({ message: `${gqlNamed(v.type)} isn't a defined input type (on $${v.name})`, locations: [v.loc] });
    if (v.defaultValue && !gqlLiteralFits(v.defaultValue, v.type)) {
      errors.push({ message: `Default value for $${v.name} doesn't match type ${v.type}`, locations: [v.loc] });
    }
  }
  const used = new Set<string>();
  const walk = (selections: GqlSelection[], parent: string, seen: Map<string, { name: string; args: string }>): void => {
    for (const s of selections) {
      if (s.kind === 'inline') {
        const on = s.on ?? parent;
        if (!GQL_TYPES[on]) errors.push({ message: `No such type ${on}, so it can't be a fragment condition`, locations: [s.loc] });
        else if (!gqlOverlaps(parent, on)) errors.push({ message: `Fragment on ${on} can't be spread inside ${parent}`, locations: [s.loc] });
        else walk(s.selections, on, seen);
        continue;
      }
      const key = s.alias ?? s.name;
      const args = [...s.args].map(([k, v]) => `${k}: ${gqlPrint(v)}`).join(', ');
      const before = seen.get(key);
      if (before && before.name !== s.name) errors.push({ message: `Field '${key}' has a field conflict: ${before.name} or ${s.name}?`, locations: [s.loc] });
      else if (before && before.args !== args) errors.push({ message: `Field '${key}' has an argument conflict: {${before.args}} or {${args}}?`, locations: [s.loc] });
      else seen.set(key, { name: s.name, args });
      if (s.name === '__typename') {
        if (s.selections) errors.push({ message: "Selections can't be made on scalars (field '__typename' returns String but has selections)", locations: [s.loc] });
        continue;
      }
      const def = GQL_TYPES[parent]?.fields[s.name];
      if (!def) {
        errors.push({ message: `Field '${s.name}' doesn't exist on type '${parent}'`, locations: [s.loc], extensions: { code: 'undefinedField', typeName: parent, fieldName: s.name } });
        continue;
      }
      for (const [arg, v] of s.args) {
        const argType = def.args?.[arg];
        if (argType === undefined) {
          errors.push({ message: `Field '${s.name}' doesn't accept argument '${arg}'`, locations: [v.loc], extensions: { code: 'argumentNotAccepted', name: s.name, typeName: 'Field', argumentName: arg } });
        } else if (v.kind === 'variable') {
          used.add(v.name);
          const d = declared.get(v.name);
          if (!d) {
            errors.push({ message: `Variable $${v.name} is used by ${opLabel} but not declared`, locations: [v.loc] });
          } else if (gqlNamed(d.type) !== gqlNamed(argType) || d.type.startsWith('[') !== argType.startsWith('[')) {
            errors.push({ message: `Type mismatch on variable $${v.name} and argument ${arg} (${d.type} / ${argType})`, locations: [v.loc] });
          } else if (argType.endsWith('!') && !d.type.endsWith('!') && !(d.defaultValue && d.defaultValue.kind !== 'null')) {
            errors.push({ message: `Nullability mismatch on variable $${v.name} and argument ${arg} (${d.type} / ${argType})`, locations: [v.loc] });
          }
        } else if (!gqlLiteralFits(v, argType)) {
          errors.push({ message: `Argument '${arg}' on Field '${s.name}' has an invalid value (${gqlPrint(v)}). Expected type '${argType}'.`, locations: [v.loc] });
        }
      }
      const missing = Object.entries(def.args ?? {})
        .filter(([arg, t]) => t.endsWith('!') && !s.args.has(arg))
        .map(([arg]) => arg);
      if (missing.length > 0) errors.push({ message: `Field '${s.name}' is missing required arguments: ${missing.join(', ')}`, locations: [s.loc] });
      const type = gqlNamed(def.type);
      if (GQL_SCALARS.has(type)) {
        if (s.selections) errors.push({ message: `Selections can't be made on scalars (field '${s.name}' returns ${type} but has selections)`, locations: [s.loc] });
      } else if (!s.selections) {
        errors.push({ message: `Field '${s.name}' returns ${type} but has no selections. Did you mean '${s.name} { ... }'?`, locations: [s.loc] });
      } else {
        walk(s.selections, type, new Map());
      }
    }
  };
  walk(op.selections, 'Query', new Map());
  for (const v of op.variables) if (!used.has(v.name)) errors.push({ message: `Variable $${v.name} is declared by ${opLabel} but not used`, locations: [v.loc] });
  return errors;
}

/** The operation's variables: the JSON values given, or the defaults. Throws when one does not fit. */
function gqlVariables(op: GqlOperation, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors: GqlErrorJson[] = [];
  for (const v of op.variables) {
    const value = v.name in given ? given[v.name] : v.defaultValue ? gqlLiteral(v.defaultValue, {}) : undefined;
    if (!gqlJsonFits(value, v.type)) {
      errors.push({ message: `Variable $${v.name} of type ${v.type} was provided invalid value`, locations: [v.loc], extensions: { value: value ?? null, problems: [{ path: [], explanation: value === undefined || value === null ? 'Expected value to not be null' : `Could not coerce value ${JSON.stringify(value)} to ${gqlNamed(v.type)}` }] } });
    }
    out[v.name] = value ?? null;
  }
  if (errors.length > 0) throw new GraphqlRejected('bad-body', errors);
  return out;
}

function gqlLiteral(v: GqlValue, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case 'variable':
      return vars[v.name] ?? null;
    case 'int':
    case 'float':
      return Number(v.value);
    case 'null':
      return null;
    case 'list':
      return v.values.map((x) => gqlLiteral(x, vars));
    case 'object':
      return Object.fromEntries([...v.fields].map(([k, x]) => [k, gqlLiteral(x, vars)]));
    default:
      return v.value;
  }
}

/** A resolved object: its type name, and its fields (a value, or a function of the arguments). */
type GqlObject = { __typename: string } & Record<string, unknown>;
type GqlResolve = (args: Record<string, unknown>, at: { path: (string | number)[]; loc: GqlLoc; errors: GqlErrorJson[] }) => unknown;

/** Executes a validated selection on `source`; errors of fields (null answers) go to `errors`. */
function executeGraphql(selections: GqlSelection[], source: GqlObject, vars: Record<string, unknown>, path: (string | number)[], errors: GqlErrorJson[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (target: Record<string, unknown>, key: string, value: unknown): void => {
    const had = target[key];
    if (isRecord(had) && isRecord(value)) for (const [k, v] of Object.entries(value)) put(had, k, v);
    else target[key] = value;
  };
  for (const s of selections) {
    if (s.kind === 'inline') {
      if (s.on === undefined || gqlIsA(source.__typename, s.on)) for (const [k, v] of Object.entries(executeGraphql(s.selections, source, vars, path, errors))) put(out, k, v);
      continue;
    }
    const key = s.alias ?? s.name;
    if (s.name === '__typename') {
      put(out, key, source.__typename);
      continue;
    }
    const args = Object.fromEntries([...s.args].map(([k, v]) => [k, gqlLiteral(v, vars)]));
    const field = source[s.name];
    const value = typeof field === 'function' ? (field as GqlResolve)(args, { path: [...path, key], loc: s.loc, errors }) : field;
    if (value === undefined || value === null) put(out, key, null);
    else if (s.selections && isRecord(value)) put(out, key, executeGraphql(s.selections, value as GqlObject, vars, [...path, key], errors));
    else put(out, key, value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export async function startGitHubServer(opts: StartOptions = {}): Promise<FakeGitHub> {
  const api = await loadApi(opts.specFile);
  const now = opts.now ?? (() => new Date());
  const iso = (d: Date = now()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const validateResponses = opts.validateResponses ?? true;
  const rateLimit = opts.rateLimit ?? 5000;
  const rateReset = Math.floor(Date.now() / 1000) + 3600;
  const graphqlTextLimit = opts.graphqlTextLimit ?? 512_000;
  let rateUsed = 0;

  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const permissions: TokenPermissions = { ...DEFAULT_PERMISSIONS, ...opts.permissions };
  const annotationBatches: number[] = [];
  const faultList: ActiveFault[] = [];
  const hooks: RequestHook[] = [];
  const holds: ActiveHold[] = [];
  const waiters: Array<{ matcher: RequestMatcher; count: number; resolve: (r: RecordedRequest[]) => void }> = [];
  const cancelers = new Set<() => void>();
  const tokens = new Map<string, Identity>();
  let identity: Identity = opts.identity ?? GITHUB_ACTIONS_BOT;

  const repos = new Map<string, RepoStateInternal>();
  const comments = new Map<number, CommentRecord>();
  const checkRunList: CheckRunRecord[] = [];
  const teams = new Map<string, Map<string, { role: 'member' | 'maintainer'; state: 'active' | 'pending' }>>();
  let nextCommentId = 2_000_000_001;
  let nextReviewId = 80_000_001;
  let nextCheckRunId = 30_000_000_001;
  let seq = 0;

  let baseUrl = '';

  const repoKey = (full: string): string => full.toLowerCase();

  function addRepo(init: RepoInit): void {
    const fullName = `${init.owner}/${init.name}`;
    const existing = repos.get(repoKey(fullName));
    if (existing) {
      // keep files, pull requests etc. set before; update the settings given
      if (init.defaultBranch !== undefined) existing.defaultBranch = init.defaultBranch;
      if (init.private !== undefined) existing.private = init.private;
      if (init.fork !== undefined) existing.fork = init.fork;
      if (init.id !== undefined) existing.id = init.id;
      return;
    }
    repos.set(repoKey(fullName), {
      owner: init.owner,
      name: init.name,
      fullName,
      id: init.id ?? stableId(`repo:${fullName}`, 100_000_000),
      defaultBranch: init.defaultBranch ?? 'main',
      private: init.private ?? false,
      fork: init.fork ?? false,
      createdAt: iso(),
      files: new Map(),
      branches: new Map(),
      commits: new Map(),
      issues: new Set(),
      pulls: new Map(),
      reviews: new Map(),
      collaborators: new Map(),
    });
  }

  const defaultRepo = opts.repository ?? 'octo-org/octo-repo';
  {
    const [owner, name] = defaultRepo.split('/');
    if (!owner || !name) throw new Error(`repository must be owner/name, got ${defaultRepo}`);
    addRepo({ owner, name, defaultBranch: opts.defaultBranch, private: opts.private });
  }

  function repoOf(full: string | undefined): RepoStateInternal {
    const key = repoKey(full ?? defaultRepo);
    let r = repos.get(key);
    if (!r) {
      const [owner, name] = (full ?? '').split('/');
      if (!owner || !name) throw new Error(`repository must be owner/name, got ${full ?? ''}`);
      addRepo({ owner, name });
      r = repos.get(key);
    }
    if (!r) throw new Error('unreachable');
    return r;
  }

  // ---- JSON builders (only meaningful fields; the response schema completes the rest) ----

  function userRef(login: string, type?: 'User' | 'Bot' | 'Organization', id?: number): UserRef {
    if (login.toLowerCase() === GITHUB_ACTIONS_BOT.login) return { login: GITHUB_ACTIONS_BOT.login, type: 'Bot', id: 41898282 };
    return { login, type: type ?? identityType({ login }), id: id ?? stableId(`user:${login.toLowerCase()}`) };
  }

  function userJson(u: UserRef): Record<string, unknown> {
    const api = `${baseUrl}/users/${encodeURIComponent(u.login)}`;
    const html = u.type === 'Bot' ? `https://github.com/apps/${u.login.replace(/\[bot\]$/, '')}` : `https://github.com/${u.login}`;
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type === 'Bot' ? 'BOT' : u.type === 'Organization' ? 'O' : 'U', u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: html,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: u.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  function repoJson(r: RepoStateInternal, full = false): Record<string, unknown> {
    const api = `${baseUrl}/repos/${r.owner}/${r.name}`;
    const ownerType = teams.size > 0 && [...teams.keys()].some((k) => k.startsWith(`${r.owner.toLowerCase()}/`)) ? 'Organization' : 'User';
    const json: Record<string, unknown> = {
      id: r.id,
      node_id: nodeId('R', r.id),
      name: r.name,
      full_name: r.fullName,
      private: r.private,
      visibility: r.private ? 'private' : 'public',
      owner: userJson(userRef(r.owner, ownerType)),
      html_url: `https://github.com/${r.fullName}`,
      description: null,
      fork: r.fork,
      url: api,
      contents_url: `${api}/contents/{+path}`,
      pulls_url: `${api}/pulls{/number}`,
      issues_url: `${api}/issues{/number}`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      git_url: `git://github.com/${r.fullName}.git`,
      ssh_url: `git@github.com:${r.fullName}.git`,
      clone_url: `https://github.com/${r.fullName}.git`,
      svn_url: `https://github.com/${r.fullName}`,
      homepage: null,
      language: null,
      mirror_url: null,
      default_branch: r.defaultBranch,
      created_at: r.createdAt,
      updated_at: r.createdAt,
      pushed_at: r.createdAt,
      archived: false,
      disabled: false,
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      license: null,
    };
    if (full) {
      json.permissions = { admin: false, maintain: false, push: false, triage: false, pull: true };
      json.network_count = 0;
      json.subscribers_count = 0;
    }
    return json;
  }

  function authorAssociation(r: RepoStateInternal, login: string): string {
    const l = login.toLowerCase();
    if (l === r.owner.toLowerCase()) return 'OWNER';
    for (const [key, members] of teams) if (key.startsWith(`${r.owner.toLowerCase()}/`) && members.has(l)) return 'MEMBER';
    if (r.collaborators.has(l)) return 'COLLABORATOR';
    return 'NONE';
  }

  function commentJson(c: CommentRecord): Record<string, unknown> {
    const r = repoOf(c.repo);
    const api = `${baseUrl}/repos/${r.fullName}`;
    const isPull = r.pulls.has(c.issueNumber);
    return {
      id: c.id,
      node_id: c.node_id,
      url: `${api}/issues/comments/${c.id}`,
      html_url: `https://github.com/${r.fullName}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${c.issueNumber}`,
      body: c.body,
      user: userJson(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: authorAssociation(r, c.user.login),
      performed_via_github_app: null,
      reactions: {
        url: `${api}/issues/comments/${c.id}/reactions`,
        total_count: 0,
        '+1': 0,
        '-1': 0,
        laugh: 0,
        hooray: 0,
        confused: 0,
        heart: 0,
        rocket: 0,
        eyes: 0,
      },
    };
  }

  function pullJson(r: RepoStateInternal, pr: PullRequestState): Record<string, unknown> {
    const api = `${baseUrl}/repos/${r.fullName}`;
    const headRepo = repos.get(repoKey(pr.head.repo)) ?? repoOf(pr.head.repo);
    const headOwner = headRepo.owner;
    return {
      url: `${api}/pulls/${pr.number}`,
      id: pr.id,
      node_id: nodeId('PR', pr.id),
      html_url: `https://github.com/${r.fullName}/pull/${pr.number}`,
      diff_url: `https://github.com/${r.fullName}/pull/${pr.number}.diff`,
      patch_url: `https://github.com/${r.fullName}/pull/${pr.number}.patch`,
      issue_url: `${api}/issues/${pr.number}`,
      commits_url: `${api}/pulls/${pr.number}/commits`,
      review_comments_url: `${api}/pulls/${pr.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pr.number}/comments`,
      statuses_url: `${api}/statuses/${pr.head.sha}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: userJson(pr.user),
      body: pr.body,
      labels: pr.labels.map((name) => ({ id: stableId(`label:${name}`), node_id: nodeId('LA', stableId(`label:${name}`)), url: `${api}/labels/${encodeURIComponent(name)}`, name, description: null, color: 'ededed', default: false })),
      milestone: null,
      active_lock_reason: null,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.state === 'closed' ? pr.updated_at : null,
      merged_at: pr.merged ? pr.updated_at : null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: { label: `${headOwner}:${pr.head.ref}`, ref: pr.head.ref, sha: pr.head.sha, user: userJson(userRef(headOwner)), repo: repoJson(headRepo) },
      base: { label: `${r.owner}:${pr.base.ref}`, ref: pr.base.ref, sha: pr.base.sha, user: userJson(userRef(r.owner)), repo: repoJson(r) },
      _links: {
        self: { href: `${api}/pulls/${pr.number}` },
        html: { href: `https://github.com/${r.fullName}/pull/${pr.number}` },
        issue: { href: `${api}/issues/${pr.number}` },
        comments: { href: `${api}/issues/${pr.number}/comments` },
        review_comments: { href: `${api}/pulls/${pr.number}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${api}/pulls/${pr.number}/commits` },
        statuses: { href: `${api}/statuses/${pr.head.sha}` },
      },
      author_association: authorAssociation(r, pr.user.login),
      auto_merge: null,
      draft: pr.draft,
      merged: pr.merged,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: null,
      comments: [...comments.values()].filter((c) => c.repo === r.fullName && c.issueNumber === pr.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: pr.files.reduce((n, f) => n + (f.additions ?? 0), 0),
      deletions: pr.files.reduce((n, f) => n + (f.deletions ?? 0), 0),
      changed_files: pr.files.length,
    };
  }

  function reviewJson(r: RepoStateInternal, pr: PullRequestState, rv: ReviewRecord): Record<string, unknown> {
    const html = `https://github.com/${r.fullName}/pull/${pr.number}#pullrequestreview-${rv.id}`;
    const json: Record<string, unknown> = {
      id: rv.id,
      node_id: nodeId('PRR', rv.id),
      user: userJson(rv.user),
      body: rv.body,
      state: rv.state,
      html_url: html,
      pull_request_url: `${baseUrl}/repos/${r.fullName}/pulls/${pr.number}`,
      author_association: authorAssociation(r, rv.user.login),
      _links: { html: { href: html }, pull_request: { href: `${baseUrl}/repos/${r.fullName}/pulls/${pr.number}` } },
      commit_id: rv.commit_id,
    };
    if (rv.submitted_at !== undefined) json.submitted_at = rv.submitted_at;
    return json;
  }

  function fileEntryJson(r: RepoStateInternal, ref: string, path: string, type: 'file' | 'dir', data: Buffer | undefined): Record<string, unknown> {
    const api = `${baseUrl}/repos/${r.fullName}`;
    const sha = data ? gitBlobSha(data) : createHash('sha1').update(`tree:${ref}:${path}`).digest('hex');
    const self = `${api}/contents/${path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`;
    const git = `${api}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
    const html = `https://github.com/${r.fullName}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${path}`;
    return {
      type,
      name: path.split('/').pop() ?? path,
      path,
      sha,
      size: data ? data.length : 0,
      url: self,
      html_url: html,
      git_url: git,
      download_url: type === 'file' ? `https://raw.githubusercontent.com/${r.fullName}/${ref}/${path}` : null,
      _links: { self, git, html },
    };
  }

  function commitJson(r: RepoStateInternal, sha: string): Record<string, unknown> {
    const api = `${baseUrl}/repos/${r.fullName}`;
    const info = r.commits.get(sha) ?? {};
    const person = { name: 'Octo Cat', email: 'octocat@users.noreply.github.com', date: iso() };
    const tree = createHash('sha1').update(`tree:${sha}`).digest('hex');
    const json: Record<string, unknown> = {
      url: `${api}/commits/${sha}`,
      sha,
      node_id: nodeId('C', stableId(sha)),
      html_url: `https://github.com/${r.fullName}/commit/${sha}`,
      comments_url: `${api}/commits/${sha}/comments`,
      commit: {
        url: `${api}/git/commits/${sha}`,
        author: person,
        committer: person,
        message: info.message ?? 'commit',
        tree: { sha: tree, url: `${api}/git/trees/${tree}` },
        comment_count: 0,
      },
      author: null,
      committer: null,
      parents: (info.parents ?? []).map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `https://github.com/${r.fullName}/commit/${p}` })),
    };
    if (info.files) json.files = info.files.map((f) => diffEntryJson(r, sha, f));
    return json;
  }

  function diffEntryJson(r: RepoStateInternal, ref: string, f: PullRequestFile): Record<string, unknown> {
    const sha = createHash('sha1').update(`${ref}:${f.filename}`).digest('hex');
    const json: Record<string, unknown> = {
      sha,
      filename: f.filename,
      status: f.status ?? 'modified',
      additions: f.additions ?? 0,
      deletions: f.deletions ?? 0,
      changes: (f.additions ?? 0) + (f.deletions ?? 0),
      blob_url: `https://github.com/${r.fullName}/blob/${ref}/${f.filename}`,
      raw_url: `https://github.com/${r.fullName}/raw/${ref}/${f.filename}`,
      contents_url: `${baseUrl}/repos/${r.fullName}/contents/${encodeURIComponent(f.filename)}?ref=${ref}`,
    };
    if (f.patch !== undefined) json.patch = f.patch;
    if (f.previous_filename !== undefined) json.previous_filename = f.previous_filename;
    return json;
  }

  function checkRunJson(c: CheckRunRecord): Record<string, unknown> {
    const api = `${baseUrl}/repos/${c.repo}`;
    return {
      id: c.id,
      node_id: nodeId('CR', c.id),
      head_sha: c.head_sha,
      external_id: c.external_id ?? '',
      url: `${api}/check-runs/${c.id}`,
      html_url: `https://github.com/${c.repo}/runs/${c.id}`,
      details_url: c.details_url ?? `https://github.com/${c.repo}/runs/${c.id}`,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.started_at,
      completed_at: c.completed_at,
      name: c.name,
      output: {
        title: c.output.title,
        summary: c.output.summary,
        text: c.output.text,
        annotations_count: c.output.annotations.length,
        annotations_url: `${api}/check-runs/${c.id}/annotations`,
      },
      check_suite: { id: stableId(`suite:${c.head_sha}`) },
      app: {
        id: 15368,
        slug: 'github-actions',
        node_id: 'MDM6QXBwMTUzNjg=',
        owner: userJson({ login: 'github', type: 'Organization', id: 9919 }),
        name: 'GitHub Actions',
        description: 'Automate your workflow from idea to production',
        external_url: 'https://help.github.com/en/actions',
        html_url: 'https://github.com/apps/github-actions',
        created_at: '2018-07-30T09:30:17Z',
        updated_at: '2019-12-10T19:04:12Z',
        permissions: { checks: 'write', contents: 'write', pull_requests: 'write', metadata: 'read' },
        events: ['check_run', 'check_suite', 'pull_request', 'push'],
      },
      pull_requests: [],
    };
  }

  // ---- error bodies ----

  function errorReply(status: number, message: string, op?: OperationSpec, extra?: Record<string, unknown>, headers?: Record<string, string>): Reply {
    return { status, json: { message, documentation_url: op?.docsUrl ?? DOCS_ROOT, status: String(status), ...extra }, headers };
  }
  const notFound = (op?: OperationSpec): Reply => errorReply(404, 'Not Found', op);
  const forbiddenIntegration = (op: OperationSpec, accepted: string): Reply =>
    errorReply(403, 'Resource not accessible by integration', op, undefined, { 'x-accepted-github-permissions': accepted });
  const validationFailed = (op: OperationSpec, resource: string, field: string, message: string): Reply =>
    errorReply(422, 'Validation Failed', op, { errors: [{ resource, code: 'custom', field, message }] });

  // ---- pagination ----

  function paginate<T>(ctx: HandlerContext, items: readonly T[]): { page: T[]; headers: Record<string, string> } {
    const perRaw = Number.parseInt(ctx.query.get('per_page') ?? '30', 10);
    const per = Math.min(100, Math.max(1, Number.isFinite(perRaw) ? perRaw : 30));
    const pageRaw = Number.parseInt(ctx.query.get('page') ?? '1', 10);
    const page = Math.max(1, Number.isFinite(pageRaw) ? pageRaw : 1);
    const last = Math.max(1, Math.ceil(items.length / per));
    const headers: Record<string, string> = {};
    if (items.length > per || page > 1) {
      const link = (p: number): string => {
        const q = new URLSearchParams(ctx.query);
        q.set('page', String(p));
        return `<${baseUrl}${ctx.path}?${q.toString()}>`;
      };
      const parts: string[] = [];
      if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
      if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
      if (page > 1) parts.push(`${link(1)}; rel="first"`);
      headers.link = parts.join(', ');
    }
    return { page: items.slice((page - 1) * per, page * per), headers };
  }

  // ---- permission helpers ----

  const canRead = (level: PermissionLevel): boolean => level !== 'none';
  const canWrite = (level: PermissionLevel): boolean => level === 'write';

  function repoFor(ctx: HandlerContext): RepoStateInternal | undefined {
    return repos.get(repoKey(`${ctx.params.owner ?? ''}/${ctx.params.repo ?? ''}`));
  }

  function knownRef(r: RepoStateInternal, ref: string): boolean {
    if (r.files.has(ref) || r.branches.has(ref) || r.commits.has(ref) || ref === r.defaultBranch) return true;
    for (const pr of r.pulls.values()) if (pr.head.sha === ref || pr.base.sha === ref || pr.base.ref === ref) return true;
    for (const sha of r.branches.values()) if (sha === ref) return true;
    return false;
  }

  function filesAt(r: RepoStateInternal, ref: string): Map<string, Buffer> | undefined {
    return r.files.get(ref) ?? (r.branches.has(ref) ? r.files.get(r.branches.get(ref) ?? '') : undefined);
  }

  function resolveCommitSha(r: RepoStateInternal, ref: string): string | undefined {
    const branch = r.branches.get(ref);
    if (branch) return branch;
    if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    if (ref === r.defaultBranch) return createHash('sha1').update(`branch:${r.fullName}:${ref}`).digest('hex');
    return undefined;
  }

  // ---- handlers, keyed by "METHOD template" of the OpenAPI description ----

  const handlers = new Map<string, Handler>();
  const on = (key: string, h: Handler): void => {
    handlers.set(key, h);
  };

  on('GET /rate_limit', () => {
    const core = { limit: rateLimit, used: rateUsed, remaining: Math.max(0, rateLimit - rateUsed), reset: rateReset };
    return { status: 200, json: { resources: { core, search: { limit: 30, used: 0, remaining: 30, reset: rateReset }, graphql: core }, rate: core } };
  });

  // GraphQL (POST /graphql): the token's `viewer` (unlike GET /user, it answers integration
  // tokens too, with the bot account the token writes as: `<app>[bot]`, its databaseId being
  // the REST user id), and a repository's git objects by `object(expression: "<rev>:<path>")`,
  // from the files the contents and trees answers serve. A query is parsed and validated as
  // GitHub does (variables included); one GitHub would refuse is answered with `errors` and no
  // `data`, and recorded as a violation. Each POST is one request of the log, whatever its aliases.
  on('POST /graphql', (ctx) => {
    const body = isRecord(ctx.body) ? ctx.body : {};
    const query = typeof body.query === 'string' ? body.query : '';
    if (body.variables !== undefined && body.variables !== null && !isRecord(body.variables)) {
      throw new GraphqlRejected('bad-body', [{ message: 'Variables are invalid JSON.' }]);
    }
    const given = isRecord(body.variables) ? body.variables : {};
    const ops = parseGraphql(query);
    const wanted = typeof body.operationName === 'string' ? body.operationName : undefined;
    const op = wanted !== undefined ? ops.find((o) => o.name === wanted) : ops.length === 1 ? ops[0] : undefined;
    if (!op) throw new GraphqlRejected('bad-body', [{ message: wanted !== undefined ? `No operation named "${wanted}"` : 'An operation name is required' }]);
    if (op.operation !== 'query') throw new GraphqlRejected('unimplemented', [{ message: `the fake GitHub server serves queries only, not a ${op.operation}`, locations: [op.loc] }]);
    const invalid = validateGraphql(op);
    if (invalid.length > 0) throw new GraphqlRejected(invalid.some((e) => e.extensions?.code === 'undefinedField') ? 'unimplemented' : 'bad-body', invalid);
    const vars = gqlVariables(op, given);
    const errors: GqlErrorJson[] = [];
    const data = executeGraphql(op.selections, graphqlRoot(ctx), vars, [], errors);
    return { status: 200, json: errors.length > 0 ? { data, errors } : { data }, headers: { 'x-ratelimit-resource': 'graphql' } };
  });

  /** The root of a GraphQL query, for the token of `ctx`. */
  function graphqlRoot(ctx: HandlerContext): GqlObject {
    return {
      __typename: 'Query',
      viewer: (): GqlObject => {
        const u = userRef(ctx.identity.login, identityType(ctx.identity), ctx.identity.id);
        return { __typename: 'User', id: nodeId('U', u.id), login: u.login, databaseId: u.id };
      },
      repository: (args: Record<string, unknown>, at: Parameters<GqlResolve>[1]): GqlObject | null => {
        const full = `${String(args.owner)}/${String(args.name)}`;
        const r = repos.get(repoKey(full));
        if (!r || !canRead(ctx.perms.contents)) {
          at.errors.push({ type: 'NOT_FOUND', path: at.path, locations: [at.loc], message: `Could not resolve to a Repository with the name '${full}'.` });
          return null;
        }
        return {
          __typename: 'Repository',
          id: nodeId('R', r.id),
          name: r.name,
          nameWithOwner: r.fullName,
          isPrivate: r.private,
          object: (a: Record<string, unknown>) => gitObject(r, a),
        };
      },
    };
  }

  /** `object(expression: "<rev>:<path>" | "<rev>")` or `object(oid:)`: a Blob, Tree or Commit, or null. */
  function gitObject(r: RepoStateInternal, args: Record<string, unknown>): GqlObject | null {
    const ids = (typename: string, oid: string): GqlObject => ({ __typename: typename, id: `${typename[0]}_${Buffer.from(`${r.id}:${oid}`).toString('base64url')}`, oid, abbreviatedOid: oid.slice(0, 7) });
    if (typeof args.expression === 'string') {
      const expression = args.expression;
      const colon = expression.indexOf(':');
      const rev = colon < 0 ? expression : expression.slice(0, colon);
      if (rev === '' || !knownRef(r, rev)) return null;
      if (colon < 0) {
        const sha = resolveCommitSha(r, rev);
        return sha ? ids('Commit', sha) : null;
      }
      const path = expression.slice(colon + 1).replace(/\/+$/, '');
      const files = filesAt(r, rev) ?? new Map<string, Buffer>();
      const data = files.get(path);
      if (data) return blobObject(data, ids);
      if (path === '' || [...files.keys()].some((p) => p.startsWith(`${path}/`))) return ids('Tree', createHash('sha1').update(`tree:${rev}:${path}`).digest('hex'));
      return null;
    }
    if (typeof args.oid === 'string') {
      const oid = args.oid.toLowerCase();
      for (const files of r.files.values()) for (const data of files.values()) if (gitBlobSha(data) === oid) return blobObject(data, ids);
    }
    return null;
  }

  /**
   * GitHub's Blob: `text` is null for a binary blob (a NUL byte in its first 8,000 bytes, as git
   * decides, or bytes that are not UTF-8) and is cut after `graphqlTextLimit` bytes, which
   * `isTruncated` says.
   */
  function blobObject(data: Buffer, ids: (typename: string, oid: string) => GqlObject): GqlObject {
    const binary = data.subarray(0, 8000).includes(0) || !isUtf8(data);
    const truncated = data.length > graphqlTextLimit;
    const text = binary ? null : data.subarray(0, truncated ? graphqlTextLimit : data.length).toString('utf8');
    return { ...ids('Blob', gitBlobSha(data)), byteSize: data.length, isBinary: binary, isTruncated: truncated, text };
  }

  on('GET /user', (ctx) => {
    const canGet = ctx.identity.canGetUser ?? identityType(ctx.identity) === 'User';
    if (!canGet) return errorReply(403, 'Resource not accessible by integration', ctx.op);
    const u = userRef(ctx.identity.login, identityType(ctx.identity), ctx.identity.id);
    return {
      status: 200,
      json: {
        ...userJson(u),
        user_view_type: 'private',
        name: null,
        company: null,
        blog: '',
        location: null,
        email: null,
        hireable: null,
        bio: null,
        twitter_username: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: PLACEHOLDER_TIME,
        updated_at: PLACEHOLDER_TIME,
        private_gists: 0,
        total_private_repos: 0,
        owned_private_repos: 0,
        disk_usage: 0,
        collaborators: 0,
        two_factor_authentication: true,
      },
    };
  });

  on('GET /repos/{owner}/{repo}', (ctx) => {
    const r = repoFor(ctx);
    return r ? { status: 200, json: repoJson(r, true) } : notFound(ctx.op);
  });

  // Branches of a repository (the default branch included), paginated as GitHub does.
  on('GET /repos/{owner}/{repo}/branches', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.contents)) return notFound(ctx.op);
    const names = [...new Set([r.defaultBranch, ...r.branches.keys()])].sort();
    const perPage = Number(ctx.query.get('per_page') ?? 30);
    const page = Number(ctx.query.get('page') ?? 1);
    const slice = names.slice((page - 1) * perPage, page * perPage);
    const json = slice.map((name) => {
      const sha = resolveCommitSha(r, name) ?? createHash('sha1').update(`branch:${r.fullName}:${name}`).digest('hex');
      return { name, commit: { sha, url: `${baseUrl}/repos/${r.fullName}/commits/${sha}` }, protected: false };
    });
    return { status: 200, json };
  });

  // An organisation's repositories (every repository the server holds under that owner).
  on('GET /orgs/{org}/repos', (ctx) => {
    const org = (ctx.params.org ?? '').toLowerCase();
    const list = [...repos.values()].filter((r) => r.owner.toLowerCase() === org).sort((a, b) => a.name.localeCompare(b.name));
    if (list.length === 0) return notFound(ctx.op);
    const perPage = Number(ctx.query.get('per_page') ?? 30);
    const page = Number(ctx.query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const url = (n: number): string => `${baseUrl}/orgs/${ctx.params.org ?? ''}/repos?per_page=${perPage}&page=${n}`;
    const headers: Record<string, string> = page < last ? { link: `<${url(page + 1)}>; rel="next", <${url(last)}>; rel="last"` } : {};
    return { status: 200, json: list.slice((page - 1) * perPage, page * perPage).map((r) => repoJson(r, false)), headers };
  });

  on('GET /repos/{owner}/{repo}/contents/{path}', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.contents)) return notFound(ctx.op);
    const ref = ctx.query.get('ref') || r.defaultBranch;
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    if (!knownRef(r, ref)) return errorReply(404, `No commit found for the ref ${ref}`, ctx.op);
    const files = filesAt(r, ref) ?? new Map<string, Buffer>();
    const data = files.get(path);
    const accept = ctx.headers.accept ?? '';
    if (data) {
      if (/\.raw\b/.test(accept)) {
        return { status: 200, raw: { data, contentType: isUtf8(data) ? 'text/plain; charset=utf-8' : 'application/octet-stream' } };
      }
      const entry = fileEntryJson(r, ref, path, 'file', data);
      const large = data.length > 1024 * 1024;
      return { status: 200, json: { ...entry, content: large ? '' : base64Wrapped(data), encoding: large ? 'none' : 'base64' } };
    }
    // a directory: immediate children of `path`
    const prefix = path === '' ? '' : `${path}/`;
    const children = new Map<string, Record<string, unknown>>();
    for (const [p, d] of files) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const name = rest.split('/')[0] ?? rest;
      const childPath = `${prefix}${name}`;
      if (children.has(childPath)) continue;
      children.set(childPath, rest.includes('/') ? fileEntryJson(r, ref, childPath, 'dir', undefined) : fileEntryJson(r, ref, childPath, 'file', d));
    }
    if (children.size === 0) return notFound(ctx.op);
    return { status: 200, json: [...children.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v) };
  });

  // A commit's tree, listed recursively: blobs and the folders they imply (as GitHub lists them).
  on('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.contents)) return notFound(ctx.op);
    const ref = ctx.params.tree_sha ?? '';
    if (!knownRef(r, ref)) return notFound(ctx.op);
    const files = filesAt(r, ref) ?? new Map<string, Buffer>();
    const recursive = ctx.query.has('recursive');
    const api = `${baseUrl}/repos/${r.fullName}/git`;
    const entries = new Map<string, Record<string, unknown>>();
    for (const [p, d] of files) {
      const parts = p.split('/');
      if (!recursive && parts.length > 1) {
        const sha = createHash('sha1').update(`tree:${ref}:${parts[0]}`).digest('hex');
        entries.set(parts[0]!, { path: parts[0], mode: '040000', type: 'tree', sha, url: `${api}/trees/${sha}` });
        continue;
      }
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        const sha = createHash('sha1').update(`tree:${ref}:${dir}`).digest('hex');
        if (!entries.has(dir)) entries.set(dir, { path: dir, mode: '040000', type: 'tree', sha, url: `${api}/trees/${sha}` });
      }
      const sha = gitBlobSha(d);
      entries.set(p, { path: p, mode: '100644', type: 'blob', sha, size: d.length, url: `${api}/blobs/${sha}` });
    }
    const sha = createHash('sha1').update(`tree:${ref}:`).digest('hex');
    const tree = [...entries.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
    return { status: 200, json: { sha, url: `${api}/trees/${sha}`, tree, truncated: false } };
  });

  on('GET /repos/{owner}/{repo}/commits/{ref}', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.contents)) return notFound(ctx.op);
    const ref = ctx.params.ref ?? '';
    const sha = resolveCommitSha(r, ref);
    if (!sha) return errorReply(422, `No commit found for SHA: ${ref}`, ctx.op);
    return { status: 200, json: commitJson(r, sha) };
  });

  const compare = (ctx: HandlerContext, baseRef: string, headRef: string): Reply => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.contents)) return notFound(ctx.op);
    const base = resolveCommitSha(r, baseRef);
    const head = resolveCommitSha(r, headRef);
    if (!base || !head) return notFound(ctx.op);
    const identical = base === head;
    const files = r.commits.get(head)?.files ?? [];
    return {
      status: 200,
      json: {
        url: `${baseUrl}/repos/${r.fullName}/compare/${baseRef}...${headRef}`,
        html_url: `https://github.com/${r.fullName}/compare/${baseRef}...${headRef}`,
        permalink_url: `https://github.com/${r.fullName}/compare/${r.owner}:${base}...${r.owner}:${head}`,
        diff_url: `https://github.com/${r.fullName}/compare/${baseRef}...${headRef}.diff`,
        patch_url: `https://github.com/${r.fullName}/compare/${baseRef}...${headRef}.patch`,
        base_commit: commitJson(r, base),
        merge_base_commit: commitJson(r, base),
        status: identical ? 'identical' : 'ahead',
        ahead_by: identical ? 0 : 1,
        behind_by: 0,
        total_commits: identical ? 0 : 1,
        commits: identical ? [] : [commitJson(r, head)],
        files: files.map((f) => diffEntryJson(r, head, f)),
      },
    };
  };
  on('GET /repos/{owner}/{repo}/compare/{basehead}', (ctx) => {
    const [b, h] = (ctx.params.basehead ?? '').split('...');
    return b && h ? compare(ctx, b, h) : notFound(ctx.op);
  });
  on('GET /repos/{owner}/{repo}/compare/{base}...{head}', (ctx) => compare(ctx, ctx.params.base ?? '', ctx.params.head ?? ''));

  // pull requests and reviews

  const pullFor = (ctx: HandlerContext): { r: RepoStateInternal; pr: PullRequestState } | undefined => {
    const r = repoFor(ctx);
    const pr = r?.pulls.get(Number(ctx.params.pull_number));
    return r && pr && canRead(ctx.perms.pullRequests) ? { r, pr } : undefined;
  };

  on('GET /repos/{owner}/{repo}/pulls', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.pullRequests)) return notFound(ctx.op);
    const state = ctx.query.get('state') ?? 'open';
    const base = ctx.query.get('base');
    const list = [...r.pulls.values()].filter((pr) => (state === 'all' || pr.state === state) && (!base || pr.base.ref === base)).sort((a, b) => b.number - a.number);
    const { page, headers } = paginate(ctx, list);
    return { status: 200, json: page.map((pr) => pullJson(r, pr)), headers };
  });

  on('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.pullRequests)) return notFound(ctx.op);
    const sha = ctx.params.commit_sha ?? '';
    const list = [...r.pulls.values()].filter((pr) => pr.head.sha === sha || pr.head.ref === sha);
    const { page, headers } = paginate(ctx, list);
    return { status: 200, json: page.map((pr) => pullJson(r, pr)), headers };
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => {
    const found = pullFor(ctx);
    return found ? { status: 200, json: pullJson(found.r, found.pr) } : notFound(ctx.op);
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', (ctx) => {
    const found = pullFor(ctx);
    if (!found) return notFound(ctx.op);
    const { page, headers } = paginate(ctx, found.pr.files);
    return { status: 200, json: page.map((f) => diffEntryJson(found.r, found.pr.head.sha, f)), headers };
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const found = pullFor(ctx);
    if (!found) return notFound(ctx.op);
    const list = found.r.reviews.get(found.pr.number) ?? [];
    const { page, headers } = paginate(ctx, list);
    return { status: 200, json: page.map((rv) => reviewJson(found.r, found.pr, rv)), headers };
  });

  // issue comments

  const issueExists = (r: RepoStateInternal, n: number): boolean => r.pulls.has(n) || r.issues.has(n);
  const canReadComments = (p: TokenPermissions): boolean => canRead(p.issues) || canRead(p.pullRequests);
  const canWriteComment = (p: TokenPermissions, r: RepoStateInternal, n: number): boolean =>
    canWrite(p.issues) || (r.pulls.has(n) && canWrite(p.pullRequests));
  const commentsOf = (r: RepoStateInternal, n: number): CommentRecord[] =>
    [...comments.values()].filter((c) => c.repo === r.fullName && c.issueNumber === n).sort((a, b) => a.id - b.id);
  const COMMENT_MAX = 65536;

  on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const r = repoFor(ctx);
    const n = Number(ctx.params.issue_number);
    if (!r || !issueExists(r, n) || !canReadComments(ctx.perms)) return notFound(ctx.op);
    const since = ctx.query.get('since');
    const list = commentsOf(r, n).filter((c) => !since || c.updated_at >= since);
    const { page, headers } = paginate(ctx, list);
    return { status: 200, json: page.map(commentJson), headers };
  });

  on('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const r = repoFor(ctx);
    const n = Number(ctx.params.issue_number);
    if (!r || !issueExists(r, n)) return notFound(ctx.op);
    if (!canWriteComment(ctx.perms, r, n)) return forbiddenIntegration(ctx.op, 'issues=write; pull_requests=write');
    const body = isRecord(ctx.body) && typeof ctx.body.body === 'string' ? ctx.body.body : '';
    if (charLength(body) > COMMENT_MAX) {
      return validationFailed(ctx.op, 'IssueComment', 'body', `body is too long (maximum is ${COMMENT_MAX} characters)`);
    }
    const id = nextCommentId++;
    const t = iso();
    const c: CommentRecord = {
      id,
      node_id: nodeId('IC', id),
      repo: r.fullName,
      issueNumber: n,
      body,
      user: userRef(ctx.identity.login, identityType(ctx.identity), ctx.identity.id),
      created_at: t,
      updated_at: t,
      edits: 0,
    };
    comments.set(id, c);
    const json = commentJson(c);
    return { status: 201, json, headers: { location: String(json.url) } };
  });

  const commentFor = (ctx: HandlerContext): { r: RepoStateInternal; c: CommentRecord } | undefined => {
    const r = repoFor(ctx);
    const c = comments.get(Number(ctx.params.comment_id));
    return r && c && c.repo === r.fullName ? { r, c } : undefined;
  };

  on('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', (ctx) => {
    const found = commentFor(ctx);
    if (!found || !canReadComments(ctx.perms)) return notFound(ctx.op);
    return { status: 200, json: commentJson(found.c) };
  });

  on('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', (ctx) => {
    const found = commentFor(ctx);
    if (!found) return notFound(ctx.op);
    if (!canWriteComment(ctx.perms, found.r, found.c.issueNumber)) return forbiddenIntegration(ctx.op, 'issues=write; pull_requests=write');
    const body = isRecord(ctx.body) && typeof ctx.body.body === 'string' ? ctx.body.body : '';
    if (charLength(body) > COMMENT_MAX) {
      return validationFailed(ctx.op, 'IssueComment', 'body', `body is too long (maximum is ${COMMENT_MAX} characters)`);
    }
    found.c.body = body;
    found.c.updated_at = iso();
    found.c.edits++;
    return { status: 200, json: commentJson(found.c) };
  });

  on('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', (ctx) => {
    const found = commentFor(ctx);
    if (!found) return notFound(ctx.op);
    if (!canWriteComment(ctx.perms, found.r, found.c.issueNumber)) return forbiddenIntegration(ctx.op, 'issues=write; pull_requests=write');
    comments.delete(found.c.id);
    return { status: 204 };
  });

  // collaborators and teams

  on('GET /repos/{owner}/{repo}/collaborators/{username}/permission', (ctx) => {
    const r = repoFor(ctx);
    const entry = r?.collaborators.get((ctx.params.username ?? '').toLowerCase());
    if (!r || !entry) return notFound(ctx.op);
    const legacy = entry.permission === 'admin' ? 'admin' : entry.permission === 'maintain' || entry.permission === 'write' ? 'write' : 'read';
    const order: RepoPermission[] = ['read', 'triage', 'write', 'maintain', 'admin'];
    const rank = order.indexOf(entry.permission);
    return {
      status: 200,
      json: {
        permission: legacy,
        role_name: entry.permission,
        user: {
          ...userJson(userRef(entry.login)),
          permissions: { pull: rank >= 0, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 },
          role_name: entry.permission,
        },
      },
    };
  });

  on('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', (ctx) => {
    if (ctx.perms.members !== 'read') return forbiddenIntegration(ctx.op, 'members=read');
    const org = ctx.params.org ?? '';
    const team = ctx.params.team_slug ?? '';
    const m = teams.get(`${org.toLowerCase()}/${team.toLowerCase()}`)?.get((ctx.params.username ?? '').toLowerCase());
    if (!m) return notFound(ctx.op);
    return {
      status: 200,
      json: { url: `${baseUrl}/organizations/${stableId(`org:${org}`)}/team/${stableId(`team:${org}/${team}`)}/memberships/${ctx.params.username ?? ''}`, role: m.role, state: m.state },
    };
  });

  // check runs

  const CHECK_TEXT_MAX = 65535;

  function applyCheckRunBody(c: CheckRunRecord, body: Record<string, unknown>): void {
    if (typeof body.name === 'string') c.name = body.name;
    if (typeof body.details_url === 'string') c.details_url = body.details_url;
    if (typeof body.external_id === 'string') c.external_id = body.external_id;
    if (typeof body.started_at === 'string') c.started_at = body.started_at;
    if (typeof body.status === 'string') c.status = body.status;
    if (typeof body.conclusion === 'string') {
      c.conclusion = body.conclusion;
      c.status = 'completed';
    }
    if (typeof body.completed_at === 'string') c.completed_at = body.completed_at;
    if (c.status === 'completed' && !c.completed_at) c.completed_at = iso();
    if (c.status !== 'queued' && !c.started_at) c.started_at = iso();
    const out = body.output;
    if (isRecord(out)) {
      if (typeof out.title === 'string') c.output.title = out.title;
      if (typeof out.summary === 'string') c.output.summary = out.summary;
      if (typeof out.text === 'string') c.output.text = out.text;
      if (Array.isArray(out.annotations)) {
        c.output.annotations.push(...(out.annotations as Annotation[]));
        c.annotationBatches.push(out.annotations.length);
        annotationBatches.push(out.annotations.length);
      }
    }
  }

  function checkOutputLimits(op: OperationSpec, body: Record<string, unknown>): Reply | undefined {
    const out = body.output;
    if (!isRecord(out)) return undefined;
    for (const key of ['summary', 'text'] as const) {
      const v = out[key];
      if (typeof v === 'string' && charLength(v) > CHECK_TEXT_MAX) {
        return errorReply(422, `Invalid request.\n\nOnly ${CHECK_TEXT_MAX} characters are allowed; ${charLength(v)} were supplied.`, op);
      }
    }
    return undefined;
  }

  on('POST /repos/{owner}/{repo}/check-runs', (ctx) => {
    const r = repoFor(ctx);
    if (!r) return notFound(ctx.op);
    if (!canWrite(ctx.perms.checks)) return forbiddenIntegration(ctx.op, 'checks=write');
    const body = isRecord(ctx.body) ? ctx.body : {};
    const limits = checkOutputLimits(ctx.op, body);
    if (limits) return limits;
    const headSha = typeof body.head_sha === 'string' ? body.head_sha : '';
    if (!/^[0-9a-f]{40}$/i.test(headSha)) return errorReply(422, `No commit found for SHA: ${headSha}`, ctx.op);
    const c: CheckRunRecord = {
      id: nextCheckRunId++,
      repo: r.fullName,
      name: '',
      head_sha: headSha,
      status: 'queued',
      conclusion: null,
      started_at: null,
      completed_at: null,
      details_url: null,
      external_id: null,
      output: { title: null, summary: null, text: null, annotations: [] },
      annotationBatches: [],
      updates: 0,
    };
    applyCheckRunBody(c, body);
    checkRunList.push(c);
    return { status: 201, json: checkRunJson(c), headers: { location: `${baseUrl}/repos/${r.fullName}/check-runs/${c.id}` } };
  });

  const checkRunFor = (ctx: HandlerContext): CheckRunRecord | undefined => {
    const r = repoFor(ctx);
    const id = Number(ctx.params.check_run_id);
    return r ? checkRunList.find((c) => c.id === id && c.repo === r.fullName) : undefined;
  };

  on('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const c = checkRunFor(ctx);
    return c && canRead(ctx.perms.checks) ? { status: 200, json: checkRunJson(c) } : notFound(ctx.op);
  });

  on('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const c = checkRunFor(ctx);
    if (!c) return notFound(ctx.op);
    if (!canWrite(ctx.perms.checks)) return forbiddenIntegration(ctx.op, 'checks=write');
    const body = isRecord(ctx.body) ? ctx.body : {};
    const limits = checkOutputLimits(ctx.op, body);
    if (limits) return limits;
    c.updates++;
    applyCheckRunBody(c, body);
    return { status: 200, json: checkRunJson(c) };
  });

  on('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', (ctx) => {
    const c = checkRunFor(ctx);
    if (!c || !canRead(ctx.perms.checks)) return notFound(ctx.op);
    const { page, headers } = paginate(ctx, c.output.annotations);
    return {
      status: 200,
      json: page.map((a) => ({
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
        blob_href: `https://github.com/${c.repo}/blob/${c.head_sha}/${a.path}`,
      })),
      headers,
    };
  });

  on('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', (ctx) => {
    const r = repoFor(ctx);
    if (!r || !canRead(ctx.perms.checks)) return notFound(ctx.op);
    const sha = resolveCommitSha(r, ctx.params.ref ?? '') ?? ctx.params.ref;
    const name = ctx.query.get('check_name');
    const list = checkRunList.filter((c) => c.repo === r.fullName && c.head_sha === sha && (!name || c.name === name));
    const { page, headers } = paginate(ctx, list);
    return { status: 200, json: { total_count: list.length, check_runs: page.map(checkRunJson) }, headers };
  });

  // ---- request dispatch ----

  function violation(kind: ViolationKind, entry: RecordedRequest, message: string): void {
    violations.push({ kind, method: entry.method, path: entry.path, operationId: entry.operationId, message, time: Date.now() });
  }

  function tokenOf(authorization: string | undefined): string | undefined {
    if (!authorization) return undefined;
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization.trim());
    return m?.[1];
  }

  function authProblem(token: string | undefined): Reply | undefined {
    const req = opts.requireToken;
    if (req === undefined || req === false) return undefined;
    if (!token) return { status: 401, json: { message: 'Requires authentication', documentation_url: DOCS_ROOT, status: '401' } };
    if (tokens.has(token) || req === true) return undefined;
    const allowed = typeof req === 'string' ? [req] : req;
    if (allowed.includes(token)) return undefined;
    return { status: 401, json: { message: 'Bad credentials', documentation_url: DOCS_ROOT, status: '401' } };
  }

  function sleep(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        cancelers.delete(done);
        res.off('close', done);
        resolve();
      };
      if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
      cancelers.add(done);
      res.on('close', done);
    });
  }

  function send(res: ServerResponse, entry: RecordedRequest, reply: Reply, extraHeaders?: Record<string, string>): void {
    if (res.destroyed || res.writableEnded) {
      entry.aborted = true;
      return;
    }
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, rateLimit - rateUsed)),
      'x-ratelimit-reset': String(rateReset),
      'x-ratelimit-used': String(rateUsed),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
      ...extraHeaders,
    };
    let data: Buffer | undefined;
    if (reply.raw) {
      data = reply.raw.data;
      headers['content-type'] = reply.raw.contentType;
    } else if (reply.json !== undefined && reply.status !== 204 && reply.status !== 304) {
      data = Buffer.from(JSON.stringify(reply.json));
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (data) headers['content-length'] = String(data.length);
    entry.status = reply.status;
    entry.durationMs = Date.now() - entry.time;
    res.writeHead(reply.status, headers);
    res.end(data);
  }

  function injectedReply(f: Fault): Reply {
    const status = f.status ?? 500;
    if (f.body === undefined) return { status, json: { message: STATUS_CODES[status] ?? 'Error' }, headers: f.headers };
    if (typeof f.body === 'string' || f.body instanceof Uint8Array) {
      const data = Buffer.from(f.body);
      return { status, raw: { data, contentType: 'text/plain; charset=utf-8' }, headers: f.headers };
    }
    return { status, json: f.body, headers: f.headers };
  }

  function notifyWaiters(): void {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (!w) continue;
      const found = requests.filter((r) => matchesRequest(w.matcher, r.method, r.path, r.template, r.operationId, r.rawBody));
      if (found.length >= w.count) {
        waiters.splice(i, 1);
        w.resolve(found);
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    let body: unknown;
    let jsonError: string | undefined;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody) as unknown;
      } catch (e) {
        body = rawBody;
        jsonError = e instanceof Error ? e.message : String(e);
      }
    }
    rateUsed++;
    const entry: RecordedRequest = {
      id: ++seq,
      time: Date.now(),
      method,
      path: url.pathname,
      query,
      search: url.search,
      headers,
      authorization: headers.authorization,
      body,
      rawBody,
      operationId: undefined,
      template: undefined,
      params: {},
      status: 0,
      injected: false,
      reset: false,
      aborted: false,
      durationMs: undefined,
    };
    requests.push(entry);
    res.on('close', () => {
      if (!res.writableFinished && entry.status === 0 && !entry.reset) entry.aborted = true;
    });

    // 1. the OpenAPI gate
    const matched = matchGraphql(method, url.pathname) ?? matchRoute(api, method, url.pathname);
    if (!matched) {
      violation('unknown-route', entry, matched === null ? `${method} is not an operation of ${url.pathname}` : `no operation matches ${method} ${url.pathname}`);
      notifyWaiters();
      send(res, entry, notFound());
      return;
    }
    const { op, params } = matched;
    entry.operationId = op.operationId;
    entry.template = op.template;
    entry.params = params;
    notifyWaiters();

    // 2. parameters and body against the operation
    const problem = ((): Reply | undefined => {
      for (const p of op.params) {
        if (p.in === 'path') {
          const v = params[p.name];
          const err = v === undefined ? 'missing' : validateScalarParam(p.schema, v);
          if (err) {
            violation('bad-path-param', entry, `path parameter ${p.name}: ${err}`);
            return notFound(op);
          }
        } else if (p.in === 'query') {
          const v = url.searchParams.get(p.name);
          if (v === null) {
            if (p.required) {
              violation('bad-query', entry, `query parameter ${p.name} is required`);
              return errorReply(422, `Invalid request.\n\n"${p.name}" wasn't supplied.`, op);
            }
            continue;
          }
          const err = validateScalarParam(p.schema, v);
          if (err) {
            violation('bad-query', entry, `query parameter ${p.name}: ${err}`);
            return errorReply(422, `Invalid request.\n\nFor '${p.name}', ${err}.`, op);
          }
        }
      }
      if (jsonError !== undefined && (op.body || method !== 'GET')) {
        violation('invalid-json', entry, `body is not JSON: ${jsonError}`);
        return errorReply(400, 'Problems parsing JSON', op);
      }
      if (op.body) {
        if (body === undefined) {
          if (op.body.required) {
            violation('bad-body', entry, 'request body is required');
            return errorReply(422, 'Invalid request.\n\nA request body is required.', op);
          }
        } else if (op.body.schema) {
          const errors: string[] = [];
          validateValue(api, op.body.schema, body, 'body', errors);
          if (errors.length > 0) {
            violation('bad-body', entry, errors.join('; '));
            return errorReply(422, `Invalid request.\n\n${errors.join('\n')}`, op);
          }
        }
      }
      return undefined;
    })();
    if (problem) {
      send(res, entry, problem);
      return;
    }

    // 3. hooks and holds (races)
    const ctxForHooks: RequestContext = { request: entry, operationId: op.operationId, template: op.template, params };
    try {
      for (const hook of [...hooks]) await hook(ctxForHooks);
    } catch (e) {
      violation('hook-error', entry, e instanceof Error ? e.message : String(e));
      send(res, entry, errorReply(500, 'Server Error (test hook failed)', op));
      return;
    }
    for (const h of holds) {
      if (h.done || !matchesRequest(h.opts, method, url.pathname, op.template, op.operationId, rawBody)) continue;
      h.arrived++;
      if (h.arrived >= h.opts.count) h.release();
      await h.promise;
      break;
    }

    // 4. injected faults
    let extraHeaders: Record<string, string> | undefined;
    const active = faultList.find((f) => f.remaining > 0 && matchesRequest(f.fault, method, url.pathname, op.template, op.operationId, rawBody));
    if (active) {
      active.remaining--;
      active.fired++;
      entry.injected = true;
      const f = active.fault;
      if (f.delayMs !== undefined && f.delayMs > 0) {
        await sleep(f.delayMs, res);
        if (closed || res.destroyed) {
          entry.aborted = entry.status === 0;
          if (closed && !res.destroyed) res.destroy();
          return;
        }
      }
      if (f.reset) {
        entry.reset = true;
        const socket = req.socket as Socket & { resetAndDestroy?: () => void };
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      if (f.status !== undefined || f.body !== undefined) {
        send(res, entry, injectedReply(f));
        return;
      }
      extraHeaders = f.headers;
    }

    // 5. authentication
    const token = tokenOf(headers.authorization);
    const auth = authProblem(token);
    if (auth) {
      send(res, entry, auth, extraHeaders);
      return;
    }
    const who = (token && tokens.get(token)) || identity;
    const perms: TokenPermissions = { ...permissions, ...who.permissions };

    // 6. the handler
    const handler = handlers.get(`${method} ${op.template}`);
    if (!handler) {
      violation('unimplemented', entry, `the fake GitHub server does not implement ${op.operationId} (${method} ${op.template})`);
      send(res, entry, errorReply(501, `Not implemented by the fake GitHub server: ${op.operationId}`, op), extraHeaders);
      return;
    }
    let reply: Reply;
    try {
      reply = handler({ op, params, query: url.searchParams, body, headers, identity: who, perms, path: url.pathname });
    } catch (e) {
      if (e instanceof GraphqlRejected) {
        violation(e.kind, entry, `GraphQL: ${e.message}`);
        reply = { status: 200, json: { errors: e.errors }, headers: { 'x-ratelimit-resource': 'graphql' } };
      } else {
        reply = errorReply(500, `Server Error: ${e instanceof Error ? e.message : String(e)}`, op);
        violation('response-schema', entry, `handler threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
    if (validateResponses && reply.json !== undefined && !reply.noConform) {
      const schema = op.responses.get(String(reply.status));
      if (schema) {
        reply = { ...reply, json: conform(api, schema, reply.json) };
        const errors: string[] = [];
        validateValue(api, schema, reply.json, 'response', errors);
        if (errors.length > 0) violation('response-schema', entry, `${reply.status} answer of ${op.operationId}: ${errors.join('; ')}`);
      }
    }
    send(res, entry, reply, extraHeaders);
  }

  // ---- the HTTP server ----

  let closed = false;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: `Server Error: ${e instanceof Error ? e.message : String(e)}` }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const fake: FakeGitHub = {
    url: baseUrl,
    port,
    repository: repoOf(defaultRepo).fullName,
    requests,
    violations,
    permissions,
    annotationBatches,
    get identity(): Identity {
      return identity;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const h of [...holds]) h.release();
      for (const cancel of [...cancelers]) cancel();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },

    countRequests(method?: string, path?: RegExp | string): number {
      return this.findRequests(method, path).length;
    },
    findRequests(method?: string, path?: RegExp | string): RecordedRequest[] {
      return requests.filter((r) => matchesRequest({ method, path }, r.method, r.path, r.template, r.operationId));
    },
    waitForRequests(matcher: RequestMatcher, count = 1, timeoutMs = 15_000): Promise<RecordedRequest[]> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`timed out waiting for ${count} request(s) matching ${String(matcher.method ?? '*')} ${String(matcher.path ?? matcher.operationId ?? '*')}`));
        }, timeoutMs);
        const w = {
          matcher,
          count,
          resolve: (found: RecordedRequest[]): void => {
            clearTimeout(timer);
            resolve(found);
          },
        };
        waiters.push(w);
        notifyWaiters();
      });
    },
    clearLog(): void {
      requests.length = 0;
      violations.length = 0;
    },

    inject(fault: Fault): FaultHandle {
      const active: ActiveFault = { fault, remaining: fault.times ?? 1, fired: 0 };
      faultList.push(active);
      return {
        get fired(): number {
          return active.fired;
        },
        get remaining(): number {
          return active.remaining;
        },
        cancel(): void {
          active.remaining = 0;
        },
      };
    },
    clearFaults(): void {
      faultList.length = 0;
    },
    onRequest(hook: RequestHook): () => void {
      hooks.push(hook);
      return () => {
        const i = hooks.indexOf(hook);
        if (i >= 0) hooks.splice(i, 1);
      };
    },
    hold(options: HoldOptions): Hold {
      let release = (): void => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      const h: ActiveHold = {
        opts: options,
        arrived: 0,
        done: false,
        promise,
        release: () => {
          if (h.done) return;
          h.done = true;
          clearTimeout(timer);
          const i = holds.indexOf(h);
          if (i >= 0) holds.splice(i, 1);
          release();
        },
      };
      const timer = setTimeout(() => h.release(), options.timeoutMs ?? 15_000);
      holds.push(h);
      return {
        get arrived(): number {
          return h.arrived;
        },
        released: promise,
        release: () => h.release(),
      };
    },

    setIdentity(next: Identity): void {
      identity = next;
    },
    setToken(token: string, who: Identity): void {
      tokens.set(token, who);
    },

    addRepo,
    setFile(ref: string, path: string, content: string | Uint8Array, repo?: string): void {
      const r = repoOf(repo);
      let files = r.files.get(ref);
      if (!files) r.files.set(ref, (files = new Map()));
      files.set(path.replace(/^\/+/, ''), Buffer.from(content));
    },
    deleteFile(ref: string, path: string, repo?: string): void {
      repoOf(repo).files.get(ref)?.delete(path.replace(/^\/+/, ''));
    },
    setBranch(branch: string, sha: string, repo?: string): void {
      repoOf(repo).branches.set(branch, sha);
    },
    setCommit(sha: string, init: CommitInit = {}, repo?: string): void {
      repoOf(repo).commits.set(sha, init);
    },
    addIssue(number: number, repo?: string): void {
      repoOf(repo).issues.add(number);
    },
    addPullRequest(init: PullRequestInit, repo?: string): PullRequestState {
      const r = repoOf(repo);
      const t = iso();
      const pr: PullRequestState = {
        number: init.number,
        id: stableId(`pr:${r.fullName}#${init.number}`),
        title: init.title ?? `Pull request #${init.number}`,
        body: init.body ?? null,
        state: init.state ?? 'open',
        merged: init.merged ?? false,
        draft: init.draft ?? false,
        user: userRef(init.user ?? 'octocat'),
        head: { ref: init.head.ref, sha: init.head.sha, repo: init.head.repo ?? r.fullName },
        base: { ref: init.base.ref, sha: init.base.sha },
        files: init.files ?? [],
        labels: init.labels ?? [],
        created_at: t,
        updated_at: t,
      };
      if (pr.head.repo !== r.fullName && !repos.has(repoKey(pr.head.repo))) {
        const [owner, name] = pr.head.repo.split('/');
        if (owner && name) addRepo({ owner, name, fork: true });
      }
      r.pulls.set(pr.number, pr);
      if (!r.reviews.has(pr.number)) r.reviews.set(pr.number, []);
      return pr;
    },
    pullRequest(number: number, repo?: string): PullRequestState | undefined {
      return repoOf(repo).pulls.get(number);
    },
    addReview(pullNumber: number, init: ReviewInit, repo?: string): ReviewRecord {
      const r = repoOf(repo);
      const pr = r.pulls.get(pullNumber);
      if (!pr) throw new Error(`no pull request #${pullNumber} in ${r.fullName}`);
      const rv: ReviewRecord = {
        id: init.id ?? nextReviewId++,
        user: userRef(init.user),
        state: init.state,
        commit_id: init.commit_id === undefined ? pr.head.sha : init.commit_id,
        submitted_at: init.state === 'PENDING' ? undefined : (init.submitted_at ?? iso()),
        body: init.body ?? '',
      };
      const list = r.reviews.get(pullNumber) ?? [];
      list.push(rv);
      r.reviews.set(pullNumber, list);
      return rv;
    },
    addComment(issueNumber: number, init: CommentInit, repo?: string): CommentRecord {
      const r = repoOf(repo);
      if (!issueExists(r, issueNumber)) r.issues.add(issueNumber);
      const id = nextCommentId++;
      const t = init.created_at ?? iso();
      const who = init.user ? userRef(init.user) : userRef(identity.login, identityType(identity), identity.id);
      const c: CommentRecord = { id, node_id: nodeId('IC', id), repo: r.fullName, issueNumber, body: init.body, user: who, created_at: t, updated_at: init.updated_at ?? t, edits: 0 };
      comments.set(id, c);
      return c;
    },
    comments(issueNumber: number, repo?: string): CommentRecord[] {
      return commentsOf(repoOf(repo), issueNumber);
    },
    setCollaborator(username: string, permission: RepoPermission | null, repo?: string): void {
      const r = repoOf(repo);
      if (permission === null) r.collaborators.delete(username.toLowerCase());
      else r.collaborators.set(username.toLowerCase(), { login: username, permission });
    },
    setTeamMember(org, teamSlug, username, membership = {}): void {
      const key = `${org.toLowerCase()}/${teamSlug.toLowerCase()}`;
      let members = teams.get(key);
      if (!members) teams.set(key, (members = new Map()));
      if (membership === null) members.delete(username.toLowerCase());
      else members.set(username.toLowerCase(), { role: membership.role ?? 'member', state: membership.state ?? 'active' });
    },
    checkRuns(repo?: string): CheckRunRecord[] {
      const r = repoOf(repo);
      return checkRunList.filter((c) => c.repo === r.fullName);
    },
  };
  return fake;
}
