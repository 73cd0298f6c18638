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
 * here as one operation (`graphql`), whose queries the handler checks itself. Only the queries
 * the action makes are served (`viewer { login databaseId }`); any other is a violation.
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

class GraphqlUnsupported extends Error {}

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

function matchesRequest(m: RequestMatcher, method: string, path: string, template: string | undefined, operationId: string | undefined): boolean {
  if (m.method && m.method !== '*' && m.method.toUpperCase() !== method) return false;
  if (m.operationId && m.operationId !== operationId) return false;
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
// The server
// ---------------------------------------------------------------------------------------------

export async function startGitHubServer(opts: StartOptions = {}): Promise<FakeGitHub> {
  const api = await loadApi(opts.specFile);
  const now = opts.now ?? (() => new Date());
  const iso = (d: Date = now()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const validateResponses = opts.validateResponses ?? true;
  const rateLimit = opts.rateLimit ?? 5000;
  const rateReset = Math.floor(Date.now() / 1000) + 3600;
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

  // GraphQL `viewer`: unlike GET /user, it answers integration tokens too, with the bot
  // account the token writes as (`<app>[bot]`, its databaseId being the REST user id).
  on('POST /graphql', (ctx) => {
    const query = isRecord(ctx.body) && typeof ctx.body.query === 'string' ? ctx.body.query : '';
    const m = /^\s*(?:query\b[^{]*)?\{\s*viewer\s*\{([\s\w,]*)\}\s*\}\s*$/.exec(query);
    const fields = m ? m[1]!.split(/[\s,]+/).filter(Boolean) : [];
    const known = ['login', 'databaseId', '__typename'];
    if (!m || fields.length === 0 || fields.some((f) => !known.includes(f))) {
      throw new GraphqlUnsupported(`the fake GitHub server serves only "{ viewer { ${known.join(' ')} } }", not: ${query.slice(0, 200)}`);
    }
    const u = userRef(ctx.identity.login, identityType(ctx.identity), ctx.identity.id);
    const viewer: Record<string, unknown> = {};
    for (const f of fields) viewer[f] = f === 'login' ? u.login : f === 'databaseId' ? u.id : 'User';
    return { status: 200, json: { data: { viewer } } };
  });

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
      const found = requests.filter((r) => matchesRequest(w.matcher, r.method, r.path, r.template, r.operationId));
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
      if (h.done || !matchesRequest(h.opts, method, url.pathname, op.template, op.operationId)) continue;
      h.arrived++;
      if (h.arrived >= h.opts.count) h.release();
      await h.promise;
      break;
    }

    // 4. injected faults
    let extraHeaders: Record<string, string> | undefined;
    const active = faultList.find((f) => f.remaining > 0 && matchesRequest(f.fault, method, url.pathname, op.template, op.operationId));
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
      if (e instanceof GraphqlUnsupported) {
        violation('unimplemented', entry, e.message);
        reply = { status: 200, json: { errors: [{ type: 'UNIMPLEMENTED', message: e.message }] } };
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
