/**
 * Scorers backed by precomputed TREC run files: the teacher and assistants of the embedded data are
 * real systems' runs. A run scores only its own top-k, so other candidates are NaN (missing).
 */
import { readTrecRun } from '../../data/trec';
import type { Collection, DocId, Query, Run } from '../../data/types';
import { sha256File } from '../../io';
import type { Scorer } from '../types';

/**
 * Looks up candidates in the run's own entries of the query; absent = NaN. The lookup table is
 * built per call and dropped: a table of every query kept beside the run doubled its memory
 * (5 runs × 100 entries per MS MARCO training query).
 */
function lookup(run: Run, value: (rank: number, score: number) => number, query: Query, docIds: readonly DocId[]): Float64Array {
  const entries = run.byQuery.get(query.id);
  if (!entries) return new Float64Array(docIds.length).fill(NaN);
  const m = new Map<DocId, number>();
  for (const e of entries) m.set(e.docId, value(e.rank, e.score));
  return Float64Array.from(docIds, (d) => m.get(d) ?? NaN);
}

const byScore = (_rank: number, score: number) => score;
const byRank = (rank: number) => -rank;

/** The run's own scores (missing = NaN). */
export class RunFileScorer implements Scorer {
  /** A run's score of a pair never depends on the rest of the collection. */
  readonly scope = 'pairs' as const;
  constructor(readonly name: string, private readonly run: Run, readonly cacheKey?: string) {}

  /** Loads a TREC run file (strict) and keys the cache by the file's content hash. */
  static async fromFile(path: string, name: string): Promise<RunFileScorer> {
    const { value } = await readTrecRun(path, { name });
    return new RunFileScorer(name, value, `run:${await sha256File(path)}`);
  }

  async score(query: Query, docIds: readonly DocId[], _collection?: Collection): Promise<Float64Array> {
    return lookup(this.run, byScore, query, docIds);
  }
}

/**
 * Only the rank order of a run whose score column is meaningless (RankGPT / RankVicuna reuse the
 * first-stage scores): score = −rank, using the file's rank column.
 */
export class RankOnlyScorer implements Scorer {
  /** A run's rank of a pair never depends on the rest of the collection. */
  readonly scope = 'pairs' as const;
  constructor(readonly name: string, private readonly run: Run, readonly cacheKey?: string) {}

  /** Loads a TREC run file (strict); cache key = `rank:` + content hash. */
  static async fromFile(path: string, name: string): Promise<RankOnlyScorer> {
    const { value } = await readTrecRun(path, { name });
    return new RankOnlyScorer(name, value, `rank:${await sha256File(path)}`);
  }

  async score(query: Query, docIds: readonly DocId[], _collection?: Collection): Promise<Float64Array> {
    return lookup(this.run, byRank, query, docIds);
  }
}
