/**
 * Evaluation: the measures (trec_eval names, checked by lib/eval before any work), the relevance
 * level of binary measures (one default, and one per test set where collections differ: MS MARCO
 * dev counts grade 1 relevant, TREC DL grade 2), and how trained rows meet the test set — by
 * re-ranking each test query's pool, or by dense retrieval over the whole collection (the paper's).
 */
import { z } from 'zod';

/** How a student is evaluated on a test set. */
export const EVAL_MODES = ['rerank', 'retrieve'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

export const EvaluationSchema = z.strictObject({
  metrics: z.array(z.string().min(1)).min(1).default(['nDCG@10', 'RR@10', 'R@100']),
  /** Minimum grade counted relevant by binary measures (TREC DL: 2); training and held-out use it too. */
  relLevel: z.number().int().default(2),
  /** Per test dataset (by its name in data.test), a relevance level replacing `relLevel` there. */
  relLevelByTest: z.record(z.string().min(1), z.number().int()).default({}),
  /**
   * `rerank`: the student re-ranks each test query's pool (union of the top-`testDepth` of every
   * run of the test set). `retrieve`: it encodes the whole test collection and retrieves the top
   * `testDepth` per query by exact inner product. Bundled run rows are evaluated as published in both.
   */
  mode: z.enum(EVAL_MODES).default('rerank'),
  /**
   * How `Answer@k` measures (DPR's top-k answer accuracy, the paper's NQ "R@k") match answers:
   * `dpr-tokens` as DPR's has_answer (its SimpleTokenizer's tokens), `normalized` as SQuAD's normalisation.
   */
  answerMatch: z.enum(['dpr-tokens', 'normalized']).default('dpr-tokens'),
});
/** A validated evaluation choice. */
export type EvaluationConfig = z.output<typeof EvaluationSchema>;

/** The relevance level of binary measures on test set `dataset`. */
export function testRelLevel(evaluation: EvaluationConfig, dataset: string): number {
  return evaluation.relLevelByTest[dataset] ?? evaluation.relLevel;
}
