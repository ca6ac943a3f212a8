/**
 * Optional approximate index through hnswlib-node (inner-product space), behind VectorIndex.
 * Loaded lazily so the library works where the native module is unavailable.
 */
import type { EmbeddingMatrix } from '../models/types';
import type { VectorIndex } from './search';
import type { TopKHits } from './topk';

/** HNSW build parameters. */
export interface HnswOptions {
  readonly m?: number;
  readonly efConstruction?: number;
  readonly efSearch?: number;
  readonly seed?: number;
}

type Hnsw = {
  initIndex(max: number, m?: number, ef?: number, seed?: number): void;
  addPoint(v: number[] | Float32Array, label: number): void;
  setEf(ef: number): void;
  searchKnn(v: number[] | Float32Array, k: number): { distances: number[]; neighbors: number[] };
};

/** Builds an HNSW inner-product index over `corpus` (scores returned as inner products). */
export function hnswIndex(corpus: EmbeddingMatrix, opts: HnswOptions = {}): VectorIndex {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('hnswlib-node') as { HierarchicalNSW: new (space: string, dim: number) => Hnsw };
  const index = new lib.HierarchicalNSW('ip', corpus.dim);
  index.initIndex(corpus.rows, opts.m ?? 16, opts.efConstruction ?? 200, opts.seed ?? 100);
  for (let r = 0; r < corpus.rows; r++) index.addPoint(Array.from(corpus.data.subarray(r * corpus.dim, (r + 1) * corpus.dim)), r);
  return {
    search(queries, k): TopKHits[] {
      const kk = Math.min(k, corpus.rows);
      index.setEf(Math.max(opts.efSearch ?? 100, kk));
      const out: TopKHits[] = [];
      for (let q = 0; q < queries.rows; q++) {
        const res = index.searchKnn(Array.from(queries.data.subarray(q * queries.dim, (q + 1) * queries.dim)), kk);
        // hnswlib's 'ip' distance is 1 − inner product.
        const order = res.neighbors.map((n, i) => ({ n, s: Math.fround(1 - res.distances[i]) })).sort((a, b) => b.s - a.s || a.n - b.n);
        out.push({ indices: Int32Array.from(order, (o) => o.n), scores: Float32Array.from(order, (o) => o.s) });
      }
      return out;
    },
  };
}
