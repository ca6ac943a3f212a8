/**
 * Cross-encoder scoring: each (query, candidate) pair through a sequence-pair classifier, in
 * batches per query; the score is the positive label's logit. A candidate absent from the
 * collection is NaN (missing).
 */
import type { Collection, DocId, Query } from '../../data/types';
import type { CrossEncoderModel } from '../../models/crossEncoder';
import type { Scorer } from '../types';

/** Scores pairs with an opened cross-encoder; `cacheKey` = the model folder's content fingerprint + settings. */
export class CrossEncoderScorer implements Scorer {
  /** Scores depend on the query and candidate texts only, not on the rest of the collection. */
  readonly scope = 'pairs' as const;

  constructor(readonly name: string, private readonly model: CrossEncoderModel, readonly cacheKey: string) {}

  /** The engine the scores come from ('onnxruntime' or 'tfjs'). */
  get engine(): string {
    return this.model.engine;
  }

  async score(query: Query, docIds: readonly DocId[], collection: Collection): Promise<Float64Array> {
    const present = docIds.map((d, i) => [i, collection.passages.get(d)] as const).filter(([, p]) => p !== undefined);
    const texts = present.map(([, p]) => (p!.title ? `${p!.title} ${p!.text}` : p!.text));
    const scores = await this.model.score(query.text, texts);
    const out = new Float64Array(docIds.length).fill(NaN);
    present.forEach(([i], j) => { out[i] = scores[j]; });
    return out;
  }

  /** Releases the model's session or tensors. */
  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
