/**
 * The one model-reference schema: what a teacher, an assistant or a result row scores with. Each
 * kind is a zod object discriminated on `kind`; an entry without `kind` is a run file (`run`), so
 * every config written before model scorers existed keeps its meaning. Paths are as written in the
 * config; `resolveModelPaths` makes them absolute against the config file's folder.
 * Leaf module: imports only zod and node built-ins.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** Every kind of model reference, in the order the docs list them. */
export const MODEL_KINDS = ['run', 'rank', 'bm25', 'dense', 'cross-encoder'] as const;
/** One kind of model reference. */
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Passage fields BM25 may index. */
export const BM25_FIELDS = ['title', 'text'] as const;
/** A passage field BM25 may index. */
export type Bm25FieldName = (typeof BM25_FIELDS)[number];

/** Pooling of a dense encoder's token states. */
export const POOLINGS = ['cls', 'mean'] as const;
/** Query–passage similarity of a dense encoder. */
export const SIMILARITIES = ['dot', 'cosine'] as const;
/** Which engine runs a model: `auto` = onnxruntime when it loads and an ONNX graph exists or can be exported, else tfjs. */
export const ENGINES = ['auto', 'onnxruntime', 'tfjs'] as const;
/** Model-folder layouts a dense scorer reads; `auto` detects from the files present. */
export const DENSE_FORMATS = ['auto', 'hf', 'onnx', 'checkpoint'] as const;
/** Model-folder layouts a cross-encoder reads; `auto` detects from the files present. */
export const CROSS_ENCODER_FORMATS = ['auto', 'hf', 'onnx'] as const;

const name = z.string().min(1);
/** System name of a run file of the dataset (default: the model's `name`). */
const runName = z.string().min(1).optional();
const path = z.string().min(1);
const batchSize = z.number().int().positive().default(32);
const engine = z.enum(ENGINES).default('auto');
const maxLength = z.number().int().positive().optional();

/** A run file's scores; candidates outside the run get the missing-score policy. */
export const RunModelRefSchema = z.strictObject({ name, kind: z.literal('run').default('run'), run: runName });
/** Only the rank order of a run (its score column is meaningless): score = −rank. */
export const RankModelRefSchema = z.strictObject({ name, kind: z.literal('rank'), run: runName });
/** BM25 computed at run time over the collection, for any query (Anserini defaults k1 = 0.9, b = 0.4). */
export const Bm25ModelRefSchema = z.strictObject({
  name,
  kind: z.literal('bm25'),
  k1: z.number().nonnegative().default(0.9),
  b: z.number().min(0).max(1).default(0.4),
  /** Fields indexed together (concatenated, title first); a field empty in the whole collection is skipped with a note. */
  fields: z.array(z.enum(BM25_FIELDS)).min(1).default(['title', 'text'])
    .refine((f) => new Set(f).size === f.length, 'a field is listed twice'),
});
/** A bi-encoder folder: HF BERT/DistilBERT safetensors, an ONNX export, or a student checkpoint of this package. */
export const DenseModelRefSchema = z.strictObject({
  name,
  kind: z.literal('dense'),
  /** Model folder, relative to the config file. */
  path,
  format: z.enum(DENSE_FORMATS).default('auto'),
  /** Default: the folder's config (`mta4dpr.pooling`), else cls. */
  pooling: z.enum(POOLINGS).optional(),
  /** Default: the folder's config (`mta4dpr.similarity`), else dot. */
  similarity: z.enum(SIMILARITIES).optional(),
  queryMaxLength: maxLength,
  passageMaxLength: maxLength,
  batchSize,
  engine,
});
/** A sequence-pair classifier folder (HF BertForSequenceClassification safetensors or ONNX): score = logit. */
export const CrossEncoderModelRefSchema = z.strictObject({
  name,
  kind: z.literal('cross-encoder'),
  /** Model folder, relative to the config file. */
  path,
  format: z.enum(CROSS_ENCODER_FORMATS).default('auto'),
  /** Tokens of `[CLS] query [SEP] passage [SEP]` (default: min(512, max_position_embeddings)). */
  maxLength,
  /** Index of the positive ("relevant") label when the classifier has several outputs (default: the last). */
  positiveLabel: z.number().int().nonnegative().optional(),
  batchSize,
  engine,
});

/** Any model reference (validated, defaults filled in). */
export const ModelRefSchema = z.discriminatedUnion('kind', [
  RunModelRefSchema, RankModelRefSchema, Bm25ModelRefSchema, DenseModelRefSchema, CrossEncoderModelRefSchema,
]);

/** A validated model reference. */
export type ModelRef = z.output<typeof ModelRefSchema>;
/** A model reference as written in a config (kind and defaults optional). */
export type ModelRefInput = z.input<typeof ModelRefSchema>;
/** A validated `run` reference. */
export type RunModelRef = z.output<typeof RunModelRefSchema>;
/** A validated `rank` reference. */
export type RankModelRef = z.output<typeof RankModelRefSchema>;
/** A validated `bm25` reference. */
export type Bm25ModelRef = z.output<typeof Bm25ModelRefSchema>;
/** A validated `dense` reference. */
export type DenseModelRef = z.output<typeof DenseModelRefSchema>;
/** A validated `cross-encoder` reference. */
export type CrossEncoderModelRef = z.output<typeof CrossEncoderModelRefSchema>;
/** A reference that reads a model folder. */
export type FolderModelRef = DenseModelRef | CrossEncoderModelRef;

/** True for the kinds that read a model folder (`dense`, `cross-encoder`). */
export function isFolderModelRef(ref: ModelRef): ref is FolderModelRef {
  return ref.kind === 'dense' || ref.kind === 'cross-encoder';
}

/** True for the kinds backed by a run file of the dataset (`run`, `rank`). */
export function isRunModelRef(ref: ModelRef): ref is RunModelRef | RankModelRef {
  return ref.kind === 'run' || ref.kind === 'rank';
}

/** The reference with its folder path made absolute against `baseDir` (the config file's folder). */
export function resolveModelPaths<T extends ModelRef>(ref: T, baseDir: string): T {
  if (!isFolderModelRef(ref) || isAbsolute(ref.path)) return ref;
  return { ...ref, path: resolve(baseDir, ref.path) };
}

/** The run-file system a `run` / `rank` reference reads (`run`, default `name`); undefined for computed kinds. */
export function runSystemOf(ref: ModelRef): string | undefined {
  return isRunModelRef(ref) ? (ref.run ?? ref.name) : undefined;
}

/**
 * A parsed config (raw JSON) with the `path` of every dense / cross-encoder reference in it made
 * absolute against `baseDir`, wherever it sits (teacher, assistants, a row's overrides). Run
 * before validation, so rows merged later keep the config file's meaning of a relative path.
 */
export function resolveModelPathsIn(value: unknown, baseDir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveModelPathsIn(v, baseDir));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveModelPathsIn(v, baseDir);
  const kind = out.kind;
  if ((kind === 'dense' || kind === 'cross-encoder') && typeof out.path === 'string' && out.path !== '' && !isAbsolute(out.path)) {
    out.path = resolve(baseDir, out.path);
  }
  return out;
}
