/**
 * Inverse document frequency of word pieces over a collection, used to initialise idf-weighted pooling.
 */
import type { WordPieceTokenizer } from './tokenizer';

/** idf[v] = ln(1 + (N - df + 0.5) / (df + 0.5)) (BM25's, always positive); special tokens get 0. */
export function wordPieceIdf(tokenizer: WordPieceTokenizer, texts: Iterable<string>): Float32Array {
  const df = new Int32Array(tokenizer.vocabSize);
  let n = 0;
  for (const text of texts) {
    n++;
    const ids = tokenizer.encode(text);
    for (const id of new Set(ids)) df[id]++;
  }
  const idf = new Float32Array(tokenizer.vocabSize);
  for (let v = 0; v < idf.length; v++) idf[v] = Math.log(1 + (n - df[v] + 0.5) / (df[v] + 0.5));
  for (const s of [tokenizer.clsId, tokenizer.sepId, tokenizer.padId]) idf[s] = 0;
  return idf;
}
