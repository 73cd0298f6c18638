import { describe, expect, it } from 'vitest';
import type { GateId } from '../../src/gates/catalogue';
import type { GateResult } from '../../src/gates/types';
import { evaluate } from '../../src/report/evaluate';
import { COMMENT_LIMIT, evalTable, renderMarkdown } from '../../src/report/render/markdown';
import { FULL_MANIFEST, SPEC_POLICY } from '../helpers/fixtures';
import { tables, text, toHtml } from '../helpers/markdown';
import { gate, makeInput, report, systemReport } from '../helpers/report';

const WJ = /\u2060/g;
const HOSTILE = '<script>alert(1)</script> ask @someone about #123 | not a cell\n# heading\r\nnext';
const HOSTILE_SEEN = HOSTILE.replace(/[\r\n]+/g, ' ');

/** Every table has as many cells in each row as in its header. */
function expectTablesIntact(html: string): void {
  for (const t of tables(html)) {
    expect(t.header.length).toBeGreaterThan(0);
    for (const row of t.rows) expect(row.length, `row ${JSON.stringify(row)} of table ${JSON.stringify(t.header)}`).toBe(t.header.length);
  }
}

/** No live mention, no issue reference, no raw script anywhere. */
function expectNeutral(markdown: string, html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(markdown).not.toMatch(/@[A-Za-z0-9]/);
  expect(markdown).not.toMatch(/#\d/);
  expect(html).not.toMatch(/<h[1-2]/);
}

function hostileReport() {
  const failing: GateResult[] = [
    gate({ id: 'ownership', outcome: 'fail', reason: HOSTILE, fix: `Fix ${HOSTILE}`, location: { file: 'services/x/lastmile.yml', line: 5 }, details: [HOSTILE, 'second | detail'] }),
    gate({ id: 'eval.thresholds', outcome: 'inconclusive', reason: 'accuracy = 0.94 (47/50) @dana' }),
    {
      id: 'eval.slices',
      outcome: 'waived',
      reason: `waived until 2027-01-15: ${HOSTILE}`,
      waiver: { reason: HOSTILE, approved_by: '@erin', expires_on: '2027-01-15', verified_by: 'approved by @erin' },
    },
    gate({ id: 'identity', outcome: 'pass', reason: 'principal svc | @svc' }),
  ];
  const sys = systemReport('triage', failing, {
    notes: [HOSTILE],
    evalTable: [{ metric: 'acc|uracy @x', direction: 'min', curated: { value: 0.94, lower: 0.93, upper: 0.95, n: 1000 }, production: { value: 0.07, n: 1000 }, gap: 0.87, maxGap: 0.05 }],
  });
  const ok = systemReport('billing', [gate({ id: 'ownership', outcome: 'pass' })]);
  return report([sys, ok], { errors: [HOSTILE], notes: [`note ${HOSTILE}`], stage: 'pre_production' });
}

describe('renderMarkdown: untrusted strings', () => {
  const r = hostileReport();
  const markdown = renderMarkdown(r);
  const html = toHtml(markdown);

  it('neutralises <script>, @mentions, #references and headings everywhere', () => {
    expectNeutral(markdown, html);
    expect(text(html).replace(WJ, '')).toContain(HOSTILE_SEEN);
  });

  it('keeps every table intact, with the user string whole in its cell', () => {
    expectTablesIntact(html);
    const all = tables(html).find((t) => t.header.join() === 'system,gate,result,reason')!;
    expect(all.rows).toHaveLength(r.repositoryGates.length + 5);
    const ownershipRow = all.rows.find((row) => row[1] === 'ownership')!;
    expect(text(ownershipRow[3]!).replace(WJ, '')).toBe(HOSTILE_SEEN);
    const evals = tables(html).find((t) => t.header[0] === 'metric')!;
    expect(evals.rows).toHaveLength(1);
    expect(text(evals.rows[0]![0]!).replace(WJ, '')).toBe('acc|uracy @x (min)');
  });

  it('shows the headline verdict, counts, stage, and the failing gates with reason and fix', () => {
    expect(markdown.startsWith('### ❌ Last Mile: ')).toBe(true);
    expect(html).toMatch(/^<h3>❌ Last Mile: Not ready for pre_production on release\/1\.0 \(blocks merge\)<\/h3>/);
    const visible = text(html).replace(WJ, '');
    expect(visible).toContain('Not ready for pre_production on release/1.0 (blocks merge)');
    expect(visible).toContain('1 failing, 1 inconclusive, 1 waived, 3 passing');
    expect(html).toContain('<code>pre_production</code>');
    expect(visible).toContain(`ownership fail: ${HOSTILE_SEEN}`);
    expect(visible).toContain(`Fix: Fix ${HOSTILE_SEEN}`);
  });

  it('collapses a passing system to one line', () => {
    const lines = markdown.split('\n').filter((l) => l.includes('billing'));
    expect(lines.filter((l) => !l.startsWith('|'))).toEqual(['✅ **billing** ready: 1 gate pass · `services/billing/lastmile.yml`']);
  });

  it('links locations to the head commit when repository and sha are known', () => {
    const out = renderMarkdown(report([systemReport('a(b)', [gate({ id: 'ownership', outcome: 'fail', location: { file: 'svc/a (v2)/lastmile.yml', line: 5 } })])]), { repository: 'acme/app', sha: 'abc123' });
    const h = toHtml(out);
    expect(h).toContain('href="https://github.com/acme/app/blob/abc123/svc/a%20%28v2%29/lastmile.yml#L5"');
    expectTablesIntact(h);
  });
});

describe('renderMarkdown: size', () => {
  function bigReport(systems: number) {
    const long = 'x'.repeat(300);
    const ids: GateId[] = ['ownership', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'eval.thresholds', 'eval.production-gap', 'eval.slices', 'eval.freshness'];
    return report(
      Array.from({ length: systems }, (_, i) =>
        systemReport(
          `system-${i}`,
          ids.map((id) =>
            gate({ id, outcome: 'fail', reason: `${id} of system-${i}: ${long} @owner #12 | x`, fix: `fix ${long}`, location: { file: `services/system-${i}/lastmile.yml`, line: 3 }, details: Array.from({ length: 20 }, (_, d) => `detail ${d} ${long}`) }),
          ),
          { evalTable: [{ metric: 'accuracy', direction: 'min', curated: { value: 0.94, n: 1000 }, production: { value: 0.07, n: 1000 }, gap: 0.87, maxGap: 0.05 }] },
        ),
      ),
    );
  }

  it('a report of 150 failing systems fits in 65,536 characters with tables intact', () => {
    const r = bigReport(150);
    const trailer = '\n<!-- last-mile:state AAAA -->';
    const out = renderMarkdown(r, { trailer });
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out.endsWith(trailer)).toBe(true);
    const html = toHtml(out);
    expectTablesIntact(html);
    expectNeutral(out, html);
    expect(out).toContain('Not ready for production on release/1.0');
    // every failing system is still named
    for (let i = 0; i < 150; i++) expect(out).toContain(`system-${i}`);
  });

  it('never cuts a line, even when it must drop detail', () => {
    const r = bigReport(40);
    const out = renderMarkdown(r, { limit: 4000 });
    expect(out.length).toBeLessThanOrEqual(4000);
    expectTablesIntact(toHtml(out));
    const listed = out.split('\n').filter((l) => l.startsWith('- '));
    expect(listed.length).toBeGreaterThan(5);
    for (const line of listed) expect(line).toMatch(/^- ❌ system-\d+: [a-z.,\s-]+$/);
    expect(out).toContain('the job summary and the `report` output have all of it');
  });

  it('a small report keeps full detail (the collapsed gate list)', () => {
    const out = renderMarkdown(hostileReport());
    expect(out).toContain('<details><summary>All gates</summary>');
  });
});

describe('renderMarkdown of an evaluated report', () => {
  it('renders SPEC §2 under SPEC §3 with the eval table and intact tables', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [{ manifestYaml: FULL_MANIFEST.replace('DG-2301', '<b>DG-2301</b> @boss') }] }));
    const out = renderMarkdown(r);
    const html = toHtml(out);
    expectTablesIntact(html);
    expectNeutral(out, html);
    expect(html).not.toContain('<b>DG-2301');
    expect(text(html).replace(WJ, '')).toContain('data-governance: requested (<b>DG-2301</b> @boss), waiting 18 days');
    const evals = tables(html).find((t) => t.header[0] === 'metric')!;
    expect(evals.header).toEqual(['metric', 'curated', 'production-sample', 'gap', 'max gap']);
    expect(evals.rows[0]![0]).toBe('accuracy (min)');
  });

  it('evalTable marks a gap over the limit', () => {
    const lines = evalTable([{ metric: 'accuracy', direction: 'min', curated: { value: 0.94 }, production: { value: 0.07 }, gap: 0.87, maxGap: 0.05 }]);
    expect(lines[2]).toBe('| accuracy (min) | 0.940 | 0.070 | ❌ 0.870 | 0.050 |');
  });
});

describe('curated vs production-sample chart', () => {
  it('charts rates as a Mermaid bar chart with safe labels, and skips values outside [0, 1]', async () => {
    const { evalChart } = await import('../../src/report/render/markdown');
    const chart = evalChart([
      { metric: 'accuracy"]; click x call alert(1)', direction: 'min', curated: { value: 0.94 }, production: { value: 0.07 } },
      { metric: 'latency_p95_ms', direction: 'max', curated: { value: 800 }, production: { value: 950 } },
    ]);
    expect(chart[0]).toBe('```mermaid');
    expect(chart).toContain('  bar [0.940]');
    expect(chart).toContain('  bar [0.070]');
    const axis = chart.find((l) => l.includes('x-axis'))!;
    // Quotes, brackets and semicolons of a metric name cannot end the label or the statement.
    expect(axis).toBe('  x-axis ["accuracy___ click x call alert_1_"]');
    expect(evalChart([{ metric: 'latency_p95_ms', direction: 'max', curated: { value: 800 }, production: { value: 950 } }])).toEqual([]);
  });
});
