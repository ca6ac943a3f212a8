/**
 * Re-ranking candidate lists with a dense encoder: each query's candidates ordered by the dot
 * product of its embedding with theirs (passage embeddings encoded once, optionally cached). This
 * is how students are evaluated on pools and how held-out slices are monitored during training.
 */
import type { CandidateLists, Collection, DocId, QueryId, QuerySet, Run } from '../data/types';
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

/**
 * The encoder's run over `queryIds`: each query's candidates (those with text) by descending
 * score, ties by descending docid as trec_eval orders them. Queries without text or candidates are left out.
 */
export async function rerankCandidates(model: Encoder, pool: CandidatePool, queryIds: readonly QueryId[], opts: RerankOptions = {}): Promise<Run> {
  const ids = queryIds.filter((q) => pool.candidates.byQuery.has(q) && pool.queries.queries.has(q));
  const lists = new Map(ids.map((q) => [q, pool.candidates.byQuery.get(q)!.filter((d) => pool.collection.passages.has(d))]));
  const docIds = [...new Set([...lists.values()].flat())];
  const passages = docIds.map((d) => pool.collection.passages.get(d)!);
  const corpus = await encodeCorpus(model, passages, { cacheDir: opts.cacheDir, onProgress: opts.onProgress, batchSize: 512 });
  const q = await model.encode(ids.map((id) => pool.queries.queries.get(id)!.text), 'query');
  const row = new Map<DocId, number>(docIds.map((d, i) => [d, i]));
  const dim = q.dim;
  const p = corpus.matrix.data;
  // Columns, not entry objects: this re-ranks every training query's candidates each iteration.
  const byQuery = new RunColumns();
  ids.forEach((qid, qi) => {
    const qv = q.data.subarray(qi * dim, (qi + 1) * dim);
    const entries = lists.get(qid)!.map((d) => {
      const r = row.get(d)! * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += qv[k] * p[r + k];
      return { docId: d, score: s, rank: 0 };
    });
    entries.sort((a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0));
    entries.forEach((e, i) => byQuery.push(qid, e.docId, e.score, i + 1));
  });
  return { name: opts.name ?? model.name, byQuery: byQuery.compact() };
}
