// `last-mile check`: the same evaluation as the action, on a local working tree.
import path from 'node:path';
import { parseCentral } from '../collect/policy';
import { collect } from '../collect/collect';
import { refReader } from '../collect/base';
import { evaluate } from '../core/evaluate';
import { renderMarkdown } from '../render/markdown';
import { renderTerminal } from '../render/terminal';
import { guardLines, jsonText, logText } from '../lib/escape';
import { Workspace } from '../collect/workspace';
import { currentBranch, headSha, remoteDefaultBranch, showFile } from '../collect/git';
import { SetupError, UsageError, parseCommand } from './args';

export const CHECK_HELP = `Usage: last-mile check [options]

Evaluates the readiness manifests of a working tree against the policy, prints the report and
exits with the verdict: 0 pass or warn, 1 fail, 2 usage or internal error.

Running it:
  today (not yet on npm)   npx --yes github:last-mile/last-mile#v1 check [options]
  from a clone             node dist/cli/index.js check [options]
  once published on npm    npx last-mile check [options]

Options:
  --manifest <glob>   manifest path or glob, repeatable (default: lastmile.yml)
  --policy <path>     policy file (default: .github/lastmile-policy.yml; the built-in
                      default policy when absent), or owner/repo/path@ref for a central
                      policy, read through the GitHub API with the token in GITHUB_TOKEN
                      or GH_TOKEN (one that can read that repository, such as
                      GH_TOKEN=$(gh auth token)); without a token it stops and says so
  --branch <name>     the target branch whose policy rule applies (default: current branch)
  --base <ref>        a git ref to compare with, as a pull request's base: the policy, the
                      base manifest (sign-offs unchanged there count as verified) and base
                      eval results are read from it with git show; also sets --branch
                      (to the branch it names: origin/release/1.0 → release/1.0)
  --cwd <dir>         the working tree (default: the current directory)
  --now <date>        evaluate as of this date (YYYY-MM-DD or ISO time), for reproducible runs
  --json              print the report JSON instead of text
  --markdown          print the pull request comment Markdown instead of text
  --verbose           also list skipped gates and details of passing ones
  -h, --help          show this help
`;


export async function check(argv: string[], out: (s: string) => void, env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseCommand({
    args: argv,
    options: {
      manifest: { type: 'string', multiple: true },
      policy: { type: 'string' },
      branch: { type: 'string' },
      base: { type: 'string' },
      cwd: { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }).values;
  if (args.help) {
    out(CHECK_HELP);
    return 0;
  }
  if (args.json && args.markdown) throw new UsageError('--json and --markdown: choose one');
  const now = args.now ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(args.now) ? `${args.now}T12:00:00Z` : args.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: expected a date such as 2026-11-20, found "${args.now}"`);
  const ws = new Workspace(path.resolve(args.cwd ?? '.'));
  const branch = args.branch ?? (args.base !== undefined ? branchOfRef(args.base) : undefined) ?? currentBranch(ws.root) ?? 'main';
  const baseRef = args.base;
  if (baseRef && showFile(ws.root, baseRef, '') === undefined) {
    // `<ref>:` is the ref's root tree. A ref git does not know must not fall back to the
    // built-in policy and an empty base.
    throw new UsageError(
      headSha(ws.root) === undefined ? `--base ${baseRef}: ${ws.root} is not a git repository` : `--base ${baseRef}: no such commit or branch in ${ws.root} (try \`git fetch\`)`,
    );
  }
  const base = baseRef ? refReader(ws.root, baseRef) : undefined;
  const central = parseCentral(args.policy ?? '');
  if (central && !githubToken(env)) {
    throw new SetupError(
      `the central policy ${central.owner}/${central.repo}/${central.path}@${central.ref} is read through the GitHub API, so set GITHUB_TOKEN or GH_TOKEN to a token that can read ${central.owner}/${central.repo} (for example GH_TOKEN=$(gh auth token)), or download the file and pass --policy <path>.`,
    );
  }
  const head = headSha(ws.root);
  const { input } = await collect(
    {
      event: 'local',
      branch,
      defaultBranch: remoteDefaultBranch(ws.root) ?? 'main',
      now,
      ...(head ? { headSha: head } : {}),
      policy: args.policy,
      // A policy named on the command line is the one to try, even against a base.
      policyFromWorkspace: args.policy !== undefined,
      manifests: args.manifest && args.manifest.length > 0 ? args.manifest : ['lastmile.yml'],
      // Locally no review is read (SPEC §9): the messages say which review would verify a record.
      trust: { mode: base ? 'pull-request' : 'none' },
    },
    { workspace: ws, ...(base ? { base } : {}), central: centralReader(env) },
  );
  const report = evaluate(input);
  // Each format escapes what the pull request wrote in its own way (JSON: \u escapes; Markdown:
  // md(), whose word joiners must survive); none may start a line as a workflow command.
  if (args.json) out(`${jsonText(report)}\n`);
  else if (args.markdown) out(guardLines(renderMarkdown(report)));
  else out(logText(renderTerminal(report, { colour: useColour(env), verbose: args.verbose === true })));
  return report.verdict === 'fail' ? 1 : 0;
}

/**
 * The branch a base ref names, for the policy rule: `origin/release/1.0`,
 * `refs/remotes/origin/release/1.0` and `refs/heads/release/1.0` all mean `release/1.0`. Without
 * this, `--base origin/release/1.0` matched no rule and passed with nothing enforced.
 */
export function branchOfRef(ref: string): string {
  return ref
    .replace(/^refs\/heads\//, '')
    .replace(/^refs\/remotes\/[^/]+\//, '')
    .replace(/^(?:remotes\/)?origin\//, '');
}

/** The token for the GitHub API: GITHUB_TOKEN, else GH_TOKEN (the GitHub CLI's), when not empty. */
function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

/** A central policy (`owner/repo/path@ref`) through the API, with GITHUB_TOKEN or GH_TOKEN (checked before). */
function centralReader(env: NodeJS.ProcessEnv): (owner: string, repo: string, file: string, ref: string) => Promise<string | undefined> {
  return async (owner, repo, file, ref) => {
    const api = await import('../github/index');
    const gh = api.createClient(githubToken(env) ?? '');
    return api.readRepoFile(gh, { owner, repo }, file, ref);
  };
}

function useColour(env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}
