/**
 * A tiny but real TrainableDualEncoder for trainer tests: hashed word vocabulary, mean of word
 * embeddings, then a dense layer. Deterministic initialisation from a seed. Optionally "poisoned"
 * (embeddings multiplied by NaN) from a given embed call on, to test divergence handling.
 */
import * as tf from '@tensorflow/tfjs';
import type { EmbeddingMatrix, TextKind, TokenBatch, TrainableDualEncoder } from '../../lib/models/types';

export interface TinyEncoderOptions {
  readonly vocab?: number;
  readonly dim?: number;
  readonly maxLength?: number;
  readonly seed?: number;
  /** From this embed() call on (1-based), outputs are NaN. */
  readonly poisonFromCall?: number;
}

function hashWord(w: string, vocab: number): number {
  let h = 2166136261;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619) >>> 0;
  return 1 + (h % (vocab - 1)); // 0 is padding
}

export function createTinyEncoder(o: TinyEncoderOptions = {}): TrainableDualEncoder {
  const vocab = o.vocab ?? 64;
  const dim = o.dim ?? 8;
  const maxLength = o.maxLength ?? 16;
  const seed = o.seed ?? 1;
  const E = tf.variable(tf.randomNormal([vocab, dim], 0, 0.5, 'float32', seed), true, `tiny_E_${seed}_${Math.random()}`);
  const W = tf.variable(tf.randomNormal([dim, dim], 0, 0.5, 'float32', seed + 1), true, `tiny_W_${seed}_${Math.random()}`);
  const b = tf.variable(tf.zeros([dim]), true, `tiny_b_${seed}_${Math.random()}`);
  let calls = 0;
  const tokenize = (texts: readonly string[]): TokenBatch => {
    const ids = texts.map((t) => t.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).slice(0, maxLength).map((w) => hashWord(w, vocab)));
    const len = Math.max(1, ...ids.map((r) => r.length));
    const flat = new Int32Array(texts.length * len);
    const mask = new Int32Array(texts.length * len);
    ids.forEach((r, i) => r.forEach((id, j) => ((flat[i * len + j] = id), (mask[i * len + j] = 1))));
    return { inputIds: tf.tensor2d(flat, [texts.length, len], 'int32'), attentionMask: tf.tensor2d(mask, [texts.length, len], 'int32') };
  };
  const embed = (batch: TokenBatch): tf.Tensor2D =>
    tf.tidy(() => {
      calls += 1;
      const vecs = tf.gather(E, batch.inputIds); // [B, L, d]
      const m = tf.expandDims(tf.cast(batch.attentionMask, 'float32'), 2);
      const mean = tf.div(tf.sum(tf.mul(vecs, m), 1), tf.maximum(tf.sum(m, 1), 1));
      const out = tf.add(tf.matMul(mean as tf.Tensor2D, W), b) as tf.Tensor2D;
      return o.poisonFromCall !== undefined && calls >= o.poisonFromCall ? (tf.mul(out, NaN) as tf.Tensor2D) : out;
    });
  return {
    name: 'tiny-hashed-bag',
    dim,
    tokenize: (texts) => tokenize(texts),
    embed: (batch) => embed(batch),
    async encode(texts: readonly string[], kind: TextKind): Promise<EmbeddingMatrix> {
      void kind;
      const t = tokenize(texts);
      const e = embed(t);
      const data = e.dataSync() as Float32Array;
      tf.dispose([t.inputIds, t.attentionMask, e]);
      return { rows: texts.length, dim, data: Float32Array.from(data) };
    },
    trainableVariables: () => [E, W, b],
    dispose: () => tf.dispose([E, W, b]),
  };
}
