// Paths a pull request names that are not regular files (a FIFO, a socket, a directory, a link to
// one) are errors, and reading them never blocks the run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalFile, streamSamples } from '../../src/collect/evals';
import { Workspace } from '../../src/collect/workspace';

const posix = process.platform !== 'win32';
let root: string;
let server: Server | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lm-ws-'));
  mkdirSync(join(root, 'evals'));
  writeFileSync(join(root, 'evals', 'ok.jsonl'), '{"correct": true}\n');
  mkdirSync(join(root, 'evals', 'dir.jsonl'));
  if (posix) {
    execFileSync('mkfifo', [join(root, 'evals', 'pipe.jsonl')]);
    symlinkSync('pipe.jsonl', join(root, 'evals', 'link-to-pipe.json'));
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(join(root, 'evals', 'sock.json'), resolve));
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe.runIf(posix)('Workspace: non-regular files', () => {
  it('fact() names what the path is instead of calling it missing', () => {
    const ws = new Workspace(root);
    expect(ws.fact('', 'evals/pipe.jsonl')).toEqual({ path: 'evals/pipe.jsonl', exists: false, problem: 'is a named pipe (FIFO), not a regular file' });
    expect(ws.fact('', 'evals/link-to-pipe.json', true).problem).toBe('is a named pipe (FIFO), not a regular file');
    expect(ws.fact('', 'evals/sock.json').problem).toBe('is a socket, not a regular file');
    expect(ws.fact('', 'evals/dir.jsonl').problem).toBe('is a directory, not a regular file');
    expect(ws.fact('', 'evals/missing.json')).toEqual({ path: 'evals/missing.json', exists: false });
    expect(ws.fact('', 'evals/ok.jsonl', true)).toEqual({ path: 'evals/ok.jsonl', exists: true, text: '{"correct": true}\n' });
  });

  it('readText() returns a problem for a FIFO (never blocks) and nothing for a missing file', () => {
    const ws = new Workspace(root);
    expect(ws.readText('evals/pipe.jsonl')).toEqual({ problem: 'is a named pipe (FIFO), not a regular file' });
    expect(ws.readText('evals/dir.jsonl')).toEqual({ problem: 'is a directory, not a regular file' });
    expect(ws.readText('evals/missing.json')).toEqual({});
  });
});

describe.runIf(posix)('loadEvalFile: non-regular files', () => {
  it.each([
    ['evals/pipe.jsonl', 'samples', 'a named pipe (FIFO)'],
    ['evals/pipe.jsonl', 'lastmile', 'a named pipe (FIFO)'],
    ['evals/link-to-pipe.json', 'promptfoo', 'a named pipe (FIFO)'],
    ['evals/sock.json', 'inspect', 'a socket'],
    ['evals/dir.jsonl', 'samples', 'a directory'],
  ] as const)('%s (%s) is an error: %s', async (rel, format, kind) => {
    const load = await loadEvalFile(join(root, rel), format, rel);
    expect(load).toEqual({ ok: false, error: { file: rel, message: `expected a regular file of eval results, found ${kind}` } });
  }, 5000);

  it('streamSamples, called directly on a FIFO, refuses it without blocking', async () => {
    const load = await streamSamples(join(root, 'evals', 'pipe.jsonl'), 'p.jsonl', {});
    expect(load).toEqual({ ok: false, error: { file: 'p.jsonl', message: 'expected a regular file of eval results, found a named pipe (FIFO)' } });
  }, 5000);
});
