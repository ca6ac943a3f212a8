/**
 * Exact inner-product top-k over an embedding matrix, in row chunks so memory stays bounded
 * (never the full queries × corpus score matrix). Ties go to the smaller corpus row index.
 */
import { nativeKernelStatus, nativeSgemm, nativeTopK } from '../backend/native-kernels';
import type { EmbeddingMatrix } from '../models/types';

/** Top-k hits of one query: corpus row indices and scores, best first. */
export interface TopKHits {
  readonly indices: Int32Array;
  readonly scores: Float32Array;
}

/** Options of {@link exactTopK}. */
export interface ExactTopKOptions {
  /** Corpus rows scored at a time (bounds the score buffer to queries × chunkRows floats; default 4096, 16384 with the native selection). */
  readonly chunkRows?: number;
  /**
   * 'blas': score a chunk for all queries as one float32 matrix product and select in C (native
   * kernels, all cores; the JS heap where the addon predates the C selection);
   * 'js': a double-accumulated loop rounded to float32; 'auto' (default): blas when built, else js.
   * The two can order near-ties (within float32 rounding) differently.
   */
  readonly engine?: 'auto' | 'blas' | 'js';
  /** Floats one score buffer may hold (default 2^26, 256 MiB); queries are scored in blocks that fit it. */
  readonly scoreBufferFloats?: number;
}

/** A fixed-capacity min-heap keeping the k best (score desc, index asc). */
class TopKHeap {
  readonly idx: Int32Array;
  readonly sc: Float32Array;
  size = 0;
  constructor(readonly k: number) {
    this.idx = new Int32Array(k);
    this.sc = new Float32Array(k);
  }
  /** a is worse than b: lower score, or equal score and larger index. */
  private worse(i: number, j: number): boolean {
    return this.sc[i] < this.sc[j] || (this.sc[i] === this.sc[j] && this.idx[i] > this.idx[j]);
  }
  private swap(i: number, j: number): void {
    const ti = this.idx[i], ts = this.sc[i];
    this.idx[i] = this.idx[j]; this.sc[i] = this.sc[j];
    this.idx[j] = ti; this.sc[j] = ts;
  }
  /** Whether (score, index) would enter the heap. */
  accepts(score: number, index: number): boolean {
    if (this.size < this.k) return true;
    return score > this.sc[0] || (score === this.sc[0] && index < this.idx[0]);
  }
  push(score: number, index: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      this.sc[i] = score; this.idx[i] = index;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    this.sc[0] = score; this.idx[0] = index;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
  sorted(): TopKHits {
    const order = [...Array(this.size).keys()].sort((a, b) => this.sc[b] - this.sc[a] || this.idx[a] - this.idx[b]);
    return { indices: Int32Array.from(order, (o) => this.idx[o]), scores: Float32Array.from(order, (o) => this.sc[o]) };
  }
}

/**
 * Floats one score buffer may hold (256 MiB): queries are taken in blocks of at most this ÷
 * chunkRows. Scoring all queries against a chunk at once made mining's search of 64,779 got-wrong
 * queries allocate 4.2 GB (64,779 × 16,384 floats), the peak of a 100k-query iteration. A query's
 * scores depend on its block only in the last bit: OpenBLAS's sgemm rounds a row differently by
 * its place in the block (on random 32-dim rows, 21,932 of 428,000 scores differed between one
 * 300-row call and blocks of 7, 293 and 128 rows), so near-tied passages can swap when the
 * queries searched together change.
 */
const SCORE_BUFFER_FLOATS = 1 << 26;

/** Exact top-k by inner product for every query row; memory O(queries × k + min(queries, budget ÷ chunkRows) × chunkRows). */
export function exactTopK(queries: EmbeddingMatrix, corpus: EmbeddingMatrix, k: number, opts: ExactTopKOptions = {}): TopKHits[] {
  if (queries.dim !== corpus.dim) throw new Error(`exactTopK: query dim ${queries.dim} ≠ corpus dim ${corpus.dim}`);
  const kk = Math.min(k, corpus.rows);
  const dim = corpus.dim;
  const q = queries.data;
  const c = corpus.data;
  const engine = opts.engine ?? 'auto';
  const sgemm = engine === 'js' ? undefined : nativeSgemm();
  if (engine === 'blas' && !sgemm) throw new Error(`exactTopK: engine 'blas' needs the native kernels (${nativeKernelStatus().reason ?? 'not built'})`);
  const topk = engine === 'js' ? undefined : nativeTopK();
  if (topk && kk > 0 && queries.rows > 0) {
    // Larger blocks than the JS path: the selection no longer dominates, and sgemm threads better on wide blocks.
    const blockRows = Math.max(1, Math.min(corpus.rows, opts.chunkRows ?? 16384));
    const idx = new Int32Array(queries.rows * kk);
    const sc = new Float32Array(queries.rows * kk);
    const queryBlock = Math.max(1, Math.floor((opts.scoreBufferFloats ?? SCORE_BUFFER_FLOATS) / blockRows));
    for (let q0 = 0; q0 < queries.rows; q0 += queryBlock) {
      const nq = Math.min(queries.rows - q0, queryBlock);
      topk(q.subarray(q0 * dim, (q0 + nq) * dim), c, idx.subarray(q0 * kk, (q0 + nq) * kk), sc.subarray(q0 * kk, (q0 + nq) * kk), nq, corpus.rows, dim, kk, blockRows);
    }
    return Array.from({ length: queries.rows }, (_, i) => ({ indices: idx.slice(i * kk, (i + 1) * kk), scores: sc.slice(i * kk, (i + 1) * kk) }));
  }
  const chunk = Math.max(1, opts.chunkRows ?? 4096);
  const heaps = Array.from({ length: queries.rows }, () => new TopKHeap(kk));
  if (sgemm && kk > 0) {
    const queryBlock = Math.max(1, Math.floor((opts.scoreBufferFloats ?? SCORE_BUFFER_FLOATS) / Math.min(chunk, corpus.rows)));
    const scores = new Float32Array(Math.min(queries.rows, queryBlock) * Math.min(chunk, corpus.rows));
    for (let q0 = 0; q0 < queries.rows; q0 += queryBlock) {
      const nq = Math.min(queries.rows - q0, queryBlock);
      for (let start = 0; start < corpus.rows; start += chunk) {
        const n = Math.min(corpus.rows, start + chunk) - start;
        sgemm(q.subarray(q0 * dim, (q0 + nq) * dim), c.subarray(start * dim, (start + n) * dim), scores, nq, n, dim, true);
        for (let qi = 0; qi < nq; qi++) {
          const heap = heaps[q0 + qi];
          const row = qi * n;
          // Rows arrive in ascending index order, so once the heap is full an equal score (larger
          // index) never enters: comparing with the current minimum is the whole test.
          for (let j = 0; j < n; j++) {
            const sc = scores[row + j];
            if (heap.size < kk || sc > heap.sc[0]) heap.push(sc, start + j);
          }
        }
      }
    }
    return heaps.map((h) => h.sorted());
  }
  for (let start = 0; start < corpus.rows; start += chunk) {
    const end = Math.min(corpus.rows, start + chunk);
    for (let qi = 0; qi < queries.rows; qi++) {
      const heap = heaps[qi];
      const qo = qi * dim;
      for (let r = start; r < end; r++) {
        const co = r * dim;
        let s = 0;
        for (let d = 0; d < dim; d++) s += q[qo + d] * c[co + d];
        const sf = Math.fround(s);
        if (heap.accepts(sf, r)) heap.push(sf, r);
      }
    }
  }
  return kk === 0 ? heaps.map(() => ({ indices: new Int32Array(0), scores: new Float32Array(0) })) : heaps.map((h) => h.sorted());
}
