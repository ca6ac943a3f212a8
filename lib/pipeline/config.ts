/**
 * ExperimentConfig: every MTA4DPR choice as a named, validated option with the defaults of
 * DESIGN.md §1. Unknown keys are errors with their path; a table row ("system") is the base
 * config plus a deep-merged override, validated again, so every ablation is one config away.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

import { ModelRefSchema, resolveModelPathsIn, type ModelRef } from '../config/model';

/** Teacher / assistant references: the one schema of lib/config/model.ts. */
export { ModelRefSchema, type ModelRef };

const DataSchema = z.strictObject({
  /** Registry names whose queries are used for distillation (e.g. dl20, dl21, dl22). */
  train: z.array(z.string()).min(1).default(['dl20']),
  /** Registry names evaluated as test sets; never consulted during training or replacement. */
  test: z.array(z.string()).min(1).default(['dl19']),
  /** Held-out slice of the labelled training queries (assistant replacement, early stopping). */
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

const DistributionSchema = z.strictObject({
  normalise: z.enum(['zscore', 'minmax', 'raw']).default('zscore'),
  temperature: z.number().positive().default(0.5),
});

const MissingSchema = z.strictObject({
  policy: z.enum(['min-minus-margin', 'drop', 'rank']).default('min-minus-margin'),
  /** 'std': one standard deviation of the query's scored values; or a fixed positive number. */
  margin: z.union([z.literal('std'), z.number().positive()]).default('std'),
});

const FusionSchema = z.strictObject({
  method: z.enum(['mean', 'zscore-mean', 'rrf', 'weighted']).default('mean'),
  rrfK: z.number().positive().default(60),
  weights: z.array(z.number().nonnegative()).optional(),
});

const SelectionSchema = z.strictObject({
  /** How the per-batch assistant is chosen against the teacher. */
  measure: z.enum(['kl', 'footrule', 'rbo', 'fixed', 'random']).default('kl'),
  /** Candidate name for `fixed` (an assistant name or 'fused'). */
  fixed: z.string().optional(),
  rboP: z.number().gt(0).lt(1).default(0.9),
  /** Offer the fused assistant as a candidate. */
  includeFused: z.boolean().default(true),
  /** Offer the individual assistants as candidates ("fused only" ablation sets this false). */
  includeIndividual: z.boolean().default(true),
});

const StudentSchema = z.strictObject({
  preset: z.enum(['default', 'distilbert-base']).default('default'),
  /** glove: GloVe word pieces + projection; random; hf: a Hugging Face folder (full scale). */
  init: z.enum(['glove', 'random', 'hf']).default('glove'),
  hfModel: z.string().optional(),
  overrides: z.record(z.string(), z.unknown()).default({}),
});

const LossSchema = z.strictObject({
  alpha: z.number().nonnegative().default(1),
  beta: z.number().nonnegative().default(1),
  gamma: z.number().nonnegative().default(1),
  /** Temperature of the student's softmax in the KL terms (0.05 suits the default cosine student; 1 a dot-product one). */
  studentTemperature: z.number().positive().default(0.05),
  /** Temperature of the contrastive (InfoNCE) term. */
  contrastiveTemperature: z.number().positive().default(0.05),
});

const TrainSchema = z.strictObject({
  stepsPerIteration: z.number().int().positive().default(150),
  batchSize: z.number().int().positive().default(8),
  negatives: z.number().int().nonnegative().default(7),
  lr: z.number().positive().default(1e-3),
  warmupFraction: z.number().min(0).max(1).default(0.1),
  weightDecay: z.number().nonnegative().default(0.01),
  clipNorm: z.number().positive().default(1),
  accumulation: z.number().int().positive().default(1),
});

const IterationsSchema = z.strictObject({
  count: z.number().int().positive().default(3),
  gotWrong: z.discriminatedUnion('rule', [
    z.strictObject({ rule: z.literal('top-k'), k: z.number().int().positive().default(10) }),
    z.strictObject({ rule: z.literal('mrr-below'), x: z.number().min(0).max(1) }),
  ]).default({ rule: 'top-k', k: 10 }),
  /** Add the queries the student got wrong, with student-mined negatives, as harder data. */
  hardData: z.boolean().default(true),
  negativesFrom: z.enum(['student', 'teacher']).default('student'),
  /** The student replaces the weakest assistant when better on the held-out slice. */
  replacement: z.boolean().default(true),
  /** Each iteration continues from the previous checkpoint (false: re-initialise). */
  continueTraining: z.boolean().default(true),
});

const EvalSchema = z.strictObject({
  metrics: z.array(z.string()).min(1).default(['nDCG@10', 'RR@10', 'R@100']),
  /** Minimum grade counted relevant by binary measures (TREC DL: 2). */
  relLevel: z.number().int().default(2),
});

/** One configuration of the method (what a table row runs), without the list of rows. */
export const MethodConfigSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seeds: z.array(z.number().int()).min(1).default([1, 2, 3]),
  data: DataSchema.prefault({}),
  teacher: ModelRefSchema,
  assistants: z.array(ModelRefSchema).default([]),
  distribution: DistributionSchema.prefault({}),
  missing: MissingSchema.prefault({}),
  fusion: FusionSchema.prefault({}),
  selection: SelectionSchema.prefault({}),
  student: StudentSchema.prefault({}),
  loss: LossSchema.prefault({}),
  train: TrainSchema.prefault({}),
  iterations: IterationsSchema.prefault({}),
  eval: EvalSchema.prefault({}),
});
export type MethodConfig = z.infer<typeof MethodConfigSchema>;

/** A row of the results table: a name plus overrides deep-merged into the base config. */
export const SystemSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** `trained`: runs the method; `run`: evaluates a bundled run as is; `untrained`: the initial student. */
  kind: z.enum(['trained', 'run', 'untrained']).default('trained'),
  run: z.string().optional(),
  overrides: z.record(z.string(), z.unknown()).default({}),
});
export type SystemSpec = z.infer<typeof SystemSchema>;

/** The whole experiment: the base method config plus the systems (rows) to compare. */
export const ExperimentConfigSchema = MethodConfigSchema.extend({
  systems: z.array(SystemSchema).min(1),
  /** Paired significance tests of every system against these rows. */
  compareTo: z.array(z.string()).default([]),
  /** Wall-clock budget the config is designed for (checked by the reproduction matrix). */
  budgetMinutes: z.number().positive().optional(),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

/** A config error that lists each offending key path. */
export class ConfigError extends Error {
  constructor(readonly source: string, readonly issues: readonly string[]) {
    super(`${source}: invalid config\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : '(root)';
    return `${path}: ${i.message}`;
  });
}

/** Validates a parsed JSON value as an ExperimentConfig; `source` names it in errors. */
export function parseExperimentConfig(value: unknown, source = 'config'): ExperimentConfig {
  const r = ExperimentConfigSchema.safeParse(value);
  if (!r.success) throw new ConfigError(source, formatIssues(r.error));
  // Every row must itself be a valid configuration once its overrides are applied.
  for (const s of r.data.systems) systemConfig(r.data, s);
  return r.data;
}

/** Reads and validates an ExperimentConfig JSON file. */
export function loadExperimentConfig(path: string): ExperimentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(path, [(e as Error).message]);
  }
  // Model folders are written relative to the config file.
  return parseExperimentConfig(resolveModelPathsIn(raw, dirname(resolve(path))), path);
}

/** Deep merge: plain objects merge key by key; arrays and scalars in `over` replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The method config a system (row) runs: base config with the row's overrides, validated. */
export function systemConfig(experiment: ExperimentConfig, system: SystemSpec): MethodConfig {
  const { systems: _s, compareTo: _c, budgetMinutes: _b, ...base } = experiment;
  const merged = deepMerge(base, { ...system.overrides, name: system.name });
  const r = MethodConfigSchema.safeParse(merged);
  if (!r.success) {
    throw new ConfigError(`system '${system.name}'`, formatIssues(r.error).map((m) => `overrides.${m}`));
  }
  return r.data;
}
