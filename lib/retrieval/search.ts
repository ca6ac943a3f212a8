/**
 * Dense retrieval into a Run: encode queries, exact (or HNSW) top-k over an encoded corpus.
 */
import { RunColumns } from '../data/runColumns';
import type { Run } from '../data/types';
import type { Encoder, EmbeddingMatrix } from '../models/types';
import { exactTopK, type TopKHits } from './topk';

/** Anything that returns the top-k corpus rows of each query row. */
export interface VectorIndex {
  search(queries: EmbeddingMatrix, k: number): TopKHits[] | Promise<TopKHits[]>;
}

/** The exact inner-product index over an in-memory matrix. */
export function exactIndex(corpus: EmbeddingMatrix, chunkRows?: number): VectorIndex {
  return { search: (q, k) => exactTopK(q, corpus, k, { chunkRows }) };
}

/** Turns top-k hits into a Run (rank 1 = best). */
export function hitsToRun(name: string, queryIds: readonly string[], hits: readonly TopKHits[], docIds: readonly string[]): Run {
  // Columns: mining searches for every got-wrong training query, the test runs are top 1,000.
  const byQuery = new RunColumns();
  queryIds.forEach((qid, i) => {
    const h = hits[i];
    h.indices.forEach((row, r) => byQuery.push(qid, docIds[row], h.scores[r], r + 1));
  });
  return { name, byQuery: byQuery.compact() };
}

/** Options of {@link searchToRun}. */
export interface SearchToRunOptions {
  readonly k?: number;
  readonly name?: string;
  /** Defaults to exact search over `corpus.matrix`. */
  readonly index?: VectorIndex;
}

/** Encodes the queries and retrieves the top k passages of each into a Run. */
export async function searchToRun(
  encoder: Encoder,
  queries: ReadonlyArray<{ id: string; text: string }>,
  corpus: { ids: readonly string[]; matrix: EmbeddingMatrix },
  opts: SearchToRunOptions = {},
): Promise<Run> {
  const q = await encoder.encode(queries.map((x) => x.text), 'query');
  const index = opts.index ?? exactIndex(corpus.matrix);
  const hits = await index.search(q, opts.k ?? 100);
  return hitsToRun(opts.name ?? encoder.name, queries.map((x) => x.id), hits, corpus.ids);
}
