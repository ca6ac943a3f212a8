/**
 * Stage "rank the training queries with the student": one streamed pass (lib/retrieval's
 * forEachReranked) over the candidates of the training queries, held-out slice included, that
 * feeds the held-out evaluation (stages/evaluate.ts), the got-wrong rule (stages/gotWrong.ts) and
 * the column the student brings to the pool if it replaces an assistant (stages/studentColumn.ts).
 * Only the held-out slice's run is kept: a run of every training query was the iteration's
 * largest transient per query.
 */
import { rmSync } from 'node:fs';
import type { ScoreTable } from '../../assistants/types';
import type { MethodConfig } from '../../config';
import type { QueryId, Run } from '../../data/types';
import { RunColumns } from '../../data/runColumns';
import { withStudentEncoder, type StudentModel } from '../../models';
import { forEachReranked } from '../../retrieval/rerank';
import type { Split } from '../splits';
import { qualityOn, heldOutMeasures, type HeldOutEvaluation } from './evaluate';
import { GotWrongCounter, type GotWrong } from './gotWrong';
import { StudentColumnWriter } from './studentColumn';

/** Options of {@link studentPass}. */
export interface StudentPassOptions {
  /** Name of the student's run. */
  readonly name: string;
  /** Cache folder of the passage embeddings. */
  readonly cacheDir: string;
  /** Rank every training query (got wrong, column), or only the held-out slice (the last iteration: nothing comes after it). */
  readonly all: boolean;
  /** Teacher run: the got-wrong rule's fallback target and KL reference. */
  readonly teacherRun: Run;
  /** Where the student may join the pool: write its column over `table`'s candidates to `path` (replaceWeakest keeps or deletes it). */
  readonly column?: { readonly path: string; readonly table: ScoreTable };
}

/** What the pass measured. */
export interface StudentPassResult {
  readonly evaluation: HeldOutEvaluation;
  readonly wrong: GotWrong;
  /** The column's score log, when one was written. */
  readonly columnLog?: string;
}

/** Ranks the training queries' candidates with the student once and hands each ranking to every consumer. */
export async function studentPass(model: StudentModel, split: Split, heldOut: readonly QueryId[], config: MethodConfig, o: StudentPassOptions): Promise<StudentPassResult> {
  const held = new Set(heldOut);
  const ids = o.all ? [...split.candidates.byQuery.keys()] : heldOut;
  const heldRun = new RunColumns();
  const counter = new GotWrongCounter(split.qrels, held, o.teacherRun, config);
  const column = o.column && StudentColumnWriter.create(o.column.path, o.column.table);
  try {
    await withStudentEncoder(model, (encoder) => forEachReranked(encoder, split, ids, (q, ranked) => {
      if (held.has(q)) for (const e of ranked) heldRun.push(q, e.docId, e.score, e.rank);
      else counter.add(q, ranked);
      column?.put(q, ranked);
    }, { cacheDir: o.cacheDir }));
  } catch (e) {
    column?.close();
    if (o.column) rmSync(o.column.path, { force: true });
    throw e;
  }
  column?.close();
  const run: Run = { name: o.name, byQuery: heldRun.compact() };
  return {
    evaluation: { run, heldOut: qualityOn(split, run, heldOut, config.eval.relLevel, heldOutMeasures(config)) },
    wrong: counter.result(),
    ...(o.column ? { columnLog: o.column.path } : {}),
  };
}
