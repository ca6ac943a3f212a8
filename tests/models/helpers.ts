/** Shared helpers of the model tests: a tiny tokenizer and tiny configs. */
import { join } from 'node:path';
import { tokenizerFromVocab, type WordPieceTokenizer } from '../../lib/text';
import { createDualEncoder, saveHfModel } from '../../lib/models';
import type { StudentConfig } from '../../lib/models/config';

export const VOCAB = join(__dirname, '../../data/models/bert-base-uncased/vocab.txt');
export const GLOVE_FIXTURES = join(__dirname, '../../data/models/glove-6B-100d-subset-fixtures');

let tok: WordPieceTokenizer | undefined;
/** bert-base-uncased's tokenizer (built once per process). */
export function bertTokenizer(): WordPieceTokenizer {
  return (tok ??= tokenizerFromVocab(VOCAB));
}

/** A tiny DistilBERT-shaped config over the full 30522-piece vocabulary. */
export const TINY = { arch: 'distilbert', vocabSize: 30522, hidden: 16, layers: 2, heads: 2, ffn: 32, maxPositions: 64, queryMaxLength: 16, passageMaxLength: 32, encodeBatchSize: 3 } as const;

export const TEXTS = ['what is the capital of france', 'Paris is the capital and most populous city of France.', 'a dog', 'Ångström units measure 10^-10 m', 'x'];

/** Writes a tiny DistilBERT-shaped dual encoder (TINY, CLS pooling, dot product) as a Hugging Face folder at `dir`. */
export async function writeTinyHfStudent(dir: string, seed: number, overrides: Partial<StudentConfig> = {}): Promise<string> {
  const m = createDualEncoder({ ...TINY, pooling: 'cls', similarity: 'dot', ...overrides }, bertTokenizer(), { seed });
  try {
    await saveHfModel(m, dir);
  } finally {
    m.dispose();
  }
  return dir;
}
