/**
 * Score tables and scorers: the currency between retrieval models (teacher, assistants, student)
 * and the distillation machinery. Missing scores are NaN, never 0.
 */
import type { Collection, DocId, Query, QueryId } from '../data/types';

/** What part a model plays in distillation. */
export type ModelRole = 'teacher' | 'assistant' | 'student';

/** A model column of a score table. */
export interface ModelColumn {
  readonly name: string;
  readonly role: ModelRole;
}

/** One query's block of a score table: `scores[m][j]` = model m's score of candidate j (NaN = missing). */
export interface QueryScores {
  readonly queryId: QueryId;
  readonly docIds: readonly DocId[];
  readonly scores: readonly Float64Array[];
}

/** Models × (query, candidate) scores. Model order is the order of `models`. */
export interface ScoreTable {
  readonly models: readonly ModelColumn[];
  readonly byQuery: ReadonlyMap<QueryId, QueryScores>;
}

/** Anything that scores a query's candidate passages (run files, BM25, a dense encoder, a hub model). */
export interface Scorer {
  readonly name: string;
  /** Content hash of what determines the scores (run file, weights, parameters); score tables are cached only for scorers that have one. */
  readonly cacheKey?: string;
  /**
   * What the scores depend on besides the model: `pairs` = only the query and the candidates'
   * own texts (dense, cross-encoder, run files), so a cached chunk survives edits elsewhere in
   * the collection; `collection` (default) = the whole collection (BM25's idf and lengths).
   */
  readonly scope?: 'pairs' | 'collection';
  /** Scores of `docIds` for `query`, aligned with `docIds`; NaN where the scorer has no score. */
  score(query: Query, docIds: readonly DocId[], collection: Collection): Promise<Float64Array>;
  /** Releases what the scorer holds (ONNX sessions, tensors); absent when it holds nothing. */
  dispose?(): Promise<void>;
}
