/** Evaluation: the measures (trec_eval names, checked by lib/eval before any work) and the relevance level. */
import { z } from 'zod';

export const EvaluationSchema = z.strictObject({
  metrics: z.array(z.string().min(1)).min(1).default(['nDCG@10', 'RR@10', 'R@100']),
  /** Minimum grade counted relevant by binary measures (TREC DL: 2). */
  relLevel: z.number().int().default(2),
});
/** A validated evaluation choice. */
export type EvaluationConfig = z.output<typeof EvaluationSchema>;
