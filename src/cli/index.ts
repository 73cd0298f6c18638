#!/usr/bin/env node
// Entry of the command line (dist/cli/index.js): `last-mile check | init | schema | --help | --version`.
import { logText } from '../lib/escape';
import { VERSION } from '../lib/version';
import { SetupError, UsageError } from './args';
import { check, CHECK_HELP } from './check';
import { init, INIT_HELP } from './init/command';
import { schema, SCHEMA_HELP } from './schema/command';
import { board, BOARD_HELP } from './board/command';

const HELP = `Usage: last-mile <command> [options]

Commands:
  check    evaluate the manifests of this working tree against the policy
  init     write a starter lastmile.yml, policy and workflow, filled from what the tree holds
  schema   print the JSON Schemas of the manifest, policy, lastmile eval format and report
  board    where every AI system of an organisation stands on its way to production

Options:
  -h, --help      show this help
  -v, --version   print the version (${VERSION})

Run \`last-mile <command> --help\` for a command's options.
`;

/**
 * A closed pipe (\`last-mile check | head -1\`) ends quietly: the reader wanted no more, so
 * what is left unwritten is dropped, with no EPIPE stack trace; the exit code is still the
 * verdict. Any other write error (a full disk) ends the run with exit code 2.
 */
let stdoutClosed = false;
let stderrClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  stdoutClosed = true;
  if (e.code !== 'EPIPE') process.exitCode = 2;
});
process.stderr.on('error', () => {
  stderrClosed = true;
});

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The CLI often runs in CI, where its stdout is a workflow log: what it prints from the tree
  // (paths, names, file contents) has its control characters escaped and never starts a line as
  // `::command::`. `check` escapes per output format itself (JSON and Markdown have their own rules).
  const raw = (s: string): void => {
    if (!stdoutClosed) process.stdout.write(s);
  };
  const out = (s: string): void => raw(logText(s));
  const err = (s: string): void => {
    if (!stderrClosed) process.stderr.write(logText(s));
  };
  try {
    switch (command) {
      case 'check':
        return await check(rest, raw, process.env);
      case 'init':
        return await init(rest, out, process.env);
      case 'board':
        return await board(rest, out, process.env);
      case 'schema':
        return schema(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(HELP);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
      case 'version':
        out(`${VERSION}\n`);
        return 0;
      default:
        err(`last-mile: unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof SetupError) {
      err(`last-mile ${command}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      err(`last-mile ${command}: ${e.message}\n\n${{ check: CHECK_HELP, init: INIT_HELP, schema: SCHEMA_HELP, board: BOARD_HELP }[command ?? ''] ?? HELP}`);
      return 2;
    }
    err(`last-mile: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

const code = await main(process.argv.slice(2));
// A write error seen before this point (exit code 2 for anything but a closed pipe) stands.
process.exitCode = process.exitCode === 2 ? 2 : code;
