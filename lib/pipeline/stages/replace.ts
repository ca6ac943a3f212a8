/**
 * Stage "replace the weakest assistant": "if it beats the weakest assistant it replaces it"
 * (docs/method.md "assistant replacement"), judged on the held-out slice of the training queries
 * through lib/assistants' AssistantPool, whose guard refuses any test query.
 */
import { rmSync } from 'node:fs';
import { AssistantPool } from '../../assistants/pool';
import type { QueryId } from '../../data/types';
import type { CarriedState, PoolEntry, StudentColumn } from './state';

/** The pool after the replacement decision. */
export interface ReplacementOutcome {
  readonly pool: PoolEntry[];
  readonly studentColumns: Record<string, StudentColumn>;
  readonly replaced: string | null;
  readonly weakestQuality: number;
}

/**
 * Lets the student `name` (held-out nDCG@10 `quality`, checkpoint `modelDir`, column `columnLog`
 * written by its pass over the training queries) replace the weakest pool member when strictly
 * better; a column that did not join is deleted.
 */
export async function replaceWeakest(
  state: Pick<CarriedState, 'pool' | 'studentColumns'>, student: { name: string; quality: number; modelDir: string; columnLog?: string },
  heldOut: readonly QueryId[], testQueryIds: Iterable<QueryId>,
): Promise<ReplacementOutcome> {
  const pool = new AssistantPool<null>(heldOut, testQueryIds, async () => {
    throw new Error('replaceWeakest: every quality is measured by the held-out evaluation stage');
  });
  for (const p of state.pool) await pool.add(p.name, null, p.quality);
  const decision = await pool.replaceWorst(student.name, null, student.quality);
  const studentColumns = { ...state.studentColumns };
  if (decision.replaced !== null) {
    if (!student.columnLog) throw new Error(`replaceWeakest: ${student.name} replaces ${decision.replaced} but has no column; studentPass writes it (its column option)`);
    // The column keeps the name of the model it replaced in the raw table.
    const rawName = state.studentColumns[decision.replaced]?.replaced ?? decision.replaced;
    delete studentColumns[decision.replaced];
    studentColumns[student.name] = { replaced: rawName, scoresLog: student.columnLog, modelDir: student.modelDir };
  } else if (student.columnLog) {
    rmSync(student.columnLog, { force: true });
  }
  return {
    pool: pool.members().map((m) => ({ name: m.name, quality: m.quality })), studentColumns,
    replaced: decision.replaced, weakestQuality: decision.weakestQuality,
  };
}
