/** Optimisation of one iteration: steps, batches, negatives per group, AdamW and its schedule. */
import { z } from 'zod';

export const TrainingSchema = z.strictObject({
  stepsPerIteration: z.number().int().positive().default(150),
  batchSize: z.number().int().positive().default(8),
  negatives: z.number().int().nonnegative().default(7),
  lr: z.number().positive().default(1e-3),
  warmupFraction: z.number().min(0).max(1).default(0.1),
  weightDecay: z.number().nonnegative().default(0.01),
  clipNorm: z.number().positive().default(1),
  accumulation: z.number().int().positive().default(1),
  /** Texts per tower forward pass through gradient caching (same update, bounded activations: the 66M student); absent = whole batch. */
  embedChunk: z.number().int().positive().optional(),
  /** Steps between checkpoints an interrupted iteration resumes from; absent = a quarter of the iteration, at least 10. */
  checkpointEvery: z.number().int().positive().optional(),
  /** Divergence guard (trainer defaults: a loss over 1e4, or the weight norm grown ×100 since step 0, or since step 1 when the student starts at zero weights, stops the run with an error naming the step). */
  divergence: z.strictObject({ maxLoss: z.number().positive().optional(), maxWeightNormGrowth: z.number().positive().optional() }).optional(),
});
/** A validated training choice. */
export type TrainingConfig = z.output<typeof TrainingSchema>;
