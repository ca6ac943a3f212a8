/**
 * A student column's scores over the training candidates, kept in a score log beside its
 * checkpoint instead of the carried state's JSON: per query one record, aligned with the raw
 * table's docIds of that query, read back when a configuration's table swaps the column in.
 */
import { rmSync } from 'node:fs';
import { ScoreLog, readScoreRecord } from '../../assistants/scoreLog';
import type { ScoreTable } from '../../assistants/types';
import type { DocId, QueryId, Run } from '../../data/types';
import { sha256 } from '../../io';
import type { StudentColumn } from './state';

function keyOf(queryId: QueryId): Buffer {
  return Buffer.from(sha256('student-column', queryId), 'hex');
}

/** Writes `run`'s scores of every query's candidates in `table` (NaN where the run has none) to a new log at `path`. */
export function writeStudentColumn(path: string, run: Run, table: ScoreTable): void {
  rmSync(path, { force: true });
  const log = ScoreLog.open(path);
  try {
    for (const [q, b] of table.byQuery) {
      const s = new Map(run.byQuery.get(q)?.map((e) => [e.docId, e.score]) ?? []);
      log.put(keyOf(q), Float64Array.from(b.docIds, (d) => s.get(d) ?? NaN));
    }
  } finally {
    log.close();
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
