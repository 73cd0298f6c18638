import type { DeclaredDependency } from '../types';
import { splitLines } from './lines';
import { specTarget } from '../specs';

const PEP508_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

/**
 * The distribution name at the start of a PEP 508 requirement (`openai[extra]>=1; marker`,
 * `pkg @ https://…`), or undefined when the string does not start with one.
 */
export function pep508Name(requirement: string): string | undefined {
  const s = requirement.trimStart();
  const m = PEP508_NAME.exec(s);
  if (!m) return undefined;
  const next = s.charAt(m[0].length);
  // A name ends at whitespace, extras, a specifier, a marker, a URL or the end.
  if (next !== '' && !/[\s[(<>=!~;@,]/.test(next)) return undefined;
  return m[0];
}

/** The URL of a PEP 508 `name @ url` requirement (up to whitespace or a `;` marker). */
export function pep508Url(requirement: string): string | undefined {
  const m = /^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*([^\s;]+)/.exec(requirement);
  return m?.[1];
}

/**
 * A requirement that installs from a URL: the name it declares (PEP 508, `#egg=`, a wheel's file
 * name), else the name the URL gives (an archive's, a repository's), with the URL kept as `spec`
 * so that the inventory matches what it points at (a listed SDK's repository) as well.
 */
function fromUrl(url: string, declared: string | undefined): { name: string; spec: string } | undefined {
  const target = specTarget(url, 'pypi');
  const name = declared ?? target?.archiveName ?? target?.repo?.split('/')[1];
  return name === undefined ? undefined : { name, spec: url };
}

/** `…#egg=name` in a VCS or archive URL. */
function eggName(url: string): string | undefined {
  const m = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  return m?.[1];
}

/** `openai-1.2.3-py3-none-any.whl` → `openai`. */
function wheelName(token: string): string | undefined {
  const base = token.split(/[\\/]/).pop() ?? '';
  if (!/\.whl$/i.test(base)) return undefined;
  const dash = base.indexOf('-');
  return dash > 0 ? base.slice(0, dash) : undefined;
}

const COMMENT = /(^|\s)#.*$/;

/**
 * Requirements-file lines, following pip's rules: a line ending in `\` continues on the next
 * (unless it is a comment), `#` after whitespace starts a comment, options (`-r`, `-c`,
 * `--hash`, `--index-url`, …) are not requirements. `-e`/`--editable` and bare URLs count when
 * they name an `#egg=`; a wheel path counts by its file name. The line reported is the line the
 * requirement's name is on.
 */
export function parseRequirements(text: string, section = 'requirements'): DeclaredDependency[] {
  const lines = splitLines(text);
  const out: DeclaredDependency[] = [];
  // Logical lines: segments with the physical line each came from.
  let segments: { text: string; line: number }[] = [];
  const flush = (): void => {
    if (segments.length === 0) return;
    handle(segments, out, section);
    segments = [];
  };
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const commentOnly = /^\s*#/.test(raw);
    if (raw.endsWith('\\') && !commentOnly) {
      segments.push({ text: raw.slice(0, -1), line });
    } else {
      // As pip does, a comment line always reads as a comment, also at the end of a continuation.
      segments.push({ text: commentOnly ? ` ${raw}` : raw, line });
      flush();
    }
  });
  flush();
  return out;
}

function handle(segments: { text: string; line: number }[], out: DeclaredDependency[], section: string): void {
  // Join, remembering where each segment starts, then strip the comment.
  let joined = '';
  const starts: { offset: number; line: number }[] = [];
  for (const seg of segments) {
    starts.push({ offset: joined.length, line: seg.line });
    joined += seg.text;
  }
  const code = joined.replace(COMMENT, '');
  const lead = code.length - code.trimStart().length;
  const body = code.trim();
  if (body === '') return;
  const lineAt = (offset: number): number => {
    let line = starts[0]?.line ?? 1;
    for (const s of starts) if (s.offset <= offset) line = s.line;
    return line;
  };
  const line = lineAt(lead);

  let name: string | undefined;
  let url: string | undefined;
  if (body.startsWith('-')) {
    const m = /^(?:-e|--editable)(?:\s+|=)(\S+)/.exec(body);
    if (!m?.[1]) return; // -r, -c, --hash, --index-url, …: not requirements
    url = m[1];
    name = eggName(m[1]);
  } else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(body) || /^(?:git|hg|svn|bzr)\+/.test(body)) {
    url = body.split(/\s/)[0] ?? '';
    name = eggName(url);
  } else if (/^[./~]/.test(body) || /\.whl(?:\s|$)/i.test(body.split(/[\s;]/)[0] ?? '')) {
    name = wheelName(body.split(/[\s;]/)[0] ?? '');
  } else {
    name = pep508Name(body);
    if (name !== undefined) url = pep508Url(body);
  }
  const located = url !== undefined ? fromUrl(url, name) : undefined;
  if (located && specTarget(located.spec, 'pypi')) out.push({ ecosystem: 'pypi', name: located.name, line, section, spec: located.spec });
  else if (name !== undefined) out.push({ ecosystem: 'pypi', name, line, section });
}
