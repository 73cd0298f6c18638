// The hand-written docs stay in step with the code: every gate and eval format is documented,
// the README links every page, and no relative link or anchor is broken.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_IDS } from '../../src/model/catalogue';
import { EVAL_FORMATS } from '../../src/config/manifest/schema';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function headings(md: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Relative links of a Markdown file (outside code fences and inline code). */
function links(md: string): string[] {
  const text = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));
}

function markdownFiles(): string[] {
  const out = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else if (e.name.endsWith('.md')) out.push(`${dir}/${e.name}`);
    }
  };
  walk('examples');
  return out;
}

describe('docs/gates.md', () => {
  const md = read('docs/gates.md');
  const documented = headings(md)
    .map((h) => /^`([a-z.-]+)`$/.exec(h)?.[1])
    .filter((x): x is string => x !== undefined);

  it('has a section for every gate id of the catalogue, in its order, and none for unknown ids', () => {
    expect(documented).toEqual([...GATE_IDS]);
  });

  it('says for every gate what it checks, why it matters and how to fix it', () => {
    const sections = md.split(/\n## (?=`)/).slice(1);
    expect(sections).toHaveLength(GATE_IDS.length);
    for (const s of sections) {
      const id = /^`([^`]+)`/.exec(s)?.[1];
      expect(s, id).toContain('- **Checks:**');
      expect(s, id).toContain('- **Why it matters:**');
      expect(s, id).toContain('- **Fix:**');
    }
  });
});

describe('docs/eval-formats.md', () => {
  const md = read('docs/eval-formats.md');

  it('has a section and a table row for every eval format', () => {
    const sections = headings(md)
      .map((h) => /^`([a-z-]+)`:/.exec(h)?.[1])
      .filter((x): x is string => x !== undefined);
    expect([...sections].sort()).toEqual([...EVAL_FORMATS].sort());
    for (const f of EVAL_FORMATS) expect(md, f).toMatch(new RegExp(`^\\| \`${f}\` \\|`, 'm'));
  });

  it('names the metrics as SPEC §4 does', () => {
    for (const name of ['`accuracy`', '`score`', '`latency_p50_ms`', '`latency_p95_ms`', '`pass_rate`', '`<task>/<metric>,<filter>`', '`<scorer>/<metric>`']) {
      expect(md).toContain(name);
    }
  });
});

describe('README', () => {
  const readme = read('README.md');
  const start = readme.indexOf('## Documentation');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('links every docs page and the examples from its Documentation and Examples sections', () => {
    expect(start).toBeGreaterThan(0);
    for (const f of readdirSync(path.join(ROOT, 'docs')).filter((x) => x.endsWith('.md'))) expect(section, f).toContain(`(docs/${f})`);
    expect(readme).toContain('(examples/README.md)');
    for (const ex of ['contract-review', 'invoice-extraction', 'claims-assistant', 'support-triage', 'workflows']) {
      expect(readme).toContain(`(examples/${ex}/README.md)`);
    }
  });
});

describe('links', () => {
  it.each(markdownFiles())('%s: every relative link and anchor resolves', (file) => {
    const broken: string[] = [];
    for (const link of links(read(file))) {
      const [target, anchor] = link.split('#') as [string, string | undefined];
      const resolved = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : file;
      if (!existsSync(path.join(ROOT, resolved))) {
        broken.push(`${link}: no ${resolved}`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !headings(read(resolved)).map(slug).includes(anchor)) broken.push(`${link}: no heading #${anchor} in ${resolved}`);
    }
    expect(broken).toEqual([]);
  });
});
