/**
 * The lexical student's vocabulary: the terms of its idf collection with their document
 * frequencies (fixed at creation; learnable weights exist for these terms, one shared for the rest).
 */
import { termStats, type TermStats } from '../../text/termStats';
import type { LexicalConfig } from './config';
import { ENGLISH_STOPWORDS, type AnalyzerOptions } from '../../text/analyzer';

/** Terms, their document frequencies and the collection figures BM25 needs. */
export interface LexicalVocabulary {
  readonly documents: number;
  readonly meanLength: number;
  /** Terms in a stable order (sorted), index = weight row. */
  readonly terms: readonly string[];
  readonly df: Int32Array;
}

/** The analyser settings a configuration implies. */
export function analyzerOptions(c: LexicalConfig): AnalyzerOptions {
  return { stopwords: c.stopwords ? ENGLISH_STOPWORDS : new Set<string>(), stem: c.stem };
}

/** Vocabulary from collection statistics (terms sorted, so the same texts give the same rows). */
export function vocabularyFromStats(stats: TermStats): LexicalVocabulary {
  const terms = [...stats.df.keys()].sort();
  return { documents: stats.documents, meanLength: stats.meanLength, terms, df: Int32Array.from(terms, (t) => stats.df.get(t)!) };
}

/** Vocabulary of the analysed `texts` (the training collection). */
export function buildVocabulary(texts: Iterable<string>, c: LexicalConfig): LexicalVocabulary {
  return vocabularyFromStats(termStats(texts, analyzerOptions(c)));
}
