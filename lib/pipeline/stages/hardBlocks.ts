/**
 * The hard blocks an iteration hands the next (newly mined pairs scored by the teacher and the
 * pool), kept in a file beside its checkpoint instead of the carried state's JSON: at MS MARCO's
 * size (~330k got-wrong queries × 8 pairs × 6 models) that JSON nears V8's string limit, and the
 * blocks were held in memory twice. One line per query, `<queryId>\t<JSON {docIds, scores}>` (a
 * query id holds no tab: it is a column of queries.tsv); the reader keeps each line's byte range
 * (~60 bytes per query) and parses a block when the trainer draws it. The file is written inside
 * the iteration's step folder, which the step store renames into place whole.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { QueryScores, ScoreTable } from '../../assistants/types';
import type { DocId, QueryId } from '../../data/types';
import { ReadonlyMapBase } from '../../data/mapView';
import { InputError, namedWriteError } from '../../io/errors';
import { readAt } from '../../io/readers';
import type { CarriedState, HardBlock } from './state';

/** Appends scored blocks to a new hard-block file; `close` returns how many it wrote. */
export class HardBlockWriter {
  private offset = 0;
  private count = 0;

  private constructor(readonly path: string, private readonly fd: number, private readonly models: readonly string[]) {}

  /** A new file at `path` (any earlier one is replaced) for blocks scored by `models`, in order. */
  static create(path: string, models: readonly string[]): HardBlockWriter {
    rmSync(path, { force: true });
    try {
      mkdirSync(dirname(path), { recursive: true });
      return new HardBlockWriter(path, openSync(path, 'wx'), models);
    } catch (e) {
      throw namedWriteError(path, e);
    }
  }

  /** Appends `blocks`, each with a score column per model of the writer. */
  append(blocks: Iterable<HardBlock>): void {
    let text = '';
    for (const b of blocks) {
      if (/[\t\n]/.test(b.queryId)) throw new Error(`${this.path}: query id ${JSON.stringify(b.queryId)} holds a tab or newline`);
      const scores = this.models.map((m) => {
        const s = b.scores[m];
        if (!s || s.length !== b.docIds.length) throw new Error(`${this.path}: block of ${b.queryId} has no ${b.docIds.length} scores of ${m}`);
        return s;
      });
      text += `${b.queryId}\t${JSON.stringify({ docIds: b.docIds, scores })}\n`;
      this.count += 1;
    }
    const bytes = Buffer.from(text, 'utf8');
    try {
      writeSync(this.fd, bytes, 0, bytes.length, this.offset);
    } catch (e) {
      throw namedWriteError(this.path, e);
    }
    this.offset += bytes.length;
  }

  /** Syncs and closes the file; the number of blocks written. */
  close(): number {
    fsyncSync(this.fd);
    closeSync(this.fd);
    return this.count;
  }
}

/** Writes all of `scored`'s blocks to a new file at `path`: the carried state's hard-block fields (no file for no blocks). */
export function writeHardBlocks(path: string, scored: { readonly models: string[]; readonly blocks: readonly HardBlock[] }): Pick<CarriedState, 'hardModels' | 'hardBlocksFile'> {
  if (scored.blocks.length === 0) return { hardModels: scored.models };
  const w = HardBlockWriter.create(path, scored.models);
  w.append(scored.blocks);
  w.close();
  return { hardModels: scored.models, hardBlocksFile: path };
}

/** A hard-block file read back by query: a score table's `byQuery`, parsed per access. */
export class HardBlockFile extends ReadonlyMapBase<QueryId, QueryScores> {
  private readonly ranges = new Map<QueryId, number>();
  private starts: number[] = [];
  private ends: number[] = [];

  /** Indexes every line of `path` (one pass, 1 MiB at a time). */
  constructor(readonly path: string, private readonly models: number) {
    super();
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new InputError(path, undefined, `the hard blocks of the previous iteration are missing (${(e as Error).message}); delete that iteration's step folder to recompute it`);
    }
    try {
      const buf = Buffer.alloc(1 << 20);
      let carry = Buffer.alloc(0);
      let pos = 0;
      let lineNo = 0;
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
        const chunkStart = pos - carry.length;
        let from = 0;
        for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
          lineNo += 1;
          const tab = chunk.indexOf(9, from);
          if (tab < 0 || tab > nl) throw new InputError(path, lineNo, 'not a hard block line (no tab before the end of the line)');
          const q = chunk.toString('utf8', from, tab);
          if (this.ranges.has(q)) throw new InputError(path, lineNo, `query ${q} has a second block`);
          this.ranges.set(q, this.starts.length);
          this.starts.push(chunkStart + tab + 1);
          this.ends.push(chunkStart + nl);
          from = nl + 1;
        }
        carry = Buffer.from(chunk.subarray(from));
        pos += n;
      }
      if (carry.length > 0) throw new InputError(path, lineNo + 1, 'the last line is cut short (no newline): the file was not written to its end');
    } finally {
      closeSync(fd);
    }
  }

  get size(): number {
    return this.ranges.size;
  }

  has(q: QueryId): boolean {
    return this.ranges.has(q);
  }

  keys(): IterableIterator<QueryId> {
    return this.ranges.keys();
  }

  get(q: QueryId): QueryScores | undefined {
    const i = this.ranges.get(q);
    if (i === undefined) return undefined;
    const text = readAt(this.path, this.starts[i], this.ends[i] - this.starts[i]).toString('utf8');
    let v: { docIds: DocId[]; scores: Array<Array<number | null>> };
    try {
      v = JSON.parse(text);
    } catch {
      throw new InputError(this.path, undefined, `the block of query ${q} does not parse: the file changed since it was indexed`);
    }
    if (!Array.isArray(v.docIds) || !Array.isArray(v.scores) || v.scores.length !== this.models || v.scores.some((s) => s.length !== v.docIds.length)) {
      throw new InputError(this.path, undefined, `the block of query ${q} does not hold ${this.models} score columns of its ${v.docIds?.length} passages`);
    }
    // JSON writes NaN as null: read it back as the missing score it was.
    return { queryId: q, docIds: v.docIds, scores: v.scores.map((s) => Float64Array.from(s, (x) => (x === null ? NaN : x))) };
  }
}

/** The carried hard blocks as a score table (teacher column first): the file's, or the inline blocks of a state written before it; undefined when there are none. */
export function hardTable(state: Pick<CarriedState, 'hardModels' | 'hardBlocks' | 'hardBlocksFile'>): ScoreTable | undefined {
  if (!state.hardBlocksFile && !state.hardBlocks?.length) return undefined;
  const models = state.hardModels.map((name, i) => ({ name, role: i === 0 ? 'teacher' as const : 'assistant' as const }));
  if (state.hardBlocksFile) return { models, byQuery: new HardBlockFile(state.hardBlocksFile, models.length) };
  const byQuery = new Map<QueryId, QueryScores>((state.hardBlocks ?? []).map((b) => [b.queryId, {
    queryId: b.queryId, docIds: b.docIds, scores: state.hardModels.map((m) => Float64Array.from(b.scores[m] as Array<number | null>, (x) => (x === null ? NaN : x))),
  }]));
  return { models, byQuery };
}
