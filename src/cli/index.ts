#!/usr/bin/env node
// Entry of the command line (dist/cli/index.js): `last-mile check | --help`.
import { UsageError } from './args';
import { check, CHECK_HELP } from './check';
import { init, INIT_HELP } from './init';
import { schema, SCHEMA_HELP } from './schema';

const HELP = `Usage: last-mile <command> [options]

Commands:
  check    evaluate the manifests of this working tree against the policy
  init     write a starter lastmile.yml, policy and workflow, filled from what the tree holds
  schema   print the JSON Schemas of the manifest, policy, lastmile eval format and report

Run \`last-mile <command> --help\` for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (s: string): void => {
    process.stdout.write(s);
  };
  try {
    switch (command) {
      case 'check':
        return await check(rest, out, process.env);
      case 'init':
        return await init(rest, out, process.env);
      case 'schema':
        return schema(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(HELP);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`last-mile: unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`last-mile ${command}: ${err.message}\n\n${{ check: CHECK_HELP, init: INIT_HELP, schema: SCHEMA_HELP }[command ?? ''] ?? HELP}`);
      return 2;
    }
    process.stderr.write(`last-mile: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
