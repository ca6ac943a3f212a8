/** Global-norm gradient clipping (as torch.nn.utils.clip_grad_norm_). */
import * as tf from '@tensorflow/tfjs';

/**
 * Scales every gradient by min(1, maxNorm / (‖g‖ + 1e-6)) where ‖g‖ = √(Σ_i ‖g_i‖²) over all of
 * them. Returns the new gradients (caller disposes them and the old ones) and the pre-clip norm.
 */
export function clipByGlobalNorm(grads: ReadonlyArray<tf.Tensor | undefined>, maxNorm: number): { grads: Array<tf.Tensor | undefined>; norm: number } {
  const present = grads.filter((g): g is tf.Tensor => g !== undefined);
  const norm = present.length === 0 ? 0 : tf.tidy(() => tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g))))).dataSync()[0]);
  const scale = Number.isFinite(maxNorm) && maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  return { grads: grads.map((g) => (g ? tf.mul(g, scale) : undefined)), norm };
}
