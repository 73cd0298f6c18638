// The comment as GitHub renders it (micromark + GFM): structure, not strings (SPEC §7, issue 16).
import { describe, expect, it } from 'vitest';
import type { GateId } from '../../src/model/catalogue';
import type { GateResult } from '../../src/core/types';
import { evaluate } from '../../src/core/evaluate';
import { COMMENT_LIMIT, evalTable, renderMarkdown } from '../../src/render/markdown';
import type { MetricRow, Report, SystemReport } from '../../src/model/report';
import { FULL_MANIFEST, SPEC_POLICY } from '../helpers/fixtures';
import { tables, text, toHtml } from '../helpers/markdown';
import { gate, makeInput, report, systemReport } from '../helpers/report';

const WJ = /\u2060/g;
const HOSTILE = '<script>alert(1)</script> ask @someone about #123 | not a cell\n# heading\r\nnext';
const HOSTILE_SEEN = HOSTILE.replace(/[\r\n]+/g, ' ');
const seen = (html: string): string => text(html).replace(WJ, '');

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

/** The HTML with every <details> block removed: what a reviewer sees without a click. */
function outsideDetails(html: string): string {
  return html.replace(/<details>[^]*?<\/details>/g, '');
}

/** The first ten lines of the comment, rendered: the lead (SPEC §7). */
function leadText(markdown: string): string {
  return seen(toHtml(markdown.split('\n').slice(0, 10).join('\n')));
}

/** Rows of the curated vs production-sample tables. */
const evalTables = (html: string) => tables(html).filter((t) => t.header[0] === 'metric');

const ROW: MetricRow = { metric: 'accuracy', direction: 'min', curated: { value: 0.94, lower: 0.924, upper: 0.953, n: 1000 }, production: { value: 0.07, lower: 0.056, upper: 0.088, n: 1000 }, gap: 0.87, gapLower: 0.846, gapUpper: 0.889, maxGap: 0.05 };
const PASSING_ROW: MetricRow = { ...ROW, production: { value: 0.93, lower: 0.91, upper: 0.945, n: 1000 }, gap: 0.01, gapLower: -0.01, gapUpper: 0.03 };

function passingGates(except: GateId[]): GateResult[] {
  const ids: GateId[] = ['manifest.valid', 'ownership', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'eval.thresholds', 'eval.production-gap', 'eval.slices', 'eval.freshness'];
  return ids.filter((id) => !except.includes(id)).map((id) => gate({ id, outcome: 'pass', reason: `${id} is in place` }));
}

const SIGNOFF_REASON = '1 of 1 required sign-off not in place: security: approved (SEC-1234) but unverified: added by this pull request without an approving review on e1cab63 from @alice or a member of @acme/security';

function benchmarkTrap(): Report {
  const gates = [
    ...passingGates(['eval.production-gap', 'signoffs']),
    gate({ id: 'eval.production-gap', outcome: 'fail', reason: 'the model does worse on production data: accuracy: gap 0.870 [0.846, 0.889] (max 0.05)', fix: 'Find where production inputs differ from the curated set and close the gap before release.', location: { file: 'lastmile.yml', line: 80 } }),
    gate({ id: 'signoffs', outcome: 'fail', reason: SIGNOFF_REASON, fix: 'security: an approving review on e1cab63 from @alice or a member of @acme/security.', who: ['alice', '@acme/security'], details: [`not ok: ${SIGNOFF_REASON.slice(SIGNOFF_REASON.indexOf('security:'))}`] }),
  ];
  return report([systemReport('support-triage', gates, { manifest: 'lastmile.yml', owner: '@acme/support-ml', evalTable: [ROW] })]);
}

describe('a single system: the lead', () => {
  const r = benchmarkTrap();
  const md = renderMarkdown(r);
  const html = toHtml(md);

  it('names every blocking gate with its reason, who acts and the fix within the first ten lines', () => {
    const lead = leadText(md);
    expect(md.startsWith('### ❌ Last Mile: Not ready for production on release/1.0 \\(blocks merge\\)\n')).toBe(true);
    for (const g of r.systems[0]!.gates.filter((x) => x.outcome === 'fail')) {
      expect(lead).toContain(`${g.id} fail: ${g.reason.replace(/`/g, '')}`);
      expect(lead).toContain(`fix: ${g.fix!.replace(/`/g, '')}`);
    }
    expect(lead).toContain('who acts: @acme/support-ml');
    expect(lead).toContain('who acts: @alice or @acme/security');
  });

  it('puts nothing before the blocking gates but the heading', () => {
    const lines = md.split('\n');
    expect(lines[1]).toMatch(/^- ❌ \*\*eval\.production-gap\*\*|^- ❌ \*\*signoffs\*\*/);
    expect(lines[2]).toMatch(/^- ❌ \*\*/);
  });

  it('places the metric table with intervals under the failing eval gate, outside <details>', () => {
    const visible = outsideDetails(html);
    const t = evalTables(visible);
    expect(t).toHaveLength(1);
    expect(t[0]!.header).toEqual(['metric', 'curated', 'production-sample', 'gap [interval]', 'max gap']);
    expect(t[0]!.rows[0]).toEqual(['accuracy (min)', '0.940 [0.924, 0.953] n=1000', '0.0700 [0.0560, 0.0880] n=1000', '❌ 0.870 [0.846, 0.889]', '0.0500']);
    expect(visible.indexOf('<code>eval.production-gap</code> fails')).toBeLessThan(visible.indexOf('<table>'));
  });

  it('says each reason once and draws no chart', () => {
    const all = seen(html);
    expect(all.split('approved (SEC-1234) but unverified').length - 1).toBe(1);
    expect(md).not.toContain('mermaid');
  });

  it('collapses the passing gates under <details>, one table', () => {
    const details = html.match(/<details>[^]*?<\/details>/g) ?? [];
    expect(details).toHaveLength(1);
    expect(details[0]).toContain('<summary>13 gates pass</summary>');
    const passing = tables(details[0]!)[0]!;
    expect(passing.header).toEqual(['gate', 'result', 'reason']);
    expect(passing.rows.map((row) => row[0])).toContain('ownership');
    expect(passing.rows.every((row) => row[1] === '✅ pass')).toBe(true);
    expectTablesIntact(html);
  });
});

describe('a single system: only failures explained', () => {
  it('keeps a passing eval table inside <details> when only sign-offs fail', () => {
    const gates = [...passingGates(['signoffs']), gate({ id: 'signoffs', outcome: 'fail', reason: 'security: requested (SEC-1), waiting 3 days', who: ['alice'] })];
    const md = renderMarkdown(report([systemReport('triage', gates, { evalTable: [PASSING_ROW] })]));
    const html = toHtml(md);
    expect(evalTables(outsideDetails(html))).toHaveLength(0);
    expect(evalTables(html)).toHaveLength(1);
  });

  it('a green pull request: a heading, one line of context, everything else collapsed', () => {
    const md = renderMarkdown(report([systemReport('triage', passingGates([]), { evalTable: [PASSING_ROW], owner: '@acme/ml' })]));
    const html = toHtml(md);
    expect(html.startsWith('<h3>✅ Last Mile: Ready for production on release/1.0</h3>')).toBe(true);
    const visible = outsideDetails(html);
    expect(tables(visible)).toHaveLength(0);
    expect(visible).not.toContain('<li>');
    expect(seen(visible)).toContain('15 passing');
  });

  it('renders code spans where code is meant, and no backslash shows', () => {
    const g = gate({ id: 'signoffs', outcome: 'fail', reason: 'missing: the manifest has no `signoffs:` section', fix: 'Request the sign-offs security and record them under `signoffs:`.' });
    const md = renderMarkdown(report([systemReport('triage', [g])]));
    const html = toHtml(md);
    expect(html).toContain('<code>signoffs:</code>');
    expect(seen(html)).not.toMatch(/\\[`()_[\]#*]/);
    expect(seen(html)).not.toContain('`');
  });

  it('a hostile reason: no script, mention, reference or heading, also in <summary>; tables intact', () => {
    const failing = [
      gate({ id: 'ownership', outcome: 'fail', reason: HOSTILE, fix: `Fix ${HOSTILE}`, location: { file: 'services/x/lastmile.yml', line: 5 }, details: [HOSTILE, 'second | detail'] }),
      gate({ id: 'eval.thresholds', outcome: 'inconclusive', reason: 'accuracy = 0.94 (47/50) @dana' }),
      { id: 'eval.slices', outcome: 'waived', reason: 'waived', waiver: { reason: HOSTILE, approved_by: '@erin', expires_on: '2027-01-15', verified_by: 'approved by @erin' } },
      gate({ id: 'identity', outcome: 'pass', reason: `principal svc | @svc ${HOSTILE}` }),
    ] satisfies GateResult[];
    const r = report([systemReport('tri`age @x', failing, { notes: [HOSTILE], owner: '@acme/x', evalTable: [{ ...ROW, metric: 'acc|uracy @x' }] })], { errors: [HOSTILE], notes: [`note ${HOSTILE}`] });
    const md = renderMarkdown(r);
    const html = toHtml(md);
    expectNeutral(md, html);
    expectTablesIntact(html);
    expect(seen(html)).toContain(`ownership fail: ${HOSTILE_SEEN}`);
    expect(seen(html)).toContain(`fix: Fix ${HOSTILE_SEEN}`);
    const metric = evalTables(html)[0]!;
    expect(seen(metric.rows[0]![0]!)).toBe('acc|uracy @x (min)');
    for (const s of html.match(/<summary>[^]*?<\/summary>/g) ?? []) expect(s).not.toMatch(/\\|@[a-z]/);
  });

  it('links locations to the head commit when repository and sha are known', () => {
    const out = renderMarkdown(report([systemReport('a(b)', [gate({ id: 'ownership', outcome: 'fail', location: { file: 'svc/a (v2)/lastmile.yml', line: 5 } })])]), { repository: 'acme/app', sha: 'abc123' });
    const h = toHtml(out);
    expect(h).toContain('href="https://github.com/acme/app/blob/abc123/svc/a%20%28v2%29/lastmile.yml#L5"');
    expectTablesIntact(h);
  });

  it('lists six blocking gates as five, a count, and the sixth in full below', () => {
    const ids: GateId[] = ['ownership', 'identity', 'data', 'monitoring', 'rollback', 'integrations'];
    const md = renderMarkdown(report([systemReport('triage', ids.map((id) => gate({ id, outcome: 'fail', reason: `${id} is wrong`, fix: `fix ${id}` })))]));
    const lead = md.split('\n').slice(0, 10);
    expect(lead.filter((l) => /^- ❌ \*\*/.test(l))).toHaveLength(5);
    expect(lead).toContain('- … and 1 more blocking gate: `integrations`, below');
    expect(seen(toHtml(md))).toContain('integrations fail: integrations is wrong');
  });
});

/** 40 systems, 12 failing on sign-offs or integrations only, every eval passing (issue 16). */
function monorepo(): Report {
  const systems: SystemReport[] = [];
  for (let i = 40; i >= 1; i--) {
    const name = `sys-${i}`;
    const failsIntegrations = i % 5 === 0 && i <= 40; // 8 systems
    const failsSignoffs = [3, 13, 23, 33].includes(i); // 4 systems
    const gates = passingGates(['integrations', 'signoffs']);
    gates.push(failsIntegrations ? gate({ id: 'integrations', outcome: 'fail', reason: `crm-${i} declares no fallback`, fix: 'For each entry under `integrations:` declare `fallback`.', location: { file: `services/${name}/lastmile.yml`, line: 61 } }) : gate({ id: 'integrations', outcome: 'pass' }));
    gates.push(failsSignoffs ? gate({ id: 'signoffs', outcome: 'fail', reason: `security: requested (SEC-${i}), waiting ${i} days`, fix: `security: get it granted by @alice`, who: ['alice', '@acme/security'] }) : gate({ id: 'signoffs', outcome: 'pass' }));
    systems.push(systemReport(name, gates, { owner: `@acme/team-${i % 3}`, evalTable: [PASSING_ROW] }));
  }
  return report(systems);
}

describe('a monorepo: 12 of 40 systems blocked', () => {
  const r = monorepo();
  const md = renderMarkdown(r);
  const html = toHtml(md);
  const failing = r.systems.filter((s) => s.status === 'fail').map((s) => s.system);

  it('leads with an index grouped by blocking gate, within the first ten lines', () => {
    expect(failing).toHaveLength(12);
    const lines = md.split('\n').slice(0, 10);
    expect(lines[0]).toBe('### ❌ Last Mile: Not ready for production on release/1.0 \\(blocks merge\\) — 12 of 40 systems');
    const lead = leadText(md);
    expect(lead).toContain('integrations blocks 8 systems: sys-5, sys-10, sys-15, sys-20, sys-25, sys-30, sys-35, sys-40');
    expect(lead).toContain('signoffs blocks 4 systems: sys-3, sys-13, sys-23, sys-33 · who acts: @alice or @acme/security');
    expect(lead).toContain('fix: For each entry under integrations: declare fallback.');
  });

  it('lists failing systems in natural order, each reason once, with no eval table outside <details>', () => {
    const order = [...md.matchAll(/^\*\*❌ (sys-\d+)\*\*/gm)].map((m) => m[1]);
    const natural = [...failing].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    expect(order).toEqual(natural);
    for (const s of r.systems.filter((x) => x.status === 'fail')) {
      for (const g of s.gates.filter((x) => x.outcome === 'fail')) expect(seen(html).split(g.reason).length - 1, g.reason).toBe(1);
    }
    expect(evalTables(outsideDetails(html))).toHaveLength(0);
    expectTablesIntact(html);
  });

  it('collapses the 28 ready systems into one list, in natural order', () => {
    const ready = /<details><summary>✅ 28 systems ready<\/summary>\s*<p>([^<]*)<\/p>/.exec(html);
    expect(ready).not.toBeNull();
    const names = ready![1]!.split(', ');
    expect(names).toHaveLength(28);
    expect(names.slice(0, 4)).toEqual(['sys-1', 'sys-2', 'sys-4', 'sys-6']);
    expect(outsideDetails(html)).not.toContain('sys-1,');
  });
});

describe('the 65,536-character limit', () => {
  function huge(systems: number): Report {
    const long = 'x'.repeat(300);
    const ids: GateId[] = ['ownership', 'integrations', 'signoffs'];
    return report(
      Array.from({ length: systems }, (_, i) =>
        systemReport(
          `answer-${i}`,
          ids.map((id) => gate({ id, outcome: 'fail', reason: `${id} of answer-${i}: ${long} @owner #12 | x`, fix: `fix ${id} of answer-${i}`, location: { file: `services/answer-${i}/lastmile.yml`, line: 3 }, details: Array.from({ length: 20 }, (_, d) => `detail ${d} ${long}`) })),
          { evalTable: [ROW], owner: '@acme/answers' },
        ),
      ),
    );
  }

  it('at 300 failing systems keeps every blocking reason and fix for the systems shown, natural order, then a count', () => {
    const r = huge(300);
    const trailer = '\n<!-- last-mile:state AAAA -->';
    const out = renderMarkdown(r, { trailer });
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out.endsWith(trailer)).toBe(true);
    const html = toHtml(out);
    expectTablesIntact(html);
    expectNeutral(out, html);
    const visible = seen(html);
    const shown = [...out.matchAll(/^\*\*❌ (answer-\d+)\*\*/gm)].map((m) => Number(m[1]!.slice(7)));
    expect(shown.length).toBeGreaterThan(20);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => i)); // answer-0, answer-1, … answer-9, answer-10
    for (const i of shown) {
      for (const id of ['ownership', 'integrations', 'signoffs']) {
        expect(visible).toContain(`${id} of answer-${i}: x`);
        expect(visible).toContain(`fix ${id} of answer-${i}`);
      }
    }
    expect(visible).toContain(`… and ${300 - shown.length} more blocked systems: answer-${shown.length}, answer-${shown.length + 1},`);
    // The systems whose reasons do not fit are still named.
    for (let i = 0; i < 300; i++) expect(out).toMatch(new RegExp(`\\banswer-${i}\\b`));
    expect(leadText(out)).toMatch(/ownership blocks 300 systems: answer-0, answer-1, answer-2, … 297 more/);
  });

  it('drops passing detail before the explanations of failures', () => {
    const r = huge(12);
    const full = renderMarkdown(r, { limit: 10_000_000 });
    expect(full).toContain('<details><summary>All gates that do not block');
    const fitted = renderMarkdown(r, { limit: full.length - 1 });
    expect(fitted.length).toBeLessThan(full.length);
    expect(fitted).not.toContain('All gates that do not block');
    for (let i = 0; i < 12; i++) expect(fitted).toContain(`fix signoffs of answer-${i}`);
  });
});

describe('renderMarkdown of an evaluated report', () => {
  it('renders SPEC §2 under SPEC §3 with intact tables and the owning team', () => {
    const r = evaluate(makeInput({ policyYaml: SPEC_POLICY, systems: [{ manifestYaml: FULL_MANIFEST.replace('DG-2301', '<b>DG-2301</b> @boss') }] }));
    const out = renderMarkdown(r);
    const html = toHtml(out);
    expectTablesIntact(html);
    expectNeutral(out, html);
    expect(html).not.toContain('<b>DG-2301');
    expect(seen(html)).toContain('data-governance: requested (<b>DG-2301</b> @boss), waiting 18 days');
    expect(r.systems[0]!.owner).toBe('@acme/support-ml');
    expect(leadText(out)).toMatch(/signoffs fail: .* who acts: .*@acme\/data-gov/);
  });

  it('evalTable marks a gap whose interval lies over the limit', () => {
    const lines = evalTable([ROW]);
    expect(lines[2]).toBe('| accuracy (min) | 0.940 [0.924, 0.953] n=1000 | 0.0700 [0.0560, 0.0880] n=1000 | ❌ 0.870 [0.846, 0.889] | 0.0500 |');
    expect(evalTable([{ ...ROW, gapLower: 0.01 }])[2]).toContain('⚠️ 0.870');
  });
});
