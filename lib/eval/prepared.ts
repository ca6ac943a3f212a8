/**
 * Per-query precomputation shared by every measure: the judged grade at each rank (once, whatever
 * the number of measures), and from the qrels the relevant counts per grade and the ideal gains.
 * Measures then only scan short typed arrays, which is what makes evaluation fast.
 */
import type { DocId, QueryId, Qrels, RunEntry } from '../data/types';
import { rankEntries, type RankingOrder } from './order';

/** Grade stored for a retrieved document that is not in the qrels (trec_eval's RELVALUE_NONPOOL). */
export const UNJUDGED = -2147483648;

/** What a query's judgments contribute, independent of any run. */
export interface JudgedQuery {
  readonly grades: ReadonlyMap<DocId, number>;
  /** Positive grades sorted descending: the ideal ranking's gains (negative grades count as 0). */
  readonly idealGains: Float64Array;
  /** Non-negative grades sorted descending, to count relevant documents at any level. */
  readonly sortedGrades: Int32Array;
}

/** One query ready for the measures: grades in ranked order plus its judgments. */
export interface PreparedQuery {
  /** Grade of the document at each rank (0-based), UNJUDGED when not in the qrels. */
  readonly ranked: Int32Array;
  readonly judged: JudgedQuery;
}

/** Number of judged documents with grade >= level (trec_eval's num_rel at relevance_level). */
export function numRelevant(q: JudgedQuery, level: number): number {
  const g = q.sortedGrades;
  let lo = 0;
  let hi = g.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (g[mid]! >= level) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const judgedCache = new WeakMap<Qrels, Map<QueryId, JudgedQuery>>();

/** Precomputes every query of the qrels once (cached per Qrels object, so many runs share it). */
export function prepareQrels(qrels: Qrels): Map<QueryId, JudgedQuery> {
  const hit = judgedCache.get(qrels);
  if (hit) return hit;
  const out = new Map<QueryId, JudgedQuery>();
  for (const [qid, grades] of qrels.judgments) {
    const nonNeg: number[] = [];
    for (const g of grades.values()) if (g >= 0) nonNeg.push(g);
    nonNeg.sort((a, b) => b - a);
    const positive = nonNeg.filter((g) => g > 0);
    out.set(qid, { grades, idealGains: Float64Array.from(positive), sortedGrades: Int32Array.from(nonNeg) });
  }
  judgedCache.set(qrels, out);
  return out;
}

/** Ranks one query's entries and looks up each document's grade. */
export function prepareQuery(entries: readonly RunEntry[], judged: JudgedQuery, order: RankingOrder): PreparedQuery {
  const ranked = rankEntries(entries, order);
  const grades = new Int32Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) grades[i] = judged.grades.get(ranked[i]!.docId) ?? UNJUDGED;
  return { ranked: grades, judged };
}
