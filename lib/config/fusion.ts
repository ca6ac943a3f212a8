/** Fusion (docs/method.md "fusion"): how the assistants' distributions become one fused assistant. */
import { z } from 'zod';
import { FUSION_METHODS } from './enums';

export const FusionSchema = z.strictObject({
  method: z.enum(FUSION_METHODS).default('mean'),
  rrfK: z.number().positive().default(60),
  /** One non-negative weight per assistant, in config order (method 'weighted'). */
  weights: z.array(z.number().nonnegative()).optional(),
});
/** A validated fusion choice. */
export type FusionConfig = z.output<typeof FusionSchema>;
