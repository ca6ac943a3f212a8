/**
 * A student column's scores over the training candidates, kept in a score log beside its
 * checkpoint instead of the carried state's JSON: per query one record, aligned with the raw
 * table's docIds of that query, written as the student's pass ranks each query and read back when
 * a configuration's table swaps the column in.
 */
import { rmSync } from 'node:fs';
import { ScoreLog, readScoreRecord } from '../../assistants/scoreLog';
import type { ScoreTable } from '../../assistants/types';
import type { DocId, QueryId, Run, RunEntry } from '../../data/types';
import { sha256 } from '../../io';
import type { StudentColumn } from './state';

function keyOf(queryId: QueryId): Buffer {
  return Buffer.from(sha256('student-column', queryId), 'hex');
}

/**
 * Writes a student column one query at a time, as the student's pass over the training queries
 * ranks them (stages/gotWrong.ts), so no run of every training query is held. A query never put
 * reads back as NaN, like one the student had no score for.
 */
export class StudentColumnWriter {
  private constructor(private readonly log: ScoreLog, private readonly table: ScoreTable) {}

  /** A new log at `path` (any earlier one is replaced) for the candidates of `table`. */
  static create(path: string, table: ScoreTable): StudentColumnWriter {
    rmSync(path, { force: true });
    return new StudentColumnWriter(ScoreLog.open(path), table);
  }

  /** Writes `ranked`'s scores of `queryId`'s candidates in the table (NaN where it has none); a query outside the table is ignored. */
  put(queryId: QueryId, ranked: readonly RunEntry[]): void {
    const b = this.table.byQuery.get(queryId);
    if (!b) return;
    const s = new Map(ranked.map((e) => [e.docId, e.score]));
    this.log.put(keyOf(queryId), Float64Array.from(b.docIds, (d) => s.get(d) ?? NaN));
  }

  /** Writes every query of `run`. */
  putRun(run: Run): void {
    for (const [q, entries] of run.byQuery) this.put(q, entries);
  }

  /** Flushes and closes the log. */
  close(): void {
    this.log.close();
  }
}

/** Writes `run`'s scores of every query's candidates in `table` (NaN where the run has none) to a new log at `path`. */
export function writeStudentColumn(path: string, run: Run, table: ScoreTable): void {
  const w = StudentColumnWriter.create(path, table);
  try {
    for (const q of table.byQuery.keys()) w.put(q, run.byQuery.get(q) ?? []);
  } finally {
    w.close();
  }
}

/** The column's scores of a query's candidates (NaN for a query it has none of), for replaceColumn. */
export function studentColumnScores(column: StudentColumn): (queryId: QueryId, docIds: readonly DocId[]) => Float64Array {
  if (column.scores || !column.scoresLog) {
    const scores = column.scores ?? {};
    return (q, docIds) => Float64Array.from(docIds, (_d, j) => scores[q]?.[j] ?? NaN);
  }
  const path = column.scoresLog;
  // The index (query → record) is read once; the scores are read per query on access.
  const log = ScoreLog.open(path);
  log.close();
  if (log.skippedBytes > 0) throw new Error(`${path}: the student column's score log is damaged (${log.skippedBytes} bytes); delete the iteration's folder to recompute it`);
  return (q, docIds) => {
    const key = keyOf(q);
    const offset = log.offsetOf(key);
    return offset === undefined ? new Float64Array(docIds.length).fill(NaN) : readScoreRecord({ path, offset, n: docIds.length, key });
  };
}
