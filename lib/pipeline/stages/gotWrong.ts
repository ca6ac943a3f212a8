/**
 * Stage "find the queries the student got wrong": "best positive (or the teacher's top-1 where no
 * labels) not in the student's top-10" by default (docs/method.md "got wrong"), over the training
 * (not held-out) queries; lib/curriculum holds the rules.
 */
import type { MethodConfig } from '../../config';
import type { QueryId, Run } from '../../data/types';
import { difficultyHistogram, gotWrong, runDifficulty, type HistogramBin, type QueryDifficulty } from '../../curriculum';
import type { Split } from '../splits';
import { runOn } from './evaluate';

/** Every training query's difficulty for the student, and the ones it got wrong. */
export interface GotWrong {
  readonly difficulty: readonly QueryDifficulty[];
  readonly histogram: readonly HistogramBin[];
  readonly wrong: readonly QueryId[];
}

/** Applies the configured rule to the student's run over the training queries. */
export function findGotWrong(run: Run, split: Split, trainIds: readonly QueryId[], teacherRun: Run, config: MethodConfig): GotWrong {
  const difficulty = runDifficulty(runOn(run, trainIds), { qrels: split.qrels, relLevel: config.eval.relLevel, teacher: teacherRun, distribution: config.distribution });
  return { difficulty, histogram: difficultyHistogram(difficulty), wrong: difficulty.filter((d) => gotWrong(d, config.iterations.gotWrong)).map((d) => d.queryId) };
}
