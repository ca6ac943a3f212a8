/**
 * Scorers backed by precomputed TREC run files: the teacher and assistants of the embedded data are
 * real systems' runs. A run scores only its own top-k, so other candidates are NaN (missing).
 */
import { readTrecRun } from '../../data/trec';
import type { Collection, DocId, Query, QueryId, Run } from '../../data/types';
import { sha256File } from '../../io';
import type { Scorer } from '../types';

function entryTable(run: Run, value: (rank: number, score: number) => number): Map<QueryId, Map<DocId, number>> {
  const out = new Map<QueryId, Map<DocId, number>>();
  for (const [qid, entries] of run.byQuery) out.set(qid, new Map(entries.map((e) => [e.docId, value(e.rank, e.score)])));
  return out;
}

/** Looks up candidates in a per-query table; absent = NaN. */
function lookup(table: Map<QueryId, Map<DocId, number>>, query: Query, docIds: readonly DocId[]): Float64Array {
  const m = table.get(query.id);
  return Float64Array.from(docIds, (d) => m?.get(d) ?? NaN);
}

/** The run's own scores (missing = NaN). */
export class RunFileScorer implements Scorer {
  /** A run's score of a pair never depends on the rest of the collection. */
  readonly scope = 'pairs' as const;
  private readonly table: Map<QueryId, Map<DocId, number>>;
  constructor(readonly name: string, run: Run, readonly cacheKey?: string) {
    this.table = entryTable(run, (_rank, score) => score);
  }

  /** Loads a TREC run file (strict) and keys the cache by the file's content hash. */
  static async fromFile(path: string, name: string): Promise<RunFileScorer> {
    const { value } = await readTrecRun(path, { name });
    return new RunFileScorer(name, value, `run:${await sha256File(path)}`);
  }

  async score(query: Query, docIds: readonly DocId[], _collection?: Collection): Promise<Float64Array> {
    return lookup(this.table, query, docIds);
  }
}

/**
 * Only the rank order of a run whose score column is meaningless (RankGPT / RankVicuna reuse the
 * first-stage scores): score = −rank, using the file's rank column.
 */
export class RankOnlyScorer implements Scorer {
  /** A run's rank of a pair never depends on the rest of the collection. */
  readonly scope = 'pairs' as const;
  private readonly table: Map<QueryId, Map<DocId, number>>;
  constructor(readonly name: string, run: Run, readonly cacheKey?: string) {
    this.table = entryTable(run, (rank) => -rank);
  }

  /** Loads a TREC run file (strict); cache key = `rank:` + content hash. */
  static async fromFile(path: string, name: string): Promise<RankOnlyScorer> {
    const { value } = await readTrecRun(path, { name });
    return new RankOnlyScorer(name, value, `rank:${await sha256File(path)}`);
  }

  async score(query: Query, docIds: readonly DocId[], _collection?: Collection): Promise<Float64Array> {
    return lookup(this.table, query, docIds);
  }
}
