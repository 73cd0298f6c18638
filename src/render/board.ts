// The board as Markdown (a pinned issue, a job summary) and as one self-contained HTML page
// (no network: inline style and script, a sortable table and a funnel by stage).
import { md } from '../lib/escape';
import { dayNumber } from '../lib/dates';
import type { Board, BoardSystem } from '../model/board-schema';

/** Text in the HTML page: entities only (the page is opened from a file, not rendered by GitHub). */
function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function daysSince(date: string, generatedAt: string): number {
  return dayNumber(generatedAt.slice(0, 10)) - dayNumber(date);
}

function blockedText(s: BoardSystem): string {
  if (s.blocking.length === 0) return '';
  const first = s.blocking.slice(0, 3).map((b) => `${b.gate}: ${b.reason}`);
  return first.join('; ') + (s.blocking.length > 3 ? `; and ${s.blocking.length - 3} more` : '');
}

function sinceText(s: BoardSystem, at: string): string {
  return s.since ? `${s.since.date} (${daysSince(s.since.date, at)} d, ${s.since.source})` : '';
}

function overdueText(s: BoardSystem): string {
  return (s.overdue ?? []).map((o) => `${o.kind} ${o.age_days} d > SLA ${o.sla_days} d${o.escalate ? `, escalate to ${o.escalate}` : ''}`).join('; ');
}

export function renderMarkdown(b: Board): string {
  const f = funnel(b);
  const out: string[] = [];
  out.push(`## Last Mile readiness board`, '');
  out.push(`${b.systems.length} AI systems in ${b.repositories.filter((r) => r.status === 'evaluated').length} repositories · ${f.map((x) => `${x.stage}: ${x.count}`).join(' → ')} · generated ${b.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  if (b.systems.length > 0) {
    out.push('| Repository | System | Owner | Stage reached | Target | Blocked by | Blocked since | Over SLA |', '|---|---|---|---|---|---|---|---|');
    for (const s of b.systems) {
      out.push(`| ${md(s.repository)} | ${md(s.system)} | ${md(s.owner ?? '')} | ${md(s.stage)} | ${md(s.target)} | ${md(blockedText(s)) || 'ready'} | ${md(sinceText(s, b.generatedAt))} | ${md(overdueText(s))} |`);
    }
    out.push('');
  }
  const qs = queues(b);
  if (qs.length > 0) {
    out.push('### Sign-off queues', '', '| Approver | Open requests | Median age (days) | Over SLA |', '|---|---|---|---|');
    for (const q of qs) out.push(`| ${md(q.approver)} | ${q.open} | ${q.medianAgeDays ?? ''} | ${q.overSla} |`);
    out.push('');
  }
  const others = b.repositories.filter((r) => r.status !== 'evaluated');
  if (others.length > 0) {
    out.push('### Repositories without a row', '');
    for (const r of others) out.push(`- ${md(r.repository)}: ${r.status}${r.reason ? ` (${md(r.reason)})` : ''}`);
    out.push('');
  }
  return out.join('\n');
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328}h1{font-size:20px}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.pass{color:#1a7f37}.fail{color:#cf222e}#funnel rect{fill:#0969da}#funnel text{font-size:12px}`;

const SCRIPT = `document.querySelectorAll('table.sortable').forEach(function(t){
t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});
th.setAttribute('aria-sort',asc?'ascending':'descending');var body=t.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent,y=b.cells[i].getAttribute('data-v')||b.cells[i].textContent;
var nx=Number(x),ny=Number(y);var c=(!isNaN(nx)&&!isNaN(ny)&&x!==''&&y!=='')?nx-ny:x.localeCompare(y,undefined,{numeric:true});return asc?c:-c});
rows.forEach(function(r){body.appendChild(r)})})})});`;

const STAGE_RANK: Record<string, number> = { none: 0, pilot: 1, staging: 2, production: 3 };

export function renderHtml(b: Board): string {
  const h = htmlText;
  const f = funnel(b);
  const max = Math.max(1, ...f.map((x) => x.count));
  const bars = f
    .map((x, i) => `<g><text x="0" y="${i * 30 + 17}">${h(x.stage)}</text><rect x="80" y="${i * 30 + 4}" width="${Math.max(2, Math.round((x.count / max) * 400))}" height="20" data-stage="${h(x.stage)}" data-count="${x.count}"></rect><text x="${88 + Math.round((x.count / max) * 400)}" y="${i * 30 + 18}">${x.count}</text></g>`)
    .join('');
  const rows = b.systems
    .map((s) => {
      const days = s.since ? daysSince(s.since.date, b.generatedAt) : '';
      return `<tr><td>${h(s.repository)}</td><td>${h(s.system)}</td><td>${h(s.owner ?? '')}</td><td data-v="${STAGE_RANK[s.stage] ?? 0}" class="${s.blocking.length ? 'fail' : 'pass'}">${h(s.stage)}</td><td>${h(s.target)}</td><td>${h(blockedText(s)) || 'ready'}</td><td data-v="${days}">${h(sinceText(s, b.generatedAt))}</td><td>${h(overdueText(s))}</td></tr>`;
    })
    .join('\n');
  const qs = queues(b)
    .map((q) => `<tr><td>${h(q.approver)}</td><td>${q.open}</td><td>${q.medianAgeDays ?? ''}</td><td>${q.overSla}</td></tr>`)
    .join('\n');
  const others = b.repositories
    .filter((r) => r.status !== 'evaluated')
    .map((r) => `<li>${h(r.repository)}: ${h(r.status)}${r.reason ? ` (${h(r.reason)})` : ''}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Last Mile readiness board</title><style>${CSS}</style></head><body>
<h1>Last Mile readiness board</h1>
<p>${b.systems.length} AI systems · generated ${h(b.generatedAt)}</p>
<h2>Systems by stage reached</h2>
<svg id="funnel" width="560" height="${f.length * 30 + 8}" role="img" aria-label="funnel of systems by stage reached">${bars}</svg>
<h2>Systems</h2>
<table class="sortable" id="systems"><thead><tr><th>Repository</th><th>System</th><th>Owner</th><th>Stage reached</th><th>Target</th><th>Blocked by</th><th>Blocked since</th><th>Over SLA</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Sign-off queues</h2>
<table class="sortable" id="queues"><thead><tr><th>Approver</th><th>Open requests</th><th>Median age (days)</th><th>Over SLA</th></tr></thead><tbody>
${qs}
</tbody></table>
${others ? `<h2>Repositories without a row</h2><ul>${others}</ul>` : ''}
<script>${SCRIPT}</script>
</body></html>
`;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface Queue {
  approver: string;
  open: number;
  medianAgeDays?: number;
  overSla: number;
}

/** Per approver (user, team or permission as the policy writes it): its open sign-off requests. */
export function queues(b: Board): Queue[] {
  const by = new Map<string, { ages: number[]; open: number; over: number }>();
  for (const r of b.requests) {
    for (const a of r.approvers) {
      const q = by.get(a) ?? { ages: [], open: 0, over: 0 };
      q.open++;
      if (r.age_days !== undefined) q.ages.push(r.age_days);
      if (r.age_days !== undefined && r.sla_days !== undefined && r.age_days > r.sla_days) q.over++;
      by.set(a, q);
    }
  }
  return [...by.entries()]
    .map(([approver, q]) => ({ approver, open: q.open, ...(q.ages.length > 0 ? { medianAgeDays: median(q.ages) } : {}), overSla: q.over }))
    .sort((x, y) => y.open - x.open || natural.compare(x.approver, y.approver));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Systems whose stage reached is at least each stage: the funnel. */
export function funnel(b: Board): { stage: string; count: number }[] {
  const order = ['pilot', 'staging', 'production'];
  const rank = (s: string): number => order.indexOf(s);
  return [
    { stage: 'declared', count: b.systems.length },
    ...order.map((stage) => ({ stage, count: b.systems.filter((s) => rank(s.stage) >= rank(stage)).length })),
  ];
}
