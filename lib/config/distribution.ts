/** Score → distribution (docs/method.md "score → distribution"): per query and model, normalise, then softmax(x / τ). */
import { z } from 'zod';
import { NORMALISATIONS } from './enums';

export const DistributionSchema = z.strictObject({
  normalise: z.enum(NORMALISATIONS).default('zscore'),
  temperature: z.number().positive().default(0.5),
});
/** A validated distribution choice. */
export type DistributionConfig = z.output<typeof DistributionSchema>;
