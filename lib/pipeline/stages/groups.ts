/**
 * Stage "training groups": one group per training query (its positive, then sampled negatives
 * from its candidates) plus, from the second iteration on, one group per query the student got
 * wrong, made of the newly mined pairs scored by the teacher and assistants ("queries the student
 * got wrong are added as harder data", docs/method.md "harder data"). Both come from
 * lib/train's planTrainingGroups: the groups are a plan (each group's candidates' positions,
 * ~40 bytes), built from the table view (the hard ones from the hard-block file) when the trainer
 * draws them, so no group is held per training query.
 */
import type { ScoreTable } from '../../assistants/types';
import type { MethodConfig } from '../../config';
import type { QueryId } from '../../data/types';
import { concatGroups, planTrainingGroups, type TrainingGroup, type TrainingGroupReport, type TrainingGroupSource } from '../../train';
import { restrictQueries } from '../table';
import type { Split } from '../splits';
import { hardTable } from './hardBlocks';
import type { CarriedState } from './state';

/** The groups one iteration trains on. */
export interface IterationGroups {
  readonly groups: TrainingGroupSource;
  /** Base groups by query, built on access (their positives anchor the next mined blocks). */
  readonly base: ReadonlyMap<QueryId, TrainingGroup>;
  readonly baseReport: TrainingGroupReport;
  readonly hardGroups: number;
}

/** Base groups over the training (not held-out) queries, then the carried hard groups. */
export function trainingGroups(config: MethodConfig, table: ScoreTable, split: Split, trainIds: readonly QueryId[], state: CarriedState, seed: number): IterationGroups {
  const opts = { negatives: config.train.negatives, relLevel: config.eval.relLevel, seed };
  const base = planTrainingGroups(restrictQueries(table, new Set(trainIds)), split.queries, split.collection, split.qrels, opts);
  const hardBlocks = hardTable(state);
  const hard = hardBlocks ? planTrainingGroups(hardBlocks, split.queries, split.collection, split.qrels, { ...opts, seed: seed + 1 }).groups : [];
  return { groups: concatGroups(base.groups, hard), base: base.groups.byQuery(), baseReport: base.report, hardGroups: hard.length };
}
