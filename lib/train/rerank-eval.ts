/**
 * Held-out evaluation callback for the trainer: the student re-ranks each held-out query's
 * candidate list (exact dot product of its embeddings) and the run is scored with lib/eval
 * (nDCG@10 by default), so training can be monitored and early-stopped on unseen queries.
 */
import type { CandidateLists, Collection, Qrels, QueryId, QuerySet, RunEntry } from '../data/types';
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
  const passageIds = [...new Set(ids.flatMap((q) => o.candidates.byQuery.get(q)!))].filter((d) => o.collection.passages.has(d));
  const texts = passageIds.map((d) => {
    const p = o.collection.passages.get(d)!;
    return p.title ? `${p.title} ${p.text}` : p.text;
  });
  const row = new Map(passageIds.map((d, i) => [d, i]));
  return async (model) => {
    const qe = await model.encode(ids.map((q) => o.queries.queries.get(q)!.text), 'query');
    const pe = await model.encode(texts, 'passage');
    const byQuery = new Map<QueryId, RunEntry[]>();
    ids.forEach((q, qi) => {
      const entries: RunEntry[] = [];
      for (const d of o.candidates.byQuery.get(q)!) {
        const r = row.get(d);
        if (r === undefined) continue;
        let s = 0;
        for (let k = 0; k < qe.dim; k++) s += qe.data[qi * qe.dim + k] * pe.data[r * pe.dim + k];
        entries.push({ docId: d, score: s, rank: 0 });
      }
      entries.sort((a, b) => b.score - a.score);
      byQuery.set(q, entries.map((e, i) => ({ ...e, rank: i + 1 })));
    });
    return evaluate(o.qrels, { name: model.name, byQuery }, o.measures ?? ['nDCG@10'], { relLevel: o.relLevel ?? 1 }).mean;
  };
}
