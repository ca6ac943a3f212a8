/**
 * The experiment config: one method configuration (every MTA4DPR choice, with the defaults of
 * docs/method.md) plus the rows of the results table. A row is the base config deep-merged with
 * its overrides and validated again, so an unknown key inside an override is an error naming
 * `systems.N.overrides.PATH`. Duplicate row names are rejected.
 */
import { z } from 'zod';
import { DataSchema } from './data';
import { DatasetSpecsSchema } from './dataset';
import { DistributionSchema } from './distribution';
import { ROW_KINDS } from './enums';
import { ConfigError, formatIssues } from './errors';
import { EvaluationSchema } from './evaluation';
import { FusionSchema } from './fusion';
import { IterationsSchema } from './iterations';
import { LossSchema } from './loss';
import { MissingSchema } from './missing';
import { ModelRefSchema } from './model';
import { SelectionSchema } from './selection';
import { StudentSchema } from './student';
import { TrainingSchema } from './training';

/** The name reserved for the fused assistant. */
export const FUSED_NAME = 'fused';

const methodFields = {
  name: z.string().min(1),
  description: z.string().optional(),
  seeds: z.array(z.number().int()).min(1).default([1, 2, 3]),
  /** The user's own datasets by their files (lib/config/dataset.ts); data.train/test may name them, or NAME/train, NAME/test. */
  datasets: DatasetSpecsSchema.default({}),
  data: DataSchema.prefault({}),
  teacher: ModelRefSchema,
  assistants: z.array(ModelRefSchema).default([]),
  distribution: DistributionSchema.prefault({}),
  missing: MissingSchema.prefault({}),
  fusion: FusionSchema.prefault({}),
  selection: SelectionSchema.prefault({}),
  student: StudentSchema.prefault({}),
  loss: LossSchema.prefault({}),
  train: TrainingSchema.prefault({}),
  iterations: IterationsSchema.prefault({}),
  eval: EvaluationSchema.prefault({}),
};

type MethodFields = z.output<z.ZodObject<typeof methodFields>>;

/** Checks across keys of one method configuration (model names, fusion weights, fixed selection). */
function checkMethod(c: MethodFields, ctx: z.RefinementCtx): void {
  const names = [c.teacher.name, ...c.assistants.map((a) => a.name)];
  names.forEach((n, i) => {
    const path = i === 0 ? ['teacher', 'name'] : ['assistants', i - 1, 'name'];
    if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', message: `model name '${n}' is used twice`, path });
    if (n === FUSED_NAME) ctx.addIssue({ code: 'custom', message: `'${FUSED_NAME}' is reserved for the fused assistant`, path });
  });
  if (c.fusion.method === 'weighted' && c.fusion.weights?.length !== c.assistants.length) {
    ctx.addIssue({ code: 'custom', message: `fusion 'weighted' needs ${c.assistants.length} weights (one per assistant)`, path: ['fusion', 'weights'] });
  }
  if (c.selection.measure === 'fixed' && c.selection.fixed !== undefined && ![FUSED_NAME, ...c.assistants.map((a) => a.name)].includes(c.selection.fixed)) {
    ctx.addIssue({ code: 'custom', message: `'${c.selection.fixed}' is neither an assistant nor '${FUSED_NAME}'`, path: ['selection', 'fixed'] });
  }
}

/** One configuration of the method (what a table row runs), without the list of rows. */
export const MethodConfigSchema = z.strictObject(methodFields).superRefine(checkMethod);
/** A validated method configuration (what one row runs). */
export type MethodConfig = z.output<typeof MethodConfigSchema>;

/** A row of the results table: a name plus overrides deep-merged into the base config. */
export const SystemSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** `trained`: runs the method; `run`: evaluates a bundled run as is; `untrained`: the initial student. */
  kind: z.enum(ROW_KINDS).default('trained'),
  run: z.string().optional(),
  overrides: z.record(z.string(), z.unknown()).default({}),
});
/** A validated row. */
export type SystemSpec = z.output<typeof SystemSchema>;

/** The whole experiment: the base method config plus the rows (systems) to compare. */
export const ExperimentConfigSchema = z.strictObject({
  ...methodFields,
  systems: z.array(SystemSchema).min(1),
  /** Paired significance tests of every row against these rows. */
  compareTo: z.array(z.string()).default([]),
  /** Wall-clock budget the config is designed for (checked by the reproduction matrix). */
  budgetMinutes: z.number().positive().optional(),
}).superRefine((c, ctx) => {
  checkMethod(c, ctx);
  const names = c.systems.map((s) => s.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', message: `row name '${n}' is used twice`, path: ['systems', i, 'name'] });
  });
  const tests = new Set([...c.data.test, ...(c.data.reverse ? c.data.train : [])]);
  for (const name of Object.keys(c.eval.relLevelByTest)) {
    if (!tests.has(name)) ctx.addIssue({ code: 'custom', message: `'${name}' is not a test set (test sets: ${[...tests].join(', ')})`, path: ['eval', 'relLevelByTest', name] });
  }
  c.compareTo.forEach((n, i) => {
    if (!names.includes(n)) ctx.addIssue({ code: 'custom', message: `'${n}' is not a row (rows: ${names.join(', ')})`, path: ['compareTo', i] });
  });
});
/** A validated experiment config. */
export type ExperimentConfig = z.output<typeof ExperimentConfigSchema>;

/** Validates a parsed JSON value as an ExperimentConfig (rows included); `source` names it in errors. */
export function parseExperimentConfig(value: unknown, source = 'config'): ExperimentConfig {
  const r = ExperimentConfigSchema.safeParse(value);
  if (!r.success) throw new ConfigError(source, formatIssues(r.error));
  // Every row must itself be a valid configuration once its overrides are applied.
  const issues = r.data.systems.flatMap((s, i) => rowIssues(r.data, s, i));
  if (issues.length > 0) throw new ConfigError(source, issues);
  return r.data;
}

/** Deep merge: plain objects merge key by key; arrays and scalars in `over` replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(base, k) ? deepMerge(base[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergedRow(experiment: ExperimentConfig, system: SystemSpec): unknown {
  const { systems: _s, compareTo: _c, budgetMinutes: _b, ...base } = experiment;
  return deepMerge(base, { ...system.overrides, name: system.name });
}

function rowIssues(experiment: ExperimentConfig, system: SystemSpec, index: number): string[] {
  const r = MethodConfigSchema.safeParse(mergedRow(experiment, system));
  return r.success ? [] : formatIssues(r.error, ['systems', index, 'overrides']);
}

/** The method config a row runs: the base config with the row's overrides, validated. */
export function systemConfig(experiment: ExperimentConfig, system: SystemSpec): MethodConfig {
  const r = MethodConfigSchema.safeParse(mergedRow(experiment, system));
  if (!r.success) throw new ConfigError(`row '${system.name}'`, formatIssues(r.error, ['overrides']));
  return r.data;
}

/** The method config of the base experiment (no row overrides). */
export function baseConfig(experiment: ExperimentConfig): MethodConfig {
  return systemConfig(experiment, { name: experiment.name, kind: 'trained', overrides: {} });
}

/** The row named `name`, or a ConfigError listing the rows. */
export function findRow(experiment: ExperimentConfig, name: string): SystemSpec {
  const row = experiment.systems.find((s) => s.name === name);
  if (!row) throw new ConfigError(experiment.name, [`--row '${name}' is not a row (rows: ${experiment.systems.map((s) => s.name).join(', ')})`]);
  return row;
}
