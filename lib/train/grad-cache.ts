/**
 * Gradient caching (Gao et al. 2021, "Scaling Deep Contrastive Learning Batch Size under Memory
 * Limited Setup"): a batch's embeddings are computed chunk by chunk without a tape, the loss and its
 * gradient with respect to the embeddings on the whole batch, then every chunk is encoded again
 * with a tape and back-propagated from its slice of that gradient. The loss still sees every
 * in-batch negative, so the parameter gradient is the full batch's (up to float summation order),
 * while only one chunk's activations are alive at a time: what lets a 66M student train inside
 * tfjs-wasm's 4 GB heap. Costs one extra forward pass per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { TextKind, TokenBatch, TrainableDualEncoder } from '../models/types';

/** Rows [start, start + count) of a token batch (same padded length, so each row encodes alike). */
function sliceRows(batch: TokenBatch, start: number, count: number): TokenBatch {
  const len = batch.inputIds.shape[1];
  return {
    inputIds: tf.slice(batch.inputIds, [start, 0], [count, len]),
    attentionMask: tf.slice(batch.attentionMask, [start, 0], [count, len]),
  };
}

function chunkStarts(rows: number, chunk: number): number[] {
  return Array.from({ length: Math.ceil(rows / chunk) }, (_, i) => i * chunk);
}

/** Tape-free embeddings of `batch`, `chunk` rows per forward pass. */
function embedNoTape(model: TrainableDualEncoder, batch: TokenBatch, kind: TextKind, chunk: number): tf.Tensor2D {
  const rows = batch.inputIds.shape[0];
  const parts = chunkStarts(rows, chunk).map((s) => tf.tidy(() => model.embed(sliceRows(batch, s, Math.min(chunk, rows - s)), kind, true)));
  if (parts.length === 1) return parts[0];
  const out = tf.concat(parts, 0);
  for (const p of parts) p.dispose();
  return out;
}

/**
 * tf.variableGrads of `loss(model.embed(q), model.embed(p))` with respect to `variables`, with at
 * most `chunk` texts per tower forward pass. Same contract as tf.variableGrads: the caller disposes
 * `value` and `grads`. The model must draw no dropout (both passes must compute the same embeddings).
 */
export function cachedVariableGrads(
  model: TrainableDualEncoder,
  q: TokenBatch,
  p: TokenBatch,
  loss: (queryEmb: tf.Tensor2D, passageEmb: tf.Tensor2D) => tf.Scalar,
  variables: readonly tf.Variable[],
  chunk: number,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new Error(`cachedVariableGrads: chunk must be a positive integer, got ${chunk}`);
  const dropout = (model as { config?: { dropout?: number } }).config?.dropout ?? 0;
  if (dropout > 0) throw new Error(`cachedVariableGrads: the student has dropout ${dropout}; gradient caching encodes every text twice and needs both passes to agree (set dropout 0 or embedChunk off)`);
  const qEmb = embedNoTape(model, q, 'query', chunk);
  const pEmb = embedNoTape(model, p, 'passage', chunk);
  let value: tf.Scalar;
  let dq: tf.Tensor2D;
  let dp: tf.Tensor2D;
  try {
    const g = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => loss(a as tf.Tensor2D, b as tf.Tensor2D))([qEmb, pEmb]);
    value = g.value as tf.Scalar;
    [dq, dp] = g.grads as [tf.Tensor2D, tf.Tensor2D];
  } finally {
    qEmb.dispose();
    pEmb.dispose();
  }
  const names = new Set(variables.map((v) => v.name));
  const acc = new Map<string, tf.Tensor>();
  try {
    for (const [batch, kind, dEmb] of [[q, 'query', dq], [p, 'passage', dp]] as const) {
      const rows = batch.inputIds.shape[0];
      for (const s of chunkStarts(rows, chunk)) {
        const count = Math.min(chunk, rows - s);
        const part = sliceRows(batch, s, count);
        const dPart = tf.slice(dEmb, [s, 0], [count, dEmb.shape[1]]);
        try {
          // d/dθ Σ e(θ)·ḡ is the chain rule's contribution of this chunk, with ḡ = ∂L/∂e held constant.
          const r = tf.variableGrads(() => tf.sum(tf.mul(model.embed(part, kind, true), dPart)) as tf.Scalar, [...variables]);
          r.value.dispose();
          for (const [name, g] of Object.entries(r.grads)) {
            if (!names.has(name)) { g.dispose(); continue; }
            const prev = acc.get(name);
            if (!prev) { acc.set(name, g); continue; }
            acc.set(name, tf.add(prev, g));
            prev.dispose();
            g.dispose();
          }
        } finally {
          for (const t of [part.inputIds, part.attentionMask, dPart]) t.dispose();
        }
      }
    }
  } catch (e) {
    value.dispose();
    for (const t of acc.values()) t.dispose();
    throw e;
  } finally {
    dq.dispose();
    dp.dispose();
  }
  return { value, grads: Object.fromEntries(acc) };
}
