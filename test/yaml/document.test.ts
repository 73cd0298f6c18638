import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeValue, formatConfigError, formatPath, issuesToErrors, MAX_CONFIG_BYTES, parseYaml, positionOf } from '../../src/config/yaml';

describe('parseYaml', () => {
  it('parses a valid document into plain values with no errors', () => {
    const src = parseYaml('version: 1\nlist: [a, b]\nmap: { k: v }\n', 'x.yml');
    expect(src.errors).toEqual([]);
    expect(src.value).toEqual({ version: 1, list: ['a', 'b'], map: { k: 'v' } });
    expect(src.file).toBe('x.yml');
  });

  it('reads dates and yes/no as YAML 1.2 does: strings and strings', () => {
    const src = parseYaml('d: 2026-10-02\nb: yes\nt: true\n', 'x.yml');
    expect(src.value).toEqual({ d: '2026-10-02', b: 'yes', t: true });
  });

  it('reports a syntax error with its file, line and column, and no value', () => {
    const src = parseYaml('version: 1\nsystem: [a, b\nowner: x\n', 'lastmile.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors.length).toBeGreaterThanOrEqual(1);
    const e = src.errors[0]!;
    expect(e.file).toBe('lastmile.yml');
    expect(e.line).toBe(3);
    expect(e.column).toBe(1);
    expect(e.path).toBe('');
    expect(e.expected).toBe('valid YAML');
    expect(e.found).not.toBe('');
  });

  it('reports a tab indentation error on its line', () => {
    const src = parseYaml('owner:\n\tteam: x\n', 'm.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors[0]).toMatchObject({ file: 'm.yml', line: 2, expected: 'valid YAML' });
  });

  it('refuses a duplicate key, naming the line and column of the second one', () => {
    const src = parseYaml('system: a\nowner:\n  team: "@x"\nsystem: b\n', 'm.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors).toHaveLength(1);
    expect(src.errors[0]).toMatchObject({ file: 'm.yml', line: 4, column: 1, expected: 'valid YAML', found: 'a duplicate key' });
  });

  it('refuses a duplicate nested key', () => {
    const src = parseYaml('owner:\n  team: a\n  oncall: b\n  team: c\n', 'm.yml');
    expect(src.errors).toHaveLength(1);
    expect(src.errors[0]).toMatchObject({ line: 4, column: 3, found: 'a duplicate key' });
  });

  it('refuses more than one document', () => {
    const src = parseYaml('a: 1\n---\nb: 2\n', 'm.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors[0]).toMatchObject({ found: 'more than one document', expected: 'valid YAML' });
  });

  it('allows a few aliases', () => {
    const src = parseYaml('base: &b { x: 1 }\na: *b\nc: *b\n', 'm.yml');
    expect(src.errors).toEqual([]);
    expect(src.value).toEqual({ base: { x: 1 }, a: { x: 1 }, c: { x: 1 } });
  });

  it('refuses an alias bomb (billion laughs) instead of expanding it', () => {
    const row = (name: string, ref: string) => `${name}: &${name} [${Array.from({ length: 10 }, () => ref).join(', ')}]`;
    const text = [row('a', 'lol'), row('b', '*a'), row('c', '*b'), row('d', '*c'), row('e', '*d'), row('f', '*e'), row('g', '*f'), row('h', '*g'), row('i', '*h')].join('\n');
    const src = parseYaml(text, 'bomb.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors).toHaveLength(1);
    expect(src.errors[0]).toMatchObject({ file: 'bomb.yml', line: 1, column: 1, expected: 'YAML without excessive aliases', found: 'an alias expansion over the limit' });
  });

  it('refuses a file over the size limit without reading its value', () => {
    const text = `a: "${'x'.repeat(MAX_CONFIG_BYTES)}"\n`;
    const src = parseYaml(text, 'big.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors).toHaveLength(1);
    expect(src.errors[0]).toMatchObject({ file: 'big.yml', line: 1, column: 1, found: `${text.length} bytes` });
    expect(src.errors[0]!.expected).toContain(String(MAX_CONFIG_BYTES));
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const text = `a: "${'é'.repeat(MAX_CONFIG_BYTES / 2 + 10)}"\n`;
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    const src = parseYaml(text, 'big.yml');
    expect(src.value).toBeUndefined();
    expect(src.errors[0]).toMatchObject({ found: `${Buffer.byteLength(text, 'utf8')} bytes` });
  });
});

describe('formatPath / describeValue', () => {
  it('formats key paths with indices in brackets', () => {
    expect(formatPath(['signoffs', 1, 'status'])).toBe('signoffs[1].status');
    expect(formatPath(['owner', 'team'])).toBe('owner.team');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });

  it('describes values for "found"', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({ a: 1 })).toBe('a mapping');
    expect(describeValue('aproved')).toBe('"aproved"');
    expect(describeValue(2)).toBe('number 2');
    expect(describeValue(true)).toBe('boolean true');
    expect(describeValue(new Date(0))).toMatch(/^a timestamp/);
    const long = describeValue('y'.repeat(100));
    expect(long.length).toBeLessThanOrEqual(62);
    expect(long.endsWith('..."')).toBe(true);
  });
});

describe('positionOf', () => {
  const text = 'owner:\n  team: "@a/b"\nsignoffs:\n  - kind: security\n    status: approved\n';
  const src = parseYaml(text, 'm.yml');

  it('finds the value of a nested key and of a list item', () => {
    expect(positionOf(src, ['owner', 'team'])).toEqual({ line: 2, column: 9 });
    expect(positionOf(src, ['signoffs', 0, 'status'])).toEqual({ line: 5, column: 13 });
    expect(positionOf(src, ['signoffs', 0])).toEqual({ line: 4, column: 5 });
  });

  it('finds the key itself when asked', () => {
    expect(positionOf(src, ['owner', 'team'], true)).toEqual({ line: 2, column: 3 });
  });

  it('falls back to the nearest ancestor that exists', () => {
    expect(positionOf(src, ['signoffs', 5, 'status'])).toEqual({ line: 4, column: 3 });
    expect(positionOf(src, ['owner', 'oncall'])).toEqual({ line: 2, column: 3 });
    expect(positionOf(src, ['nothing'])).toEqual({ line: 1, column: 1 });
  });
});

describe('issuesToErrors', () => {
  const schema = z.strictObject({
    owner: z.strictObject({ team: z.string().regex(/^@/, 'a team such as "@org/team"'), size: z.number().optional() }),
    status: z.enum(['requested', 'approved']),
    list: z.array(z.number()).optional(),
  });
  const text = ['owner:', '  team: support', '  size: big', '  tem: x', 'status: aproved', 'list: [1, two]', 'extra: 1', ''].join('\n');
  const src = parseYaml(text, 'svc/lastmile.yml');
  const parsed = schema.safeParse(src.value);
  const errors = parsed.success ? [] : issuesToErrors(src, parsed.error.issues);
  const byPath = (p: string) => errors.find((e) => e.path === p);

  it('reports every issue at once', () => {
    expect(errors.map((e) => e.path).sort()).toEqual(['extra', 'list[1]', 'owner.size', 'owner.team', 'owner.tem', 'status']);
  });

  it('names file, line, column, key path, expected and found for a wrong value', () => {
    expect(byPath('owner.team')).toMatchObject({ file: 'svc/lastmile.yml', line: 2, column: 9, expected: 'a team such as "@org/team"', found: '"support"' });
    expect(byPath('owner.size')).toMatchObject({ line: 3, column: 9, expected: 'a number', found: '"big"' });
    expect(byPath('list[1]')).toMatchObject({ line: 6, column: 11, expected: 'a number', found: '"two"' });
  });

  it('names the enum values for a wrong enum', () => {
    expect(byPath('status')).toMatchObject({ line: 5, column: 9, expected: 'one of "requested" | "approved"', found: '"aproved"' });
  });

  it('points an unknown key at the key itself, top-level and nested', () => {
    expect(byPath('owner.tem')).toMatchObject({ line: 4, column: 3, found: 'unknown key "tem"' });
    expect(byPath('extra')).toMatchObject({ line: 7, column: 1, found: 'unknown key "extra"' });
  });

  it('prefixes a base path when a sub-tree was validated', () => {
    const sub = schema.shape.owner.safeParse((src.value as { owner: unknown }).owner);
    expect(sub.success).toBe(false);
    const errs = sub.success ? [] : issuesToErrors(src, sub.error.issues, ['owner']);
    expect(errs.map((e) => [e.path, e.line]).sort()).toEqual([
      ['owner.size', 3],
      ['owner.team', 2],
      ['owner.tem', 4],
    ]);
  });

  it('reports the branch of a union that got furthest', () => {
    const u = z.strictObject({ t: z.union([z.strictObject({ min: z.number() }), z.strictObject({ max: z.number() })]) });
    const s = parseYaml('t: { min: high }\n', 'u.yml');
    const r = u.safeParse(s.value);
    const errs = r.success ? [] : issuesToErrors(s, r.error.issues);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ path: 't.min', expected: 'a number', found: '"high"', line: 1 });
  });

  it('formats an error as file:line:column: path: expected …, found …', () => {
    expect(formatConfigError(byPath('status')!)).toBe('svc/lastmile.yml:5:9: status: expected one of "requested" | "approved", found "aproved"');
    expect(formatConfigError({ file: 'a.yml', line: 1, column: 1, path: '', expected: 'valid YAML', found: 'x', message: '' })).toBe('a.yml:1:1: expected valid YAML, found x');
  });
});
