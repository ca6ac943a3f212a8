/** Judged@k (ir_measures): share of the top k that appear in the qrels, divided by k like P@k. */
import type { MeasureDefinition } from './types';
import { UNJUDGED } from '../prepared';

export const judged: MeasureDefinition = {
  family: 'Judged',
  cutoff: 'required',
  usesRelLevel: false,
  description: 'fraction of the top k with a judgment (ir_measures Judged; divides by k)',
  compute(q, cutoff) {
    const n = Math.min(q.ranked.length, cutoff);
    let count = 0;
    for (let i = 0; i < n; i++) if (q.ranked[i] !== UNJUDGED) count += 1;
    return count / cutoff;
  },
};
