/** R@k (trec_eval recall_k): relevant documents in the top k / all relevant of the query; 0 when it has none. */
import type { MeasureDefinition } from './types';
import { numRelevant } from '../prepared';

export const recall: MeasureDefinition = {
  family: 'R',
  cutoff: 'optional',
  usesRelLevel: true,
  description: 'recall at k (trec_eval recall_k)',
  compute(q, cutoff, relLevel) {
    const total = numRelevant(q.judged, relLevel);
    if (total === 0) return 0;
    const n = Math.min(q.ranked.length, cutoff);
    let hits = 0;
    for (let i = 0; i < n; i++) if (q.ranked[i]! >= relLevel) hits += 1;
    return hits / total;
  },
};
