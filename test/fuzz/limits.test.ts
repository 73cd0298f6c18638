// Limits: alias bombs, deep nesting, collection keys and oversized files are refused quickly,
// with an error that says which limit and where. The limits are listed in docs/limits.md.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEvalFile, MAX_JSON_BYTES, MAX_LINE_BYTES, parseEval } from '../../src/collect/evals';
import { EVAL_FORMATS } from '../../src/evidence/evals/types';
import type { EvalLoad } from '../../src/evidence/evals/types';
import { parseManifest } from '../../src/config/manifest/parse';
import { MAX_ALERTS_BYTES, parseAlerts } from '../../src/evidence/monitoring/alerts';
import { parsePolicy } from '../../src/config/policy/parse';
import { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_NESTING, parseYaml } from '../../src/config/yaml';
import type { ConfigError } from '../../src/config/yaml';
import { elapsed } from './fuzz';

/**
 * What "quickly" means for a refusal: a guard against hangs and super-linear blow-ups (a refusal
 * takes milliseconds), loose enough not to flip on a loaded machine. Speed itself is measured by
 * `npm run bench`, not here.
 */
const QUICK_MS = 5000;

const dir = mkdtempSync(join(tmpdir(), 'lastmile-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes that takes no disk space: `head` written, then a hole (NUL bytes). */
function sparse(name: string, size: number, head = ''): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  if (head) writeSync(fd, head);
  writeSync(fd, '\n', size - 1); // the last byte, so that the file has its full size
  closeSync(fd);
  return path;
}

/** The three readers of YAML configuration, each returning its errors. */
const CONFIG_READERS: Record<string, (text: string) => ConfigError[]> = {
  parseYaml: (t) => parseYaml(t, 'x.yml').errors,
  parseManifest: (t) => parseManifest(t, 'lastmile.yml').documentErrors,
  parsePolicy: (t) => {
    const p = parsePolicy(t, '.github/lastmile-policy.yml', 'main');
    return p.ok ? [] : p.errors;
  },
};

function refusedQuickly(text: string, check: (errors: ConfigError[]) => void): void {
  for (const [name, read] of Object.entries(CONFIG_READERS)) {
    let errors: ConfigError[] = [];
    const ms = elapsed(() => {
      errors = read(text);
    });
    expect(ms, `${name} took ${Math.round(ms)} ms`).toBeLessThan(QUICK_MS);
    expect(errors.length, name).toBeGreaterThan(0);
    check(errors);
  }
}

// ---------------------------------------------------------------------------------------------
// Alias bombs

/** `levels` anchors, each a list of `width` aliases to the one before: width^levels leaves. */
function laughs(levels: number, width: number, prefix = ''): string {
  const rows = [`${prefix}l0: &l0 [lol]`];
  for (let i = 1; i <= levels; i++) rows.push(`${prefix}l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`);
  return rows.join('\n') + '\n';
}

const BOMBS: Record<string, string> = {
  'billion laughs (9 levels of 10)': laughs(9, 10),
  'binary, 40 levels (2^40 leaves)': laughs(40, 2),
  'one level of 2,000 aliases': `a: &a [lol]\nb: [${Array.from({ length: 2_000 }, () => '*a').join(', ')}]\n`,
  'inside a manifest section': `version: 1\nsystem: bomb\n${laughs(12, 6, 'x')}signoffs: *l12\n`,
  'through merge keys (30 levels of <<: [*m, *m])': ['m0: &m0 { x: 1 }', ...Array.from({ length: 30 }, (_, i) => `m${i + 1}: &m${i + 1} { <<: [*m${i}, *m${i}] }`)].join('\n') + '\n',
};

describe('limits: YAML alias bombs', () => {
  for (const [name, text] of Object.entries(BOMBS)) {
    it(`refuses ${name} quickly, naming the file`, () => {
      refusedQuickly(text, (errors) => {
        expect(errors.some((e) => e.expected === 'YAML without excessive aliases' && e.found === 'an alias expansion over the limit')).toBe(true);
        for (const e of errors) expect(e.line).toBeGreaterThanOrEqual(1);
      });
    });
  }

  it(`allows up to ${MAX_ALIAS_COUNT} alias expansions`, () => {
    const few = `a: &a { x: 1 }\nb: [${Array.from({ length: 50 }, () => '*a').join(', ')}]\n`;
    expect(parseYaml(few, 'x.yml').errors).toEqual([]);
  });

  it('refuses an alias bomb in an alerts file quickly', () => {
    const text = `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n${laughs(10, 10, 'x')}`;
    let r: ReturnType<typeof parseAlerts> | undefined;
    expect(elapsed(() => (r = parseAlerts(text, 'ops/alerts.yml')))).toBeLessThan(QUICK_MS);
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    expect(r && !r.ok && r.message).toContain('ops/alerts.yml');
  });
});

// ---------------------------------------------------------------------------------------------
// Nesting

/** A document whose lists and mappings nest exactly `depth` deep. */
const NESTED: Record<string, (depth: number) => string> = {
  'flow lists': (d) => '['.repeat(d) + ']'.repeat(d),
  'flow mappings': (d) => '{a: '.repeat(d) + '1' + '}'.repeat(d),
  'compact block lists (- - -)': (d) => '- '.repeat(d) + 'x',
  'explicit keys (? ? ?)': (d) => '? '.repeat(d) + 'x',
  'indented block mappings': (d) => Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1',
};

describe(`limits: nesting deeper than ${MAX_NESTING}`, () => {
  for (const [name, doc] of Object.entries(NESTED)) {
    it(`${name}: ${MAX_NESTING} levels are read; ${MAX_NESTING + 1}, 1,000 and 100,000 are refused quickly at their line`, () => {
      const ok = parseYaml(doc(MAX_NESTING), 'x.yml');
      expect(ok.errors.filter((e) => e.found === 'deeper nesting')).toEqual([]);
      // (100,000 indented levels would take 5 GB: under the size limit, indentation allows ~1,400)
      for (const depth of name.startsWith('indented') ? [MAX_NESTING + 1, 1000, 1400] : [MAX_NESTING + 1, 1000, 100_000]) {
        const text = doc(depth);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CONFIG_BYTES);
        refusedQuickly(text, (errors) => {
          expect(errors[0]).toMatchObject({ expected: `at most ${MAX_NESTING} levels of nesting`, found: 'deeper nesting' });
          expect(errors[0]!.line).toBeGreaterThanOrEqual(1);
        });
      }
    });
  }

  it('names the line where the nesting gets too deep', () => {
    const text = `version: 1\nsystem: deep\nowner:\n  team: "@a/b"\n  oncall: ${'['.repeat(100)}${']'.repeat(100)}\n`;
    const m = parseManifest(text, 'svc/lastmile.yml');
    expect(m.readable).toBe(false);
    expect(m.documentErrors[0]).toMatchObject({ file: 'svc/lastmile.yml', line: 5, expected: `at most ${MAX_NESTING} levels of nesting` });
  });

  it('refuses deep nesting in an alerts file quickly, at its line', () => {
    for (const doc of Object.values(NESTED)) {
      const text = `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: ${doc(5000).replace(/\n/g, '\n          ')}\n`;
      let r: ReturnType<typeof parseAlerts> | undefined;
      expect(elapsed(() => (r = parseAlerts(text, 'ops/alerts.yml')))).toBeLessThan(QUICK_MS);
      expect(r).toMatchObject({ ok: false, kind: 'invalid' });
      expect(r && !r.ok && r.kind === 'invalid' && r.line).toBeGreaterThanOrEqual(1);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Keys that are collections

describe('limits: lists and mappings as keys', () => {
  const nestedKeys = (d: number) => 'a: ' + '{[ '.repeat(d) + '1' + ']: 1}'.repeat(d) + '\n';
  it('refuses them, even nested (stringifying them would take minutes)', () => {
    for (const text of ['? [a, b]\n: 1\n', '{[a]: 1}\n', 'a: &k [x]\n*k : 1\n', nestedKeys(30)]) {
      refusedQuickly(text, (errors) => {
        expect(errors[0]).toMatchObject({ expected: 'a plain key (a name)', found: 'a list, mapping or alias as a key' });
      });
    }
  });

  it('refuses them in an alerts file quickly', () => {
    for (const text of [`groups:\n  - name: g\n    rules: []\n    ${nestedKeys(30)}`, `[{ query: x, name: n, ${'{[ '.repeat(30)}1${']: 1}'.repeat(30)}: 1 }]`]) {
      let r: ReturnType<typeof parseAlerts> | undefined;
      expect(elapsed(() => (r = parseAlerts(text, 'ops/alerts.yml')))).toBeLessThan(QUICK_MS);
      expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Size

describe(`limits: YAML configuration files over ${MAX_CONFIG_BYTES} bytes`, () => {
  it('refuses a file one byte over the limit quickly, without parsing it', () => {
    const text = `version: 1\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    refusedQuickly(text, (errors) => {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ line: 1, column: 1, expected: `a file of at most ${MAX_CONFIG_BYTES} bytes`, found: `${text.length} bytes` });
    });
  });

  it('counts UTF-8 bytes: 262,145 four-byte characters are over the limit', () => {
    const text = `# ${'😀'.repeat(MAX_CONFIG_BYTES / 4 + 1)}`;
    refusedQuickly(text, (errors) => expect(errors[0]!.found).toBe(`${Buffer.byteLength(text)} bytes`));
  });

  it('reads a file of exactly the limit', () => {
    const head = 'version: 1\n# ';
    const text = head + 'x'.repeat(MAX_CONFIG_BYTES - head.length);
    expect(Buffer.byteLength(text)).toBe(MAX_CONFIG_BYTES);
    const src = parseYaml(text, 'x.yml');
    expect(src.errors).toEqual([]);
    expect(src.value).toEqual({ version: 1 });
  });

  it(`refuses an alerts file over ${MAX_ALERTS_BYTES} bytes quickly`, () => {
    const text = `groups: []\n# ${'x'.repeat(MAX_ALERTS_BYTES)}\n`;
    let r: ReturnType<typeof parseAlerts> | undefined;
    expect(elapsed(() => (r = parseAlerts(text, 'ops/alerts.yml')))).toBeLessThan(QUICK_MS);
    expect(r).toMatchObject({ ok: false, kind: 'invalid', line: 1 });
    expect(r && !r.ok && r.message).toMatch(/ops\/alerts\.yml.*bytes/);
  });
});

// ---------------------------------------------------------------------------------------------
// Eval files

function expectRefused(load: EvalLoad, file: string): asserts load is Extract<EvalLoad, { ok: false }> {
  expect(load.ok).toBe(false);
  if (load.ok) return;
  expect(load.error.file).toBe(file);
  expect(load.error.message).not.toMatch(/^could not read the eval results/); // the catch-all for a thrown bug
}

describe('limits: eval files', () => {
  it(`refuses a JSON eval file over ${MAX_JSON_BYTES / 1048576} MiB without reading it`, async () => {
    const path = sparse('huge.json', MAX_JSON_BYTES + 1, '{"results": ');
    for (const format of EVAL_FORMATS.filter((f) => f !== 'samples')) {
      const t0 = performance.now();
      const load = await loadEvalFile(path, format, 'evals/huge.json');
      expect(performance.now() - t0).toBeLessThan(QUICK_MS);
      expectRefused(load, 'evals/huge.json');
      expect(load.error.message).toContain(`up to ${MAX_JSON_BYTES / 1048576} MiB`);
    }
  });

  it(`refuses a samples line over ${MAX_LINE_BYTES / 1048576} MiB, naming its line`, async () => {
    const path = sparse('long-line.jsonl', MAX_LINE_BYTES + 1024 * 1024, '{"correct": true}\n');
    const load = await loadEvalFile(path, 'samples', 'evals/long-line.jsonl');
    expectRefused(load, 'evals/long-line.jsonl');
    expect(load.error).toMatchObject({ line: 2 });
    expect(load.error.message).toContain(`longer than ${MAX_LINE_BYTES / 1048576} MiB`);
  }, 30_000);

  it('refuses deeply nested JSON in every format quickly', () => {
    for (const depth of [5_000, 200_000]) {
      for (const text of ['['.repeat(depth) + ']'.repeat(depth), '['.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), '[1,'.repeat(depth) + '1' + ']'.repeat(depth)]) {
        for (const format of EVAL_FORMATS) {
          let load: EvalLoad | undefined;
          const ms = elapsed(() => (load = parseEval(text, format, 'evals/deep.json')));
          expect(ms, `${format} at depth ${depth}`).toBeLessThan(QUICK_MS);
          expectRefused(load!, 'evals/deep.json');
          // samples: an error on line 1, or the whole-file "nothing to measure"
          if (format === 'samples' && !load!.ok && !load!.error.message.startsWith('no sample has')) expect(load!.error.line).toBe(1);
        }
      }
    }
  });
});
