/**
 * A corpus encoded in shards: `mta4dpr encode --shard i/n` embeds the i-th contiguous slice of the
 * passages as an independent job (on as many machines as a user has), and search merges the
 * shards' top k per query. Merging keeps one shard's matrix in memory at a time, and gives exactly
 * the single-matrix result: hits by score descending, ties by global row (shard order, then row).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { QueryId, Run } from '../data/types';
import type { EmbeddingMatrix } from '../models/types';
import { readNpy } from './npy';
import { exactTopK, type TopKHits } from './topk';

/** Shard `index` of `count` (0-based), as `--shard i/n` gives it. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n` (0 ≤ i < n), or throws naming the value. */
export function parseShard(value: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new Error(`--shard must be i/n with 0 <= i < n (e.g. 0/4), got '${value}'`);
  return { index, count };
}

/** The rows [start, end) of shard `s` over `rows` rows: contiguous, sizes differing by at most one. */
export function shardRange(rows: number, s: ShardSpec): { start: number; end: number } {
  return { start: Math.floor((s.index * rows) / s.count), end: Math.floor(((s.index + 1) * rows) / s.count) };
}

/** The ids file beside an embeddings file (`X.npy` → `X.ids.txt`), as `encode` writes it. */
export function idsPathOf(npyPath: string): string {
  return `${npyPath.replace(/\.npy$/, '')}.ids.txt`;
}

/** The run of exact top `k` passages of every query over the shards in order (one shard in memory at a time). */
export function searchShards(name: string, queryIds: readonly QueryId[], queries: EmbeddingMatrix, shardPaths: readonly string[], k: number): Run {
  const best = Array.from({ length: queries.rows }, () => [] as Array<{ id: string; score: number; row: number }>);
  let offset = 0;
  for (const path of shardPaths) {
    const idsPath = idsPathOf(path);
    if (!existsSync(idsPath)) throw new Error(`${path}: its ids file ${idsPath} is missing (encode writes both)`);
    const matrix = readNpy(path);
    const ids = readFileSync(idsPath, 'utf8').split('\n').slice(0, -1);
    if (ids.length !== matrix.rows) throw new Error(`${path}: ${matrix.rows} rows but ${ids.length} ids in ${idsPath}`);
    if (matrix.dim !== queries.dim) throw new Error(`${path}: dim ${matrix.dim}, the queries' is ${queries.dim}`);
    const hits: TopKHits[] = matrix.rows === 0 ? [] : exactTopK(queries, matrix, k);
    hits.forEach((h, q) => {
      const merged = best[q]!;
      for (let j = 0; j < h.indices.length; j++) merged.push({ id: ids[h.indices[j]!]!, score: h.scores[j]!, row: offset + h.indices[j]! });
      merged.sort((a, b) => b.score - a.score || a.row - b.row);
      merged.length = Math.min(merged.length, k);
    });
    offset += matrix.rows;
  }
  return { name, byQuery: new Map(queryIds.map((q, i) => [q, best[i]!.map((e, r) => ({ docId: e.id, score: e.score, rank: r + 1 }))])) };
}
