/**
 * Stage "find the queries the student got wrong": "best positive (or the teacher's top-1 where no
 * labels) not in the student's top-10" by default (docs/method.md "got wrong"), over the training
 * (not held-out) queries; lib/curriculum holds the rules. Fed one ranked query at a time by the
 * student's pass (stages/studentPass.ts): each query's difficulty is binned and dropped, so
 * nothing per training query is kept but the got-wrong ids.
 */
import type { MethodConfig } from '../../config';
import type { QueryId, Qrels, Run, RunEntry } from '../../data/types';
import { DifficultyHistogram, gotWrong, queryDifficulty, type DifficultyOptions, type HistogramBin } from '../../curriculum';

/** How the training queries rank for the student, and the ones it got wrong. */
export interface GotWrong {
  /** Best-positive ranks of the training queries (curriculum's DifficultyHistogram bins). */
  readonly histogram: readonly HistogramBin[];
  readonly wrong: readonly QueryId[];
}

/** Applies the configured rule to the student's ranking of each training query it is given (held-out ones are passed over). */
export class GotWrongCounter {
  private readonly histogram = new DifficultyHistogram();
  private readonly wrong: QueryId[] = [];
  private readonly opts: DifficultyOptions;

  /** `teacherRun`: the fallback target where a query has no positive. */
  constructor(qrels: Qrels | undefined, private readonly heldOut: ReadonlySet<QueryId>, teacherRun: Run, private readonly config: MethodConfig) {
    // No KL: the rule reads only where the target ranks, and the teacher's list is read only where a query has no positive.
    this.opts = { qrels, relLevel: config.eval.relLevel, teacher: teacherRun, distribution: config.distribution, kl: false };
  }

  /** Counts query `queryId` ranked as `ranked`. */
  add(queryId: QueryId, ranked: readonly RunEntry[]): void {
    if (this.heldOut.has(queryId)) return;
    const d = queryDifficulty(queryId, ranked, this.opts);
    this.histogram.add(d);
    if (gotWrong(d, this.config.iterations.gotWrong)) this.wrong.push(queryId);
  }

  /** The histogram and got-wrong ids (in the order added) so far. */
  result(): GotWrong {
    return { histogram: this.histogram.bins(), wrong: [...this.wrong] };
  }
}
