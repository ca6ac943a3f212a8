/**
 * Scores → probability distributions over one query's candidate list. Raw scores of different
 * retrievers live on incomparable scales (SPLADE++ ~1e5, ada2 ~0.8), so the default is to z-score
 * each model's scores per query and take softmax(z / τ) with τ = 0.5 (docs/method.md §1).
 */

/** How a model's per-query scores are put on a common scale before the softmax. */
export type { Normalisation } from '../config/enums';
import type { Normalisation } from '../config/enums';

/** Options of {@link toDistribution}; defaults: z-score, τ = 0.5. */
export interface DistributionOptions {
  readonly normalise?: Normalisation;
  readonly temperature?: number;
}

/** The defaults of the score → distribution step (docs/method.md §1 table). */
export const DEFAULT_DISTRIBUTION: Required<DistributionOptions> = { normalise: 'zscore', temperature: 0.5 };

/** Mean and population standard deviation of finite values. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

/** Z-scores (population std); a constant list becomes all zeros rather than NaN. */
export function zscore(scores: ArrayLike<number>): Float64Array {
  const { mean, std } = meanStd(scores);
  const out = new Float64Array(scores.length);
  // A relative threshold: SPLADE-scale scores (1e5) can have a float-noise std that is not exactly 0.
  if (!(std > 1e-12 * Math.max(1, Math.abs(mean)))) return out;
  for (let i = 0; i < scores.length; i++) out[i] = (scores[i] - mean) / std;
  return out;
}

/** Min-max scaling to [0, 1]; a constant list becomes all zeros. */
export function minmax(scores: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    lo = Math.min(lo, scores[i]);
    hi = Math.max(hi, scores[i]);
  }
  const out = new Float64Array(scores.length);
  if (!(hi - lo > 0)) return out;
  for (let i = 0; i < scores.length; i++) out[i] = (scores[i] - lo) / (hi - lo);
  return out;
}

/** Applies one of the normalisations (raw = a copy). */
export function normaliseScores(scores: ArrayLike<number>, how: Normalisation): Float64Array {
  if (how === 'zscore') return zscore(scores);
  if (how === 'minmax') return minmax(scores);
  return Float64Array.from(scores);
}

/** Numerically stable softmax(x / temperature). */
export function softmax(x: ArrayLike<number>, temperature = 1): Float64Array {
  if (!(temperature > 0)) throw new RangeError(`softmax: temperature must be > 0, got ${temperature}`);
  const out = new Float64Array(x.length);
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i] / temperature);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    out[i] = Math.exp(x[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < x.length; i++) out[i] /= sum;
  return out;
}

/**
 * One model's scores over one query's candidates → a distribution (normalise, then softmax(·/τ)).
 * NaN (missing) scores are rejected: apply the missing-score policy (`fillMissing`) first.
 * A constant list gives the uniform distribution under every normalisation.
 */
export function toDistribution(scores: ArrayLike<number>, options: DistributionOptions = {}): Float64Array {
  const { normalise, temperature } = { ...DEFAULT_DISTRIBUTION, ...options };
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new RangeError(`toDistribution: score ${i} is ${scores[i]}; fill missing scores (fillMissing) before building distributions`);
    }
  }
  if (scores.length === 0) return new Float64Array(0);
  return softmax(normaliseScores(scores, normalise), temperature);
}
