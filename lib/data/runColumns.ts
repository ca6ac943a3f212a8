/**
 * A run's entries stored by column: per query, its doc ids, scores and ranks in three arrays,
 * instead of one `{docId, score, rank}` object per entry. Measured on five depth-20 run files of
 * 20k training queries (2M entries): 111 bytes of heap per entry as objects. MS MARCO's training
 * runs at top 100 hold 50M entries per system, so the object form alone would need ~28 GB for the
 * five systems of configs/msmarco-full.json. The Map interface is the Run's (`byQuery`): `get`
 * hands out a fresh `RunEntry[]` for the caller to use and drop.
 */
import type { DocId, QueryId, RunEntry } from './types';
import { ReadonlyMapBase } from './mapView';

interface QueryColumns {
  docIds: DocId[];
  scores: number[];
  ranks: number[];
}

/** Per query, its entries in columns; reads as `ReadonlyMap<QueryId, readonly RunEntry[]>`. */
export class RunColumns extends ReadonlyMapBase<QueryId, readonly RunEntry[]> {
  private readonly columns = new Map<QueryId, QueryColumns>();

  /** Appends one entry to `qid`'s list (file order is kept). */
  push(qid: QueryId, docId: DocId, score: number, rank: number): void {
    let c = this.columns.get(qid);
    if (!c) {
      c = { docIds: [], scores: [], ranks: [] };
      this.columns.set(qid, c);
    }
    c.docIds.push(docId);
    c.scores.push(score);
    c.ranks.push(rank);
  }

  /** Replaces `qid`'s list by a packed copy of `entries`. */
  set(qid: QueryId, entries: readonly RunEntry[]): this {
    this.columns.set(qid, {
      docIds: entries.map((e) => e.docId), scores: entries.map((e) => e.score), ranks: entries.map((e) => e.rank),
    });
    return this;
  }

  /** Doc ids of `qid`'s entries in order (shared: do not modify). */
  docIdsOf(qid: QueryId): readonly DocId[] | undefined {
    return this.columns.get(qid)?.docIds;
  }

  /**
   * Trims every list's spare capacity (arrays grow by half again as they fill): call once the
   * last entry is in.
   */
  compact(): this {
    for (const c of this.columns.values()) {
      c.docIds = c.docIds.slice();
      c.scores = c.scores.slice();
      c.ranks = c.ranks.slice();
    }
    return this;
  }

  get size(): number {
    return this.columns.size;
  }

  has(qid: QueryId): boolean {
    return this.columns.has(qid);
  }

  get(qid: QueryId): readonly RunEntry[] | undefined {
    const c = this.columns.get(qid);
    return c && entriesOf(c);
  }

  keys(): IterableIterator<QueryId> {
    return this.columns.keys();
  }
}

function entriesOf(c: QueryColumns): RunEntry[] {
  const out: RunEntry[] = new Array(c.docIds.length);
  for (let i = 0; i < out.length; i++) out[i] = { docId: c.docIds[i], score: c.scores[i], rank: c.ranks[i] };
  return out;
}
