/** RR@k (trec_eval recip_rank on the top k): 1 / rank of the first document with grade >= relLevel, else 0. */
import type { MeasureDefinition } from './types';

export const rr: MeasureDefinition = {
  family: 'RR',
  cutoff: 'optional',
  usesRelLevel: true,
  description: 'reciprocal rank of the first relevant document (trec_eval recip_rank)',
  compute(q, cutoff, relLevel) {
    const n = Math.min(q.ranked.length, cutoff);
    for (let i = 0; i < n; i++) if (q.ranked[i]! >= relLevel) return 1 / (i + 1);
    return 0;
  },
};
