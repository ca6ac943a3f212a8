/**
 * A run whose entries stay in its file: the reading pass validates every line as readTrecRun does
 * and keeps, per query, the byte range of its lines (~70 bytes per query, whatever the depth);
 * `get` reads that range again and parses it. MS MARCO's five top-100 training runs held by column
 * need ~9 GB (37 bytes per entry); as ranges, ~180 MB. A run file changed under a running experiment
 * is an error naming it, never other entries: every read checks that the range holds exactly the
 * query's lines and entry count seen when indexing, and every 256th read also the file's size and
 * modification time (an fstat per read was 15% of building a split's candidates). Its entries hold
 * the doc ids as parsed, not interned (`internDocId` applies to held runs): interning on every read
 * was 18% of building candidates at 100k queries, and the one list that keeps them, the split's
 * candidates, shares the collection's id strings itself (assembleSplit).
 */
import { readAt, readerStat } from '../io/readers';
import { ReadonlyMapBase } from './mapView';
import { readPlacedLines } from '../io/lines';
import type { DocId, Loaded, QueryId, Run, RunEntry } from './types';
import { LoadReporter } from './validate';
import { defaultName, duplicateReason, finishRun, parseRunLine, rankColumnDisagreements, type RunLoadReport, type TrecReadOptions } from './trec';

/** Byte ranges of each query's lines in a run file; reads as `ReadonlyMap<QueryId, readonly RunEntry[]>`. */
export class RunIndex extends ReadonlyMapBase<QueryId, readonly RunEntry[]> {
  private readonly positions = new Map<QueryId, number>();
  private starts = new Float64Array(1024);
  private ends = new Float64Array(1024);
  /** Entries of each query (all its ranges), as the reading pass kept them. */
  private counts = new Int32Array(1024);
  private reads = 0;
  /** Later ranges of a query whose lines are not all together (rare: runs list a query's lines together). */
  private readonly moreRanges = new Map<number, Array<[number, number]>>();
  private stamp: { size: number; mtimeMs: number } | undefined;

  constructor(readonly path: string) {
    super();
  }

  /** Adds the byte range [start, end) of `qid`'s lines; true when the query is new. */
  addRange(qid: QueryId, start: number, end: number): boolean {
    const at = this.positions.get(qid);
    if (at !== undefined) {
      this.moreRanges.set(at, [...(this.moreRanges.get(at) ?? []), [start, end]]);
      return false;
    }
    const i = this.positions.size;
    if (i === this.starts.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(a.length * 2); b.set(a); return b; };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.counts = grow(this.counts);
    }
    this.starts[i] = start;
    this.ends[i] = end;
    this.positions.set(qid, i);
    return true;
  }

  /** Adds `n` entries to `qid`'s count (the reading pass, as it keeps them). */
  count(qid: QueryId, n: number): void {
    this.counts[this.positions.get(qid)!] += n;
  }

  /** Ends the reading pass: the file as it is now is the one every later read must find. */
  seal(): this {
    this.stamp = readerStat(this.path);
    this.starts = this.starts.slice(0, this.positions.size);
    this.ends = this.ends.slice(0, this.positions.size);
    this.counts = this.counts.slice(0, this.positions.size);
    return this;
  }

  get size(): number {
    return this.positions.size;
  }

  has(qid: QueryId): boolean {
    return this.positions.has(qid);
  }

  get(qid: QueryId): readonly RunEntry[] | undefined {
    const i = this.positions.get(qid);
    if (i === undefined) return undefined;
    const changed = (why: string) => new Error(`${this.path}: the run file changed since it was read (${why}); rerun to read it again`);
    if (this.stamp && this.reads++ % 256 === 0) {
      const now = readerStat(this.path);
      if (now.size !== this.stamp.size) throw changed(`${this.stamp.size} → ${now.size} bytes`);
      if (now.mtimeMs !== this.stamp.mtimeMs) throw changed(`modified at ${new Date(now.mtimeMs).toISOString()}`);
    }
    const out: RunEntry[] = [];
    const seen = new Set<DocId>();
    for (const [start, end] of [[this.starts[i], this.ends[i]] as [number, number], ...(this.moreRanges.get(i) ?? [])]) {
      for (const text of readAt(this.path, start, end - start).toString('utf8').split('\n')) {
        // The same rules as the reading pass (a trailing \r is whitespace to it): its skipped lines, reported then, are skipped again.
        const r = parseRunLine(text);
        if (r === undefined || 'error' in r) continue;
        if (r.qid !== qid) throw changed(`query ${qid}'s lines hold one of query ${r.qid}`);
        if (seen.has(r.docId)) continue;
        seen.add(r.docId);
        out.push({ docId: r.docId, score: r.score, rank: r.rank });
      }
    }
    if (this.stamp && out.length !== this.counts[i]) throw changed(`query ${qid} has ${out.length} entries, ${this.counts[i]} when read`);
    return out;
  }

  *keys(): IterableIterator<QueryId> {
    yield* this.positions.keys();
  }
}

/** readTrecRun with `onDisk`: the same checks, skips and report, the entries left in the file. */
export async function readIndexedTrecRun(path: string, opts: TrecReadOptions = {}): Promise<Loaded<Run> & { report: RunLoadReport }> {
  const problems = new LoadReporter(path, opts.strict ?? true);
  const index = new RunIndex(path);
  let records = 0;
  let tiedQueries = 0;
  let rankInversions = 0;
  // The query being read: its first line's offset, its last line's end, its entries (for the
  // duplicate check and the rank-column notes).
  let current: { qid: QueryId; start: number; end: number; lines: Map<DocId, number>; entries: RunEntry[] } | undefined;
  // The rank-column notes of each query's first stretch; a query met again is counted over all its lines at the end.
  const firstStretch = new Map<QueryId, { tiedQueries: number; rankInversions: number }>();
  const reopened = new Set<QueryId>();
  const close = () => {
    if (!current) return;
    const isNew = index.addRange(current.qid, current.start, current.end);
    index.count(current.qid, current.entries.length);
    if (!isNew) reopened.add(current.qid);
    else {
      const d = rankColumnDisagreements(new Map([[current.qid, current.entries]]));
      tiedQueries += d.tiedQueries;
      rankInversions += d.rankInversions;
      if (d.tiedQueries + d.rankInversions > 0) firstStretch.set(current.qid, d);
    }
  };
  for await (const { line, text, start, end } of readPlacedLines(path)) {
    const r = parseRunLine(text);
    if (r === undefined) {
      if (current) current.end = end;
      continue;
    }
    if ('error' in r) {
      problems.skip(line, r.error);
      if (current) current.end = end;
      continue;
    }
    if (current?.qid !== r.qid) {
      close();
      // A query met again further down: its earlier entries come back without their line numbers.
      const earlier = (index.get(r.qid) ?? []).map((e) => e.docId);
      current = { qid: r.qid, start, end, lines: new Map(earlier.map((d) => [d, 0])), entries: [] };
    }
    current.end = end;
    const prev = current.lines.get(r.docId);
    if (prev !== undefined) { problems.skip(line, duplicateReason(r.docId, r.qid, prev)); continue; }
    current.lines.set(r.docId, line);
    current.entries.push({ docId: r.docId, score: r.score, rank: r.rank });
    records += 1;
  }
  close();
  index.seal();
  for (const q of reopened) {
    // As readTrecRun counts it: over all of the query's entries, in file order.
    const first = firstStretch.get(q);
    const whole = rankColumnDisagreements(new Map([[q, index.get(q) ?? []]]));
    tiedQueries += whole.tiedQueries - (first?.tiedQueries ?? 0);
    rankInversions += whole.rankInversions - (first?.rankInversions ?? 0);
  }
  return finishRun(path, opts, problems, records, { name: opts.name ?? defaultName(path), byQuery: index }, { tiedQueries, rankInversions });
}
