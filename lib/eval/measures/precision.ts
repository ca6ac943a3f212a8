/** P@k (trec_eval P_k): relevant documents in the top k / k, even when fewer than k were retrieved. */
import type { MeasureDefinition } from './types';

export const precision: MeasureDefinition = {
  family: 'P',
  cutoff: 'required',
  usesRelLevel: true,
  description: 'precision at k (trec_eval P_k; divides by k)',
  compute(q, cutoff, relLevel) {
    const n = Math.min(q.ranked.length, cutoff);
    let hits = 0;
    for (let i = 0; i < n; i++) if (q.ranked[i]! >= relLevel) hits += 1;
    return hits / cutoff;
  },
};
