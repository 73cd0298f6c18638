// "What changed since the last run": the previous run's state rides in the comment itself.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Report } from '../model/report';

export interface RunState {
  v: 1;
  /** `system/gate` → outcome */
  g: Record<string, string>;
  /** `system/metric/source` → value */
  m: Record<string, number>;
}

export function stateOf(r: Report): RunState {
  const g: Record<string, string> = {};
  const m: Record<string, number> = {};
  for (const x of r.repositoryGates) g[`/${x.id}`] = x.outcome;
  for (const s of r.systems) {
    for (const x of s.gates) g[`${s.system}/${x.id}`] = x.outcome;
    for (const row of s.evalTable ?? []) {
      if (row.curated && Number.isFinite(row.curated.value)) m[`${s.system}/${row.metric}/curated`] = round(row.curated.value);
      if (row.production && Number.isFinite(row.production.value)) m[`${s.system}/${row.metric}/production-sample`] = round(row.production.value);
    }
  }
  return { v: 1, g, m };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export interface Change {
  key: string;
  from: string;
  to: string;
  kind: 'gate' | 'metric';
  better: boolean;
}

const GOOD = new Set(['pass', 'waived', 'skipped']);

export function diffStates(prev: RunState | undefined, next: RunState): Change[] {
  if (!prev) return [];
  const out: Change[] = [];
  for (const [k, to] of Object.entries(next.g)) {
    const from = prev.g[k];
    if (from !== undefined && from !== to) out.push({ key: k, from, to, kind: 'gate', better: GOOD.has(to) && !GOOD.has(from) });
    if (from === undefined) out.push({ key: k, from: 'absent', to, kind: 'gate', better: GOOD.has(to) });
  }
  for (const k of Object.keys(prev.g)) if (next.g[k] === undefined) out.push({ key: k, from: prev.g[k]!, to: 'removed', kind: 'gate', better: true });
  for (const [k, to] of Object.entries(next.m)) {
    const from = prev.m[k];
    if (from !== undefined && Math.abs(from - to) >= 0.0005) out.push({ key: k, from: String(from), to: String(to), kind: 'metric', better: to > from });
  }
  return out;
}

const STATE_RE = /<!-- last-mile:state ([A-Za-z0-9+/=]+) -->/;

/** What the comment carries: this run's state and the one it was compared with. */
interface CommentState {
  cur: RunState;
  prev?: RunState;
}

// Deflated: the state of hundreds of systems must leave room for the report in 65,536 characters.
function encode(s: CommentState): string {
  return `<!-- last-mile:state ${deflateRawSync(Buffer.from(JSON.stringify(s))).toString('base64')} -->`;
}

function isRunState(v: unknown): v is RunState {
  const r = v as RunState | undefined;
  return !!r && r.v === 1 && typeof r.g === 'object' && r.g !== null && typeof r.m === 'object' && r.m !== null;
}

export function decodeState(body: string | undefined): CommentState | undefined {
  const m = body ? STATE_RE.exec(body) : null;
  if (!m) return undefined;
  try {
    const v = JSON.parse(inflateRawSync(Buffer.from(m[1]!, 'base64')).toString('utf8')) as CommentState;
    if (!isRunState(v.cur)) return undefined;
    return { cur: v.cur, ...(isRunState(v.prev) ? { prev: v.prev } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Changes to show and the state to embed. A rerun with nothing new keeps the previous
 * comparison, so its comment body is byte-identical and is not written again.
 */
export function commentState(previousBody: string | undefined, r: Report): { changes: Change[]; trailer: string } {
  const next = stateOf(r);
  const old = decodeState(previousBody);
  if (old && JSON.stringify(old.cur) === JSON.stringify(next)) {
    return { changes: diffStates(old.prev, next), trailer: encode(old) };
  }
  return { changes: diffStates(old?.cur, next), trailer: encode({ cur: next, ...(old ? { prev: old.cur } : {}) }) };
}
