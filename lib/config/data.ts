/**
 * The experiment's data section: which datasets train and test (registry names, names of the
 * config's `datasets`, or `NAME/train`, `NAME/test` of a declared split), the held-out slice and
 * how candidates are formed; `reverse` adds the opposite direction (train on test, test on train).
 */
import { z } from 'zod';

export const DataSchema = z.strictObject({
  /** Datasets whose queries are used for distillation (e.g. dl20, dl21, dl22). */
  train: z.array(z.string().min(1)).min(1).default(['dl20']),
  /** Datasets evaluated as test sets; never consulted during training or replacement. */
  test: z.array(z.string().min(1)).min(1).default(['dl19']),
  /**
   * Also run the reverse direction: train on the `test` datasets and test on the `train` ones
   * (each direction with its own held-out slice), and pool both directions' test queries in one
   * more row per system and one more paired test per comparison (lib/pipeline/directions.ts).
   */
  reverse: z.boolean().default(false),
  /**
   * Folder of the full-scale datasets in their official layout (lib/data/officialLayout.ts): with
   * it, train/test may name msmarco-passage/train, msmarco-passage/dev/small, trec-dl19-passage,
   * trec-dl20-passage, nq-dpr/train and nq-dpr/test. Relative to the config's folder;
   * `reproduce --data-root DIR` sets it.
   */
  root: z.string().min(1).optional(),
  /** Held-out slice of the labelled training queries (assistant replacement, monitoring). */
  heldOut: z.strictObject({ fraction: z.number().gt(0).lt(1).default(0.2), seed: z.number().int().default(0) }).prefault({}),
  /**
   * Training candidates per query: union of the top-`depth` of these runs (default: teacher +
   * assistants). Test candidates: union of the top-`testDepth` of every bundled run of the test set.
   */
  candidates: z.strictObject({
    depth: z.number().int().positive().default(100),
    testDepth: z.number().int().positive().default(100),
    runs: z.array(z.string()).optional(),
  }).prefault({}),
});
/** A validated data section. */
export type DataConfig = z.output<typeof DataSchema>;
