/**
 * Re-ranking candidate lists with a dense encoder: each query's candidates ordered by the dot
 * product of its embedding with theirs (passage embeddings encoded once, optionally cached). This
 * is how students are evaluated on pools and how held-out slices are monitored during training.
 */
import type { CandidateLists, Collection, DocId, QueryId, QuerySet, Run, RunEntry } from '../data/types';
import type { Encoder } from '../models/types';
import { encodeCorpus } from './encodeCorpus';
import { RunColumns } from '../data/runColumns';

/** Queries, their candidate lists and the passages' text. */
export interface CandidatePool {
  readonly queries: QuerySet;
  readonly candidates: CandidateLists;
  readonly collection: Collection;
}

/** Options of {@link rerankCandidates}. */
export interface RerankOptions {
  readonly name?: string;
  /** Folder caching passage embeddings (keyed by the model's weights and the texts). */
  readonly cacheDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Queries encoded at once by {@link forEachReranked}: bounds the query embeddings held, whatever the number of queries. */
export const RERANK_QUERY_CHUNK = 8192;

/**
 * Visits each of `queryIds` (in order) with its candidates that have text ranked by the encoder:
 * descending score, ties by descending docid as trec_eval orders them. Queries without text or
 * candidates are skipped. The passages are encoded once; the queries `queryChunk` at a time, so no
 * run and no embedding per query outlives its chunk (a pass over every training query each iteration).
 */
export async function forEachReranked(
  model: Encoder, pool: CandidatePool, queryIds: readonly QueryId[],
  visit: (queryId: QueryId, ranked: RunEntry[]) => void | Promise<void>, opts: RerankOptions & { readonly queryChunk?: number } = {},
): Promise<void> {
  const ids = queryIds.filter((q) => pool.candidates.byQuery.has(q) && pool.queries.queries.has(q));
  // Row of each candidate passage with text; a candidate without a row has none, and is left out.
  const row = new Map<DocId, number>();
  for (const q of ids) for (const d of pool.candidates.byQuery.get(q)!) if (!row.has(d) && pool.collection.passages.has(d)) row.set(d, row.size);
  const passages = [...row.keys()].map((d) => pool.collection.passages.get(d)!);
  const corpus = await encodeCorpus(model, passages, { cacheDir: opts.cacheDir, onProgress: opts.onProgress, batchSize: 512 });
  const p = corpus.matrix.data;
  const chunk = opts.queryChunk ?? RERANK_QUERY_CHUNK;
  for (let start = 0; start < ids.length; start += chunk) {
    const chunkIds = ids.slice(start, start + chunk);
    const q = await model.encode(chunkIds.map((id) => pool.queries.queries.get(id)!.text), 'query');
    const dim = q.dim;
    for (let qi = 0; qi < chunkIds.length; qi++) {
      const qv = q.data.subarray(qi * dim, (qi + 1) * dim);
      const entries: Array<{ docId: DocId; score: number; rank: number }> = [];
      for (const d of pool.candidates.byQuery.get(chunkIds[qi])!) {
        const at = row.get(d);
        if (at === undefined) continue;
        const r = at * dim;
        let s = 0;
        for (let k = 0; k < dim; k++) s += qv[k] * p[r + k];
        entries.push({ docId: d, score: s, rank: 0 });
      }
      entries.sort((a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0));
      entries.forEach((e, i) => (e.rank = i + 1));
      await visit(chunkIds[qi], entries);
    }
  }
}

/** The encoder's run over `queryIds` (see {@link forEachReranked}), held by column. */
export async function rerankCandidates(model: Encoder, pool: CandidatePool, queryIds: readonly QueryId[], opts: RerankOptions = {}): Promise<Run> {
  const byQuery = new RunColumns();
  await forEachReranked(model, pool, queryIds, (qid, ranked) => {
    for (const e of ranked) byQuery.push(qid, e.docId, e.score, e.rank);
  }, opts);
  return { name: opts.name ?? model.name, byQuery: byQuery.compact() };
}
