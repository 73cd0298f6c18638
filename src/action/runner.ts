/**
 * The runner's side of the action: inputs from `INPUT_*`, outputs through `GITHUB_OUTPUT`, log
 * lines and workflow commands (`::warning::`…) on stdout, the exit code.
 *
 * Written here rather than imported from @actions/core: core's entry module also loads its OIDC
 * client, which pulls @actions/http-client and undici into start-up (about a third of the
 * action's cold start) although this action never asks for an ID token. The formats follow
 * core 3 exactly for ordinary text; test/action/runner.test.ts compares the two byte for byte.
 *
 * Unlike core, every line is made safe for the log (src/lib/escape.ts logText): much of what
 * is logged was written by a pull request (paths, keys, names, file contents in error messages),
 * and a line of it that starts with `::` would be run as a workflow command (`::add-mask::`,
 * `::stop-commands::`, `::error file=…::`), an ESC sequence would rewrite the log.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { logText } from '../lib/escape';

type Env = NodeJS.ProcessEnv;

/** An input as core.getInput reads it: `INPUT_<NAME>` (spaces to `_`, upper case), trimmed. */
export function getInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function issue(command: string, message: string): void {
  // The runner shows a message's lines at the start of log lines: guarded like info, no colours.
  process.stdout.write(`::${command}::${escapeData(logText(message, { colour: false }))}${EOL}`);
}

export function info(message: string): void {
  process.stdout.write(logText(message) + EOL);
}

export function warning(message: string): void {
  issue('warning', message);
}

export function error(message: string): void {
  issue('error', message);
}

/** Logs an error and makes the process exit with 1 when it ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/**
 * Sets a step output: appended to the `GITHUB_OUTPUT` file as a heredoc with a random delimiter
 * (so that a value cannot end it early and inject another output), or, with no such file (an old
 * runner), the deprecated `set-output` command.
 */
export function setOutput(name: string, value: string, env: Env = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (file) {
    if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
    const delimiter = `ghadelimiter_${randomUUID()}`;
    // Neither can hold the delimiter by chance; a value that does is an attack, as in core.
    if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
    return;
  }
  process.stdout.write(EOL);
  process.stdout.write(`::set-output name=${escapeProperty(name)}::${escapeData(value)}${EOL}`);
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
