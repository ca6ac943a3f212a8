/**
 * A tiny student in Hugging Face layout: DistilBERT's architecture and bert-base-uncased's full
 * vocabulary at a toy width, so every `init: 'hf'` path (the full-scale configs' students) runs in
 * seconds — toy-scale runs (lib/pipeline/toyScale.ts) and the model tests load it in place of the
 * 66M distilbert-base-uncased.
 */
import type { WordPieceTokenizer } from '../text/tokenizer';
import { tokenizerFromVocab } from '../text/tokenizer';
import type { StudentConfig } from './config';
import { createDualEncoder } from './dualEncoder';
import { defaultModelPaths } from './gloveStudent';
import { saveHfModel } from './hfModel';

/** The tiny DistilBERT shape: full 30522-piece vocabulary (real tokenisation), everything else toy-sized. */
export const TINY_HF_STUDENT = { arch: 'distilbert', vocabSize: 30522, hidden: 16, layers: 2, heads: 2, ffn: 32, maxPositions: 64, queryMaxLength: 16, passageMaxLength: 32, encodeBatchSize: 3 } as const;

/**
 * Writes a seeded tiny dual encoder (TINY_HF_STUDENT, CLS pooling, dot product, as the full-scale
 * configs' student) as a Hugging Face folder at `dir` and returns `dir`; `tokenizer` defaults to
 * the bundled bert-base-uncased vocabulary.
 */
export async function writeTinyHfStudent(dir: string, seed: number, overrides: Partial<StudentConfig> = {}, tokenizer?: WordPieceTokenizer): Promise<string> {
  const m = createDualEncoder({ ...TINY_HF_STUDENT, pooling: 'cls', similarity: 'dot', ...overrides }, tokenizer ?? tokenizerFromVocab(defaultModelPaths().vocab), { seed });
  try {
    await saveHfModel(m, dir);
  } finally {
    m.dispose();
  }
  return dir;
}
