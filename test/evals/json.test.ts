import { describe, expect, it } from 'vitest';
import { lineColumn, locatePath, parseJson } from '../../src/evidence/evals/json';
import { MAX_DEPTH, locateOffset, nonFiniteTokens, scanJson } from '../../src/evidence/evals/json-scanner';
import { sniffFormat, wrongFormat } from '../../src/evidence/evals/sniff';

describe('parseJson', () => {
  it('parses plain JSON and strips a BOM', () => {
    expect(parseJson('\ufeff{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] }, nonFinite: 0 });
  });
  it('rejects bare NaN / Infinity unless allowed, naming the line', () => {
    const text = '{\n  "a": 1,\n  "b": NaN\n}';
    const strict = parseJson(text);
    expect(strict).toMatchObject({ ok: false, line: 3, column: 8 });
    expect(strict.ok ? '' : strict.message).toMatch(/NaN and Infinity are not valid JSON/);
    const loose = parseJson(text, { allowNonFinite: true });
    expect(loose.ok).toBe(true);
    if (loose.ok) {
      expect(Number.isNaN((loose.value as { b: number }).b)).toBe(true);
      expect(loose.nonFinite).toBe(1);
    }
  });
  it('maps Infinity and -Infinity, and leaves the same words inside strings alone', () => {
    const r = parseJson('{"x": Infinity, "y": -Infinity, "s": "NaN and Infinity", "t": ["-Infinity"]}', { allowNonFinite: true });
    expect(r).toEqual({ ok: true, value: { x: Infinity, y: -Infinity, s: 'NaN and Infinity', t: ['-Infinity'] }, nonFinite: 2 });
  });
  it('handles escaped quotes before a token', () => {
    const r = parseJson('{"s": "a \\" NaN", "v": NaN}', { allowNonFinite: true });
    expect(r.ok && (r.value as { s: string }).s).toBe('a " NaN');
    expect(r.ok && Number.isNaN((r.value as { v: number }).v)).toBe(true);
  });
  it('reports a truncated file with its last line', () => {
    const r = parseJson('{\n  "results": {\n    "a": 1,\n');
    expect(r).toMatchObject({ ok: false, line: 4 });
    expect(r.ok ? '' : r.message).toMatch(/truncated/);
  });
  it('reports a truncated file with non-finite tokens too', () => {
    const r = parseJson('{"a": NaN,\n "b": [1, 2', { allowNonFinite: true });
    expect(r).toMatchObject({ ok: false, line: 2 });
    expect(r.ok ? '' : r.message).toMatch(/truncated/);
  });
  it('names the line and column of a syntax error', () => {
    const r = parseJson('{\n  "a": 1\n  "b": 2\n}');
    expect(r).toMatchObject({ ok: false, line: 3, column: 3 });
    expect(r.ok ? '' : r.message).toMatch(/expected ',' or '}'/);
  });
  it('calls an empty file empty', () => {
    expect(parseJson('  \n')).toMatchObject({ ok: false, message: 'the file is empty' });
  });
});

describe('scanJson', () => {
  it('accepts valid JSON and finds the first error in invalid JSON', () => {
    expect(scanJson('{"a": [true, false, null, -1.5e3, "x\\u00e9"]}')).toBeUndefined();
    expect(scanJson('[1, 2,]')).toMatchObject({ offset: 6 });
    expect(scanJson('{"a": 01}')?.message).toMatch(/invalid number/);
    expect(scanJson('{"a": "\\x"}')?.message).toMatch(/invalid escape/);
    expect(scanJson('{"a": 1} x')?.message).toMatch(/after the end/);
    expect(scanJson('{"a": tru')?.message).toMatch(/truncated/);
  });
  it('does not overflow on deep nesting', () => {
    expect(scanJson('['.repeat(100_000))?.message).toMatch(/deeply|truncated/);
  });
});

describe('the one scanner: non-finite tokens, key paths, depth', () => {
  it('finds the offsets of bare NaN / Infinity / -Infinity values, not of the words in strings', () => {
    const text = '{"a": NaN, "s": "NaN", "b": [Infinity, -Infinity]}';
    expect(nonFiniteTokens(text)).toEqual({ ok: true, offsets: [6, 29, 39] });
    expect(nonFiniteTokens('{"a": 1}')).toEqual({ ok: true, offsets: [] });
  });
  it('reports the first error as scanJson does with the tokens allowed', () => {
    for (const text of ['{"a": NaN,\n "b": [1, 2', '[NaN,,]', '{"a": -Infinityx}', '\n' + '[1,'.repeat(600) + 'NaN']) {
      const r = nonFiniteTokens(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toEqual(scanJson(text, true));
    }
  });
  it('parses NaN nested deeper than MAX_DEPTH while JSON.parse can; deeper, the nesting is the error', () => {
    const nested = (d: number): string => '{"x": ' + '['.repeat(d) + 'NaN' + ']'.repeat(d) + '}';
    const r = parseJson(nested(MAX_DEPTH + 100), { allowNonFinite: true });
    expect(r.ok && r.nonFinite).toBe(1);
    // JSON.parse's reviver recurses: too deep for it, the error is where the scanner stops
    expect(parseJson(nested(MAX_DEPTH * 40), { allowNonFinite: true })).toEqual({ ok: false, message: 'JSON nested too deeply', line: 1, column: 7 + MAX_DEPTH });
    // the scanner itself never recurses
    expect(nonFiniteTokens(nested(MAX_DEPTH * 200))).toEqual({ ok: true, offsets: [6 + MAX_DEPTH * 200] });
  });
  it('takes a bare NaN only as a value, never as a key', () => {
    expect(parseJson('{NaN: 1}', { allowNonFinite: true })).toMatchObject({ ok: false, line: 1, column: 2, message: expect.stringMatching(/double-quoted key/) as string });
  });
  it('locates key paths through arrays, escaped keys and non-finite values', () => {
    const text = '{"a": [1, {"b\\u0020c": NaN}, {"d": 2}]}';
    expect(locateOffset(text, ['a', 1, 'b c'], true)).toBe(text.indexOf('NaN'));
    expect(locateOffset(text, ['a', 2, 'd'], true)).toBe(text.indexOf('2}'));
    expect(locateOffset(text, ['a', 1, 'b c'])).toBeUndefined();
  });
});

describe('locatePath / lineColumn', () => {
  const text = '{\n  "metrics": {\n    "accuracy": {\n      "value": "high"\n    }\n  }\n}';
  it('finds the line of a key path', () => {
    expect(locatePath(text, ['metrics', 'accuracy', 'value'])).toEqual({ line: 4, column: 16 });
  });
  it('falls back to the deepest existing ancestor', () => {
    expect(locatePath(text, ['metrics', 'accuracy', 'n'])?.line).toBe(3);
  });
  it('counts lines', () => {
    expect(lineColumn('a\nbc\nd', 3)).toEqual({ line: 2, column: 2 });
  });
});

describe('sniffFormat', () => {
  it('recognises each JSON format', () => {
    expect(sniffFormat({ evalId: 'x', results: { version: 3, results: [] } })).toBe('promptfoo');
    expect(sniffFormat({ eval: { model: 'm' }, status: 'success' })).toBe('inspect');
    expect(sniffFormat({ results: { t: {} }, 'n-samples': {} })).toBe('lm-eval');
    expect(sniffFormat({ testRunData: { testCases: [] } })).toBe('deepeval');
    expect(sniffFormat({ version: 1, metrics: {} })).toBe('lastmile');
    expect(sniffFormat([1])).toBeUndefined();
  });
  it('says what a wrong file looks like', () => {
    expect(wrongFormat('inspect', { results: { results: [] } }, 'no eval')).toBe(
      'not an inspect_ai eval log: no eval; it looks like a promptfoo output (`promptfoo eval -o`): declare `format: promptfoo`',
    );
  });
});
