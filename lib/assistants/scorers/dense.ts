/**
 * Dense scoring with any Encoder: dot product of query and passage embeddings, with passage
 * embeddings cached per scorer so candidates shared across queries are encoded once.
 */
import type { Collection, DocId, Query } from '../../data/types';
import type { Encoder } from '../../models/types';
import type { Scorer } from '../types';

/** Options of {@link DenseScorer}: name, encode batch size, cache key (content hash of the weights), and what disposes the encoder. */
export interface DenseScorerOptions {
  /** Column name (default: the encoder's name). */
  readonly name?: string;
  readonly batchSize?: number;
  readonly cacheKey?: string;
  /** Releases the encoder (an opened model folder); absent when the caller owns it. */
  readonly dispose?: () => Promise<void>;
}

/** Dot-product scores from an encoder; a candidate absent from the collection is NaN. */
export class DenseScorer implements Scorer {
  readonly name: string;
  readonly cacheKey?: string;
  /** Scores depend on the query and candidate texts only. */
  readonly scope = 'pairs' as const;
  private readonly batchSize: number;
  private readonly release?: () => Promise<void>;
  private readonly passageCache = new Map<DocId, Float32Array>();

  constructor(private readonly encoder: Encoder, options: DenseScorerOptions = {}) {
    this.name = options.name ?? encoder.name;
    this.cacheKey = options.cacheKey;
    this.batchSize = options.batchSize ?? 32;
    this.release = options.dispose;
  }

  /** Releases the encoder when this scorer owns it (see options.dispose); the embedding cache too. */
  async dispose(): Promise<void> {
    this.passageCache.clear();
    await this.release?.();
  }

  /** Number of passage embeddings held in the cache. */
  get cachedPassages(): number {
    return this.passageCache.size;
  }

  private async ensureEncoded(docIds: readonly DocId[], collection: Collection): Promise<void> {
    const todo = [...new Set(docIds)].filter((d) => !this.passageCache.has(d) && collection.passages.has(d));
    for (let i = 0; i < todo.length; i += this.batchSize) {
      const ids = todo.slice(i, i + this.batchSize);
      const texts = ids.map((d) => {
        const p = collection.passages.get(d)!;
        return p.title ? `${p.title} ${p.text}` : p.text;
      });
      const m = await this.encoder.encode(texts, 'passage');
      ids.forEach((d, r) => this.passageCache.set(d, m.data.slice(r * m.dim, (r + 1) * m.dim)));
    }
  }

  async score(query: Query, docIds: readonly DocId[], collection: Collection): Promise<Float64Array> {
    await this.ensureEncoded(docIds, collection);
    const q = await this.encoder.encode([query.text], 'query');
    return Float64Array.from(docIds, (d) => {
      const p = this.passageCache.get(d);
      if (!p) return NaN;
      let s = 0;
      for (let k = 0; k < q.dim; k++) s += q.data[k] * p[k];
      return s;
    });
  }
}
