// `last-mile board` and `last-mile board merge`: argument handling and outputs.
import { readFileSync, writeFileSync } from 'node:fs';
import { createClient } from '../../github/client';
import { jsonText } from '../../lib/escape';
import { UsageError, parseCommand } from '../args';
import { buildBoard, mergeBoards, parseShard } from './board';
import { listOwnerRepos } from '../../collect/board/fetch';
import { renderHtml, renderMarkdown } from '../../render/board';
import { boardSchema } from '../../model/board-schema';
import type { Board } from '../../model/board-schema';

/** What the environment or the inputs lack: one sentence, exit code 2 (as a usage error). */
class SetupError extends UsageError {}

export const BOARD_HELP = `Usage: last-mile board (--repos owner/a,owner/b | --owner acme) [options]
       last-mile board merge shard-1.json shard-2.json ... [--json f] [--markdown f] [--html f]

Evaluates every AI system of the repositories, at the default branch and each branch matching
--branches, with the same gates as the action, and writes where each stands on its way to
production. Reads the API with GITHUB_TOKEN or GH_TOKEN (GITHUB_API_URL for GitHub Enterprise).

Options:
  --repos list          comma-separated owner/name
  --owner name          every (unarchived) repository of an organisation or user
  --branches globs      branches besides the default one (default "release/**"; "" for none)
  --manifests globs     manifest paths (default "lastmile.yml,**/lastmile.yml")
  --policy path         policy file in each repository (default .github/lastmile-policy.yml)
  --json file           board JSON (schema/board.schema.json)
  --markdown file       Markdown, for an issue or a job summary
  --html file           one self-contained HTML page
  --shard i/n           evaluate only the i-th of n stable slices of the repositories
  --previous file       a previous board's JSON: "blocked since" carries over
  --max-requests n      API requests per repository (default 100); beyond: "not evaluated"
  --max-branches n      matching branches evaluated per repository (default 5)
  --concurrency n       repositories in flight (default 4)
  --time-budget min     minutes for the whole run (default 300, under GitHub's 6-hour job
                        limit); repositories not finished by then: "not evaluated" with why
Without an output option the Markdown goes to stdout.
`;

function writeOutputs(b: Board, v: { json?: string; markdown?: string; html?: string }, out: (s: string) => void): void {
  if (v.json) writeFileSync(v.json, `${jsonText(b)}\n`);
  if (v.markdown) writeFileSync(v.markdown, renderMarkdown(b));
  if (v.html) writeFileSync(v.html, renderHtml(b));
  if (!v.json && !v.markdown && !v.html) out(renderMarkdown(b));
}

const int = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a positive whole number, not "${text}"`);
  return n;
};

const minutes = (text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--time-budget takes a positive number of minutes, not "${text}"`);
  return n;
};

const list = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export async function board(args: string[], out: (s: string) => void, env: NodeJS.ProcessEnv): Promise<number> {
  const outputs = { json: { type: 'string' }, markdown: { type: 'string' }, html: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
  if (args[0] === 'merge') {
    const { values, positionals } = parseCommand({ args: args.slice(1), options: outputs, allowPositionals: true });
    if (values.help) return out(BOARD_HELP), 0;
    if (positionals.length === 0) throw new UsageError('board merge needs the shard JSON files');
    const shards = positionals.map((f) => {
      try {
        return JSON.parse(readFileSync(f, 'utf8')) as unknown;
      } catch (err) {
        throw new SetupError(`cannot read ${f}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    let merged: Board;
    try {
      merged = mergeBoards(shards, positionals);
    } catch (err) {
      throw new SetupError(err instanceof Error ? err.message : String(err));
    }
    writeOutputs(merged, values, out);
    return 0;
  }
  const { values } = parseCommand({
    args,
    options: {
      ...outputs,
      repos: { type: 'string' },
      owner: { type: 'string' },
      branches: { type: 'string' },
      manifests: { type: 'string' },
      policy: { type: 'string' },
      shard: { type: 'string' },
      previous: { type: 'string' },
      'max-requests': { type: 'string' },
      'max-branches': { type: 'string' },
      concurrency: { type: 'string' },
      'time-budget': { type: 'string' },
    },
  });
  if (values.help) return out(BOARD_HELP), 0;
  const budgetMinutes = minutes(values['time-budget'], 300);
  const time = { at: Date.now() + budgetMinutes * 60_000, minutes: budgetMinutes };
  if (!values.repos === !values.owner) throw new UsageError('give either --repos or --owner');
  const repos = list(values.repos);
  if (values.repos && !repos.every((r) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(r))) throw new UsageError('--repos takes owner/name, comma-separated');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard) throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n, not "${values.shard}"`);
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new SetupError('the board reads repositories through the GitHub API: set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token)).');
  let previous: Board | undefined;
  if (values.previous) {
    const r = boardSchema().safeParse(JSON.parse(readFileSync(values.previous, 'utf8')));
    if (!r.success) throw new SetupError(`${values.previous} is not a board JSON`);
    previous = r.data;
  }
  // The board waits for the rate limit (primary or secondary, as long and as often as GitHub
  // says) rather than failing: it is a batch job. Only the run's time budget bounds the waits.
  const gh = createClient(token, {
    maxRateLimitWaitS: Number.POSITIVE_INFINITY,
    maxRateLimitRetries: Number.POSITIVE_INFINITY,
    waitDeadline: time.at,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  const repositories = values.owner ? await listOwnerRepos(gh, values.owner) : repos;
  const b = await buildBoard(gh, {
    repositories,
    ...(shard ? { shard } : {}),
    ...(previous ? { previous } : {}),
    branches: values.branches === undefined ? ['release/**'] : list(values.branches),
    maxBranches: int('max-branches', values['max-branches'], 5),
    manifests: values.manifests === undefined ? ['lastmile.yml', '**/lastmile.yml'] : list(values.manifests),
    policyPath: values.policy ?? '.github/lastmile-policy.yml',
    budget: int('max-requests', values['max-requests'], 100),
    concurrency: int('concurrency', values.concurrency, 4),
    now: env.LASTMILE_NOW ? new Date(env.LASTMILE_NOW) : new Date(),
    time,
  });
  writeOutputs(b, values, out);
  return 0;
}
