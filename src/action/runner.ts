/**
 * The runner's side of the action, written by @actions/core (GitHub's own implementation of its
 * contract with the runner): inputs, outputs, the job summary, log lines, annotations, groups,
 * masks and the exit code.
 *
 * What this adapter adds to core is escaping: much of what is logged was written by a pull
 * request (paths, keys, names, file contents in error messages), and a logged line of it that
 * starts with `::` would be run as a workflow command (`::add-mask::`, `::stop-commands::`,
 * `::error file=…::`), an ESC sequence would rewrite the log. Every message and group name goes
 * through logText (src/lib/escape.ts) before core writes it; core then escapes a command's data
 * (`%`, CR, LF, and `:` `,` in properties) as the runner decodes it.
 *
 * Core's own modules, not its entry module: core.js also imports its OIDC client (getIDToken),
 * which loads @actions/http-client and with it undici, never used by a run that makes no API
 * request. On bench/startup.mjs's no-op run (builds as scripts/build.mjs, medians of 31
 * interleaved runs), importing core.js added 35-40 ms to the process's CPU time (149 ms against
 * 114 ms as here; 113 ms with the hand-written adapter this replaces; 80 ms for the control
 * action, core + github) and took the bench's wall-time ratio to the control from 1.5 to 1.9,
 * over its 1.6 target. An ncc bundle of core.js alone costs what one of undici alone does, about
 * 60 ms over bare node: the OIDC client's import is all of it. Core's package exports only its
 * entry module, so these are imported by path; core is pinned and bundled at build time. What is
 * left of core.js is glue, repeated below (a line or two each: the `INPUT_` name, a log line,
 * the exit code, the output file or the older command, a group's try/finally), and
 * test/action/runner.test.ts checks what each function writes against core's entry module, byte
 * for byte.
 */
import type { AnnotationProperties } from '@actions/core';
import { EOL } from 'node:os';
import { issue, issueCommand } from '../../node_modules/@actions/core/lib/command.js';
import { issueFileCommand, prepareKeyValueMessage } from '../../node_modules/@actions/core/lib/file-command.js';
import { summary } from '../../node_modules/@actions/core/lib/summary.js';
import { toCommandProperties } from '../../node_modules/@actions/core/lib/utils.js';
import { logText, plain } from '../lib/escape';

type Env = NodeJS.ProcessEnv;

/** An input as core.getInput reads it: `INPUT_<NAME>` (spaces to `_`, upper case), trimmed. */
export function getInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/**
 * A step output, as core.setOutput: appended to the `GITHUB_OUTPUT` file as a heredoc with a
 * random delimiter (a value cannot end it early and inject another output; one that holds the
 * delimiter throws), or, on a runner without that file, the deprecated `set-output` command. A
 * missing `GITHUB_OUTPUT` file throws. The value is not escaped: later steps read it as it is.
 * Core's file command reads process.env, so `env` can only be process.env (its callers' default).
 */
export function setOutput(name: string, value: string, env: Env = process.env): void {
  if (env !== process.env) throw new Error('runner.setOutput: @actions/core reads process.env only');
  if (process.env.GITHUB_OUTPUT) {
    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    return;
  }
  process.stdout.write(EOL);
  issueCommand('set-output', { name }, value);
}

/** A log line; the terminal renderer's colours pass, every other control character is shown escaped. */
export function info(message: string): void {
  process.stdout.write(logText(message) + EOL);
}

// The runner shows a command's decoded message at the start of log lines: guarded like info,
// without colours.
function guarded(message: string): string {
  return logText(message, { colour: false });
}

/** An annotation; its title is one line of a pull request's text: no control character at all. */
function annotate(kind: 'notice' | 'warning' | 'error', message: string, props: AnnotationProperties = {}): void {
  const p = props.title === undefined ? props : { ...props, title: plain(props.title) };
  issueCommand(kind, toCommandProperties(p), guarded(message));
}

export function notice(message: string, props?: AnnotationProperties): void {
  annotate('notice', message, props);
}

export function warning(message: string, props?: AnnotationProperties): void {
  annotate('warning', message, props);
}

export function error(message: string, props?: AnnotationProperties): void {
  annotate('error', message, props);
}

/** Logs an error and makes the process exit with 1 when it ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** A foldable section of the log until endGroup; the name is guarded like a message. */
export function startGroup(name: string): void {
  issue('group', guarded(name));
}

export function endGroup(): void {
  issue('endgroup');
}

/** `fn` inside a group, closed when it settles. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}

/**
 * Masks a value in the rest of the job's log (`::add-mask::`, the value itself, not escaped for
 * the log). For the workflow's own secrets only: a value a pull request chooses could hide any
 * text of the log. An empty value is skipped: nothing to hide.
 */
export function setSecret(secret: string): void {
  if (secret !== '') issueCommand('add-mask', {}, secret);
}

/**
 * Appends Markdown to the job summary through core.summary (the `GITHUB_STEP_SUMMARY` file, which
 * must exist and be writable). Returns false when the runner gives no summary file; a failed
 * write throws. The Markdown is written as it is: its untrusted parts are the renderer's to escape.
 */
export async function writeSummary(markdown: string): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false;
  // A failed write leaves core's buffer full: start from an empty one each time.
  await summary.emptyBuffer().addRaw(markdown).write();
  return true;
}
