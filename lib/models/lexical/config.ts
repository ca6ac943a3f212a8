/**
 * Configuration of the hashed lexical student (validated with zod): hashing width, BM25 tf
 * saturation, idf exponents per side, analysis switches.
 */
import { z } from 'zod';

/** Everything that defines a hashed lexical encoder except its vocabulary statistics and weights. */
export const LexicalConfigSchema = z.strictObject({
  /** Width of the dense vectors; each term's ±1 vector has this many entries (multiple of 32). */
  dim: z.number().int().positive().multipleOf(32).default(4096),
  /** BM25 tf saturation k1 and passage length normalisation b (Anserini's defaults). */
  k1: z.number().positive().default(0.9),
  b: z.number().min(0).max(1).default(0.4),
  /** idf exponents: the product of both sides' idf powers is BM25's idf¹ when they sum to 1. */
  queryIdfPower: z.number().min(0).default(0.75),
  passageIdfPower: z.number().min(0).default(0.25),
  /** Remove Lucene's English stop words. */
  stopwords: z.boolean().default(true),
  /** Harman's S-stemmer (plurals). */
  stem: z.boolean().default(true),
  /** L2-normalise query vectors (passage norms carry BM25's length effects, so they stay). */
  normalizeQueries: z.boolean().default(true),
  /** Distinct terms kept per text (the first ones); longer texts are cut. */
  maxTerms: z.number().int().positive().default(512),
  /** Texts per batch in `encode`. */
  encodeBatchSize: z.number().int().positive().default(256),
});

/** A validated lexical configuration. */
export type LexicalConfig = z.output<typeof LexicalConfigSchema>;
/** Input accepted by {@link parseLexicalConfig}. */
export type LexicalConfigInput = z.input<typeof LexicalConfigSchema>;

/** Validates a lexical configuration; the error lists every offending field. */
export function parseLexicalConfig(input: unknown, source = 'lexical student config'): LexicalConfig {
  const r = LexicalConfigSchema.safeParse(input ?? {});
  if (!r.success) throw new Error(`${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}
