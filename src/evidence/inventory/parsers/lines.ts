/** Offsets of line starts, for turning a character offset into a 1-based line number. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Split into lines (LF or CRLF), without the line ends. */
export function splitLines(text: string): string[] {
  return stripBom(text).split(/\r?\n|\r/);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Replace the characters of comments with spaces, keeping newlines, so offsets and line
 * numbers stay valid. `open`/`close` delimit block comments; `lineComment` runs to end of line.
 * Quoted strings (' and ") are skipped over so a `//` inside a URL string is not a comment.
 */
export function blankComments(
  text: string,
  opts: { block?: [string, string]; lineComment?: string; strings?: boolean },
): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (opts.strings && (c === '"' || c === "'")) {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (opts.block && text.startsWith(opts.block[0], i)) {
      const end = text.indexOf(opts.block[1], i + opts.block[0].length);
      const stop = end === -1 ? text.length : end + opts.block[1].length;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (opts.lineComment && text.startsWith(opts.lineComment, i)) {
      let end = text.indexOf('\n', i);
      if (end === -1) end = text.length;
      blank(i, end);
      i = end;
      continue;
    }
    i++;
  }
  return out.join('');
}
