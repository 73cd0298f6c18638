// SPEC §7.1 (issue 17): where git cannot read the base commit, its files come through the API in
// batches: one tree listing, then one GraphQL query per (up to) 100 files read together, with the
// contents API for what GraphQL cannot answer exactly; and the fake GitHub answers those queries
// as GitHub does.
import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHub } from '../../src/github/client';
import { treeReader } from '../../src/github/contents';
import { startGitHubServer } from '../support/github-server';
import type { FakeGitHub, RecordedRequest, StartOptions } from '../support/github-server';

const REPO = { owner: 'acme', repo: 'service' };
const SHA = 'b'.repeat(40);

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

/** The fake GitHub holding `files` at SHA, and a plain octokit (no retries: a fault is seen at once). */
async function start(files: Record<string, string | Uint8Array>, opts: StartOptions = {}): Promise<{ g: FakeGitHub; client: GitHub }> {
  const g = await startGitHubServer({ repository: 'acme/service', ...opts });
  gh = g;
  for (const [p, text] of Object.entries(files)) g.setFile(SHA, p, text);
  return { g, client: getOctokit('test-token', { baseUrl: g.url }) as GitHub };
}

const ops = (g: FakeGitHub): string[] => g.requests.map((q) => q.operationId ?? `${q.method} ${q.path}`);
const graphqls = (g: FakeGitHub): RecordedRequest[] => g.requests.filter((q) => q.operationId === 'graphql');
const contentPaths = (g: FakeGitHub): string[] => g.requests.filter((q) => q.operationId === 'repos/get-content').map((q) => q.params.path ?? '');
const bodyOf = (q: RecordedRequest): { query: string; variables: Record<string, string> } => q.body as { query: string; variables: Record<string, string> };

/** `n` small text files under dir/, path → text. */
function many(n: number, dir = 'services'): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`${dir}/s${String(i).padStart(3, '0')}/lastmile.yml`] = `system: s${i}\n`;
  return out;
}

describe('treeReader: reads made together are one GraphQL query', () => {
  it('150 concurrent reads: one tree listing and two GraphQL queries (100 files each at most), no contents request', async () => {
    const files = many(150);
    const { g, client } = await start(files);
    const t = treeReader(client, REPO, SHA);
    const paths = Object.keys(files);
    const texts = await Promise.all(paths.map((p) => t.read(p)));
    expect(texts).toEqual(paths.map((p) => files[p]));
    expect(ops(g)).toEqual(['git/get-tree', 'graphql', 'graphql']);
    expect(graphqls(g).map((q) => Object.keys(bodyOf(q).variables).filter((k) => /^e\d+$/.test(k)).length)).toEqual([100, 50]);
    expect(g.violations).toEqual([]);
  });

  it('ten reads: one query whose expressions are `<sha>:<path>` variables; readMany and read batch alike', async () => {
    const files = many(10);
    const { g, client } = await start(files);
    const t = treeReader(client, REPO, SHA);
    const paths = Object.keys(files);
    expect(await t.readMany(paths)).toEqual(paths.map((p) => files[p]));
    expect(ops(g)).toEqual(['git/get-tree', 'graphql']);
    const { query, variables } = bodyOf(graphqls(g)[0]!);
    expect(variables).toMatchObject({ owner: 'acme', name: 'service', e0: `${SHA}:${paths[0]}`, e9: `${SHA}:${paths[9]}` });
    expect(query).toContain('f0: object(expression: $e0) { ... on Blob {');
    expect(query).not.toContain(paths[0]!);
    expect(query).not.toContain(SHA);
  });

  it('reads issued one after another still share a batch while it is pending', async () => {
    const files = many(3);
    const { g, client } = await start(files);
    const t = treeReader(client, REPO, SHA);
    await t.list(); // the listing is in hand: reads now wait only for the batch
    const a = t.read('services/s000/lastmile.yml');
    const b = Promise.resolve().then(() => t.read('services/s001/lastmile.yml'));
    const c = t.read('./services/s002/lastmile.yml');
    expect(await Promise.all([a, b, c])).toEqual(['system: s0\n', 'system: s1\n', 'system: s2\n']);
    expect(ops(g)).toEqual(['git/get-tree', 'graphql']);
  });

  it('the same path twice in a batch is asked once', async () => {
    const { g, client } = await start({ 'a.yml': 'a', 'b.yml': 'b' });
    const t = treeReader(client, REPO, SHA);
    expect(await Promise.all(['a.yml', 'a.yml', 'b.yml'].map((p) => t.read(p)))).toEqual(['a', 'a', 'b']);
    expect(Object.keys(bodyOf(graphqls(g)[0]!).variables)).toEqual(['owner', 'name', 'e0', 'e1']);
  });

  it('a batch of one file is the contents request it always was (one request either way)', async () => {
    const { g, client } = await start({ '.github/lastmile-policy.yml': 'policy', 'x.yml': 'x' });
    const t = treeReader(client, REPO, SHA);
    expect(await t.read('.github/lastmile-policy.yml')).toBe('policy');
    expect(ops(g)).toEqual(['git/get-tree', 'repos/get-content']);
  });

  it('a path the listing lacks reads as undefined and costs nothing', async () => {
    const files = many(4);
    const { g, client } = await start(files);
    const t = treeReader(client, REPO, SHA);
    const asked = [...Object.keys(files), 'CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', 'services', 'services/s000'];
    const texts = await Promise.all(asked.map((p) => t.read(p)));
    expect(texts).toEqual([...Object.values(files), undefined, undefined, undefined, undefined, undefined]);
    expect(ops(g)).toEqual(['git/get-tree', 'graphql']);
    expect(Object.values(bodyOf(graphqls(g)[0]!).variables).filter((v) => v.startsWith(SHA))).toHaveLength(4);
    g.clearLog();
    expect(await Promise.all(['CODEOWNERS', 'nope/x.yml'].map((p) => t.read(p)))).toEqual([undefined, undefined]);
    expect(g.requests).toEqual([]);
  });

  it('many large files: a query carries at most 4 MiB of text', async () => {
    const big = 'x'.repeat(400_000);
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`evals/e${i}.jsonl`] = big + String(i);
    const { g, client } = await start(files);
    const t = treeReader(client, REPO, SHA);
    const paths = Object.keys(files);
    expect(await t.readMany(paths)).toEqual(paths.map((p) => files[p]));
    expect(graphqls(g).map((q) => Object.keys(bodyOf(q).variables).length - 2)).toEqual([10, 2]);
    expect(contentPaths(g)).toEqual([]);
  });
});

describe('treeReader: the contents API where GraphQL cannot answer exactly', () => {
  it('a binary, a truncated and a non-UTF-8 blob are each read through the contents API; the rest from the query', async () => {
    const files: Record<string, string | Uint8Array> = {
      'a.yml': 'a',
      'b.yml': 'b',
      'logo.png': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]),
      'long.jsonl': `${'y'.repeat(300)}\n`,
      'latin1.txt': Uint8Array.from([0x63, 0x61, 0x66, 0xe9]),
    };
    const { g, client } = await start(files, { graphqlTextLimit: 200 });
    const t = treeReader(client, REPO, SHA);
    const paths = Object.keys(files);
    const texts = await Promise.all(paths.map((p) => t.read(p)));
    expect(texts).toEqual(paths.map((p) => Buffer.from(files[p]!).toString('utf8')));
    expect(graphqls(g)).toHaveLength(1);
    expect(contentPaths(g).sort()).toEqual(['latin1.txt', 'logo.png', 'long.jsonl']);
    expect(g.violations).toEqual([]);
  });

  it('a file over 512,000 bytes goes to the contents API directly (GitHub would truncate its text)', async () => {
    const huge = 'z'.repeat(600_000);
    const { g, client } = await start({ 'a.yml': 'a', 'b.yml': 'b', 'huge.jsonl': huge });
    const t = treeReader(client, REPO, SHA);
    expect(await t.readMany(['a.yml', 'huge.jsonl', 'b.yml'])).toEqual(['a', huge, 'b']);
    expect(Object.values(bodyOf(graphqls(g)[0]!).variables)).toEqual(['acme', 'service', `${SHA}:a.yml`, `${SHA}:b.yml`]);
    expect(contentPaths(g)).toEqual(['huge.jsonl']);
  });

  it.each([
    ['a server error', { status: 502 }],
    ['a refusal', { status: 403, body: { message: 'Resource not accessible by integration' } }],
    ['a secondary rate limit', { status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } }],
    ['no GraphQL endpoint (404)', { status: 404 }],
    ['HTTP 200 with errors', { status: 200, body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] } }],
    ['HTTP 200 with data and errors', { status: 200, body: { data: { repository: { f0: null, f1: null, f2: null } }, errors: [{ type: 'NOT_FOUND', message: 'x' }] } }],
    ['an answer without a repository', { status: 200, body: { data: { repository: null } } }],
  ])('a failed query (%s): each of its files through the contents API', async (_what, fault) => {
    const files = many(3);
    const { g, client } = await start(files);
    g.inject({ operationId: 'graphql', times: Infinity, ...fault });
    const t = treeReader(client, REPO, SHA);
    const paths = Object.keys(files);
    expect(await t.readMany(paths)).toEqual(paths.map((p) => files[p]));
    expect(graphqls(g)).toHaveLength(1);
    expect(contentPaths(g).sort()).toEqual(paths);
  });

  it('fails closed: where the query and then a contents read fail, that read throws (never "missing"); the others answer', async () => {
    const files = many(3);
    const { g, client } = await start(files);
    g.inject({ operationId: 'graphql', status: 502, times: Infinity });
    g.inject({ operationId: 'repos/get-content', path: /s001/, status: 500, times: Infinity });
    const t = treeReader(client, REPO, SHA);
    const settled = await Promise.allSettled(Object.keys(files).map((p) => t.read(p)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 'system: s0\n' },
      { status: 'rejected', reason: expect.objectContaining({ status: 500 }) },
      { status: 'fulfilled', value: 'system: s2\n' },
    ]);
  });

  it('a listing that fails: each read asks the contents API, as before', async () => {
    const files = many(3);
    const { g, client } = await start(files);
    g.inject({ operationId: 'git/get-tree', status: 500, times: Infinity });
    const t = treeReader(client, REPO, SHA);
    expect(await t.readMany([...Object.keys(files), 'CODEOWNERS'])).toEqual([...Object.values(files), undefined]);
    expect(graphqls(g)).toEqual([]);
    expect(contentPaths(g)).toHaveLength(4);
    await expect(t.list()).rejects.toMatchObject({ status: 500 });
  });
});

describe('treeReader: hostile paths travel as variables', () => {
  const hostile = [
    'evil"}) { viewer { login } } #/lastmile.yml',
    'a\nb"}\n}/x.yml',
    '$e0 ... on Tree {/q.yml',
    'back\\slash\\"quote/y.yml',
    'ünï/çødé"}"}.yml',
  ];

  it('the query text is the same as for plain paths; the files read back exactly; the fake GitHub saw nothing invalid', async () => {
    const plain = ['p0.yml', 'p1.yml', 'p2.yml', 'p3.yml', 'p4.yml'];
    const files: Record<string, string> = {};
    [...hostile, ...plain].forEach((p, i) => (files[p] = `file ${i}\n`));
    const { g, client } = await start(files);
    const t = treeReader(client, REPO, SHA);
    expect(await t.readMany(hostile)).toEqual(hostile.map((p) => files[p]));
    expect(await t.readMany(plain)).toEqual(plain.map((p) => files[p]));
    const [a, b] = graphqls(g).map(bodyOf);
    expect(a!.query).toBe(b!.query);
    expect(Object.values(a!.variables).slice(2)).toEqual(hostile.map((p) => `${SHA}:${p}`));
    for (const p of hostile) expect(a!.query).not.toContain(p.slice(0, 5));
    expect(contentPaths(g)).toEqual([]);
    expect(g.violations).toEqual([]);
  });
});

describe('treeReader against a GitHub that answers oddly', () => {
  type Tree = { path: string; type: string; mode: string; sha: string; size: number }[];
  /** A stub client: a tree listing, a GraphQL answer, and contents reads that are logged. */
  function stub(tree: Tree, answer: (vars: Record<string, string>) => unknown, contents: Record<string, string>): { client: GitHub; log: string[] } {
    const log: string[] = [];
    const client = {
      rest: {
        git: { getTree: async () => ((log.push('tree'), { data: { tree, truncated: false } })) },
        repos: {
          getContent: async ({ path }: { path: string }) => {
            log.push(`contents ${path}`);
            if (!(path in contents)) throw Object.assign(new Error('Not Found'), { status: 404 });
            return { data: { type: 'file', encoding: 'base64', content: Buffer.from(contents[path]!).toString('base64') } };
          },
        },
      },
      graphql: async (_q: string, vars: Record<string, string>) => (log.push('graphql'), answer(vars)),
    } as unknown as GitHub;
    return { client, log };
  }
  const blob = (text: string, oid: string): unknown => ({ oid, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text });
  const entry = (path: string, sha: string, mode = '100644'): Tree[number] => ({ path, type: 'blob', mode, sha, size: 10 });

  it('no object, another blob than listed, a tree, or no answer for a listed file: the contents API decides', async () => {
    const tree = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => entry(`${n}.yml`, n.repeat(40)));
    const { client, log } = stub(
      tree,
      () => ({ repository: { f0: blob('A', 'a'.repeat(40)), f1: null, f2: blob('evil', '9'.repeat(40)), f3: {}, f5: { ...(blob('F', 'f'.repeat(40)) as object), isBinary: null } } }),
      { 'b.yml': 'B', 'c.yml': 'C', 'd.yml': 'D', 'e.yml': 'E', 'f.yml': 'F' },
    );
    const t = treeReader(client, REPO, SHA);
    expect(await t.readMany(tree.map((x) => x.path))).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(log.sort()).toEqual(['contents b.yml', 'contents c.yml', 'contents d.yml', 'contents e.yml', 'contents f.yml', 'graphql', 'tree']);
  });

  it('a listed file the contents API then does not find reads as undefined (as before)', async () => {
    const { client } = stub([entry('a.yml', 'a'.repeat(40)), entry('b.yml', 'b'.repeat(40))], () => ({ repository: { f0: null, f1: null } }), {});
    expect(await treeReader(client, REPO, SHA).readMany(['a.yml', 'b.yml'])).toEqual([undefined, undefined]);
  });

  it('a symbolic link is read through the contents API, which follows it as git does', async () => {
    const tree = [entry('a.yml', 'a'.repeat(40)), entry('b.yml', 'b'.repeat(40)), entry('link.yml', 'c'.repeat(40), '120000')];
    const { client, log } = stub(tree, () => ({ repository: { f0: blob('A', 'a'.repeat(40)), f1: blob('B', 'b'.repeat(40)) } }), { 'link.yml': 'A' });
    expect(await treeReader(client, REPO, SHA).readMany(['a.yml', 'link.yml', 'b.yml'])).toEqual(['A', 'A', 'B']);
    expect(log.sort()).toEqual(['contents link.yml', 'graphql', 'tree']);
  });
});

describe('the fake GitHub GraphQL endpoint', () => {
  async function post(g: FakeGitHub, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${g.url}/graphql`, { method: 'POST', headers: { authorization: 'token t', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  const Q = `query($owner: String!, $name: String!, $a: String!, $b: String!, $c: String!, $d: String!) {
    repository(owner: $owner, name: $name) {
      a: object(expression: $a) { __typename ... on Blob { byteSize isBinary isTruncated text oid } }
      b: object(expression: $b) { __typename oid ... on Blob { text } }
      c: object(expression: $c) { ... on Blob { text } }
      d: object(expression: $d) { __typename }
    }
  }`;

  it('answers blobs, trees and missing objects from the files it serves at that ref', async () => {
    const { g } = await start({ 'dir/a.yml': 'héllo\n', 'bin.dat': Uint8Array.from([1, 0, 2]) });
    g.setBranch('release/1.0', SHA);
    const vars = { owner: 'acme', name: 'service', a: `${SHA}:dir/a.yml`, b: 'release/1.0:dir', c: `${SHA}:bin.dat`, d: `${SHA}:nope.yml` };
    const { status, json } = await post(g, { query: Q, variables: vars });
    expect(status).toBe(200);
    expect(json).toEqual({
      data: {
        repository: {
          a: { __typename: 'Blob', byteSize: 7, isBinary: false, isTruncated: false, text: 'héllo\n', oid: expect.stringMatching(/^[0-9a-f]{40}$/) },
          b: { __typename: 'Tree', oid: expect.stringMatching(/^[0-9a-f]{40}$/) },
          c: { text: null },
          d: null,
        },
      },
    });
    // the blob's oid is git's, as the tree listing gives it
    const tree = (await (await fetch(`${g.url}/repos/acme/service/git/trees/${SHA}?recursive=1`)).json()) as { tree: { path: string; sha: string }[] };
    expect((json.data as { repository: { a: { oid: string } } }).repository.a.oid).toBe(tree.tree.find((e) => e.path === 'dir/a.yml')?.sha);
    expect(g.violations).toEqual([]);
  });

  it('an unknown repository, or one the token cannot read: repository null and a NOT_FOUND error', async () => {
    const { g } = await start({ 'a.yml': 'a' });
    const q = 'query($owner: String!, $name: String!, $e: String!) { repository(owner: $owner, name: $name) { f0: object(expression: $e) { ... on Blob { text } } } }';
    const { json } = await post(g, { query: q, variables: { owner: 'acme', name: 'other', e: `${SHA}:a.yml` } });
    expect(json).toEqual({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 1, column: 55 }], message: "Could not resolve to a Repository with the name 'acme/other'." }] });
    g.permissions.contents = 'none';
    expect((await post(g, { query: q, variables: { owner: 'acme', name: 'service', e: `${SHA}:a.yml` } })).json).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND' }] });
    expect(g.violations).toEqual([]);
  });

  it.each([
    ['a syntax error', 'query { repository(owner: "acme", name: "service") { f0: object(expression: "x") { ... on Blob { text } }', {}, /^Unexpected end of document$/],
    ['a stray quote', 'query { repository(owner: "acme", name: "service"") { id } }', {}, /^Parse error on .* at \[1, \d+\]$/],
    ['an unknown field', 'query { repository(owner: "acme", name: "service") { secrets { id } } }', {}, /^Field 'secrets' doesn't exist on type 'Repository'$/],
    ['a blob field outside a fragment', 'query { repository(owner: "acme", name: "service") { object(expression: "x") { text } } }', {}, /^Field 'text' doesn't exist on type 'GitObject'$/],
    ['an undeclared variable', 'query { repository(owner: "acme", name: "service") { object(expression: $e0) { id } } }', { e0: 'x' }, /^Variable \$e0 is used by anonymous query but not declared$/],
    ['an unused variable', 'query($x: String!) { viewer { login } }', { x: 'y' }, /^Variable \$x is declared by anonymous query but not used$/],
    ['a missing variable value', 'query($e: String!) { repository(owner: "acme", name: "service") { object(expression: $e) { id } } }', {}, /^Variable \$e of type String! was provided invalid value$/],
    ['a variable of the wrong type', 'query($e: String!) { repository(owner: "acme", name: "service") { object(expression: $e) { id } } }', { e: 5 }, /^Variable \$e of type String! was provided invalid value$/],
    ['a nullable variable for a required argument', 'query($o: String) { repository(owner: $o, name: "service") { id } }', { o: 'acme' }, /^Nullability mismatch on variable \$o and argument owner \(String \/ String!\)$/],
    ['a missing argument', 'query { repository(owner: "acme") { id } }', {}, /^Field 'repository' is missing required arguments: name$/],
    ['a clashing alias', 'query { repository(owner: "acme", name: "service") { f: object(expression: "a") { id } f: object(expression: "b") { id } } }', {}, /^Field 'f' has an argument conflict/],
    ['a selection on a scalar', 'query { viewer { login { x } } }', {}, /^Selections can't be made on scalars/],
    ['an impossible fragment', 'query { repository(owner: "acme", name: "service") { ... on Blob { text } } }', {}, /^Fragment on Blob can't be spread inside Repository$/],
    ['a mutation', 'mutation { addStar(input: {}) { clientMutationId } }', {}, /serves queries only/],
    ['a named fragment', 'query { viewer { ...F } } fragment F on User { login }', {}, /does not serve fragment spreads/],
  ])('refuses %s as GitHub would: HTTP 200, errors and no data; a violation', async (_what, query, variables, message) => {
    const { g } = await start({});
    const { status, json } = await post(g, { query, variables });
    expect(status).toBe(200);
    expect(json.data).toBeUndefined();
    expect((json.errors as { message: string }[])[0]!.message).toMatch(message);
    expect(g.violations).toHaveLength(1);
    expect(g.violations[0]!.message).toMatch(/^GraphQL: /);
  });

  it('a fault can be aimed at the file queries alone (requestBody), leaving the viewer query served', async () => {
    const { g, client } = await start(many(2));
    g.inject({ operationId: 'graphql', requestBody: /\brepository\s*\(/, status: 502, times: Infinity });
    expect(await treeReader(client, REPO, SHA).readMany(Object.keys(many(2)))).toEqual(Object.values(many(2)));
    expect((await post(g, { query: 'query { viewer { login } }' })).status).toBe(200);
    expect(g.requests.map((q) => `${q.operationId} ${q.status}`)).toEqual(['git/get-tree 200', 'graphql 502', 'repos/get-content 200', 'repos/get-content 200', 'graphql 200']);
  });

  it('still answers the viewer query, and counts each POST as one request', async () => {
    const { g } = await start({});
    expect((await post(g, { query: 'query { viewer { login databaseId } }' })).json).toEqual({ data: { viewer: { login: 'github-actions[bot]', databaseId: 41898282 } } });
    expect((await post(g, { query: '{ viewer { __typename login } }' })).json).toEqual({ data: { viewer: { __typename: 'User', login: 'github-actions[bot]' } } });
    expect(g.requests.map((q) => q.operationId)).toEqual(['graphql', 'graphql']);
    expect(g.violations).toEqual([]);
  });
});
