/**
 * File I/O for the eval adapters: {@link loadEvalFile} reads a file of any declared format and
 * {@link parseEval} parses content already in memory (e.g. a file read from the base branch
 * through the API). Neither throws for bad input.
 *
 * `samples` files are streamed: the file is read in 1 MiB chunks, split into lines, and each line
 * is aggregated and dropped, so memory does not grow with the file (only with the number of
 * distinct slice values, which is capped). JSON formats are read whole (up to 512 MiB).
 */
import { open, readdir, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { OPEN_READ_NONBLOCK, nonRegularKind } from './workspace';
import { parseDeepeval } from '../evidence/evals/formats/deepeval';
import { parseInspect } from '../evidence/evals/formats/inspect';
import { parseLastmile } from '../evidence/evals/formats/lastmile';
import { parseLmEval } from '../evidence/evals/formats/lm-eval';
import { parsePromptfoo } from '../evidence/evals/formats/promptfoo';
import { SamplesAccumulator, parseSamplesText } from '../evidence/evals/formats/samples';
import type { EvalFormat, EvalLoad, EvalOptions } from '../evidence/evals/types';
import { EVAL_FORMATS } from '../evidence/evals/types';
import { errorMessage, fail } from '../evidence/evals/util';

/** Largest JSON eval file read (V8 strings hold at most ~512 Mi UTF-16 code units). */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;
/** Read size for `samples` (two such buffers are held). */
const READ_CHUNK = 1024 * 1024;
/** Longest single `samples` line, in bytes. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

/**
 * Parses eval content held in memory. For `samples`, `content` is the whole JSONL text.
 */
export function parseEval(content: string, format: EvalFormat, displayPath: string, opts: EvalOptions = {}): EvalLoad {
  try {
    switch (format) {
      case 'samples':
        return parseSamplesText(content, displayPath, opts);
      case 'lastmile':
        return parseLastmile(content, displayPath);
      case 'promptfoo':
        return parsePromptfoo(content, displayPath, opts);
      case 'lm-eval':
        return parseLmEval(content, displayPath);
      case 'inspect':
        return parseInspect(content, displayPath);
      case 'deepeval':
        return parseDeepeval(content, displayPath);
      default:
        return fail(displayPath, `unknown eval format "${String(format)}" (known: ${EVAL_FORMATS.join(', ')})`);
    }
  } catch (e) {
    // Adapters do not throw for bad input; this is a bug, but it must still fail closed.
    return fail(displayPath, `could not read the eval results: ${errorMessage(e)}`);
  }
}

function ioError(file: string, e: unknown): EvalLoad {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return fail(file, 'file not found');
  if (code === 'EACCES' || code === 'EPERM') return fail(file, 'permission denied');
  if (code === 'EISDIR') return fail(file, notEvalFile('a directory'));
  return fail(file, `cannot read the file: ${errorMessage(e)}`);
}

/**
 * Reads and parses the eval file at `absPath` (the caller has resolved it safely inside the
 * workspace), naming it `displayPath` in results and errors. For `lm-eval`, a directory is
 * accepted: the newest `results_*.json` in it (or in its subfolders, one level down) is read, with
 * a warning naming it.
 */
export async function loadEvalFile(absPath: string, format: EvalFormat, displayPath: string, opts: EvalOptions = {}): Promise<EvalLoad> {
  if (!EVAL_FORMATS.includes(format)) {
    return fail(displayPath, `unknown eval format "${String(format)}" (known: ${EVAL_FORMATS.join(', ')})`);
  }
  let path = absPath;
  let picked: string | undefined;
  try {
    let st = await stat(path);
    if (st.isDirectory() && format === 'lm-eval') {
      const found = await newestLmEvalResults(path);
      if (found === undefined) return fail(displayPath, 'is a directory with no lm-eval results_*.json file');
      picked = found.relative;
      path = found.path;
      st = await stat(path);
    }
    // A FIFO, device or socket is refused before it is opened: reading one could block for ever.
    const kind = nonRegularKind(st);
    if (kind) return fail(displayPath, notEvalFile(kind));
    if (format === 'samples') return await streamSamples(path, displayPath, opts);
    if (st.size > MAX_JSON_BYTES) {
      return fail(displayPath, `the file is ${Math.round(st.size / 1048576)} MiB; JSON eval files are read whole, up to ${MAX_JSON_BYTES / 1048576} MiB`);
    }
    const text = await readRegular(path, displayPath);
    if (typeof text !== 'string') return text;
    const load = parseEval(text, format, displayPath, opts);
    if (load.ok && picked !== undefined) load.result.warnings.unshift(`read ${picked}, the newest lm-eval results file in the directory`);
    return load;
  } catch (e) {
    return ioError(displayPath, e);
  }
}

/**
 * Opens `path` non-blocking and checks what was opened (the path may have changed since its
 * stat): a regular file, or a failed load naming what it is instead.
 */
async function openRegular(path: string, displayPath: string): Promise<FileHandle | EvalLoad> {
  const fh = await open(path, OPEN_READ_NONBLOCK);
  const kind = nonRegularKind(await fh.stat());
  if (kind === undefined) return fh;
  await fh.close().catch(() => undefined);
  return fail(displayPath, notEvalFile(kind));
}

function notEvalFile(kind: string): string {
  return `expected a regular file of eval results, found ${kind}`;
}

async function readRegular(path: string, displayPath: string): Promise<string | EvalLoad> {
  const fh = await openRegular(path, displayPath);
  if ('ok' in fh) return fh;
  try {
    return await fh.readFile('utf8');
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function newestLmEvalResults(dir: string): Promise<{ path: string; relative: string } | undefined> {
  const candidates: { path: string; relative: string; name: string }[] = [];
  const scan = async (d: string, prefix: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.isFile() && /^results.*\.json$/.test(e.name)) candidates.push({ path: join(d, e.name), relative: prefix + e.name, name: e.name });
      else if (e.isDirectory() && depth < 1) await scan(join(d, e.name), `${prefix}${e.name}/`, depth + 1);
    }
  };
  await scan(dir, '', 0);
  // results_<ISO-like date>.json: the newest sorts last
  candidates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.relative < b.relative ? -1 : 1));
  const last = candidates[candidates.length - 1];
  return last === undefined ? undefined : { path: last.path, relative: last.relative };
}

/**
 * Streams a `samples` file through a {@link SamplesAccumulator}, line by line.
 *
 * Reads 1 MiB at a time into two reused buffers, the next read running while the current chunk is
 * parsed; each chunk is decoded up to its last newline (a UTF-8 sequence never holds the newline
 * byte, so no character is cut) and the bytes after it wait for the next chunk. Compared with a
 * 64 KiB `createReadStream`, this drops the per-chunk stream and decoder overhead (about a tenth
 * of the adapter's time) and allocates nothing per chunk but the decoded text. `chunkBytes` is
 * for tests of lines and characters cut at chunk boundaries.
 */
export async function streamSamples(path: string, file: string, opts: EvalOptions, chunkBytes = READ_CHUNK): Promise<EvalLoad> {
  const acc = new SamplesAccumulator(file, opts);
  let fh: FileHandle | undefined;
  let lineNo = 0;
  const tooLong = (line: number): EvalLoad => ({ ok: false, error: { file, line, message: `line ${line} is longer than ${MAX_LINE_BYTES / 1048576} MiB` } });
  /** Bytes of a line not yet ended, from earlier chunks (usually at most one part). */
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let next: Promise<{ bytesRead: number }> | undefined;
  try {
    const opened = await openRegular(path, file);
    if ('ok' in opened) return opened;
    fh = opened;
    const handle = fh;
    const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    let which = 0;
    next = handle.read(buffers[0]!, 0, chunkBytes, null);
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      const buf = buffers[which]!;
      which ^= 1;
      next = handle.read(buffers[which]!, 0, chunkBytes, null);
      let from = 0;
      if (tailBytes > 0) {
        // The line carried over ends at this chunk's first newline, if it has one.
        const nl = buf.indexOf(10, 0);
        const end = nl === -1 ? bytesRead : nl;
        tailBytes += end;
        if (tailBytes > MAX_LINE_BYTES) return tooLong(lineNo + 1);
        tail.push(Buffer.from(buf.subarray(0, end)));
        if (nl === -1) continue;
        lineNo++;
        const err = acc.line(Buffer.concat(tail, tailBytes).toString('utf8'));
        tail = [];
        tailBytes = 0;
        if (err) return { ok: false, error: err };
        from = nl + 1;
      }
      const last = buf.lastIndexOf(10, bytesRead - 1);
      if (last >= from) {
        const text = buf.toString('utf8', from, last);
        let start = 0;
        for (let idx = text.indexOf('\n'); ; idx = text.indexOf('\n', start)) {
          lineNo++;
          const err = acc.line(text.slice(start, idx === -1 ? text.length : idx));
          if (err) return { ok: false, error: err };
          if (idx === -1) break;
          start = idx + 1;
        }
        from = last + 1;
      }
      if (from < bytesRead) {
        tailBytes = bytesRead - from;
        if (tailBytes > MAX_LINE_BYTES) return tooLong(lineNo + 1);
        // Copied: the buffer is reused by the read after next.
        tail = [Buffer.from(buf.subarray(from, bytesRead))];
      }
    }
  } catch (e) {
    return ioError(file, e);
  } finally {
    // A read still in flight after an early return must not become an unhandled rejection.
    next?.catch(() => undefined);
    await fh?.close().catch(() => undefined);
  }
  if (tailBytes > 0) {
    lineNo++;
    const err = acc.line(Buffer.concat(tail, tailBytes).toString('utf8'));
    if (err) return { ok: false, error: err };
  }
  return acc.finish();
}
