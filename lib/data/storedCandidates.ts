/**
 * Candidate lists that leave memory past a size. A split's lists are the one part of it that grew
 * with both the training queries and the depth (8 bytes per candidate plus an array per query);
 * past `CANDIDATES_HELD_MAX` entries the builder moves them to a file in a per-process spill folder
 * and each `get` reads one query's list back (one pread and a JSON parse, a few µs). What stays in
 * memory is the query's position and its byte offset. Small splits, the demo's included, stay held.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, namedWriteError } from '../io/errors';
import { forgetReader, readAt } from '../io/readers';
import { ReadonlyMapBase } from './mapView';
import type { DocId, QueryId } from './types';

/** Candidate entries held in memory before the lists spill to a file (~11 MB of lists, measured ~11 B per entry). */
export const CANDIDATES_HELD_MAX = 1_000_000;

/** The spill threshold: `MTA4DPR_CANDIDATES_HELD_MAX` (entries; 0 spills every split) or {@link CANDIDATES_HELD_MAX}. */
export function candidatesHeldMax(): number {
  const env = process.env.MTA4DPR_CANDIDATES_HELD_MAX;
  if (env === undefined || env === '') return CANDIDATES_HELD_MAX;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 0) throw new Error(`MTA4DPR_CANDIDATES_HELD_MAX must be a whole number of candidate entries, got '${env}'`);
  return n;
}

const WRITE_CHUNK = 1 << 20;

let spillFolder: string | undefined;
let spillCount = 0;

/** A new file in this process's spill folder (under the OS temp dir, `TMPDIR`), removed when the process exits. */
function spillFile(): string {
  if (!spillFolder) {
    const folder = mkdtempSync(join(tmpdir(), 'mta4dpr-spill-'));
    spillFolder = folder;
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  spillCount += 1;
  return join(spillFolder, `candidates-${spillCount}.jsonl`);
}

/** Query → its candidate list, read back from the spill file on each `get`, in the order added. */
export class StoredCandidateLists extends ReadonlyMapBase<QueryId, readonly DocId[]> {
  constructor(
    /** The spill file: one JSON array per query, back to back. */
    readonly path: string,
    /** Query → its place in the file, in the order added. */
    private readonly positions: ReadonlyMap<QueryId, number>,
    /** Byte offset of query i's list; entry n is the file's length. */
    private readonly offsets: Float64Array,
  ) {
    super();
  }

  get size(): number {
    return this.positions.size;
  }

  has(queryId: QueryId): boolean {
    return this.positions.has(queryId);
  }

  get(queryId: QueryId): readonly DocId[] | undefined {
    const i = this.positions.get(queryId);
    if (i === undefined) return undefined;
    const length = this.offsets[i + 1] - this.offsets[i];
    const bytes = readAt(this.path, this.offsets[i], length);
    // The file is this process's own; a short read means it was cut or removed under us.
    if (bytes.length !== length) throw new InputError(this.path, undefined, `candidate list of query ${queryId} is cut short (${bytes.length} of ${length} bytes); the spill file changed while in use`);
    return JSON.parse(bytes.toString('utf8')) as DocId[];
  }

  keys(): IterableIterator<QueryId> {
    return this.positions.keys();
  }
}

/** Writes lists to a spill file and hands back the map that reads them. */
class SpillWriter {
  readonly path = spillFile();
  private readonly fd: number;
  private readonly positions = new Map<QueryId, number>();
  /** Byte offset of each list, then the end of the last. */
  private readonly offsets: number[] = [0];
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor() {
    try {
      this.fd = openSync(this.path, 'w');
    } catch (e) {
      throw namedWriteError(this.path, e);
    }
  }

  has(queryId: QueryId): boolean {
    return this.positions.has(queryId);
  }

  append(queryId: QueryId, list: readonly DocId[]): void {
    this.positions.set(queryId, this.positions.size);
    const text = JSON.stringify(list);
    const bytes = Buffer.byteLength(text);
    this.offsets.push(this.offsets[this.offsets.length - 1] + bytes);
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= WRITE_CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    try {
      let done = 0;
      while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done);
    } catch (e) {
      throw namedWriteError(this.path, e);
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  finish(): StoredCandidateLists {
    this.flush();
    closeSync(this.fd);
    forgetReader(this.path);
    return new StoredCandidateLists(this.path, this.positions, Float64Array.from(this.offsets));
  }
}

/**
 * Collects a split's candidate lists query by query: held in a Map up to `heldMax` entries, then
 * moved to a spill file with every later list. Each query is added once.
 */
export class CandidateListsBuilder {
  private held: Map<QueryId, readonly DocId[]> | undefined = new Map();
  private heldEntries = 0;
  private spill: SpillWriter | undefined;

  constructor(private readonly heldMax = candidatesHeldMax()) {}

  /** Adds `queryId`'s list (a query added twice is a bug in the caller, and refused). */
  add(queryId: QueryId, list: readonly DocId[]): void {
    if ((this.spill ?? this.held!).has(queryId)) throw new Error(`candidate lists: query ${queryId} added twice`);
    if (this.spill) {
      this.spill.append(queryId, list);
      return;
    }
    this.held!.set(queryId, list);
    this.heldEntries += list.length;
    if (this.heldEntries > this.heldMax) {
      this.spill = new SpillWriter();
      for (const [q, l] of this.held!) this.spill.append(q, l);
      this.held = undefined;
    }
  }

  /** The lists: the held Map, or the spill file's reader. */
  finish(): ReadonlyMap<QueryId, readonly DocId[]> {
    return this.spill ? this.spill.finish() : this.held!;
  }
}
