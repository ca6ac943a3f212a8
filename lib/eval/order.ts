/**
 * How a run's entries become a ranking, exactly as trec_eval does it: score descending, ties broken
 * by docid descending in byte (strcmp) order. Alternatively the file's own rank column.
 */
import type { DocId, RunEntry } from '../data/types';

/** Which ranking to evaluate: trec_eval's score order, or the file's rank column. */
export type RankingOrder = 'score' | 'rank';

/**
 * strcmp order of the UTF-8 bytes, i.e. Unicode code point order. JS `<` compares UTF-16 code
 * units, which differs only between surrogates and U+E000..U+FFFF, so those are remapped.
 */
export function compareTrecDocIds(a: DocId, b: DocId): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** trec_eval's comparator: higher score first, then the larger docid first. */
export function compareByScore(a: RunEntry, b: RunEntry): number {
  if (a.score > b.score) return -1;
  if (a.score < b.score) return 1;
  return compareTrecDocIds(b.docId, a.docId);
}

/** The entries of one query in evaluation order (a new array; the input is not modified). */
export function rankEntries(entries: readonly RunEntry[], order: RankingOrder = 'score'): RunEntry[] {
  if (order === 'score') return entries.slice().sort(compareByScore);
  // Rank column ascending; equal ranks keep file order (Array.prototype.sort is stable).
  return entries.slice().sort((a, b) => a.rank - b.rank);
}
