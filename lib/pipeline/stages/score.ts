/**
 * Stage "score" (docs/method.md §1 "Scores, not layers"): the teacher and every assistant score
 * every training candidate; a run-file model has no score for a pair outside its run (NaN, filled
 * later by the missing policy).
 */
import { buildScoreTable } from '../../assistants/scoreTable';
import type { Scorer, ScoreTable } from '../../assistants/types';
import type { StepStore } from '../steps';
import { scorersOf } from '../scorers';
import type { TrainingCandidates } from './candidates';

/** The raw score table, the scorers that made it, and its content key. */
export interface ScoredCandidates {
  readonly table: ScoreTable;
  /** Scorers by model name (they also score the pairs mined in later iterations). */
  readonly scorers: ReadonlyMap<string, Scorer>;
  /** Key over the split's content and every scorer's cache key: later steps depend on it. */
  readonly key: string;
}

/** Scores the training candidates with the teacher and every assistant (cached by content in `cacheDir`). */
export async function scoreCandidates(data: TrainingCandidates, store: StepStore, cacheDir: string): Promise<ScoredCandidates> {
  const scorers = await scorersOf(data.models, data.train);
  const { train } = data;
  const table = await buildScoreTable({
    teacher: scorers.get(data.models.teacher.name)!, assistants: data.models.assistants.map((a) => scorers.get(a.name)!),
    queries: train.queries, candidates: train.candidates, collection: train.collection,
  }, { cacheDir });
  const key = store.keyOf('score-table', {
    split: train.contentHash, systems: data.systems, models: data.models,
    scorers: [...scorers.values()].map((s) => s.cacheKey ?? s.name),
  });
  return { table, scorers, key };
}
