/** Dot-product scores of each query against its own group of passages: the student's listwise scores. */
import * as tf from '@tensorflow/tfjs';

/** queryEmb [B, d], passageEmb [B·n, d] (query b's group at rows b·n …) → scores [B, n], s_bj = q_b · p_bj. */
export function groupScores(queryEmb: tf.Tensor2D, passageEmb: tf.Tensor2D): tf.Tensor2D {
  const [B, d] = queryEmb.shape;
  const n = passageEmb.shape[0] / B;
  if (!Number.isInteger(n)) throw new Error(`groupScores: ${passageEmb.shape[0]} passages is not a multiple of ${B} queries`);
  return tf.tidy(() => {
    const groups = tf.reshape(passageEmb, [B, n, d]);
    return tf.reshape(tf.matMul(tf.expandDims(queryEmb, 1), groups, false, true), [B, n]) as tf.Tensor2D;
  });
}
