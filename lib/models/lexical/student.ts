/**
 * Building the hashed lexical student from its training collection: vocabulary and idf from the
 * collection's texts, weights at the training-free start (θ = 0).
 */
import { parseLexicalConfig, type LexicalConfig, type LexicalConfigInput } from './config';
import { HashedLexicalEncoder } from './encoder';
import { buildVocabulary } from './vocabulary';

/** Options of {@link createHashedLexicalStudent}. */
export interface HashedLexicalStudentOptions {
  readonly config?: LexicalConfigInput | LexicalConfig;
  /** The training collection's passage texts: vocabulary, document frequencies and mean length. */
  readonly idfTexts: Iterable<string>;
  /** Seed of the term vectors (same seed → identical vectors). Default 0. */
  readonly seed?: number;
  readonly name?: string;
}

/** A seeded hashed lexical student at its training-free start. */
export function createHashedLexicalStudent(opts: HashedLexicalStudentOptions): HashedLexicalEncoder {
  const config = parseLexicalConfig(opts.config ?? {});
  return new HashedLexicalEncoder(config, buildVocabulary(opts.idfTexts, config), opts.seed ?? 0, {}, opts.name);
}
