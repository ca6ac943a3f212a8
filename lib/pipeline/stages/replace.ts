/**
 * Stage "replace the weakest assistant": "if it beats the weakest assistant it replaces it"
 * (docs/method.md "assistant replacement"), judged on the held-out slice of the training queries
 * through lib/assistants' AssistantPool, whose guard refuses any test query.
 */
import { AssistantPool } from '../../assistants/pool';
import type { ScoreTable } from '../../assistants/types';
import type { QueryId, Run } from '../../data/types';
import type { CarriedState, PoolEntry, StudentColumn } from './state';
import { writeStudentColumn } from './studentColumn';

/** The pool after the replacement decision. */
export interface ReplacementOutcome {
  readonly pool: PoolEntry[];
  readonly studentColumns: Record<string, StudentColumn>;
  readonly replaced: string | null;
  readonly weakestQuality: number;
}

/**
 * Lets the student `name` (held-out nDCG@10 `quality`, run `run`, checkpoint `modelDir`) replace
 * the weakest pool member when strictly better; its column scores come from `run` over `table`.
 */
export async function replaceWeakest(
  state: Pick<CarriedState, 'pool' | 'studentColumns'>, student: { name: string; quality: number; run: Run; modelDir: string },
  table: ScoreTable, heldOut: readonly QueryId[], testQueryIds: Iterable<QueryId>,
): Promise<ReplacementOutcome> {
  const pool = new AssistantPool<null>(heldOut, testQueryIds, async () => {
    throw new Error('replaceWeakest: every quality is measured by the held-out evaluation stage');
  });
  for (const p of state.pool) await pool.add(p.name, null, p.quality);
  const decision = await pool.replaceWorst(student.name, null, student.quality);
  const studentColumns = { ...state.studentColumns };
  if (decision.replaced !== null) {
    const scoresLog = `${student.modelDir}.column.log`;
    writeStudentColumn(scoresLog, student.run, table);
    // The column keeps the name of the model it replaced in the raw table.
    const rawName = state.studentColumns[decision.replaced]?.replaced ?? decision.replaced;
    delete studentColumns[decision.replaced];
    studentColumns[student.name] = { replaced: rawName, scoresLog, modelDir: student.modelDir };
  }
  return {
    pool: pool.members().map((m) => ({ name: m.name, quality: m.quality })), studentColumns,
    replaced: decision.replaced, weakestQuality: decision.weakestQuality,
  };
}
