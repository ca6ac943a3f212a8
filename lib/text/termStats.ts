/**
 * Collection statistics of analysed terms (document frequency, mean length) and BM25's idf, the
 * lexical student's fixed term weights.
 */
import { termCounts, type AnalyzerOptions } from './analyzer';

/** Document frequencies over a collection, with its size and mean document length in terms. */
export interface TermStats {
  readonly documents: number;
  readonly meanLength: number;
  /** Term → number of documents containing it. */
  readonly df: ReadonlyMap<string, number>;
}

/** Counts document frequencies of the analysed terms of `texts` (empty collections are an error). */
export function termStats(texts: Iterable<string>, opts: AnalyzerOptions = {}): TermStats {
  const df = new Map<string, number>();
  let documents = 0;
  let total = 0;
  for (const text of texts) {
    const c = termCounts(text, opts);
    documents++;
    total += c.length;
    for (const t of c.terms) df.set(t, (df.get(t) ?? 0) + 1);
  }
  if (documents === 0) throw new Error('termStats: no texts to count terms over');
  return { documents, meanLength: total / documents, df };
}

/** BM25 idf (Lucene's, always positive): ln(1 + (N − df + 0.5)/(df + 0.5)); an unseen term has df = 0. */
export function bm25Idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}
