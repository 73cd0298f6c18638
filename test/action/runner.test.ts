// The action's own runner adapter must write exactly what @actions/core writes: the runner parses
// these bytes. Core stays a dev dependency for this comparison only.
import * as core from '@actions/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as runner from '../../src/action/runner';

const TRICKY = ['plain', '50% done', 'two\nlines\r\nand CR', '::error::injected', 'a,b:c', '%0A literal', ''];

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

  it.each(TRICKY)('warning, error and info write the same bytes for %j', (msg) => {
    expect(captured(() => runner.warning(msg))).toBe(captured(() => core.warning(msg)));
    expect(captured(() => runner.error(msg))).toBe(captured(() => core.error(msg)));
    expect(captured(() => runner.info(msg))).toBe(captured(() => core.info(msg)));
  });

  it('escapes newlines so a message cannot start a second command', () => {
    expect(captured(() => runner.warning('a\n::error::b'))).toBe('::warning::a%0A::error::b\n');
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
