/**
 * The assistants configuration (zod-validated): which dataset, which teacher and assistants, how
 * candidates are formed, and the distribution / fusion / missing-score / selection choices, each
 * with the DESIGN.md §1 default. Self-contained so the experiment config can embed the same keys.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ModelRefSchema, type ModelRef } from '../config/model';
import { InputError } from '../io';

/** A teacher or assistant: the one model-reference schema (lib/config/model.ts). */
export const AssistantModelSpec = ModelRefSchema;
/** A validated teacher / assistant entry. */
export type AssistantModelSpec = ModelRef;

/** The missing-score policy as configured (see `MissingPolicy`). */
export const MissingScoreConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('min-minus-margin'), margin: z.union([z.literal('std'), z.number().positive()]).default('std') }).strict(),
  z.object({ kind: z.literal('drop') }).strict(),
  z.object({ kind: z.literal('rank') }).strict(),
]);

/** The assistants configuration; every field but dataset / teacher / assistants has a default. */
export const AssistantsConfig = z.object({
  dataset: z.enum(['dl19', 'dl20', 'dl21', 'dl22', 'scifact-train', 'scifact-test', 'dl19-mini', 'scifact-mini', 'cranfield', 'cacm']),
  teacher: AssistantModelSpec,
  assistants: z.array(AssistantModelSpec).min(1),
  candidates: z.object({
    from: z.enum(['runs', 'pool']).default('runs'),
    depth: z.number().int().positive().default(100),
  }).strict().default({ from: 'runs', depth: 100 }),
  distribution: z.object({
    normalise: z.enum(['zscore', 'minmax', 'raw']).default('zscore'),
    temperature: z.number().positive().default(0.5),
  }).strict().default({ normalise: 'zscore', temperature: 0.5 }),
  fusion: z.object({
    method: z.enum(['mean', 'zscore-mean', 'rrf', 'weighted']).default('mean'),
    weights: z.array(z.number().nonnegative()).optional(),
    rrfK: z.number().positive().default(60),
  }).strict().default({ method: 'mean', rrfK: 60 }),
  missing: MissingScoreConfig.default({ kind: 'min-minus-margin', margin: 'std' }),
  selection: z.object({
    measure: z.enum(['kl', 'footrule', 'rbo', 'fixed', 'random']).default('kl'),
    fixed: z.string().optional(),
    seed: z.number().int().default(0),
    rboP: z.number().gt(0).lt(1).default(0.9),
  }).strict().default({ measure: 'kl', seed: 0, rboP: 0.9 }),
  /** Folder for per-(scorer, query) score chunks; no cache when absent. */
  cacheDir: z.string().optional(),
}).strict().superRefine((c, ctx) => {
  const names = [c.teacher.name, ...c.assistants.map((a) => a.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) ctx.addIssue({ code: 'custom', message: `model name '${dup}' is used twice`, path: ['assistants'] });
  if (names.includes('fused')) ctx.addIssue({ code: 'custom', message: "'fused' is reserved for the fused assistant", path: ['assistants'] });
  if (c.fusion.method === 'weighted' && c.fusion.weights?.length !== c.assistants.length) {
    ctx.addIssue({ code: 'custom', message: `fusion 'weighted' needs ${c.assistants.length} weights`, path: ['fusion', 'weights'] });
  }
});
/** A validated assistants configuration (defaults filled in). */
export type AssistantsConfig = z.infer<typeof AssistantsConfig>;

/** Validates a parsed config; errors name `source` and the offending field. */
export function parseAssistantsConfig(value: unknown, source = 'config'): AssistantsConfig {
  const r = AssistantsConfig.safeParse(value);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InputError(source, undefined, `invalid assistants config: ${msg}`);
  }
  return r.data;
}

/** Reads and validates a JSON assistants config file. */
export async function loadAssistantsConfig(path: string): Promise<AssistantsConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, undefined, `cannot read JSON: ${(e as Error).message}`);
  }
  return parseAssistantsConfig(raw, path);
}
