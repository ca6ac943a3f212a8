/**
 * Student encoder configuration (validated with zod) and the presets used by the pipeline.
 */
import { z } from 'zod';

/** Architecture, pooling and scoring of a dual encoder. */
export const StudentConfigSchema = z.object({
  /** Parameter layout: BERT has token-type embeddings; DistilBERT does not. */
  arch: z.enum(['bert', 'distilbert']).default('distilbert'),
  vocabSize: z.number().int().positive(),
  /** Word-embedding width; when smaller than `hidden`, a learned projection maps it up (GloVe students). */
  embeddingDim: z.number().int().positive().optional(),
  hidden: z.number().int().positive(),
  /** 0 layers = a bag of (projected) word pieces, pooled. */
  layers: z.number().int().min(0),
  heads: z.number().int().positive(),
  ffn: z.number().int().positive(),
  maxPositions: z.number().int().positive(),
  typeVocabSize: z.number().int().positive().default(2),
  layerNormEps: z.number().positive().default(1e-12),
  pooling: z.enum(['cls', 'mean', 'idf-mean']).default('cls'),
  similarity: z.enum(['dot', 'cosine']).default('dot'),
  shareTowers: z.boolean().default(true),
  queryMaxLength: z.number().int().min(2).default(32),
  passageMaxLength: z.number().int().min(2).default(128),
  dropout: z.number().min(0).max(0.9).default(0),
  /** Zero-initialise attention-output and FFN-output weights, so an untrained model passes its embeddings through. */
  zeroInitResiduals: z.boolean().default(false),
  initStd: z.number().positive().default(0.02),
  /** Texts per forward pass in `encode`. */
  encodeBatchSize: z.number().int().positive().default(64),
}).refine((c) => c.hidden % c.heads === 0, { message: 'hidden must be divisible by heads' })
  .refine((c) => Math.max(c.queryMaxLength, c.passageMaxLength) <= c.maxPositions, { message: 'max lengths must not exceed maxPositions' });

/** A validated student configuration. */
export type StudentConfig = z.output<typeof StudentConfigSchema>;
/** Input accepted by {@link parseStudentConfig} (defaults filled in). */
export type StudentConfigInput = z.input<typeof StudentConfigSchema>;

/** Validates a configuration; the error lists every offending field. */
export function parseStudentConfig(input: unknown, source = 'student config'): StudentConfig {
  const r = StudentConfigSchema.safeParse(input);
  if (!r.success) throw new Error(`${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/**
 * CPU default: GloVe-initialised 100-d word pieces projected to 128 (wider than GloVe, so no
 * information is lost), 1 post-LN layer, FFN 256, idf-weighted mean pooling, cosine. Sized with
 * bench/encode.ts: the attention products run on wasm's slow batched loop, so every extra layer
 * roughly doubles encoding time (2 layers: ≈250 CPU-s for the DL19 pool; this one: ≈90).
 */
export const DEFAULT_STUDENT: StudentConfig = parseStudentConfig({
  arch: 'distilbert',
  vocabSize: 30522,
  embeddingDim: 100,
  hidden: 128,
  layers: 1,
  heads: 2,
  ffn: 256,
  maxPositions: 512,
  pooling: 'idf-mean',
  similarity: 'cosine',
  queryMaxLength: 32,
  passageMaxLength: 128,
  zeroInitResiduals: true,
});

/** distilbert-base-uncased's shape (66M parameters): the full-scale student. */
export const DISTILBERT_BASE: StudentConfig = parseStudentConfig({
  arch: 'distilbert',
  vocabSize: 30522,
  hidden: 768,
  layers: 6,
  heads: 12,
  ffn: 3072,
  maxPositions: 512,
  layerNormEps: 1e-12,
  pooling: 'cls',
  similarity: 'dot',
  queryMaxLength: 32,
  passageMaxLength: 256,
  encodeBatchSize: 32,
});
