/** Missing scores (docs/method.md "missing scores"): what a pair a run file does not score becomes. */
import { z } from 'zod';
import { MISSING_POLICIES } from './enums';

export const MissingSchema = z.strictObject({
  policy: z.enum(MISSING_POLICIES).default('min-minus-margin'),
  /** 'std': one standard deviation of the query's scored values; or a fixed positive number. */
  margin: z.union([z.literal('std'), z.number().positive()]).default('std'),
});
/** A validated missing-score choice. */
export type MissingConfig = z.output<typeof MissingSchema>;
