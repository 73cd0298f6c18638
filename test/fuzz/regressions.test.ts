// Inputs the fuzzers found, each a bug that was fixed: kept as plain tests so that they stay fixed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesPattern, ownersOf, parseCodeowners } from '../../src/evidence/codeowners';
import { parseDeepeval } from '../../src/evidence/evals/formats/deepeval';
import { MAX_DEPTH, scanJson } from '../../src/evidence/evals/json';
import { parseEval } from '../../src/collect/evals';
import { manifestValid } from '../../src/core/gates/manifest/valid';
import { parseDependencyFile } from '../../src/evidence/inventory';
import { parseManifest } from '../../src/config/manifest/parse';
import { parseAlerts } from '../../src/evidence/monitoring/alerts';
import { evaluate } from '../../src/core/evaluate';
import { parseYaml } from '../../src/config/yaml';
import { makeContext } from '../helpers/context';
import { okLoad, prop } from '../helpers/evals';
import { SPEC_POLICY } from '../helpers/fixtures';
import { makeInput } from '../helpers/report';
import { elapsed } from './fuzz';
import { READY } from './subjects';

const verdictOf = (manifestYaml: string, evals?: Parameters<typeof makeInput>[0]) =>
  evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'release/1.0', systems: [{ manifestYaml }], ...evals })).verdict;

describe('regression: invalid sections that no gate judged passed silently', () => {
  // Found by "a manifest with any error never yields pass": the manifest cut inside its waiver
  // ("truncate at 2903"), and `business_owner` / `model` of the wrong type, gave verdict `pass`.
  it('a waiver cut short (missing reason and expiry) fails manifest.valid, and the verdict', () => {
    const text = READY.slice(0, READY.indexOf('    reason: Portuguese'));
    const m = parseManifest(text, 'lastmile.yml');
    expect(m.sectionErrors.waivers?.length).toBeGreaterThan(0);
    const line = text.split('\n').findIndex((l) => l.startsWith('  - gate: eval.slices')) + 1;
    expect(manifestValid(makeContext({ manifestYaml: text }))).toMatchObject({ outcome: 'fail', location: { file: 'lastmile.yml', line } });
    expect(verdictOf(text)).toBe('fail');
  });

  it('business_owner of the wrong type fails manifest.valid, and the verdict', () => {
    const text = READY.replace('business_owner: dana@acme.com', 'business_owner: [1]');
    const r = manifestValid(makeContext({ manifestYaml: text }));
    expect(r.outcome).toBe('fail');
    expect(r.reason).toBe('lastmile.yml:8:17 business_owner: expected a string, found a list');
    expect(verdictOf(text)).toBe('fail');
  });

  it('an invalid model section fails manifest.valid even where no eval records a model version', () => {
    const text = READY.replace('  version: "2026-11-01"', '  version: [x]');
    expect(manifestValid(makeContext({ manifestYaml: text }))).toMatchObject({ outcome: 'fail', reason: expect.stringContaining('model.version') as unknown });
    // promptfoo and DeepEval record no model version: freshness judges age alone and passes.
    const noVersion = { curated: okLoad({ format: 'promptfoo', metrics: { accuracy: prop(950, 1000) }, modelVersions: undefined, versionRecorded: false }), 'production-sample': okLoad({ modelVersions: undefined, versionRecorded: false }) };
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, branch: 'release/1.0', systems: [{ manifestYaml: text, evals: noVersion }] }));
    expect(r.systems[0]!.gates.find((g) => g.id === 'eval.freshness')?.outcome).toBe('pass');
    expect(r.verdict).toBe('fail');
  });
});

describe('regression: deep YAML nesting overflowed the parser, or aborted the process', () => {
  // `a: [[[[…` 10,000 deep (20 KB) made V8 abort with "RegExpCompiler Allocation failed -
  // process out of memory" in a fresh process; 800 levels gave RESOURCE_EXHAUSTION.
  for (const [name, text] of [
    ['flow lists', `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['compact block lists', `${'- '.repeat(10_000)}x\n`],
    ['explicit keys', `${'? '.repeat(10_000)}x\n`],
  ] as const) {
    it(`${name} 10,000 deep: a positioned error, quickly`, () => {
      let errors: ReturnType<typeof parseYaml>['errors'] = [];
      expect(elapsed(() => (errors = parseYaml(text, 'deep.yml').errors))).toBeLessThan(1000);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: 'deep.yml', line: 1, found: 'deeper nesting' });
    });
  }

  it('in an alerts file too (the deep JSON of a .json file is still read with JSON.parse)', () => {
    const r = parseAlerts(`groups:\n  - name: g\n    rules: ${'['.repeat(10_000)}\n`, 'ops/a.yml');
    expect(r).toMatchObject({ ok: false, kind: 'invalid', line: 3 });
  });
});

describe('regression: collection keys made YAML conversion take minutes', () => {
  // 200 nested `{[ … ]: 1}` keys (1.8 KB) took 15 s to convert; 300 took a minute. (Within the
  // nesting limit now, 30 of them still took 30 ms, and a megabyte of such keys would take minutes.)
  const text = `a: ${'{[ '.repeat(30)}1${']: 1}'.repeat(30)}\n`;
  it('is refused quickly at the key', () => {
    let errors: ReturnType<typeof parseYaml>['errors'] = [];
    expect(elapsed(() => (errors = parseYaml(text, 'keys.yml').errors))).toBeLessThan(1000);
    expect(errors[0]).toMatchObject({ file: 'keys.yml', line: 1, found: 'a list, mapping or alias as a key' });
  });
});

describe('regression: an eval adapter threw on a deeply nested value', () => {
  // "testRunData.metricsScores.5.fails := nested 19999 deep (list)": String() of the list in a
  // warning overflowed the stack; parseEval caught it as "could not read the eval results".
  it('DeepEval metricsScores with a nested list for a tally reads, with a warning', () => {
    const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'real', 'deepeval', 'latest_test_run_beeai-agent_2cases-9metrics.json'), 'utf8')) as { testRunData: { metricsScores: Record<string, unknown>[] } };
    base.testRunData.metricsScores[5]!['fails'] = '\u0001';
    const text = JSON.stringify(base, null, 2).replace('"\\u0001"', '['.repeat(20_000) + ']'.repeat(20_000));
    const load = parseDeepeval(text, 'd.json');
    expect(load.ok).toBe(true);
    if (load.ok) expect(load.result.warnings.join('\n')).toContain('a list failed');
    expect(parseEval(text, 'deepeval', 'd.json').ok).toBe(true);
  });
});

describe('regression: the JSON error walker relied on catching a stack overflow', () => {
  // Its limit (4,000 levels) was above what the stack holds (~3,000 in a worker): deeper invalid
  // JSON was "nested too deeply" at offset 0, reached through a RangeError, which V8 may turn into
  // a process abort when it strikes while compiling a regular expression.
  it(`stops at ${MAX_DEPTH} levels, at the place where it gets too deep`, () => {
    const text = '\n' + '[1,'.repeat(3999) + 'x';
    // the first value too deep: the `1` inside the list opened at depth MAX_DEPTH
    const offset = 1 + 3 * MAX_DEPTH + 1;
    expect(scanJson(text)).toEqual({ offset, message: 'JSON nested too deeply' });
    const load = parseEval(text, 'lastmile', 'deep.json');
    expect(load).toMatchObject({ ok: false, error: { file: 'deep.json', line: 2, column: offset } });
  });
});

describe('regression: eval numbers outside what a computer can hold', () => {
  const LM_EVAL = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'real', 'lm-eval', 'results_mmlu-abstract-algebra_gemma-2-2b-sae-steered_n100.json'), 'utf8');

  // "date := 123456789012345678901234567890": new Date(…).toISOString() threw "Invalid time value".
  it('an lm-eval "date" beyond any calendar is an error at its line, not a thrown exception', () => {
    for (const date of ['123456789012345678901234567890', '-1.7976931348623157e+308', '1e300']) {
      const text = LM_EVAL.replace(/"date": [^,\n]+/, `"date": ${date}`);
      expect(text).not.toBe(LM_EVAL);
      const load = parseEval(text, 'lm-eval', 'r.json');
      expect(load.ok).toBe(false);
      if (!load.ok) {
        expect(load.error.message).toMatch(/^"date" is not a time/);
        expect(load.error.line).toBe(text.split('\n').findIndex((l) => l.includes('"date"')) + 1);
      }
    }
  });

  // "metricsData.4.score := -6.274736787071287e+239": the sum of squares overflowed to an infinite stderr.
  it('DeepEval scores near ±1e308 give no stderr rather than an infinite one', () => {
    const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'real', 'deepeval', 'latest_test_run_beeai-agent_2cases-9metrics.json'), 'utf8')) as { testRunData: { testCases: { metricsData: Record<string, unknown>[] }[] } };
    base.testRunData.testCases[1]!.metricsData[4]!['score'] = -6.274736787071287e239;
    const load = parseEval(JSON.stringify(base), 'deepeval', 'd.json');
    expect(load.ok).toBe(true);
    if (load.ok) for (const m of Object.values(load.result.metrics)) if (m.stderr !== undefined) expect(Number.isFinite(m.stderr)).toBe(true);
  });
});

describe('regression: CODEOWNERS patterns with many wildcards took exponential time', () => {
  it('`*a*a*a*a*a*a*a*a*b` against a 40-character name (5 s before), and 40 wildcards against 5,000', () => {
    expect(elapsed(() => expect(matchesPattern('*a'.repeat(8) + '*b', 'a'.repeat(40))).toBe(false))).toBeLessThan(100);
    expect(elapsed(() => expect(matchesPattern('*a'.repeat(40) + '*b', 'a'.repeat(5000))).toBe(false))).toBeLessThan(500);
  });

  it('`/**/**/**/**/**/**/x` against a path 60 folders deep (4 s before)', () => {
    const co = parseCodeowners(`/${'**/'.repeat(6)}x @o\n`, 'CODEOWNERS');
    expect(elapsed(() => expect(ownersOf(co, `${'a/'.repeat(60)}y`).owners).toEqual([]))).toBeLessThan(100);
    expect(ownersOf(co, `${'a/'.repeat(60)}x`).owners).toEqual(['@o']);
  });
});

describe('regression: one deeply nested field hid every dependency of a package.json', () => {
  // "… := nested N deep (list)": past 200 levels the parser gave up on the whole file, which then
  // declared nothing, while npm (JSON.parse) installs its dependencies.
  it('a field nested 10,000 deep is passed over; the dependencies are still found', () => {
    const text = `{\n  "config": ${'['.repeat(10_000)}${']'.repeat(10_000)},\n  "dependencies": {\n    "openai": "^4"\n  }\n}\n`;
    expect(parseDependencyFile('package.json', text)).toEqual([{ ecosystem: 'npm', name: 'openai', line: 4, section: 'dependencies' }]);
  });
});

describe('regression: a dependency with an empty name', () => {
  it('package.json "dependencies": { "": "1" } declares nothing', () => {
    expect(parseDependencyFile('package.json', '{\n  "dependencies": {\n    "": "1",\n    "openai": "^4"\n  }\n}\n')).toEqual([
      { ecosystem: 'npm', name: 'openai', line: 4, section: 'dependencies' },
    ]);
  });
});
