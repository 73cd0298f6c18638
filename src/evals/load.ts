/**
 * File I/O for the eval adapters: {@link loadEvalFile} reads a file of any declared format and
 * {@link parseEval} parses content already in memory (e.g. a file read from the base branch
 * through the API). Neither throws for bad input.
 *
 * `samples` files are streamed: the file is read in 64 KiB chunks, split into lines, and each line
 * is aggregated and dropped, so memory does not grow with the file (only with the number of
 * distinct slice values, which is capped). JSON formats are read whole (up to 512 MiB).
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDeepeval } from './formats/deepeval';
import { parseInspect } from './formats/inspect';
import { parseLastmile } from './formats/lastmile';
import { parseLmEval } from './formats/lm-eval';
import { parsePromptfoo } from './formats/promptfoo';
import { SamplesAccumulator, parseSamplesText } from './formats/samples';
import type { EvalError, EvalFormat, EvalLoad, EvalOptions } from './types';
import { EVAL_FORMATS } from './types';
import { errorMessage, fail } from './util';

/** Largest JSON eval file read (V8 strings hold at most ~512 Mi UTF-16 code units). */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;
/**
 * Read size for `samples`. Larger chunks do not read faster here, but they make V8 hold bigger
 * strings between collections: 64 KiB keeps the peak RSS near 65 MB whatever the file size.
 */
const READ_CHUNK = 64 * 1024;
/** Longest single `samples` line. */
export const MAX_LINE_CHARS = 32 * 1024 * 1024;

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
  if (code === 'EISDIR') return fail(file, 'is a directory, not a file');
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
    if (st.isDirectory()) return fail(displayPath, 'is a directory, not a file');
    if (format === 'samples') return await streamSamples(path, displayPath, opts);
    if (st.size > MAX_JSON_BYTES) {
      return fail(displayPath, `the file is ${Math.round(st.size / 1048576)} MiB; JSON eval files are read whole, up to ${MAX_JSON_BYTES / 1048576} MiB`);
    }
    const buf = await readFile(path);
    const text = buf.toString('utf8');
    const load = parseEval(text, format, displayPath, opts);
    if (load.ok && picked !== undefined) load.result.warnings.unshift(`read ${picked}, the newest lm-eval results file in the directory`);
    return load;
  } catch (e) {
    return ioError(displayPath, e);
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

/** Streams a `samples` file through a {@link SamplesAccumulator}, line by line. */
async function streamSamples(path: string, file: string, opts: EvalOptions): Promise<EvalLoad> {
  const acc = new SamplesAccumulator(file, opts);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK });
  let carry = '';
  let lineNo = 0;
  const stop = (error: EvalError): EvalLoad => {
    stream.destroy();
    return { ok: false, error };
  };
  try {
    const tooLong = (line: number): EvalError => ({ file, line, message: `line ${line} is longer than ${MAX_LINE_CHARS / 1048576} Mi characters` });
    for await (const chunk of stream as AsyncIterable<string>) {
      // The carried part of a line holds no newline: it is not searched again (searching it for
      // every chunk made one long line take quadratic time).
      if (carry.length > 0 && !chunk.includes('\n')) {
        carry += chunk;
        if (carry.length > MAX_LINE_CHARS) return stop(tooLong(lineNo + 1));
        continue;
      }
      const s = carry.length > 0 ? carry + chunk : chunk;
      let start = 0;
      for (let idx = s.indexOf('\n', carry.length); idx !== -1; idx = s.indexOf('\n', start)) {
        lineNo++;
        if (idx - start > MAX_LINE_CHARS) return stop(tooLong(lineNo));
        const err = acc.line(s.slice(start, idx));
        if (err) return stop(err);
        start = idx + 1;
      }
      carry = start === 0 ? s : s.slice(start);
      if (carry.length > MAX_LINE_CHARS) return stop(tooLong(lineNo + 1));
    }
  } catch (e) {
    stream.destroy();
    return ioError(file, e);
  }
  if (carry.length > 0) {
    const err = acc.line(carry);
    if (err) return { ok: false, error: err };
  }
  return acc.finish();
}
