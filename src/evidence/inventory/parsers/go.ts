import type { DeclaredDependency } from '../types';
import { splitLines } from './lines';

/** A module path token: bare or in "double" / `back` quotes. */
function modulePath(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const q = token[0];
  if ((q === '"' || q === '`') && token.endsWith(q) && token.length > 1) return token.slice(1, -1);
  return token;
}

/**
 * go.mod: `require path version` lines and `require ( … )` blocks. Requirements marked
 * `// indirect` are not reported: they are dependencies of dependencies, which the module does
 * not import itself (the same reason lockfiles are not read). `replace`, `exclude`, `retract`
 * and `tool` directives are not requirements.
 */
export function parseGoMod(text: string): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  let block: string | undefined;
  splitLines(text).forEach((raw, idx) => {
    const line = idx + 1;
    const commentAt = raw.indexOf('//');
    const comment = commentAt === -1 ? '' : raw.slice(commentAt + 2);
    const code = (commentAt === -1 ? raw : raw.slice(0, commentAt)).trim();
    const indirect = /^\s*indirect\b/.test(comment);
    if (block !== undefined) {
      if (code === ')') {
        block = undefined;
        return;
      }
      if (block === 'require' && code !== '' && !indirect) add(code.split(/\s+/)[0], line);
      return;
    }
    const m = /^(\w+)\s*(.*)$/.exec(code);
    if (!m) return;
    const [, verb, rest = ''] = m;
    if (rest === '(') {
      block = verb;
      return;
    }
    if (verb === 'require' && !indirect) add(rest.split(/\s+/)[0], line);
  });
  return out;

  function add(token: string | undefined, line: number): void {
    const name = modulePath(token);
    if (name !== undefined && name !== '(' && name !== ')') out.push({ ecosystem: 'go', name, line, section: 'require' });
  }
}
