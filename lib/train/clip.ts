/** Global-norm gradient clipping (as torch.nn.utils.clip_grad_norm_), and the global norm the trainer's divergence guard reads. */
import * as tf from '@tensorflow/tfjs';
import { SUM_SQUARES_KERNEL } from '../backend/native-kernels';

/**
 * √(Σ_i ‖t_i‖²) over `tensors` (at least one), read asynchronously. One pass per tensor where the
 * backend has the sum-of-squares kernel (summed in double), else Square + Sum.
 */
export async function globalNorm(tensors: readonly tf.Tensor[]): Promise<number> {
  const fused = tf.getKernel(SUM_SQUARES_KERNEL, tf.getBackend()) !== undefined;
  const sumSquares = (g: tf.Tensor) => (fused && g.dtype === 'float32' ? tf.engine().runKernel(SUM_SQUARES_KERNEL, { x: g }) as tf.Tensor : tf.sum(tf.square(g)));
  const t = tf.tidy(() => tf.sqrt(tf.addN(tensors.map(sumSquares))));
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

/**
 * The factor global-norm clipping scales every gradient by, min(1, maxNorm / (‖g‖ + 1e-6)) where
 * ‖g‖ = √(Σ_i ‖g_i‖²) over all of them (1 when maxNorm is not a positive number), and ‖g‖. For
 * AdamW.apply's gradScale, which folds the scaling into the update instead of a pass over every gradient.
 */
export async function clipScale(grads: ReadonlyArray<tf.Tensor | undefined>, maxNorm: number): Promise<{ scale: number; norm: number }> {
  const present = grads.filter((g): g is tf.Tensor => g !== undefined);
  const norm = present.length > 0 ? await globalNorm(present) : 0;
  return { scale: Number.isFinite(maxNorm) && maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1, norm };
}

/**
 * Scales every gradient by {@link clipScale}'s factor. Returns the new gradients (caller disposes
 * them and the old ones) and the pre-clip norm. The norm is read asynchronously: device backends
 * (webgpu) cannot read synchronously in Node.
 */
export async function clipByGlobalNorm(grads: ReadonlyArray<tf.Tensor | undefined>, maxNorm: number): Promise<{ grads: Array<tf.Tensor | undefined>; norm: number }> {
  const { scale, norm } = await clipScale(grads, maxNorm);
  // Unclipped (most steps): a clone shares the bytes on every backend; × 1 would copy every gradient.
  return { grads: grads.map((g) => (g ? (scale === 1 ? tf.clone(g) : tf.mul(g, scale)) : undefined)), norm };
}
