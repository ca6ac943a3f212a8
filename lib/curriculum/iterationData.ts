/**
 * The training data of the next iteration: the base set plus the hard queries with their newly
 * mined candidates, scored by teacher and assistants. New pairs are appended to a query's list;
 * pairs already present keep their scores (they are not rescored).
 */
import type { CandidateLists, DocId, QueryId } from '../data/types';
import type { QueryScores, ScoreTable } from '../assistants/types';

/** Candidates with their score table (same queries, same order). */
export interface IterationData {
  readonly candidates: CandidateLists;
  readonly table: ScoreTable;
}

/** What an iteration added. */
export interface IterationAdditions {
  readonly hardQueries: number;
  /** Hard queries that brought no new pair (all mined candidates were already present). */
  readonly unchangedQueries: number;
  readonly newQueries: number;
  readonly newPairs: number;
}

/**
 * Base data + the hard queries' new candidates (those not already in the base), scored with
 * `scoreWith`, whose table must have the base table's models in the same order.
 */
export async function buildIterationData(
  base: IterationData,
  hardQueries: readonly QueryId[],
  newCandidates: CandidateLists,
  scoreWith: (candidates: CandidateLists) => Promise<ScoreTable>,
): Promise<IterationData & { added: IterationAdditions }> {
  const fresh = new Map<QueryId, DocId[]>();
  let unchangedQueries = 0;
  for (const qid of new Set(hardQueries)) {
    const have = new Set(base.table.byQuery.get(qid)?.docIds ?? []);
    const add = [...new Set(newCandidates.byQuery.get(qid) ?? [])].filter((d) => !have.has(d));
    if (add.length > 0) fresh.set(qid, add);
    else unchangedQueries += 1;
  }
  const scored = fresh.size > 0 ? await scoreWith({ byQuery: fresh }) : { models: base.table.models, byQuery: new Map<QueryId, QueryScores>() };
  const same = scored.models.length === base.table.models.length && scored.models.every((m, i) => m.name === base.table.models[i].name);
  if (!same) throw new RangeError(`buildIterationData: scored models (${scored.models.map((m) => m.name).join(', ')}) differ from the base table's (${base.table.models.map((m) => m.name).join(', ')})`);
  const byQuery = new Map<QueryId, QueryScores>(base.table.byQuery);
  const cands = new Map<QueryId, readonly DocId[]>(base.candidates.byQuery);
  let newQueries = 0;
  let newPairs = 0;
  for (const [qid, docIds] of fresh) {
    const s = scored.byQuery.get(qid);
    if (!s || s.docIds.length !== docIds.length) throw new RangeError(`buildIterationData: scoreWith did not score the ${docIds.length} new candidates of query ${qid}`);
    const old = byQuery.get(qid);
    if (!old) newQueries += 1;
    const merged: QueryScores = old
      ? { queryId: qid, docIds: [...old.docIds, ...s.docIds], scores: old.scores.map((col, m) => Float64Array.from([...col, ...s.scores[m]])) }
      : s;
    byQuery.set(qid, merged);
    cands.set(qid, merged.docIds);
    newPairs += docIds.length;
  }
  return {
    candidates: { byQuery: cands },
    table: { models: base.table.models, byQuery },
    added: { hardQueries: new Set(hardQueries).size, unchangedQueries, newQueries, newPairs },
  };
}
