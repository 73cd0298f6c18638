import type { DeclaredDependency } from '../types';
import { isUrlSpec } from '../specs';
import { LineIndex, stripBom } from './lines';

/** Sections of package.json whose keys are package names. */
export const NPM_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

type JsonNode =
  | { type: 'object'; entries: { key: string; keyOffset: number; value: JsonNode }[] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'string'; value: string }
  | { type: 'other' };

class JsonSyntaxError extends Error {}

const SCALAR = /true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** Nesting the parser recurses into; deeper values are skipped (see `skip`). */
const MAX_DEPTH = 64;

/** A small JSON parser that keeps the offset of every object key (duplicates included). */
function parseJson(text: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const str = (): string => {
    if (text[i] !== '"') fail('expected a string');
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail('bad escape');
        }
        continue;
      }
      if (c === '\n') fail('newline in string');
      out += c;
      i++;
    }
  };
  /**
   * A value nested too deep to hold package names, passed over without recursing. (Refusing it
   * made the whole file declare nothing: one deep field hid every dependency from the scan,
   * while npm, which reads package.json with JSON.parse, installs them.)
   */
  const skip = (): JsonNode => {
    let level = 0;
    for (;;) {
      ws();
      const c = text[i];
      if (c === undefined) fail('unexpected end of the file');
      if (c === '"') str();
      else if (c === '{' || c === '[') {
        level++;
        i++;
      } else if (c === '}' || c === ']' || c === ',' || c === ':') {
        if (level === 0) fail(`unexpected ${c}`);
        if (c === '}' || c === ']') level--;
        i++;
      } else {
        SCALAR.lastIndex = i;
        const m = SCALAR.exec(text);
        if (!m) fail('unexpected token');
        i += (m as RegExpExecArray)[0].length;
      }
      if (level === 0) return { type: 'other' };
    }
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) return skip();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; keyOffset: number; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { type: 'object', entries };
      }
      for (;;) {
        ws();
        const keyOffset = i;
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        entries.push({ key, keyOffset, value: value(depth + 1) });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { type: 'object', entries };
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { type: 'array', items };
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') return { type: 'string', value: str() };
    SCALAR.lastIndex = i;
    const m = SCALAR.exec(text);
    if (!m) fail('unexpected token');
    i += (m as RegExpExecArray)[0].length;
    return { type: 'other' };
  };
  const root = value(0);
  ws();
  if (i !== text.length) fail('trailing content');
  return root;
}

/**
 * `"alias": "npm:real-name@^1"` installs `real-name` under another name; return `real-name`.
 */
function aliasTarget(spec: string): string | undefined {
  if (!spec.startsWith('npm:')) return undefined;
  const rest = spec.slice(4);
  const at = rest.indexOf('@', rest.startsWith('@') ? 1 : 0);
  const name = at === -1 ? rest : rest.slice(0, at);
  return name === '' ? undefined : name;
}

/**
 * Dependencies declared in a package.json, each with the line of its key. Invalid JSON yields
 * nothing (npm itself refuses such a file). An alias (`"x": "npm:openai@4"`) is reported under
 * the real package name.
 */
export function parsePackageJson(text: string): DeclaredDependency[] {
  const src = stripBom(text);
  let root: JsonNode;
  try {
    root = parseJson(src);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return [];
    throw e;
  }
  if (root.type !== 'object') return [];
  const lines = new LineIndex(src);
  const out: DeclaredDependency[] = [];
  const sections: readonly string[] = NPM_SECTIONS;
  for (const section of root.entries) {
    if (!sections.includes(section.key) || section.value.type !== 'object') continue;
    for (const dep of section.value.entries) {
      if (dep.key === '') continue; // no package has an empty name
      const target = dep.value.type === 'string' ? aliasTarget(dep.value.value) : undefined;
      // A repository or archive (`github:openai/openai-node`, `git+https://…`, `https://…/x-1.0.0.tgz`):
      // what it points at is matched too, whatever the key.
      const spec = dep.value.type === 'string' && target === undefined && isUrlSpec(dep.value.value, 'npm') ? dep.value.value : undefined;
      out.push({ ecosystem: 'npm', name: target ?? dep.key, line: lines.lineOf(dep.keyOffset), section: section.key, ...(spec !== undefined ? { spec } : {}) });
      if (target !== undefined && target !== dep.key) {
        // Also try the alias itself, in case it is the listed name.
        out.push({ ecosystem: 'npm', name: dep.key, line: lines.lineOf(dep.keyOffset), section: section.key });
      }
    }
  }
  return out;
}
