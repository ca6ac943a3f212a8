/**
 * Stage "evaluate on the held-out slice": "after each iteration the student is evaluated"
 * (docs/method.md §1), on held-out training queries only: their candidates as the student's
 * pass ranks them (stages/studentPass.ts); the replacement decision reads these measures.
 */
import { answerMeasureDepth } from '../../eval/answers';
import type { MethodConfig } from '../../config';
import type { QueryId, Run } from '../../data/types';
import { evaluate } from '../../eval';
import type { Split } from '../splits';

/** The student's run over the held-out queries' candidates and its measures there. */
export interface HeldOutEvaluation {
  readonly run: Run;
  readonly heldOut: Record<string, number>;
}

/** Measures of the held-out evaluation: nDCG@10 (replacement decides by it) and the config's. */
export function heldOutMeasures(config: MethodConfig): string[] {
  // Answer@k needs answer strings, which training queries need not have: held-out quality is judged by qrels.
  return [...new Set(['nDCG@10', ...config.eval.metrics.filter((m) => answerMeasureDepth(m) === undefined)])];
}

/** `run` over the queries of `queryIds` only, in the run's order. */
export function runOn(run: Run, queryIds: Iterable<QueryId>): Run {
  const keep = new Set(queryIds);
  // By key, then get: a run held by column hands out entries only for the queries asked for.
  return { name: run.name, byQuery: new Map([...run.byQuery.keys()].filter((q) => keep.has(q)).map((q) => [q, run.byQuery.get(q)!])) };
}

/** Mean measures of `run` over `queryIds` only. */
export function qualityOn(split: Split, run: Run, queryIds: readonly QueryId[], relLevel: number, measures: readonly string[]): Record<string, number> {
  return evaluate(split.qrels!, runOn(run, queryIds), [...measures], { relLevel }).mean;
}
