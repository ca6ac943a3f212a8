/**
 * Hard-negative mining from a retriever's run: passages ranked within a depth window that are not
 * judged relevant (any grade > 0), optionally minus likely false negatives (teacher scores them
 * nearly as high as a positive), sampled with a per-query seed.
 */
import type { CandidateLists, DocId, QueryId, Qrels, Run } from '../data/types';
import { rankEntries } from '../eval/order';
import { sha256 } from '../io/hash';
import { sampleWithoutReplacement, seededRng } from '../assistants/random';

/** Options of {@link mineHardNegatives}. */
export interface MiningOptions {
  /** 1-based inclusive rank window [lo, hi] of the run (trec_eval score order). */
  readonly depth: readonly [number, number];
  /** Negatives per query (fewer where the window has fewer eligible passages). */
  readonly count: number;
  readonly seed: number;
  /** Teacher scores per query and passage: enables the false-negative guard. */
  readonly teacherScores?: ReadonlyMap<QueryId, ReadonlyMap<DocId, number>>;
  /** Skip a passage whose teacher score ≥ (lowest teacher score of a positive) − margin (default 0). */
  readonly marginBelowPositive?: number;
}

/** What mining did, so nothing is dropped silently. */
export interface MiningReport {
  readonly queries: number;
  readonly mined: number;
  /** Judged-relevant passages met in the window and excluded. */
  readonly skippedRelevant: number;
  /** Passages excluded by the false-negative guard. */
  readonly skippedFalseNegatives: number;
  /** Queries that got fewer than `count` negatives. */
  readonly shortQueries: number;
  /** Queries where the guard could not apply (no positive with a teacher score). */
  readonly unguardedQueries: number;
}

/** Mined negatives per query (only queries of the run) and a report. */
export function mineHardNegatives(run: Run, qrels: Qrels | undefined, options: MiningOptions): { candidates: CandidateLists; report: MiningReport } {
  const [lo, hi] = options.depth;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1 && hi >= lo)) throw new RangeError(`mineHardNegatives: depth must be [lo, hi] with 1 ≤ lo ≤ hi, got [${lo}, ${hi}]`);
  if (!(Number.isInteger(options.count) && options.count >= 0)) throw new RangeError(`mineHardNegatives: count must be a non-negative integer, got ${options.count}`);
  const margin = options.marginBelowPositive ?? 0;
  const byQuery = new Map<QueryId, DocId[]>();
  let mined = 0, skippedRelevant = 0, skippedFalseNegatives = 0, shortQueries = 0, unguardedQueries = 0;
  for (const [qid, entries] of run.byQuery) {
    const judged = qrels?.judgments.get(qid);
    const positives = [...(judged ?? [])].filter(([, g]) => g > 0).map(([d]) => d);
    let threshold = Infinity;
    const teacher = options.teacherScores?.get(qid);
    if (options.teacherScores) {
      const ps = positives.map((d) => teacher?.get(d)).filter((s): s is number => s !== undefined && Number.isFinite(s));
      if (ps.length > 0) threshold = Math.min(...ps) - margin;
      else unguardedQueries += 1;
    }
    const pool: DocId[] = [];
    for (const e of rankEntries(entries, 'score').slice(lo - 1, hi)) {
      if ((judged?.get(e.docId) ?? 0) > 0) { skippedRelevant += 1; continue; }
      const t = teacher?.get(e.docId);
      if (t !== undefined && t >= threshold) { skippedFalseNegatives += 1; continue; }
      pool.push(e.docId);
    }
    // A per-query seed: adding or removing a query never changes another query's sample.
    const rng = seededRng(parseInt(sha256(options.seed, qid).slice(0, 8), 16));
    const picked = sampleWithoutReplacement(pool, options.count, rng);
    if (picked.length < options.count) shortQueries += 1;
    mined += picked.length;
    byQuery.set(qid, picked);
  }
  return { candidates: { byQuery }, report: { queries: byQuery.size, mined, skippedRelevant, skippedFalseNegatives, shortQueries, unguardedQueries } };
}
