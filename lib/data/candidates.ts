/**
 * Candidate lists (the passages teacher, assistants and student score per query), built from
 * several runs' top-k or from a qrels pool, always in a deterministic order.
 */
import type { CandidateLists, DocId, QueryId, Qrels, Run, RunEntry } from './types';

/** A run's entries for one query in the file's rank order (rank column, then file order for equal ranks). */
function byRankColumn(entries: readonly RunEntry[]): RunEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.rank - b.e.rank || a.i - b.i)
    .map((x) => x.e);
}

/**
 * One query's candidates: the union of the top-`depth` passages of `runs`, interleaved by rank:
 * rank 1 of every run (in the order `runs` are given), then rank 2, and so on, each passage once.
 * The rank column is used, not the score, because reranker files (RankGPT, RankVicuna) carry a
 * copy of BM25's scores.
 */
export function candidateListOf(runs: readonly Run[], queryId: QueryId, depth: number): DocId[] {
  const tops = runs.map((r) => byRankColumn(r.byQuery.get(queryId) ?? []).slice(0, depth));
  const seen = new Set<DocId>();
  const list: DocId[] = [];
  for (let pos = 0; pos < depth; pos++) {
    for (const top of tops) {
      const e = top[pos];
      if (e !== undefined && !seen.has(e.docId)) {
        seen.add(e.docId);
        list.push(e.docId);
      }
    }
  }
  return list;
}

/** Throws unless `depth` is a positive integer. */
export function checkCandidateDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`candidate depth must be a positive integer, got ${depth}`);
}

/**
 * Per query, {@link candidateListOf} `runs`. Queries come in order of first appearance across the
 * runs, or as listed in `opts.queries`.
 */
export function candidatesFromRuns(
  runs: readonly Run[],
  opts: { depth: number; queries?: Iterable<QueryId> },
): CandidateLists {
  checkCandidateDepth(opts.depth);
  const order: QueryId[] = [];
  // One push per query: spreading a million queries into push() overflows the call stack.
  if (opts.queries) for (const q of opts.queries) order.push(q);
  else {
    const seen = new Set<QueryId>();
    for (const run of runs) for (const q of run.byQuery.keys()) if (!seen.has(q)) { seen.add(q); order.push(q); }
  }
  const byQuery = new Map<QueryId, DocId[]>();
  for (const q of order) byQuery.set(q, candidateListOf(runs, q, opts.depth));
  return { byQuery };
}

/** Per query, its judged passages in file order (only those with grade ≥ `minGrade` when given). */
export function candidatesFromQrels(qrels: Qrels, opts: { minGrade?: number } = {}): CandidateLists {
  const byQuery = new Map<QueryId, DocId[]>();
  for (const [q, judged] of qrels.judgments) {
    const list = [...judged].filter(([, g]) => opts.minGrade === undefined || g >= opts.minGrade).map(([d]) => d);
    byQuery.set(q, list);
  }
  return { byQuery };
}
