/**
 * nDCG@k as trec_eval's ndcg_cut (and nDCG as its ndcg): gain = the judged grade (grades <= 0 and
 * unjudged give 0), discount log2(rank + 1), ideal from all positive grades of the query; 0 when
 * the query has no positive grade.
 */
import type { MeasureDefinition } from './types';

export const ndcg: MeasureDefinition = {
  family: 'nDCG',
  cutoff: 'optional',
  usesRelLevel: false,
  description: 'normalised discounted cumulative gain (trec_eval ndcg_cut / ndcg)',
  compute(q, cutoff) {
    const ideal = q.judged.idealGains;
    const n = Math.min(q.ranked.length, cutoff);
    let dcg = 0;
    for (let i = 0; i < n; i++) {
      const g = q.ranked[i]!;
      if (g > 0) dcg += g / Math.log2(i + 2);
    }
    const m = Math.min(ideal.length, cutoff);
    let idcg = 0;
    for (let i = 0; i < m; i++) idcg += ideal[i]! / Math.log2(i + 2);
    return idcg > 0 ? dcg / idcg : 0;
  },
};
