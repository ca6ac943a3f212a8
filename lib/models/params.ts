/**
 * Parameter names and seeded initialisation of one encoder tower. Names are our canonical ones
 * (dense weights stored [in, out]); hfWeights.ts maps them to Hugging Face names and layouts.
 */
import * as tf from '@tensorflow/tfjs';
import type { StudentConfig } from './config';

/** Shape of every parameter of one tower, in a stable order (checkpoints rely on it). */
export function towerParamShapes(c: StudentConfig): Array<[string, number[]]> {
  const e = c.embeddingDim ?? c.hidden;
  const out: Array<[string, number[]]> = [['embeddings.word', [c.vocabSize, e]]];
  if (e !== c.hidden) out.push(['embeddings.projection', [e, c.hidden]]);
  out.push(['embeddings.position', [c.maxPositions, c.hidden]]);
  if (c.arch === 'bert') out.push(['embeddings.token_type', [c.typeVocabSize, c.hidden]]);
  out.push(['embeddings.ln.gamma', [c.hidden]], ['embeddings.ln.beta', [c.hidden]]);
  for (let i = 0; i < c.layers; i++) {
    const p = `layer.${i}.`;
    for (const m of ['q', 'k', 'v', 'o']) out.push([`${p}attn.${m}.kernel`, [c.hidden, c.hidden]], [`${p}attn.${m}.bias`, [c.hidden]]);
    out.push([`${p}attn_ln.gamma`, [c.hidden]], [`${p}attn_ln.beta`, [c.hidden]]);
    out.push([`${p}ffn.in.kernel`, [c.hidden, c.ffn]], [`${p}ffn.in.bias`, [c.ffn]]);
    out.push([`${p}ffn.out.kernel`, [c.ffn, c.hidden]], [`${p}ffn.out.bias`, [c.hidden]]);
    out.push([`${p}out_ln.gamma`, [c.hidden]], [`${p}out_ln.beta`, [c.hidden]]);
  }
  if (c.pooling === 'idf-mean') out.push(['pooling.word_weight', [c.vocabSize]]);
  return out;
}

/** Tower name prefixes: one shared tower, or separate query/passage towers. */
export function towerPrefixes(c: StudentConfig): string[] {
  return c.shareTowers ? [''] : ['query.', 'passage.'];
}

/** Inverse softplus, so a pooling weight initialised to w > 0 has softplus(raw) = w. */
export function inverseSoftplus(w: number): number {
  return w > 20 ? w : Math.log(Math.expm1(Math.max(w, 1e-6)));
}

/** Seeded initial value of one parameter (BERT's: N(0, initStd) weights, zero biases, unit LN gain). */
export function initialValue(c: StudentConfig, name: string, shape: number[], seed: number): tf.Tensor {
  const local = name.replace(/^(query|passage)\./, '');
  if (local.endsWith('.bias') || local.endsWith('.beta')) return tf.zeros(shape);
  if (local.endsWith('.gamma')) return tf.ones(shape);
  if (local === 'pooling.word_weight') return tf.fill(shape, inverseSoftplus(1));
  if (c.zeroInitResiduals && /attn\.o\.kernel$|ffn\.out\.kernel$/.test(local)) return tf.zeros(shape);
  if (local === 'embeddings.projection') {
    // N(0, 1/out) rows keep |Wx|² ≈ |x|², so projected GloVe dot products are preserved in expectation.
    return tf.randomNormal(shape, 0, 1 / Math.sqrt(shape[1]), 'float32', seed);
  }
  return tf.truncatedNormal(shape, 0, c.initStd, 'float32', seed);
}

/** Deterministic per-parameter seed from the model seed and the parameter's name. */
export function paramSeed(seed: number, name: string): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 0) % 2147483647;
}
