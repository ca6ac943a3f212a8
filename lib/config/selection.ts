/** Per-batch selection (docs/method.md "selection"): which assistant a batch distils from. */
import { z } from 'zod';
import { SELECTION_MEASURES } from './enums';

export const SelectionSchema = z.strictObject({
  /** How the per-batch assistant is chosen against the teacher. */
  measure: z.enum(SELECTION_MEASURES).default('kl'),
  /** Candidate name for `fixed` (an assistant name or 'fused'). */
  fixed: z.string().optional(),
  rboP: z.number().gt(0).lt(1).default(0.9),
  /** Offer the fused assistant as a candidate. */
  includeFused: z.boolean().default(true),
  /** Offer the individual assistants as candidates ("fused only" ablation sets this false). */
  includeIndividual: z.boolean().default(true),
});
/** A validated selection choice. */
export type SelectionConfig = z.output<typeof SelectionSchema>;
