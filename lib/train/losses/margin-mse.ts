/**
 * Margin-MSE (Hofstätter et al., 2020): the student matches the teacher's score margins between the
 * positive and each negative, so only score differences — not the teacher's scale — are distilled.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * With column 0 the positive and columns 1 … n−1 negatives of [B, n] score matrices:
 *
 *   L = 1 / (B (n−1)) · Σ_b Σ_{j≥1} ((s_b0 − s_bj) − (t_b0 − t_bj))²
 *
 * (for n = 2 this is the paper's single-negative Margin-MSE). `teacherScores` is a constant.
 */
export function marginMse(studentScores: tf.Tensor2D, teacherScores: tf.Tensor2D): tf.Scalar {
  const [B, n] = studentScores.shape;
  if (teacherScores.shape[0] !== B || teacherScores.shape[1] !== n) {
    throw new Error(`marginMse: student [${studentScores.shape}] and teacher [${teacherScores.shape}] differ in shape`);
  }
  if (n < 2) throw new Error('marginMse: needs a positive and at least one negative per query');
  return tf.tidy(() => {
    const margins = (s: tf.Tensor2D) => tf.sub(tf.slice(s, [0, 0], [B, 1]), tf.slice(s, [0, 1], [B, n - 1]));
    const diff = tf.sub(margins(studentScores), margins(teacherScores));
    return tf.mean(tf.square(diff)) as tf.Scalar;
  });
}
