/**
 * AP (trec_eval map) and AP@k (map_cut_k): the sum of precision at each relevant rank within the
 * cutoff, divided by all relevant documents of the query (retrieved or not); 0 when it has none.
 */
import type { MeasureDefinition } from './types';
import { numRelevant } from '../prepared';

export const ap: MeasureDefinition = {
  family: 'AP',
  cutoff: 'optional',
  usesRelLevel: true,
  description: 'average precision (trec_eval map / map_cut)',
  compute(q, cutoff, relLevel) {
    const total = numRelevant(q.judged, relLevel);
    if (total === 0) return 0;
    const n = Math.min(q.ranked.length, cutoff);
    let hits = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (q.ranked[i]! >= relLevel) {
        hits += 1;
        sum += hits / (i + 1);
      }
    }
    return sum / total;
  },
};
