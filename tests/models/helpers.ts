/** Shared helpers of the model tests: a tiny tokenizer and tiny configs. */
import { join } from 'node:path';
import { tokenizerFromVocab, type WordPieceTokenizer } from '../../lib/text';
import { TINY_HF_STUDENT, writeTinyHfStudent as writeTinyStudent } from '../../lib/models/tinyHfStudent';
import type { StudentConfig } from '../../lib/models/config';

export const VOCAB = join(__dirname, '../../data/models/bert-base-uncased/vocab.txt');
export const GLOVE_FIXTURES = join(__dirname, '../../data/models/glove-6B-100d-subset-fixtures');

let tok: WordPieceTokenizer | undefined;
/** bert-base-uncased's tokenizer (built once per process). */
export function bertTokenizer(): WordPieceTokenizer {
  return (tok ??= tokenizerFromVocab(VOCAB));
}

/** A tiny DistilBERT-shaped config over the full 30522-piece vocabulary (the library's tiny HF student). */
export const TINY = TINY_HF_STUDENT;

export const TEXTS = ['what is the capital of france', 'Paris is the capital and most populous city of France.', 'a dog', 'Ångström units measure 10^-10 m', 'x'];

/** Writes a tiny DistilBERT-shaped dual encoder (TINY, CLS pooling, dot product) as a Hugging Face folder at `dir`. */
export function writeTinyHfStudent(dir: string, seed: number, overrides: Partial<StudentConfig> = {}): Promise<string> {
  return writeTinyStudent(dir, seed, overrides, bertTokenizer());
}
