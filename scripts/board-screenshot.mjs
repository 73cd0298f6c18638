// Opens the readiness board's HTML page in headless Chromium, checks that the funnel is drawn
// (one bar per stage, widths in proportion to the counts) and that the page loads nothing from
// the network, then saves docs/board.png for the README. Not run in CI (needs Chromium):
//   node scripts/board-screenshot.mjs [--cli /tmp/lm-dist-S/cli/index.js] [--chromium chromium]
// The board rendered is test/fixtures/board/sample.json, written by the board e2e test
// (LASTMILE_BOARD_SAMPLE=<path>).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { cli: { type: 'string' }, chromium: { type: 'string' }, out: { type: 'string' } } });
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cli = values.cli ?? path.join(root, 'dist', 'cli', 'index.js');
const chromium = values.chromium ?? 'chromium';
const out = values.out ?? path.join(root, 'docs', 'board.png');
const tmp = mkdtempSync(path.join(tmpdir(), 'lm-board-shot-'));
try {
  const html = path.join(tmp, 'board.html');
  execFileSync(process.execPath, [cli, 'board', 'merge', path.join(root, 'test', 'fixtures', 'board', 'sample.json'), '--html', html]);
  const page = readFileSync(html, 'utf8');
  if (/\b(?:src|href)=["']?https?:/i.test(page)) throw new Error('the page refers to the network');
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${path.join(tmp, 'profile')}`];
  // The DOM after the page's script ran: the funnel's bars as Chromium laid them out.
  const dom = execFileSync(chromium, [...flags, '--dump-dom', `file://${html}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const bars = [...dom.matchAll(/<rect[^>]*width="(\d+)"[^>]*data-stage="([^"]+)" data-count="(\d+)"/g)].map((m) => ({ width: Number(m[1]), stage: m[2], count: Number(m[3]) }));
  const stages = bars.map((b) => b.stage).join(',');
  if (stages !== 'declared,pilot,staging,production') throw new Error(`funnel bars: expected declared,pilot,staging,production, found ${stages || 'none'}`);
  const max = Math.max(...bars.map((b) => b.count));
  for (const b of bars) if (b.count > 0 && Math.abs(b.width - Math.round((b.count / max) * 400)) > 1) throw new Error(`bar ${b.stage}: width ${b.width} for ${b.count} of ${max}`);
  if (!/<table class="sortable" id="systems">/.test(dom)) throw new Error('the systems table is missing');
  execFileSync(chromium, [...flags, '--hide-scrollbars', '--window-size=1280,900', `--screenshot=${out}`, `file://${html}`], { stdio: 'ignore' });
  console.log(`funnel drawn: ${bars.map((b) => `${b.stage} ${b.count}`).join(', ')}; screenshot ${path.relative(root, out)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
