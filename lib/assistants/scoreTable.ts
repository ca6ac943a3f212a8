/**
 * Builds a ScoreTable (models × (query, candidate), missing = NaN) by running each scorer over each
 * query's candidates. Every (scorer, query) chunk is cached on disk under a content-hash key, in one
 * packed, checksummed log per scorer (scoreLog.ts), so an interrupted build resumes where it stopped
 * and a changed input recomputes only what depends on it. The table reads a cached scorer's column
 * back from its log on access (storedBlocks.ts), so it holds ~40 bytes per (model, query) instead of
 * the scores. The key is the scorer's cacheKey (content of the run file
 * or model weights) and the pair set: query id and text, the candidate ids, and either the
 * candidates' own texts (scorers of scope `pairs`) or the whole collection (scope `collection`,
 * e.g. BM25, whose idf depends on every passage).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScoreLog } from './scoreLog';
import { loggedColumn, recordKey, setRecord, StoredBlocks } from './storedBlocks';
import type { CandidateLists, Collection, DocId, QuerySet } from '../data/types';
import { sha256, sha256Joined } from '../io';
import type { ModelColumn, Scorer, ScoreTable } from './types';

/** Inputs of {@link buildScoreTable}: the teacher first, then the assistants (column order). */
export interface ScoreTableInputs {
  readonly teacher: Scorer;
  readonly assistants: readonly Scorer[];
  readonly queries: QuerySet;
  readonly candidates: CandidateLists;
  readonly collection: Collection;
}

/** Progress of a build: one event per (scorer, query) chunk. */
export interface ScoreTableProgress {
  readonly done: number;
  readonly total: number;
  readonly model: string;
  readonly queryId: string;
  readonly cached: boolean;
}

/** Options of {@link buildScoreTable}: a cache folder (off when absent), progress and notes. */
export interface ScoreTableOptions {
  readonly cacheDir?: string;
  readonly onProgress?: (p: ScoreTableProgress) => void;
  /** What the cache had to step over (damaged records, recomputed); stderr when absent. */
  readonly onNote?: (message: string) => void;
}

/** File name of a scorer's packed score log inside its cache folder. */
export const SCORE_LOG_FILE = 'scores.log';

/** Content fingerprint of the candidates' own passages (ids, titles, texts; absent ones marked). */
export function candidatesFingerprint(collection: Collection, docIds: readonly DocId[]): string {
  return sha256Joined(docIds.length, (function* () {
    for (const d of docIds) {
      const p = collection.passages.get(d);
      yield d;
      yield p ? `${p.title ?? ''}\u0002${p.text}` : '\u0003absent';
    }
  })());
}

/** Content fingerprint of a collection (ids, titles and texts in order). */
export function collectionFingerprint(collection: Collection): string {
  return sha256Joined(collection.passages.size, (function* () {
    for (const p of collection.passages.values()) {
      yield p.id;
      yield p.title ?? '';
      yield p.text;
    }
  })());
}

/** A chunk of the earlier cache layout (one JSON file per chunk), read so an old cache is not lost. */
function readLegacyChunk(path: string, n: number): Float64Array | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as { scores?: unknown };
    if (!Array.isArray(v.scores) || v.scores.length !== n) return undefined;
    if (!v.scores.every((x) => x === null || typeof x === 'number')) return undefined;
    return Float64Array.from(v.scores as Array<number | null>, (x) => (x === null ? NaN : x));
  } catch {
    // A corrupt chunk (should not happen with atomic writes) is recomputed, not trusted.
    return undefined;
  }
}

/**
 * Scores every query's candidates with the teacher and each assistant. Queries come in candidate
 * order; a candidate query missing from `queries` is an error. Missing scores are NaN.
 */
export async function buildScoreTable(inputs: ScoreTableInputs, options: ScoreTableOptions = {}): Promise<ScoreTable> {
  const scorers = [inputs.teacher, ...inputs.assistants];
  const names = new Set<string>();
  for (const s of scorers) {
    if (names.has(s.name)) throw new RangeError(`buildScoreTable: two models named '${s.name}'`);
    names.add(s.name);
  }
  const models: ModelColumn[] = scorers.map((s, i) => ({ name: s.name, role: i === 0 ? 'teacher' : 'assistant' }));
  const unknown = [...inputs.candidates.byQuery.keys()].filter((q) => !inputs.queries.queries.has(q));
  if (unknown.length > 0) throw new RangeError(`buildScoreTable: ${unknown.length} candidate queries are not in ${inputs.queries.name} (${unknown.slice(0, 5).join(', ')})`);
  const fingerprint = options.cacheDir && scorers.some((s) => s.cacheKey && s.scope !== 'pairs') ? collectionFingerprint(inputs.collection) : '';
  const folders = scorers.map((s) => (options.cacheDir && s.cacheKey ? join(options.cacheDir, sha256(s.cacheKey).slice(0, 16)) : undefined));
  const logs = folders.map((f) => (f ? ScoreLog.open(join(f, SCORE_LOG_FILE)) : undefined));
  const note = options.onNote ?? ((m: string) => process.stderr.write(`${m}\n`));
  for (const log of logs) if (log && log.skippedBytes > 0) note(`score cache ${log.path}: stepped over ${log.skippedBytes} bytes of damaged or unfinished records (${log.records} records intact); their chunks are recomputed`);
  const queryIds = [...inputs.candidates.byQuery.keys()];
  const total = scorers.length * queryIds.length;
  // A scorer with a cache keeps where its records are, not its scores: the table reads them back on access.
  const columns = logs.map((log) => (log ? loggedColumn(log.path, queryIds.length) : { kind: 'held' as const, scores: [] as Float64Array[] }));
  // Chunks written by this build, located in their logs once written: (model, query) pairs, their keys already in the column.
  const unlocated: number[] = [];
  let done = 0;
  try {
    for (const [qi, qid] of queryIds.entries()) {
      const docIds = inputs.candidates.byQuery.get(qid)!;
      const query = inputs.queries.queries.get(qid)!;
      const pairsPrint = options.cacheDir ? candidatesFingerprint(inputs.collection, docIds) : '';
      for (const [i, scorer] of scorers.entries()) {
        const log = logs[i];
        const column = columns[i];
        const data = scorer.scope === 'pairs' ? `pairs:${pairsPrint}` : fingerprint;
        const key = log ? sha256(scorer.cacheKey!, data, qid, query.text, docIds as DocId[]) : '';
        const keyBytes = Buffer.from(key, 'hex');
        const found = log?.find(keyBytes, docIds.length);
        let s = found?.scores ?? (log ? readLegacyChunk(join(folders[i]!, `${key}.json`), docIds.length) : undefined);
        const cached = s !== undefined;
        if (!s) s = await scorer.score(query, docIds, inputs.collection);
        if (s.length !== docIds.length) throw new RangeError(`scorer ${scorer.name} returned ${s.length} scores for ${docIds.length} candidates of query ${qid}`);
        if (column.kind === 'held') column.scores.push(s);
        else if (found) setRecord(column, qi, found.at.offset, keyBytes);
        else {
          // New, or found only in the old layout: into the log, located once it is written.
          log!.put(keyBytes, s);
          setRecord(column, qi, NaN, keyBytes);
          unlocated.push(i, qi);
        }
        done += 1;
        options.onProgress?.({ done, total, model: scorer.name, queryId: qid, cached });
      }
    }
    for (const log of logs) log?.flush();
    for (let u = 0; u < unlocated.length; u += 2) {
      const [m, qi] = [unlocated[u], unlocated[u + 1]];
      const column = columns[m];
      if (column.kind !== 'logged') continue;
      const key = recordKey(column, qi);
      const at = logs[m]!.locate(key, inputs.candidates.byQuery.get(queryIds[qi])!.length);
      if (!at) throw new Error(`${column.path}: a record written by this build is not found in it (was the file changed by another program?); rerun to rescore the missing chunks`);
      setRecord(column, qi, at.offset, key);
    }
  } finally {
    // What was scored before a failure stays cached: the rerun resumes from it.
    for (const log of logs) log?.close();
  }
  return { models, byQuery: new StoredBlocks(queryIds, inputs.candidates.byQuery, columns) };
}

/**
 * The table with every block read into memory, in the same order: it no longer reads its score
 * logs, which may then be moved, damaged or deleted. For tables small enough to hold (tests,
 * notebooks, a subset), never for a training set of full size.
 */
export function heldScoreTable(table: ScoreTable): ScoreTable {
  return { models: table.models, byQuery: new Map([...table.byQuery].map(([q, b]) => [q, { ...b, docIds: b.docIds.slice(), scores: b.scores.map((s) => Float64Array.from(s)) }])) };
}

/** Per model, how many (query, candidate) pairs have no score. */
export function missingCounts(table: ScoreTable): Record<string, { missing: number; pairs: number }> {
  const out: Record<string, { missing: number; pairs: number }> = {};
  table.models.forEach((m, i) => {
    let missing = 0;
    let pairs = 0;
    for (const q of table.byQuery.values()) {
      pairs += q.docIds.length;
      for (const v of q.scores[i]) if (Number.isNaN(v)) missing += 1;
    }
    out[m.name] = { missing, pairs };
  });
  return out;
}
