/**
 * The iterations (docs/method.md "got wrong", "harder data", "assistant replacement",
 * "iterations"): how many, what "got wrong" means, where harder data comes from, replacement.
 */
import { z } from 'zod';
import { NEGATIVE_SOURCES } from './enums';

export const GotWrongSchema = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('top-k'), k: z.number().int().positive().default(10) }),
  z.strictObject({ rule: z.literal('mrr-below'), x: z.number().min(0).max(1) }),
]);

export const IterationsSchema = z.strictObject({
  count: z.number().int().positive().default(3),
  gotWrong: GotWrongSchema.default({ rule: 'top-k', k: 10 }),
  /** Add the queries the student got wrong, with newly retrieved and scored candidates, as harder data. */
  hardData: z.boolean().default(true),
  /** Who retrieves the new candidates over the whole training collection. */
  negativesFrom: z.enum(NEGATIVE_SOURCES).default('student'),
  /** Depth of the retrieval over the collection that mines new candidates. */
  mineDepth: z.number().int().positive().default(30),
  /** The student replaces the weakest assistant when better on the held-out slice. */
  replacement: z.boolean().default(true),
  /** Each iteration continues from the previous checkpoint (false: re-initialise). */
  continueTraining: z.boolean().default(true),
});
/** A validated iterations choice. */
export type IterationsConfig = z.output<typeof IterationsSchema>;
/** A validated "got wrong" rule. */
export type GotWrongConfig = z.output<typeof GotWrongSchema>;
