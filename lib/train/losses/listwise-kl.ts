/**
 * Listwise distillation loss: KL divergence from a target distribution over a query's candidates
 * (teacher or assistant, computed outside the graph) to the student's softmax over its scores.
 */
import * as tf from '@tensorflow/tfjs';

/** Options of {@link listwiseKl}. */
export interface ListwiseKlOptions {
  /** τ_S: the student's scores are divided by it before the softmax (default 1). */
  readonly studentTemperature?: number;
}

/**
 * Mean over the batch of KL(P_target ‖ P_student):
 *
 *   L = (1/B) Σ_b Σ_j p_bj · (log p_bj − log softmax(s_b / τ)_j),   with 0 · log 0 = 0.
 *
 * `studentScores` [B, n] carry the gradient; `targetProbs` [B, n] are constants (rows sum to 1),
 * e.g. `toDistribution(teacherScores)` (z-score, softmax(z / 0.5)). Returns a scalar.
 */
export function listwiseKl(studentScores: tf.Tensor2D, targetProbs: tf.Tensor2D, options: ListwiseKlOptions = {}): tf.Scalar {
  const tau = options.studentTemperature ?? 1;
  if (!(tau > 0)) throw new Error(`listwiseKl: studentTemperature must be > 0, got ${tau}`);
  if (studentScores.shape[0] !== targetProbs.shape[0] || studentScores.shape[1] !== targetProbs.shape[1]) {
    throw new Error(`listwiseKl: student scores [${studentScores.shape}] and targets [${targetProbs.shape}] differ in shape`);
  }
  return tf.tidy(() => {
    const logStudent = tf.logSoftmax(tf.div(studentScores, tau));
    const target = targetProbs;
    const positive = tf.greater(target, 0);
    // log p only where p > 0: the where() keeps log(0) = -inf out of both value and gradient.
    const safeLogTarget = tf.where(positive, tf.log(tf.where(positive, target, tf.onesLike(target))), tf.zerosLike(target));
    const perQuery = tf.sum(tf.mul(target, tf.sub(safeLogTarget, logStudent)), 1);
    return tf.mean(perQuery) as tf.Scalar;
  });
}
