/**
 * Stage "score the new pairs": the mined pairs "are scored by teacher and assistants"
 * (docs/method.md §1 "Iterations") — every model of the pool through its Scorer (a run-file model
 * has no score for a pair outside its run: NaN, filled by the missing policy; a student that
 * replaced an assistant scores with its own checkpoint). The counts scored / imputed per model are
 * part of the iteration record.
 */
import { DenseScorer } from '../../assistants/scorers/dense';
import { fillScoreTable } from '../../assistants/missing';
import type { QueryScores, Scorer, ScoreTable } from '../../assistants/types';
import type { MethodConfig } from '../../config';
import type { QueryId } from '../../data/types';
import { loadStudentCheckpoint, withStudentEncoder, type StudentModel } from '../../models';
import type { Split } from '../splits';
import { missingPolicy } from '../table';
import type { MinedCandidates } from './mine';
import type { CarriedState, HardBlock, PairCounts } from './state';

/** The scored, filled new pairs and how many each model scored or had imputed. */
export interface ScoredNewPairs {
  readonly models: string[];
  readonly blocks: HardBlock[];
  readonly counts: Record<string, PairCounts>;
}

async function scoreWith(scorer: Scorer, split: Split, mined: Pick<MinedCandidates, 'blocks'>): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for (const b of mined.blocks) out.push(await scorer.score(split.queries.queries.get(b.queryId)!, b.docIds, split.collection));
  return out;
}

/** A student column's scores: the current model, or the checkpoint of an earlier iteration's student. */
async function scoreWithStudent(model: StudentModel, split: Split, mined: Pick<MinedCandidates, 'blocks'>): Promise<Float64Array[]> {
  return withStudentEncoder(model, (encoder) => scoreWith(new DenseScorer(encoder, { batchSize: 64 }), split, mined));
}

/** The columns new pairs are scored with: the teacher, then every pool member. */
export function hardModelsOf(config: MethodConfig, pool: CarriedState['pool']): string[] {
  return [config.teacher.name, ...pool.map((p) => p.name)];
}

/**
 * Scores `mined` with the teacher and every pool member (`current` is the student that may have
 * just joined the pool), then fills missing scores with the config's policy.
 */
export async function scoreNewPairs(
  mined: Pick<MinedCandidates, 'blocks'>, state: Pick<CarriedState, 'pool' | 'studentColumns'>, scorers: ReadonlyMap<string, Scorer>,
  current: { name: string; model: StudentModel }, split: Split, config: MethodConfig,
): Promise<ScoredNewPairs> {
  const models = hardModelsOf(config, state.pool);
  const columns: Float64Array[][] = [];
  for (const name of models) {
    const scorer = scorers.get(name);
    if (scorer && !state.studentColumns[name]) columns.push(await scoreWith(scorer, split, mined));
    else if (name === current.name) columns.push(await scoreWithStudent(current.model, split, mined));
    else {
      const col = state.studentColumns[name];
      if (!col) throw new Error(`scoreNewPairs: no scorer for pool member '${name}'`);
      const earlier = (await loadStudentCheckpoint(col.modelDir)).model;
      try {
        columns.push(await scoreWithStudent(earlier, split, mined));
      } finally {
        earlier.dispose();
      }
    }
  }
  const byQuery = new Map<QueryId, QueryScores>(mined.blocks.map((b, i) => [b.queryId, { queryId: b.queryId, docIds: b.docIds, scores: columns.map((c) => c[i]) }]));
  const raw: ScoreTable = { models: models.map((name, i) => ({ name, role: i === 0 ? 'teacher' : 'assistant' })), byQuery };
  const { table, filled } = fillScoreTable(raw, missingPolicy(config));
  const pairs = mined.blocks.reduce((a, b) => a + b.docIds.length, 0);
  const counts = Object.fromEntries(models.map((m) => [m, { scored: pairs - (filled[m] ?? 0), imputed: filled[m] ?? 0 }]));
  const blocks = mined.blocks.map((b) => {
    const s = table.byQuery.get(b.queryId)!;
    return { queryId: b.queryId, docIds: [...b.docIds], scores: Object.fromEntries(models.map((m, i) => [m, Array.from(s.scores[i])])) };
  });
  return { models, blocks, counts };
}
