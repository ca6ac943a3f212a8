/**
 * The blocks of a built score table, by query: each model's column is either held (a scorer
 * without a cache) or read back from that scorer's score log on access, where buildScoreTable put
 * it. A logged column keeps 40 bytes per query (the record's offset and key) instead of its
 * scores, so the raw table does not grow with the candidates per query; the records are in the
 * page cache after the build, and each read checks the record's key and checksum.
 */
import type { DocId, QueryId } from '../data/types';
import { SCORE_KEY_BYTES as KEY_BYTES, readScoreRecord } from './scoreLog';
import type { QueryScores } from './types';
import { MapView, ReadonlyMapBase } from '../data/mapView';


/** One model's column: its scores per query in memory, or where each query's record is in its log. */
export type StoredColumn =
  | { readonly kind: 'held'; readonly scores: readonly Float64Array[] }
  | { readonly kind: 'logged'; readonly path: string; readonly offsets: Float64Array; readonly keys: Uint8Array };

/** A logged column of `queries` records of the log at `path`, its offsets and keys filled by the builder. */
export function loggedColumn(path: string, queries: number): StoredColumn & { kind: 'logged' } {
  return { kind: 'logged', path, offsets: new Float64Array(queries).fill(NaN), keys: new Uint8Array(queries * KEY_BYTES) };
}

/** Records where query `i`'s chunk of a logged column is. */
export function setRecord(column: StoredColumn & { kind: 'logged' }, i: number, offset: number, key: Uint8Array): void {
  column.offsets[i] = offset;
  column.keys.set(key, i * KEY_BYTES);
}

/** The key of query `i`'s record in a logged column. */
export function recordKey(column: StoredColumn & { kind: 'logged' }, i: number): Uint8Array {
  return column.keys.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES);
}

/** Query → its block, in build order; logged columns are read on each `get`. */
export class StoredBlocks extends ReadonlyMapBase<QueryId, QueryScores> {
  private readonly positions: Map<QueryId, number>;

  constructor(
    private readonly queryIds: readonly QueryId[],
    private readonly candidates: ReadonlyMap<QueryId, readonly DocId[]>,
    private readonly columns: readonly StoredColumn[],
  ) {
    super();
    this.positions = new Map(queryIds.map((q, i) => [q, i]));
  }

  get size(): number {
    return this.queryIds.length;
  }

  has(queryId: QueryId): boolean {
    return this.positions.has(queryId);
  }

  /** Model `m`'s scores per query with the query's candidates, one record read per access (a run of one column reads no other). */
  column(m: number): ReadonlyMap<QueryId, { readonly docIds: readonly DocId[]; readonly scores: Float64Array }> {
    return new MapView<QueryId, number, { docIds: readonly DocId[]; scores: Float64Array }>(this.positions, (i, q) => {
      const docIds = this.candidates.get(q)!;
      return { docIds, scores: this.scoresOf(this.columns[m], i, q, docIds.length) };
    });
  }

  private scoresOf(c: StoredColumn, i: number, queryId: QueryId, n: number): Float64Array {
    if (c.kind === 'held') return c.scores[i];
    if (Number.isNaN(c.offsets[i])) throw new Error(`score table: query '${queryId}' has no record in ${c.path}`);
    return readScoreRecord({ path: c.path, offset: c.offsets[i], n, key: recordKey(c, i) });
  }

  get(queryId: QueryId): QueryScores | undefined {
    const i = this.positions.get(queryId);
    if (i === undefined) return undefined;
    const docIds = this.candidates.get(queryId)!;
    return { queryId, docIds, scores: this.columns.map((c) => this.scoresOf(c, i, queryId, docIds.length)) };
  }

  *keys(): IterableIterator<QueryId> {
    yield* this.queryIds;
  }
}
