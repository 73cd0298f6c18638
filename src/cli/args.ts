// Command-line arguments of the CLI's commands: node's parseArgs, with its errors as usage errors.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** A mistake in the command line: printed with the command's help, exit code 2. */
export class UsageError extends Error {}

/** What the environment lacks (a token): one sentence, no help, exit code 2. */
export class SetupError extends Error {}

export function parseCommand<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
