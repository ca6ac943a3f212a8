/**
 * The fused assistant: the assistants' opinions on one query's candidates combined into one
 * distribution. Default = mean of the assistants' distributions (docs/method.md §1).
 */
import { DEFAULT_DISTRIBUTION, toDistribution, zscore, type DistributionOptions } from './distribution';
import { rankingOf } from './rankCompare';

/** How assistants are fused; `weighted` needs one weight per assistant. */
export type { FusionMethod } from '../config/enums';
import type { FusionMethod } from '../config/enums';

/** Options of {@link fuseDistributions}; defaults: mean, RRF k = 60, the default distribution. */
export interface FusionOptions {
  readonly method?: FusionMethod;
  readonly weights?: readonly number[];
  readonly rrfK?: number;
  readonly distribution?: DistributionOptions;
}

/** Default fusion settings. */
export const DEFAULT_FUSION = { method: 'mean' as FusionMethod, rrfK: 60 };

/** Weighted mean of distributions (weights renormalised to sum 1); equal weights by default. */
export function meanDistribution(distributions: readonly ArrayLike<number>[], weights?: readonly number[]): Float64Array {
  const k = distributions.length;
  if (k === 0) throw new RangeError('meanDistribution: no distributions');
  const n = distributions[0].length;
  const w = weights ?? new Array<number>(k).fill(1);
  if (w.length !== k) throw new RangeError(`meanDistribution: ${w.length} weights for ${k} distributions`);
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0) || w.some((x) => !(x >= 0))) throw new RangeError('meanDistribution: weights must be ≥ 0 with a positive sum');
  if (k === 1) return Float64Array.from(distributions[0]);
  const out = new Float64Array(n);
  distributions.forEach((d, m) => {
    if (d.length !== n) throw new RangeError('meanDistribution: distributions of different lengths');
    for (let i = 0; i < n; i++) out[i] += (w[m] / total) * d[i];
  });
  return out;
}

/** Reciprocal rank fusion scores Σ_m 1 / (k + rank_m(i)), rank 1-based. */
export function reciprocalRankFusion(scoreLists: readonly ArrayLike<number>[], k = 60): Float64Array {
  const n = scoreLists[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (const s of scoreLists) rankingOf(s).forEach((i, r) => { out[i] += 1 / (k + r + 1); });
  return out;
}

/**
 * Fuses the assistants' (already missing-filled) scores of one query's candidates into one
 * distribution: `mean` / `weighted` average the per-assistant distributions, `zscore-mean`
 * averages z-scored scores then applies the softmax, `rrf` turns RRF scores into a distribution with
 * the same normalise + softmax. Fusing one assistant gives that assistant's distribution (mean,
 * weighted, and zscore-mean under z-score normalisation) or its ranking (rrf).
 */
export function fuseDistributions(assistantScores: readonly ArrayLike<number>[], options: FusionOptions = {}): Float64Array {
  const method = options.method ?? DEFAULT_FUSION.method;
  const dist = { ...DEFAULT_DISTRIBUTION, ...options.distribution };
  if (assistantScores.length === 0) throw new RangeError('fuseDistributions: no assistants');
  switch (method) {
    case 'mean':
      return meanDistribution(assistantScores.map((s) => toDistribution(s, dist)));
    case 'weighted':
      if (!options.weights) throw new RangeError("fuseDistributions: method 'weighted' needs weights");
      return meanDistribution(assistantScores.map((s) => toDistribution(s, dist)), options.weights);
    case 'zscore-mean': {
      const n = assistantScores[0].length;
      const z = new Float64Array(n);
      for (const s of assistantScores) {
        const zs = zscore(s);
        for (let i = 0; i < n; i++) z[i] += zs[i] / assistantScores.length;
      }
      // The mean of z-scores is re-z-scored so one assistant fuses to exactly itself.
      return toDistribution(z, { ...dist, normalise: 'zscore' });
    }
    case 'rrf':
      return toDistribution(reciprocalRankFusion(assistantScores, options.rrfK ?? DEFAULT_FUSION.rrfK), dist);
  }
}
