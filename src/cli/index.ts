#!/usr/bin/env node
// Entry of the command line (dist/cli/index.js): `last-mile check | --help`.
import { logText } from '../report/escape';
import { UsageError } from './args';
import { check, CHECK_HELP } from './check';
import { init, INIT_HELP } from './init';
import { schema, SCHEMA_HELP } from './schema';
import { board, BOARD_HELP } from '../board/cli';

const HELP = `Usage: last-mile <command> [options]

Commands:
  check    evaluate the manifests of this working tree against the policy
  init     write a starter lastmile.yml, policy and workflow, filled from what the tree holds
  schema   print the JSON Schemas of the manifest, policy, lastmile eval format and report
  board    where every AI system of an organisation stands on its way to production

Run \`last-mile <command> --help\` for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The CLI often runs in CI, where its stdout is a workflow log: what it prints from the tree
  // (paths, names, file contents) has its control characters escaped and never starts a line as
  // `::command::`. `check` escapes per output format itself (JSON and Markdown have their own rules).
  const raw = (s: string): void => {
    process.stdout.write(s);
  };
  const out = (s: string): void => raw(logText(s));
  const err = (s: string): void => {
    process.stderr.write(logText(s));
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
      default:
        err(`last-mile: unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`last-mile ${command}: ${e.message}\n\n${{ check: CHECK_HELP, init: INIT_HELP, schema: SCHEMA_HELP, board: BOARD_HELP }[command ?? ''] ?? HELP}`);
      return 2;
    }
    err(`last-mile: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
