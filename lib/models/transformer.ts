/**
 * Forward pass of one post-LN transformer tower (BERT/DistilBERT): embeddings, N blocks of masked
 * multi-head self-attention + GELU FFN, then cls / mean / idf-weighted mean pooling.
 * Dense layers run as 2-D matMuls ([batch·length, in] × [in, out]) to hit wasm's fast path.
 */
import * as tf from '@tensorflow/tfjs';
import type { StudentConfig } from './config';
import { embeddingLookup } from './embedding';
import { gelu, layerNorm, maskedSoftmax } from './fusedLayers';

/** Looks up a tower's parameter by local name. */
export type ParamGetter = (local: string) => tf.Tensor;

/** Dropout settings for a training forward pass. */
export interface DropoutState {
  readonly rate: number;
  nextSeed(): number;
}

function dense(x2d: tf.Tensor2D, p: ParamGetter, name: string): tf.Tensor2D {
  return tf.matMul(x2d, p(`${name}.kernel`) as tf.Tensor2D).add(p(`${name}.bias`)) as tf.Tensor2D;
}

function drop(x: tf.Tensor, d: DropoutState | undefined): tf.Tensor {
  return d && d.rate > 0 ? tf.dropout(x, d.rate, undefined, d.nextSeed()) : x;
}

/**
 * Token representations [batch, length, hidden] of one tower. `tokenTypes` (BERT only) gives each
 * token's segment (sequence pairs); without it every token is segment 0, as single texts are.
 */
export function towerHidden(c: StudentConfig, p: ParamGetter, ids: tf.Tensor2D, mask: tf.Tensor2D, d?: DropoutState, tokenTypes?: tf.Tensor2D): tf.Tensor3D {
  const [b, len] = ids.shape;
  const h = c.hidden;
  let x = embeddingLookup(p('embeddings.word') as tf.Tensor2D, ids); // [b, len, e]
  if ((c.embeddingDim ?? h) !== h) x = tf.matMul(x.reshape([b * len, -1]) as tf.Tensor2D, p('embeddings.projection') as tf.Tensor2D).reshape([b, len, h]);
  x = x.add(p('embeddings.position').slice([0, 0], [len, h]));
  if (c.arch === 'bert') {
    const types = p('embeddings.token_type') as tf.Tensor2D;
    x = x.add(tokenTypes ? embeddingLookup(types, tokenTypes) : types.slice([0, 0], [1, h]));
  }
  x = drop(layerNorm(x, p('embeddings.ln.gamma'), p('embeddings.ln.beta'), c.layerNormEps), d);
  const heads = c.heads;
  const dh = h / heads;
  // Additive mask: 0 where attended, a large negative where padded (exp underflows to exactly 0).
  const bias = tf.sub(1, mask.toFloat()).mul(-1e9).reshape([b, 1, 1, len]);
  let x2 = x.reshape([b * len, h]) as tf.Tensor2D;
  for (let i = 0; i < c.layers; i++) {
    const n = `layer.${i}.`;
    const split = (t: tf.Tensor2D) => t.reshape([b, len, heads, dh]).transpose([0, 2, 1, 3]).reshape([b * heads, len, dh]) as tf.Tensor3D;
    const q = split(dense(x2, p, `${n}attn.q`).mul(1 / Math.sqrt(dh)) as tf.Tensor2D);
    const k = split(dense(x2, p, `${n}attn.k`));
    const v = split(dense(x2, p, `${n}attn.v`));
    const scores = tf.matMul(q, k, false, true).reshape([b, heads, len, len]);
    const probs = drop(maskedSoftmax(scores, bias), d).reshape([b * heads, len, len]) as tf.Tensor3D;
    const ctx = tf.matMul(probs, v).reshape([b, heads, len, dh]).transpose([0, 2, 1, 3]).reshape([b * len, h]) as tf.Tensor2D;
    const attnOut = drop(dense(ctx, p, `${n}attn.o`), d);
    x2 = layerNorm(attnOut.add(x2), p(`${n}attn_ln.gamma`), p(`${n}attn_ln.beta`), c.layerNormEps) as tf.Tensor2D;
    const ff = drop(dense(gelu(dense(x2, p, `${n}ffn.in`)) as tf.Tensor2D, p, `${n}ffn.out`), d);
    x2 = layerNorm(ff.add(x2), p(`${n}out_ln.gamma`), p(`${n}out_ln.beta`), c.layerNormEps) as tf.Tensor2D;
  }
  return x2.reshape([b, len, h]);
}

/** Pools token representations into [batch, hidden]; L2-normalises for cosine similarity. */
export function pool(c: StudentConfig, p: ParamGetter, hidden: tf.Tensor3D, ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  let out: tf.Tensor2D;
  if (c.pooling === 'cls') {
    out = hidden.slice([0, 0, 0], [-1, 1, -1]).squeeze([1]);
  } else {
    let w = mask.toFloat();
    if (c.pooling === 'idf-mean') {
      const raw = embeddingLookup(p('pooling.word_weight').reshape([-1, 1]) as tf.Tensor2D, ids).squeeze([2]);
      w = tf.softplus(raw).mul(w);
    }
    // Σ_t w[b, t]·hidden[b, t, :] as a batched product [b, 1, t]·[b, t, h]: the broadcast Mul and the
    // middle-axis Sum (and their gradients) were ~3 ms of a default-student step on wasm; the same
    // sums up to float rounding.
    const sum = tf.matMul(w.expandDims(1) as tf.Tensor3D, hidden).squeeze([1]);
    out = sum.div(w.sum(1, true).add(1e-9)) as tf.Tensor2D;
  }
  if (c.similarity === 'cosine') out = out.div(out.square().sum(1, true).add(1e-12).sqrt()) as tf.Tensor2D;
  return out;
}
