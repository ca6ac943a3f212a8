/**
 * The `mta4dpr train` configuration (zod, strict: an unknown key is an error naming its path):
 * dataset, teacher and assistant runs, student preset, loss weights, optimiser, eval slice.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ModelRefSchema as ModelRef } from '../config/model';
import { InputError } from '../io';

/** Validated training configuration. */
export const TrainConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** Registry name (lib/data/registry.ts), e.g. 'dl20'. */
  dataset: z.enum(['dl19', 'dl20', 'dl21', 'dl22', 'scifact-train', 'scifact-test', 'dl19-mini', 'scifact-mini', 'cranfield', 'cacm']),
  teacher: ModelRef,
  assistants: z.array(ModelRef).default([]),
  /** Candidates: union of the top-`depth` of the teacher's and assistants' runs. */
  candidates: z.strictObject({ depth: z.number().int().positive().default(100) }).prefault({}),
  distribution: z.strictObject({
    normalise: z.enum(['zscore', 'minmax', 'raw']).default('zscore'),
    temperature: z.number().positive().default(0.5),
  }).prefault({}),
  missing: z.strictObject({ margin: z.union([z.literal('std'), z.number().positive()]).default('std') }).prefault({}),
  selection: z.strictObject({
    measure: z.enum(['kl', 'footrule', 'rbo', 'fixed', 'random']).default('kl'),
    fixed: z.string().optional(),
    includeFused: z.boolean().default(true),
    rboP: z.number().gt(0).lt(1).default(0.9),
  }).prefault({}),
  student: z.strictObject({
    preset: z.enum(['default', 'distilbert-base']).default('default'),
    /** glove: GloVe word pieces + idf pooling weights from the training collection (lib/models); random: seeded init. */
    init: z.enum(['glove', 'random']).default('glove'),
    /** Student config fields overriding the preset (validated by lib/models). */
    overrides: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(0),
  }).prefault({}),
  loss: z.strictObject({
    alpha: z.number().nonnegative().default(1),
    beta: z.number().nonnegative().default(1),
    gamma: z.number().nonnegative().default(0),
    studentTemperature: z.number().positive().default(1),
    contrastiveTemperature: z.number().positive().default(1),
    inBatchNegatives: z.boolean().default(true),
  }).prefault({}),
  groups: z.strictObject({
    negatives: z.number().int().positive().default(7),
    positive: z.enum(['label', 'teacher-top1']).optional(),
    relLevel: z.number().int().default(2),
  }).prefault({}),
  train: z.strictObject({
    steps: z.number().int().positive().default(200),
    batchSize: z.number().int().positive().default(8),
    accumulationSteps: z.number().int().positive().default(1),
    /** Texts per tower forward pass through gradient caching (same update, bounded activations); absent = whole batch. */
    embedChunk: z.number().int().positive().optional(),
    lr: z.number().positive().default(1e-3),
    warmupFraction: z.number().min(0).max(1).default(0.1),
    weightDecay: z.number().nonnegative().default(0.01),
    maxGradNorm: z.number().positive().default(1),
    checkpointEvery: z.number().int().positive().default(50),
    keepCheckpoints: z.number().int().positive().default(2),
    logEvery: z.number().int().positive().default(1),
    /** Divergence guard (trainer defaults: loss > 1e4, weight norm ×100 since step 0, or since step 1 for a zero-initialised model). */
    divergence: z.strictObject({ maxLoss: z.number().positive().optional(), maxWeightNormGrowth: z.number().positive().optional() }).optional(),
  }).prefault({}),
  seed: z.number().int().default(1),
  eval: z.strictObject({
    /** Held-out training queries (seeded pick among judged queries), never trained on. 0 = no evaluation. */
    queries: z.number().int().nonnegative().default(10),
    measures: z.array(z.string()).min(1).default(['nDCG@10']),
    relLevel: z.number().int().default(2),
    every: z.number().int().positive().optional(),
    earlyStopping: z.strictObject({ metric: z.string(), patience: z.number().int().positive(), minDelta: z.number().nonnegative().default(0) }).optional(),
  }).prefault({}),
}).superRefine((c, ctx) => {
  if (c.loss.gamma > 0 && c.assistants.length === 0) ctx.addIssue({ code: 'custom', message: 'gamma > 0 needs at least one assistant', path: ['assistants'] });
  if (c.loss.alpha + c.loss.beta + c.loss.gamma === 0) ctx.addIssue({ code: 'custom', message: 'all loss weights are 0', path: ['loss'] });
});

/** A validated training configuration. */
export type TrainConfig = z.output<typeof TrainConfigSchema>;

/** Validates a parsed config; the error names `source` and each offending path. */
export function parseTrainConfig(value: unknown, source = 'train config'): TrainConfig {
  const r = TrainConfigSchema.safeParse(value);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InputError(source, undefined, `invalid train config: ${msg}`);
  }
  return r.data;
}

/** Reads and validates a JSON config file. */
export function loadTrainConfig(path: string): TrainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, undefined, `cannot read JSON: ${(e as Error).message}`);
  }
  return parseTrainConfig(raw, path);
}
