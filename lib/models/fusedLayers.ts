/**
 * The transformer's GELU, LayerNorm and attention softmax. Written with tf ops they are five to eight tensors each,
 * and autodiff keeps and walks all of them (a fifth of a training step on wasm); where the backend
 * has the fused kernels (lib/backend/native-kernels.ts: FUSED_LAYER_KERNELS, wasm with the native
 * addon) each is one kernel forward and one backward, through tf.customGrad. Elsewhere (cpu,
 * webgpu, wasm without the addon) the tf-ops formulas below run, unchanged. Both compute the same
 * functions; they differ only in float rounding (tests/models/fusedLayers.test.ts bounds it).
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_LAYER_KERNELS } from '../backend/native-kernels';

const fused = (name: string): boolean => tf.getKernel(name, tf.getBackend()) !== undefined;

/** Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)), as BERT and DistilBERT use, with tf ops. */
export function geluOps(x: tf.Tensor): tf.Tensor {
  return x.mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);
}

/** LayerNorm over the last axis with tf ops: (x − mean)/√(var + ε)·γ + β, biased variance. */
export function layerNormOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(eps))).mul(gamma).add(beta);
}

/** Attention weights, softmax(scores + bias) over the last axis (bias: the additive key mask, broadcast over heads and queries), with tf ops. */
export function maskedSoftmaxOps(scores: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  return tf.softmax(scores.add(bias), -1);
}

/** tfjs types customGrad's function over a rest parameter of tensors-or-save; ours name their inputs. */
type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

const geluFused = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.engine().runKernel(FUSED_LAYER_KERNELS.gelu, { x }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], [saved]: tf.Tensor[]) => tf.engine().runKernel(FUSED_LAYER_KERNELS.geluGrad, { x: saved, dy: dy as tf.Tensor }) as tf.Tensor,
  };
}) as unknown as CustomGradFunc) as (x: tf.Tensor) => tf.Tensor;

/** One customGrad per ε (attributes cannot be customGrad inputs); a model uses one or two. */
const layerNormByEps = new Map<number, (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor>();

function layerNormFused(eps: number): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
  let f = layerNormByEps.get(eps);
  if (!f) {
    f = tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, mean, rstd] = tf.engine().runKernel(FUSED_LAYER_KERNELS.layerNorm, { x, gamma, beta }, { eps }) as tf.Tensor[];
      save([x, gamma, mean, rstd]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [sx, sg, sm, sr]: tf.Tensor[]) =>
          tf.engine().runKernel(FUSED_LAYER_KERNELS.layerNormGrad, { x: sx, gamma: sg, mean: sm, rstd: sr, dy: dy as tf.Tensor }) as tf.Tensor[],
      };
    }) as unknown as CustomGradFunc) as unknown as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
    layerNormByEps.set(eps, f);
  }
  return f;
}

const maskedSoftmaxFused = tf.customGrad(((scores: tf.Tensor, bias: tf.Tensor, save: tf.GradSaveFunc) => {
  const y = tf.engine().runKernel(FUSED_LAYER_KERNELS.maskedSoftmax, { x: scores, bias }) as tf.Tensor;
  save([y, bias]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], [sy, sb]: tf.Tensor[]) =>
      tf.engine().runKernel(FUSED_LAYER_KERNELS.maskedSoftmaxGrad, { y: sy, dy: dy as tf.Tensor, bias: sb }) as tf.Tensor[],
  };
}) as unknown as CustomGradFunc) as unknown as (scores: tf.Tensor, bias: tf.Tensor) => tf.Tensor;

/** Exact GELU: one fused kernel each way where the backend has it, else {@link geluOps}. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return fused(FUSED_LAYER_KERNELS.gelu) && x.dtype === 'float32' ? geluFused(x) : geluOps(x);
}

/** LayerNorm over the last axis (γ, β of its size): fused where the backend has it, else {@link layerNormOps}. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  return fused(FUSED_LAYER_KERNELS.layerNorm) && x.dtype === 'float32' && gamma.rank === 1 && beta.rank === 1
    ? layerNormFused(eps)(x, gamma, beta)
    : layerNormOps(x, gamma, beta, eps);
}

/**
 * softmax(scores + bias) over the last axis, for scores [b, …, k] and bias [b, 1, …, 1, k]: one
 * fused kernel each way where the backend has it (the bias's gradient too), else {@link maskedSoftmaxOps}.
 */
export function maskedSoftmax(scores: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const fits = scores.dtype === 'float32' && bias.dtype === 'float32' && scores.rank >= 2 && bias.rank === scores.rank && bias.shape[0] === scores.shape[0]
    && bias.shape[bias.rank - 1] === scores.shape[scores.rank - 1] && bias.shape.slice(1, -1).every((d) => d === 1);
  return fits && fused(FUSED_LAYER_KERNELS.maskedSoftmax) && fused(FUSED_LAYER_KERNELS.maskedSoftmaxGrad)
    ? maskedSoftmaxFused(scores, bias)
    : maskedSoftmaxOps(scores, bias);
}
