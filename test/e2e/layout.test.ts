// The comment a reviewer reads, end to end through dist/index.js (SPEC §7, issue 16): parsed as
// GitHub renders it (micromark + GFM), for one failing gate, a green pull request and a
// 40-system monorepo with 12 systems blocked on gates that are not evals.
import { describe, expect, it } from 'vitest';
import { tables, text, toHtml } from '../helpers/markdown';
import { MONOREPO_INTEGRATIONS, MONOREPO_ROLLBACK, monorepoFiles } from './examples';
import { MARKER, NO_SIGNOFFS, POLICY_PATH, READY, expectNoStackTrace, expectVerdict, pullRequestSession } from './setup';

const session = pullRequestSession({ [POLICY_PATH]: NO_SIGNOFFS });

const seen = (html: string): string => text(html).replace(/\u2060/g, '');
const outsideDetails = (html: string): string => html.replace(/<details>[^]*?<\/details>/g, '');
const metricTables = (html: string) => tables(html).filter((t) => t.header[0] === 'metric');

/** The comment without its marker line, and the rendered text of its first ten lines. */
async function comment(): Promise<{ md: string; html: string; lead: string }> {
  const [c] = session.gh.comments(2);
  expect(c).toBeDefined();
  expect(c!.body.startsWith(`${MARKER}\n`)).toBe(true);
  const md = c!.body.slice(MARKER.length + 1);
  return { md, html: toHtml(md), lead: seen(toHtml(md.split('\n').slice(0, 10).join('\n'))) };
}

function expectTablesIntact(html: string): void {
  for (const t of tables(html)) for (const row of t.rows) expect(row.length).toBe(t.header.length);
}

describe('the comment', () => {
  it('one failing gate: its reason, the owning team and the fix lead; nothing passing is shown open', async () => {
    await session.start();
    const files = { ...READY, 'lastmile.yml': READY['lastmile.yml']!.replace('    fallback: queue and retry\n', '') };
    const r = await session.run(files);
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const { md, html, lead } = await comment();
    expect(md.split('\n')[0]).toBe('### ❌ Last Mile: Not ready for production on release/1.0 \\(blocks merge\\)');
    expect(md.split('\n')[1]).toMatch(/^- ❌ \*\*integrations\*\* fail: /);
    expect(lead).toMatch(/integrations fail: .*salesforce.*fallback.* · who acts: @acme\/support-ml · fix: .*fallback/);
    const visible = outsideDetails(html);
    expect(metricTables(visible)).toHaveLength(0);
    expect(tables(visible)).toHaveLength(0);
    // The passing gates and the passing eval table are one click away.
    expect(html).toMatch(/<details><summary>15 gates pass · 1 skipped<\/summary>/);
    expect(metricTables(html)).toHaveLength(1);
    expect(md).not.toContain('mermaid');
    expectTablesIntact(html);
  });

  it('a green pull request: the verdict and one line of context, the rest collapsed', async () => {
    await session.start();
    const r = await session.run(READY);
    expectVerdict(r, 'pass');
    const { md, html } = await comment();
    expect(md.split('\n')[0]).toBe('### ✅ Last Mile: Ready for production on release/1.0');
    const visible = outsideDetails(html);
    expect(tables(visible)).toHaveLength(0);
    expect(visible).not.toContain('<li>');
    expect(seen(visible)).toMatch(/support-triage lastmile\.yml \(@acme\/support-ml\) · stage production \(block\) · policy .*/);
    expect(seen(visible)).toMatch(/\d+ passing, 1 skipped/);
    expect(html.match(/<details>/g)).toHaveLength(1);
  });

  it('a 40-system monorepo, 12 blocked on integrations or rollback: an index by gate, natural order, 28 ready in one list', async () => {
    await session.start();
    const r = await session.run(monorepoFiles(), { inputs: { manifests: 'services/*/lastmile.yml', 'check-name': '' } });
    expectNoStackTrace(r);
    expectVerdict(r, 'fail');
    const { md, html, lead } = await comment();
    expect(md.split('\n')[0]).toBe('### ❌ Last Mile: Not ready for production on release/1.0 \\(blocks merge\\) — 12 of 40 systems');
    const names = (ns: number[]): string => ns.map((n) => `sys-${n}`).join(', ');
    expect(lead).toContain(`integrations blocks 8 systems: ${names(MONOREPO_INTEGRATIONS)} · who acts: @acme/support-ml · fix:`);
    expect(lead).toContain(`rollback blocks 4 systems: ${names(MONOREPO_ROLLBACK)} · who acts: @acme/support-ml · fix:`);
    // Failing systems in natural order (sys-3 before sys-10), each with its own reason, once.
    const order = [...md.matchAll(/^\*\*❌ (sys-\d+)\*\*/gm)].map((m) => Number(m[1]!.slice(4)));
    expect(order).toEqual([...MONOREPO_INTEGRATIONS, ...MONOREPO_ROLLBACK].sort((a, b) => a - b));
    for (const n of MONOREPO_INTEGRATIONS) expect(seen(html).match(new RegExp(`integrations fail: [^\\n]*crm-${n}\\b`, 'g'))).toHaveLength(1);
    // No passing eval table outside <details>, ready systems in one collapsed list.
    expect(metricTables(outsideDetails(html))).toHaveLength(0);
    const ready = /<details><summary>✅ 28 systems ready<\/summary>\s*<p>([^<]*)<\/p>/.exec(html);
    expect(ready?.[1]?.split(', ')).toHaveLength(28);
    expect(ready![1]!.startsWith('sys-1, sys-2, sys-4, sys-6, sys-7, sys-8, sys-9, sys-11')).toBe(true);
    expectTablesIntact(html);
  });
});
