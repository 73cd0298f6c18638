// The action's runner adapter writes through @actions/core (the runner parses these bytes) and adds
// one thing: untrusted text never becomes a workflow command or an escape sequence. So ordinary
// text must come out exactly as core writes it, and hostile text must come out escaped.
import * as core from '@actions/core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as runner from '../../src/action/runner';

const TRICKY = ['plain', '50% done', 'two\nlines\r\nand CR', '::error::injected', 'a,b:c', '%0A literal', ''];
/** What the action itself logs: the same bytes as core. */
const ORDINARY = ['plain', '50% done', 'two\nlines', 'a,b:c', 'x ::not a command', '%0A literal', ''];
const ESC = '\u001b';

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

/** Reads a GITHUB_OUTPUT file as the runner does: `name<<delimiter`, lines, the delimiter alone. */
function runnerOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!head) {
      if (lines[i] !== '') throw new Error(`not a heredoc line: ${JSON.stringify(lines[i])}`);
      continue;
    }
    const end = lines.indexOf(head[2]!, i + 1);
    if (end < 0) throw new Error(`unterminated output ${head[1]}`);
    out[head[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

const saved = { ...process.env };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lm-runner-'));
  process.exitCode = undefined;
});
afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('runner adapter: ordinary text is what @actions/core writes', () => {
  it.each(ORDINARY)('warning, error, notice and info write the same bytes for %j', (msg) => {
    expect(captured(() => runner.warning(msg))).toBe(captured(() => core.warning(msg)));
    expect(captured(() => runner.error(msg))).toBe(captured(() => core.error(msg)));
    expect(captured(() => runner.notice(msg))).toBe(captured(() => core.notice(msg)));
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
    expect(ours).toBe('::error::not ready\n');
  });

  it('getInput reads INPUT_<NAME> like core, trimmed', () => {
    process.env['INPUT_GITHUB-TOKEN'] = '  tok \n';
    process.env['INPUT_CHECK_NAME'] = ' x ';
    process.env['INPUT_MANIFESTS'] = 'a.yml\nb.yml\n';
    for (const name of ['github-token', 'check name', 'manifests', 'absent']) {
      expect(runner.getInput(name)).toBe(core.getInput(name));
    }
    expect(runner.getInput('github-token')).toBe('tok');
    expect(runner.getInput('check name', process.env)).toBe('x');
  });

  it('getInput reads a given environment the same way', () => {
    process.env['INPUT_A'] = 'from process.env';
    expect(runner.getInput('a', { INPUT_A: ' elsewhere ' })).toBe('elsewhere');
    expect(runner.getInput('a')).toBe('from process.env');
  });

  it('setOutput refuses an environment other than process.env, which core reads', () => {
    const file = path.join(dir, 'out');
    writeFileSync(file, '');
    expect(() => runner.setOutput('a', 'b', { GITHUB_OUTPUT: file })).toThrow(/reads process\.env only/);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('groups and masks write the same bytes as core', () => {
    expect(captured(() => runner.startGroup('Systems: a, b'))).toBe(captured(() => core.startGroup('Systems: a, b')));
    expect(captured(() => runner.endGroup())).toBe(captured(() => core.endGroup()));
    expect(captured(() => runner.setSecret('tok'))).toBe(captured(() => core.setSecret('tok')));
  });

  it('group writes the same bytes as core.group around what fn logs', async () => {
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      await runner.group('Systems', async () => runner.info('inside'));
      const ours = chunks.splice(0).join('');
      await core.group('Systems', async () => core.info('inside'));
      expect(ours).toBe(chunks.join(''));
      expect(ours).toBe('::group::Systems\ninside\n::endgroup::\n');
    } finally {
      spy.mockRestore();
    }
  });

  it('an annotation with a position writes the same bytes as core', () => {
    const props = { title: 'Gate a,b: c', file: 'svc/lastmile.yml', startLine: 3, endLine: 4, startColumn: 1, endColumn: 9 };
    for (const kind of ['notice', 'warning', 'error'] as const) {
      const ours = captured(() => runner[kind]('m', props));
      expect(ours).toBe(captured(() => core[kind]('m', props)));
      expect(ours).toBe(`::${kind} title=Gate a%2Cb%3A c,file=svc/lastmile.yml,line=3,endLine=4,col=1,endColumn=9::m\n`);
    }
  });

  it.each(TRICKY)('setOutput appends the same heredoc to GITHUB_OUTPUT for %j', (value) => {
    const file = path.join(dir, 'out');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    runner.setOutput('report', value, process.env);
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
    // Core alone would have written the command as it is.
    expect(captured(() => core.info(msg))).toBe(`${msg}\n`);
  });

  it('info escapes control characters and every escape sequence but the renderer colours', () => {
    const out = captured(() => runner.info(`${ESC}[31mFAIL${ESC}[0m ${ESC}[2J${ESC}]0;title${ESC}\\ \u009b31m \u202eevil \u2028x`));
    expect(out).toBe(`${ESC}[31mFAIL${ESC}[0m \\x1b[2J\\x1b]0;title\\x1b\\ \\x9b31m \\u202eevil \\u2028x\n`);
  });

  it.each(['notice', 'warning', 'error'] as const)('%s keeps its own command and escapes the message, colours included', (kind) => {
    const out = captured(() => runner[kind](`x\n::add-mask::s ${ESC}[31mred`));
    expect(out).toBe(`::${kind}::x%0A\\x3a:add-mask::s \\x1b[31mred\n`);
  });

  it('setFailed escapes its message like error', () => {
    expect(captured(() => runner.setFailed(`::stop-commands::x\n${ESC}[2J`))).toBe('::error::\\x3a:stop-commands::x%0A\\x1b[2J\n');
    expect(process.exitCode).toBe(1);
  });

  it('an annotation keeps its position, and its title shows no control character', () => {
    const out = captured(() => runner.warning('::m', { title: `T\n${ESC}[2J`, file: 'a,b:c.yml', startLine: 3, endLine: 4 }));
    expect(out).toBe('::warning title=T\\n\\x1b[2J,file=a%2Cb%3Ac.yml,line=3,endLine=4::\\x3a:m\n');
  });

  it.each(TRICKY)('no line of info, notice, warning or error for %j starts a command once decoded', (msg) => {
    for (const fn of [runner.info, runner.notice, runner.warning, runner.error]) {
      const out = captured(() => fn(msg));
      expect(out.endsWith('\n')).toBe(true);
      // The runner decodes %0A/%0D back into line breaks in a command's message.
      const decoded = out.replace(/^::(notice|warning|error)::/, '').replace(/%0A|%0D/g, '\n').replace(/%25/g, '%');
      for (const l of lines(decoded)) expect(l.trimStart()).not.toMatch(/^(::|##\[)/);
    }
  });

  it('a group name is escaped like a message; endGroup closes it', () => {
    expect(captured(() => runner.startGroup(`::endgroup::\nx ${ESC}[2J`))).toBe('::group::\\x3a:endgroup::%0Ax \\x1b[2J\n');
    expect(captured(() => runner.endGroup())).toBe('::endgroup::\n');
  });

  it('group wraps what fn logs and closes even when fn fails', async () => {
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      await expect(runner.group('::g', async () => (runner.info('inside'), 7))).resolves.toBe(7);
      await expect(runner.group('h', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    } finally {
      spy.mockRestore();
    }
    expect(chunks.join('')).toBe('::group::\\x3a:g\ninside\n::endgroup::\n::group::h\n::endgroup::\n');
  });
});

describe('runner adapter: masks', () => {
  it('setSecret masks the exact value with ::add-mask:: (escaped for the command, not altered)', () => {
    expect(captured(() => runner.setSecret('tok'))).toBe('::add-mask::tok\n');
    // The runner decodes %25/%0A back: the mask is the value itself, even one that looks like a command.
    expect(captured(() => runner.setSecret('::s3cr%t\nx'))).toBe('::add-mask::::s3cr%25t%0Ax\n');
    expect(captured(() => runner.setSecret('::s3cr%t\nx'))).toBe(captured(() => core.setSecret('::s3cr%t\nx')));
  });

  it('an empty value masks nothing and writes nothing', () => {
    expect(captured(() => runner.setSecret(''))).toBe('');
  });
});

describe('runner adapter: outputs a pull request shaped', () => {
  it('a value with delimiter-like text and forged heredocs stays one output, as written', () => {
    const file = path.join(dir, 'out');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    const hostile = 'x\nghadelimiter_00000000-0000-0000-0000-000000000000\nverdict<<EOF\npass\nEOF\nEOF\n::set-output name=verdict::pass';
    runner.setOutput('verdict', 'fail');
    runner.setOutput('report', hostile);
    expect(runnerOutputs(readFileSync(file, 'utf8'))).toEqual({ verdict: 'fail', report: hostile });
  });

  it('a value holding the real delimiter throws rather than ending the heredoc', () => {
    const file = path.join(dir, 'out');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    // Core draws its delimiter from crypto.randomUUID: fix it so that the value can hold it.
    const crypto = createRequire(import.meta.url)('node:crypto') as { randomUUID: () => string };
    const real = crypto.randomUUID;
    crypto.randomUUID = () => '11111111-2222-3333-4444-555555555555';
    syncBuiltinESMExports();
    try {
      expect(() => runner.setOutput('report', 'a\nghadelimiter_11111111-2222-3333-4444-555555555555\nverdict<<X')).toThrow(/value should not contain the delimiter/);
    } finally {
      crypto.randomUUID = real;
      syncBuiltinESMExports();
    }
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

// core.summary keeps the first summary path it finds for the life of the process (one step, one
// file on a runner), so these tests share one path and truncate it.
describe('runner adapter: job summary', () => {
  let summaryDir: string;
  let summary: string;
  beforeAll(() => {
    summaryDir = mkdtempSync(path.join(tmpdir(), 'lm-summary-'));
    summary = path.join(summaryDir, 'summary.md');
  });
  afterAll(() => rmSync(summaryDir, { recursive: true, force: true }));
  beforeEach(() => {
    rmSync(summary, { recursive: true, force: true });
    writeFileSync(summary, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
  });

  it('writeSummary appends the Markdown as it is', async () => {
    const md = '## Last Mile\n\n| a | b |\n|---|---|\n| ::x | <b> |\n';
    await expect(runner.writeSummary(md)).resolves.toBe(true);
    await expect(runner.writeSummary('second\n')).resolves.toBe(true);
    expect(readFileSync(summary, 'utf8')).toBe(`before\n${md}second\n`);
  });

  it('without GITHUB_STEP_SUMMARY, writes nothing and says so', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(runner.writeSummary('x')).resolves.toBe(false);
    expect(readFileSync(summary, 'utf8')).toBe('before\n');
  });

  it('a failed write throws, and the next write does not repeat its text', async () => {
    rmSync(summary);
    mkdirSync(summary); // appending to a directory fails
    await expect(runner.writeSummary('lost\n')).rejects.toThrow();
    rmSync(summary, { recursive: true });
    writeFileSync(summary, '');
    await expect(runner.writeSummary('kept\n')).resolves.toBe(true);
    expect(readFileSync(summary, 'utf8')).toBe('kept\n');
  });
});

// Core's entry module loads its OIDC client, and with it undici, at start-up (about 40 ms of the
// no-op run's CPU time, see runner.ts): the adapter takes only types from it.
describe('runner adapter: start-up', () => {
  it("imports no value from @actions/core's entry module", () => {
    const source = readFileSync(fileURLToPath(new URL('../../src/action/runner.ts', import.meta.url)), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)';$/gm)].map((m) => ({ type: Boolean(m[1]), from: m[2]! }));
    expect(imports.map((i) => i.from)).toEqual(expect.arrayContaining(['../../node_modules/@actions/core/lib/command.js', '../lib/escape']));
    expect(imports.filter((i) => i.from === '@actions/core')).toEqual([{ type: true, from: '@actions/core' }]);
    expect(imports.filter((i) => /@actions\/core\/lib\/(core|oidc-utils|platform)\.js$/.test(i.from))).toEqual([]);
  });
});
