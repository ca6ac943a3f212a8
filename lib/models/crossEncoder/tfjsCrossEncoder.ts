/**
 * Cross-encoder forward in TensorFlow.js: the encoder of transformer.ts with token types, then
 * the classifier head on [CLS] (BERT: tanh pooler; DistilBERT: ReLU pre-classifier), → logits.
 */
import * as tf from '@tensorflow/tfjs';
import { towerHidden } from '../transformer';
import type { CrossEncoderWeights } from './hfFolder';
import type { PairBatch } from './pairs';

/** Logits [batch × numLabels] of tokenised pairs, with the weights held as tfjs tensors until disposed. */
export class TfjsCrossEncoder {
  private params: Map<string, tf.Tensor> | undefined;

  constructor(readonly model: CrossEncoderWeights) {
    this.params = new Map(Object.entries(model.weights).map(([k, v]) => [k, tf.tensor(v.data, [...v.shape])]));
  }

  /** Row-major logits [batch, numLabels] of one padded batch. */
  async logits(b: PairBatch): Promise<Float32Array> {
    const params = this.params;
    if (!params) throw new Error(`${this.model.source}: cross-encoder used after dispose`);
    const p = (local: string) => {
      const t = params.get(local);
      if (!t) throw new Error(`${this.model.source}: no weight ${local}`);
      return t;
    };
    const out = tf.tidy(() => {
      const ids = tf.tensor2d(b.ids, [b.batch, b.length], 'int32');
      const mask = tf.tensor2d(b.mask, [b.batch, b.length], 'int32');
      const types = tf.tensor2d(b.typeIds, [b.batch, b.length], 'int32');
      const hidden = towerHidden(this.model.config, p, ids, mask, undefined, types);
      const cls = hidden.slice([0, 0, 0], [-1, 1, -1]).squeeze([1]) as tf.Tensor2D;
      const z = tf.matMul(cls, p('pooler.kernel') as tf.Tensor2D).add(p('pooler.bias'));
      const pooled = (this.model.head === 'bert-pooler' ? tf.tanh(z) : tf.relu(z)) as tf.Tensor2D;
      return tf.matMul(pooled, p('classifier.kernel') as tf.Tensor2D).add(p('classifier.bias'));
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** Releases the weight tensors. */
  dispose(): void {
    for (const t of this.params?.values() ?? []) t.dispose();
    this.params = undefined;
  }
}
