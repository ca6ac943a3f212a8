/**
 * Word-level analysis for lexical models: lower-case, accent-folded alphanumeric runs, English stop
 * words removed, and Harman's S-stemmer (plurals only: "light" stemming keeps "running" ≠ "run",
 * which a Porter stemmer would conflate, while "passages" meets "passage").
 */

/** Lucene's default English stop set (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET), as Anserini's BM25 uses. */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

/**
 * Harman (1991) S-stemmer: "-ies" → "-y" (not after e/a), "-es" → "-e" (not after a/e/o), "-s" → ""
 * (not after u/s); words of three letters or fewer are left alone.
 */
export function sStem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && !word.endsWith('eies') && !word.endsWith('aies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('es') && !word.endsWith('aes') && !word.endsWith('ees') && !word.endsWith('oes')) return word.slice(0, -1);
  if (word.endsWith('s') && !word.endsWith('us') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Options of {@link analyze}. */
export interface AnalyzerOptions {
  readonly stopwords?: ReadonlySet<string>;
  /** Apply {@link sStem} (default true). */
  readonly stem?: boolean;
}

/** The terms of a text, in order (repeats kept, so term frequencies can be counted). */
export function analyze(text: string, opts: AnalyzerOptions = {}): string[] {
  const stop = opts.stopwords ?? ENGLISH_STOPWORDS;
  const stem = opts.stem ?? true;
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const out: string[] = [];
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (stop.has(w)) continue;
    const t = stem ? sStem(w) : w;
    if (!stop.has(t)) out.push(t);
  }
  return out;
}

/** Distinct terms of a text with their counts, in first-occurrence order, and the text's length in terms. */
export interface TermCounts {
  readonly terms: readonly string[];
  readonly counts: readonly number[];
  readonly length: number;
}

/** Counts the analysed terms of a text. */
export function termCounts(text: string, opts: AnalyzerOptions = {}): TermCounts {
  const terms = analyze(text, opts);
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return { terms: [...m.keys()], counts: [...m.values()], length: terms.length };
}
