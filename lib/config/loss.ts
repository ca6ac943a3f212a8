/**
 * The loss (docs/method.md "loss"): α·contrastive + β·KL(P_T ‖ P_S) + γ·KL(P_A* ‖ P_S). One set of
 * defaults for every command: γ = 1 and τ_S = 0.05, the pipeline's (the demo's) values; the old
 * `train` config's γ = 0, τ = 1 are gone.
 */
import { z } from 'zod';

export const LossSchema = z.strictObject({
  alpha: z.number().nonnegative().default(1),
  beta: z.number().nonnegative().default(1),
  gamma: z.number().nonnegative().default(1),
  /** Temperature of the student's softmax in the KL terms (0.05 suits the default cosine student; 1 a dot-product one). */
  studentTemperature: z.number().positive().default(0.05),
  /** Temperature of the contrastive (InfoNCE) term. */
  contrastiveTemperature: z.number().positive().default(0.05),
}).refine((l) => l.alpha + l.beta + l.gamma > 0, { message: 'all loss weights are 0' });
/** A validated loss choice. */
export type LossConfig = z.output<typeof LossSchema>;
