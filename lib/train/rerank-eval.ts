/**
 * Held-out evaluation callback for the trainer: the student re-ranks each held-out query's
 * candidate list (exact dot product of its embeddings) and the run is scored with lib/eval
 * (nDCG@10 by default), so training can be monitored and early-stopped on unseen queries.
 */
import type { CandidateLists, Collection, Qrels, QueryId, QuerySet } from '../data/types';
import { rerankCandidates } from '../retrieval/rerank';
import { evaluate } from '../eval';
import type { Encoder } from '../models/types';

/** Options of {@link rerankEvaluator}. */
export interface RerankEvalOptions {
  readonly queryIds: readonly QueryId[];
  readonly queries: QuerySet;
  readonly candidates: CandidateLists;
  readonly collection: Collection;
  readonly qrels: Qrels;
  /** Measures in lib/eval syntax (default ['nDCG@10']). */
  readonly measures?: readonly string[];
  /** Minimum relevant grade for binary measures (default 1). */
  readonly relLevel?: number;
}

/** Returns `evaluate(model)` → mean measures over the held-out queries' re-ranked candidates. */
export function rerankEvaluator(o: RerankEvalOptions): (model: Encoder) => Promise<Record<string, number>> {
  const ids = o.queryIds.filter((q) => (o.candidates.byQuery.get(q)?.length ?? 0) > 0 && o.queries.queries.has(q));
  if (ids.length === 0) throw new Error('rerankEvaluator: none of the held-out queries has text and candidates');
  return async (model) => {
    const run = await rerankCandidates(model, o, ids);
    return evaluate(o.qrels, run, o.measures ?? ['nDCG@10'], { relLevel: o.relLevel ?? 1 }).mean;
  };
}
