// The action's own runner adapter must write what @actions/core writes for ordinary text (the runner
// parses these bytes), and, unlike core, never let untrusted text become a workflow command or an
// escape sequence. Core stays a dev dependency for this comparison only.
import * as core from '@actions/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as runner from '../../src/action/runner';

const TRICKY = ['plain', '50% done', 'two\nlines\r\nand CR', '::error::injected', 'a,b:c', '%0A literal', ''];
/** What the action itself logs: the same bytes as core. */
const ORDINARY = ['plain', '50% done', 'two\nlines', 'a,b:c', 'x ::not a command', '%0A literal', ''];

function captured(fn: () => void): string {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

describe('runner adapter matches @actions/core', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lm-runner-'));
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.env = { ...saved };
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(ORDINARY)('warning, error and info write the same bytes for %j', (msg) => {
    expect(captured(() => runner.warning(msg))).toBe(captured(() => core.warning(msg)));
    expect(captured(() => runner.error(msg))).toBe(captured(() => core.error(msg)));
    expect(captured(() => runner.info(msg))).toBe(captured(() => core.info(msg)));
  });

  it('escapes newlines so a message cannot start a second command', () => {
    expect(captured(() => runner.warning('a\nb'))).toBe('::warning::a%0Ab\n');
    // The runner shows the decoded message's lines at the start of log lines: guarded too.
    expect(captured(() => runner.warning('a\n::error::b'))).toBe('::warning::a%0A\\x3a:error::b\n');
  });

  it('setFailed sets exit code 1 and logs the same error line', () => {
    const ours = captured(() => runner.setFailed('not ready'));
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    const theirs = captured(() => core.setFailed('not ready'));
    expect(process.exitCode).toBe(1);
    expect(ours).toBe(theirs);
  });

  it('getInput reads INPUT_<NAME> like core, trimmed', () => {
    process.env['INPUT_GITHUB-TOKEN'] = '  tok \n';
    process.env['INPUT_CHECK_NAME'] = ' x ';
    process.env['INPUT_MANIFESTS'] = 'a.yml\nb.yml\n';
    for (const name of ['github-token', 'check name', 'manifests', 'absent']) {
      expect(runner.getInput(name)).toBe(core.getInput(name));
    }
    expect(runner.getInput('github-token')).toBe('tok');
  });

  it.each(TRICKY)('setOutput appends the same heredoc to GITHUB_OUTPUT for %j', (value) => {
    const file = path.join(dir, 'out');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    runner.setOutput('report', value);
    core.setOutput('report', value);
    const text = readFileSync(file, 'utf8');
    const delimiters = [...text.matchAll(/^report<<(ghadelimiter_[0-9a-f-]{36})$/gm)].map((m) => m[1]);
    expect(delimiters).toHaveLength(2);
    expect(delimiters[0]).not.toBe(delimiters[1]);
    const normalised = text.replaceAll(delimiters[0]!, 'D').replaceAll(delimiters[1]!, 'D');
    const one = `report<<D\n${value}\nD\n`;
    expect(normalised).toBe(one + one);
  });

  it('without GITHUB_OUTPUT, falls back to the set-output command like core', () => {
    delete process.env.GITHUB_OUTPUT;
    const ours = captured(() => runner.setOutput('a:b', 'x\ny%'));
    const theirs = captured(() => core.setOutput('a:b', 'x\ny%'));
    expect(ours).toBe(theirs);
    expect(ours).toBe('\n::set-output name=a%3Ab::x%0Ay%25\n');
  });

  it('a GITHUB_OUTPUT path that does not exist is an error, as in core', () => {
    process.env.GITHUB_OUTPUT = path.join(dir, 'missing');
    expect(() => runner.setOutput('a', 'b')).toThrow(/Missing file at path/);
    expect(() => core.setOutput('a', 'b')).toThrow(/Missing file at path/);
  });
});

// Unlike core, what reaches the log never runs as a workflow command or an escape sequence: most
// of it quotes what a pull request wrote (paths, keys, names, file contents in error messages).
describe('runner adapter: untrusted text in the log', () => {
  const ESC = '\u001b';
  const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');

  it.each([
    ['::add-mask::secret', '\\x3a:add-mask::secret'],
    ['::stop-commands::pause', '\\x3a:stop-commands::pause'],
    ['  ::error file=.github/x.yml,title=owned::forged', '  \\x3a:error file=.github/x.yml,title=owned::forged'],
    ['ok\n\t::set-output name=verdict::pass', 'ok\n\\t::set-output name=verdict::pass'],
    ['ok\n\u00a0::warning::x', 'ok\n\u00a0\\x3a:warning::x'],
    ['##[group]fake section', '\\x23#[group]fake section'],
    ['a\rb::x', 'a\\rb::x'],
  ])('info(%j) writes no command line', (msg, expected) => {
    const out = captured(() => runner.info(msg));
    expect(out).toBe(`${expected}\n`);
    for (const l of lines(out)) expect(l.trimStart()).not.toMatch(/^(::|##\[)/);
  });

  it('info escapes control characters and every escape sequence but the renderer colours', () => {
    const out = captured(() => runner.info(`${ESC}[31mFAIL${ESC}[0m ${ESC}[2J${ESC}]0;title${ESC}\\ \u009b31m \u202eevil \u2028x`));
    expect(out).toBe(`${ESC}[31mFAIL${ESC}[0m \\x1b[2J\\x1b]0;title\\x1b\\ \\x9b31m \\u202eevil \\u2028x\n`);
  });

  it.each(['warning', 'error'] as const)('%s keeps its own command and escapes the message, colours included', (kind) => {
    const out = captured(() => runner[kind](`x\n::add-mask::s ${ESC}[31mred`));
    expect(out).toBe(`::${kind}::x%0A\\x3a:add-mask::s \\x1b[31mred\n`);
  });

  it.each(TRICKY)('no line of info, warning or error for %j starts a command once decoded', (msg) => {
    for (const fn of [runner.info, runner.warning, runner.error]) {
      const out = captured(() => fn(msg));
      // The runner decodes %0A/%0D back into line breaks in a command's message.
      const decoded = out.replace(/^::(warning|error)::/, '').replace(/%0A|%0D/g, '\n').replace(/%25/g, '%');
      for (const l of lines(decoded)) expect(l.trimStart()).not.toMatch(/^(::|##\[)/);
    }
  });
});
