/**
 * Contrastive (InfoNCE) loss with hard and in-batch negatives, as in DPR and sentence-transformers'
 * MultipleNegativesRankingLoss, over dot-product scores of query and passage embeddings.
 */
import * as tf from '@tensorflow/tfjs';

/** Options of {@link contrastive}. */
export interface ContrastiveOptions {
  /** Scores are divided by it (default 1: plain dot product, as the student retrieves with it). */
  readonly temperature?: number;
  /** Use every passage of the batch as a negative (default true); false: only the query's own group. */
  readonly inBatchNegatives?: boolean;
}

/**
 * InfoNCE over each query's positive vs its hard negatives and (by default) every other query's
 * passages. With `passageEmb` [B·n, d] holding query b's group at rows b·n … b·n+n−1 and
 * `positiveIndex[b]` the row of its positive (default b·n):
 *
 *   s_bk = q_b · p_k / τ,   L = −(1/B) Σ_b log( exp(s_b,pos(b)) / Σ_k exp(s_bk) ),
 *
 * where k runs over all B·n rows (in-batch) or over the group's n rows only. Returns a scalar.
 */
export function contrastive(
  queryEmb: tf.Tensor2D,
  passageEmb: tf.Tensor2D,
  positiveIndex?: readonly number[],
  options: ContrastiveOptions = {},
): tf.Scalar {
  const tau = options.temperature ?? 1;
  if (!(tau > 0)) throw new Error(`contrastive: temperature must be > 0, got ${tau}`);
  const [B, d] = queryEmb.shape;
  const [rows, dp] = passageEmb.shape;
  if (d !== dp) throw new Error(`contrastive: query dim ${d} != passage dim ${dp}`);
  if (rows % B !== 0) throw new Error(`contrastive: ${rows} passages is not a multiple of ${B} queries`);
  const n = rows / B;
  const positives = positiveIndex ? [...positiveIndex] : Array.from({ length: B }, (_, b) => b * n);
  if (positives.length !== B) throw new Error(`contrastive: ${positives.length} positive indices for ${B} queries`);
  const inBatch = options.inBatchNegatives ?? true;
  for (let b = 0; b < B; b++) {
    const p = positives[b];
    const ok = Number.isInteger(p) && (inBatch ? p >= 0 && p < rows : p >= b * n && p < (b + 1) * n);
    if (!ok) throw new Error(`contrastive: positive index ${p} of query ${b} is outside its ${inBatch ? 'batch' : 'group'}`);
  }
  return tf.tidy(() => {
    let logits: tf.Tensor2D;
    let labels: number[];
    if (inBatch) {
      logits = tf.matMul(queryEmb, passageEmb, false, true);
      labels = positives;
    } else {
      const groups = tf.reshape(passageEmb, [B, n, d]);
      logits = tf.reshape(tf.matMul(tf.expandDims(queryEmb, 1), groups, false, true), [B, n]) as tf.Tensor2D;
      labels = positives.map((p, b) => p - b * n);
    }
    const logProbs = tf.logSoftmax(tf.div(logits, tau));
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logProbs), 1))) as tf.Scalar;
  });
}
