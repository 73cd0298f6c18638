// The board as a whole: which repositories (a list or an owner's), the shard, a bounded pool of
// repositories in flight, "blocked since" carried over from a previous board, merging shards,
// and the approver queues derived from the open requests.
import { createHash } from 'node:crypto';
import type { GitHub } from '../../github/client';
import { collectRepository } from '../../collect/board/collect';
import { timeBudgetReason } from '../../collect/board/fetch';
import type { CollectOptions, RepoRows } from '../../collect/board/collect';
import { BOARD_SCHEMA_ID, boardSchema } from '../../model/board-schema';
import type { Board } from '../../model/board-schema';

/** Stable slice: a repository belongs to shard `1 + (sha1(lower-case name) mod n)`. */
export function shardOf(repository: string, count: number): number {
  const h = createHash('sha1').update(repository.toLowerCase()).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function parseShard(text: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

export interface BuildOptions extends CollectOptions {
  repositories: string[];
  shard?: { index: number; count: number };
  concurrency: number;
  previous?: Board;
}

export async function buildBoard(gh: GitHub, o: BuildOptions): Promise<Board> {
  const mine = [...new Set(o.repositories)].filter((r) => !o.shard || shardOf(r, o.shard.count) === o.shard.index);
  const rows: RepoRows[] = new Array(mine.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < mine.length) {
      const i = next++;
      // Past the run's time budget a repository is not started, but listed with the reason.
      rows[i] =
        o.time && Date.now() >= o.time.at
          ? { repository: { repository: mine[i]!, status: 'not evaluated', reason: timeBudgetReason(o.time), requests: 0, branches: [] }, systems: [], requests: [] }
          : await collectRepository(gh, mine[i]!, o);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, mine.length)) }, worker));
  const board = assemble(rows, o.now.toISOString(), o.shard);
  return o.previous ? carrySince(board, o.previous) : board;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function assemble(rows: RepoRows[], generatedAt: string, shard?: Board['shard']): Board {
  const board: Board = {
    schema: BOARD_SCHEMA_ID,
    generatedAt,
    ...(shard ? { shard } : {}),
    repositories: rows.map((r) => r.repository),
    systems: rows.flatMap((r) => r.systems),
    requests: rows.flatMap((r) => r.requests),
  };
  return sortBoard(board);
}

/** One order for every board, so that merged shards equal the unsharded board. */
function sortBoard(b: Board): Board {
  b.repositories.sort((x, y) => natural.compare(x.repository, y.repository));
  b.systems.sort((x, y) => natural.compare(x.repository, y.repository) || natural.compare(x.system, y.system));
  b.requests.sort((x, y) => natural.compare(x.repository, y.repository) || natural.compare(x.system, y.system) || natural.compare(x.kind, y.kind) || natural.compare(x.ticket ?? '', y.ticket ?? ''));
  return b;
}

/** A system blocked in the previous board too has been blocked at least since that board said. */
export function carrySince(board: Board, previous: Board): Board {
  const before = new Map(previous.systems.map((s) => [`${s.repository}\u0000${s.system}`, s]));
  for (const s of board.systems) {
    if (s.blocking.length === 0) continue;
    const p = before.get(`${s.repository}\u0000${s.system}`);
    if (!p || p.blocking.length === 0) continue;
    const date = p.since?.date ?? previous.generatedAt.slice(0, 10);
    if (!s.since || date < s.since.date) s.since = { date, source: 'previous board' };
  }
  return board;
}

/** Joins shards (validated against the board schema) into one board. */
export function mergeBoards(shards: unknown[], sources: string[]): Board {
  const parsed = shards.map((s, i) => {
    const r = boardSchema().safeParse(s);
    if (!r.success) throw new Error(`${sources[i]} is not a board JSON: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
    return r.data;
  });
  const seen = new Set<string>();
  for (const b of parsed) {
    for (const r of b.repositories) {
      if (seen.has(r.repository)) throw new Error(`${r.repository} is in more than one shard`);
      seen.add(r.repository);
    }
  }
  const generatedAt = parsed.map((b) => b.generatedAt).sort().at(-1) ?? new Date().toISOString();
  return sortBoard({
    schema: BOARD_SCHEMA_ID,
    generatedAt,
    repositories: parsed.flatMap((b) => b.repositories),
    systems: parsed.flatMap((b) => b.systems),
    requests: parsed.flatMap((b) => b.requests),
  });
}

