/**
 * The hashed lexical dual encoder: each term → a seeded random ±1 vector (hashing.ts), weighted by
 * BM25's saturated tf, idf^p (p per side) and a learnable per-term weight exp(θ), summed; queries
 * L2-normalised; score = dot product. With θ = 0 it is the training-free vector, whose dot products
 * approximate BM25 (idf^0.75 · idf^0.25 = idf). Implements TrainableDualEncoder: `embed` is
 * differentiable in θ (tfjs), `encode` is an equal plain-JS sparse sum (no tensors, fast).
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { stableStringify } from '../../io/hash';
import { termCounts, type TermCounts } from '../../text/analyzer';
import { bm25Idf } from '../../text/termStats';
import { embeddingLookup } from '../embedding';
import type { EmbeddingMatrix, TextKind, TokenBatch, TrainableDualEncoder } from '../types';
import type { LexicalConfig } from './config';
import { nativeAxpy } from '../../backend/native-kernels';
import { addTermVector } from './hashing';
import { analyzerOptions, type LexicalVocabulary } from './vocabulary';

/** Parameter names: one log-weight vector per tower, [terms + 1] (the last row: every unseen term). */
export const LEXICAL_PARAMS = { query: 'query.term_weight', passage: 'passage.term_weight' } as const;

const KINDS: readonly TextKind[] = ['query', 'passage'];
let instanceCounter = 0;
/** Memory for cached term vectors in a process, all encoders together (32768 terms at dim 4096: a DL pool's vocabulary). */
const CACHE_BYTES = 512 * 2 ** 20;

/**
 * Term vectors depend on (term, seed, dim) only, not on the weights, so every encoder of one
 * (seed, dim) in a process shares them: each iteration's model, each checkpoint loaded for a test
 * pool. First come, up to CACHE_BYTES in all: adding a stored vector is ~3× faster than
 * regenerating its signs, and frequent terms come first in any pool.
 */
const vectorCaches = new Map<string, Map<string, Float32Array>>();
let cachedBytes = 0;
function sharedVectors(seed: number, dim: number): Map<string, Float32Array> {
  const key = `${seed}/${dim}`;
  let m = vectorCaches.get(key);
  if (!m) vectorCaches.set(key, (m = new Map()));
  return m;
}

/** out[o + k] += c · v[k] over v (each sum rounded to float32 as it is stored). */
function axpyJs(out: Float32Array, o: number, c: number, v: Float32Array): void {
  for (let k = 0; k < v.length; k++) out[o + k] += c * v[k];
}

/** A trainable hashed lexical dual encoder (see the module comment). */
export class HashedLexicalEncoder implements TrainableDualEncoder {
  readonly kind = 'hashed-lexical' as const;
  /** Its embeddings are recomputed faster than a disk cache returns them (Encoder.cacheEmbeddings). */
  readonly cacheEmbeddings = false;
  readonly dim: number;
  private readonly index: Map<string, number>;
  private readonly idfPower: Record<TextKind, Float32Array>;
  private readonly vars = new Map<string, tf.Variable>();
  // tokenize() keeps each batch's analysed texts here: the hash vectors need the term strings
  // (unseen terms share a weight row but not a vector), which the id tensors cannot carry.
  private readonly analysed = new WeakMap<TokenBatch, TermCounts[]>();
  // Term vectors already expanded, shared by every encoder of this (seed, dim) in the process.
  private readonly vectors: Map<string, Float32Array>;

  constructor(
    readonly config: LexicalConfig,
    readonly vocabulary: LexicalVocabulary,
    readonly seed: number,
    initial: Readonly<Record<string, Float32Array>> = {},
    readonly name = 'hashed-lexical',
  ) {
    if (vocabulary.terms.length !== vocabulary.df.length) throw new Error(`${name}: ${vocabulary.terms.length} terms but ${vocabulary.df.length} document frequencies`);
    this.dim = config.dim;
    this.vectors = sharedVectors(seed, config.dim);
    this.index = new Map(vocabulary.terms.map((t, i) => [t, i]));
    const rows = vocabulary.terms.length + 1;
    const idf = Float32Array.from({ length: rows }, (_, i) => bm25Idf(vocabulary.documents, i < vocabulary.df.length ? vocabulary.df[i] : 0));
    this.idfPower = {
      query: idf.map((x) => x ** config.queryIdfPower),
      passage: idf.map((x) => x ** config.passageIdfPower),
    };
    instanceCounter++;
    for (const kind of KINDS) {
      const p = LEXICAL_PARAMS[kind];
      const given = initial[p];
      if (given && given.length !== rows) throw new Error(`${name}: initial ${p} has ${given.length} values, the vocabulary needs ${rows}`);
      this.vars.set(p, tf.tidy(() => tf.variable(given ? tf.tensor1d(given) : tf.zeros([rows]), true, `${name}#${instanceCounter}/${p}`)));
    }
  }

  /** Canonical parameter names in stable order. */
  paramNames(): string[] {
    return [...this.vars.keys()];
  }

  trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Distinct terms (first `maxTerms`) with counts; the length counts every term. */
  private analyse(text: string): TermCounts {
    const c = termCounts(text, analyzerOptions(this.config));
    const m = this.config.maxTerms;
    return c.terms.length <= m ? c : { terms: c.terms.slice(0, m), counts: c.counts.slice(0, m), length: c.length };
  }

  /** Row of a term's weight (unseen terms share the last row). */
  private row(term: string): number {
    return this.index.get(term) ?? this.vocabulary.terms.length;
  }

  /** The unit ±1/√dim vector of a term (cached while the budget lasts). */
  private termVector(term: string): Float32Array {
    let v = this.vectors.get(term);
    if (!v) {
      v = new Float32Array(this.dim);
      addTermVector(term, this.seed, this.dim, 1, v);
      if (cachedBytes + this.dim * 4 <= CACHE_BYTES) {
        this.vectors.set(term, v);
        cachedBytes += this.dim * 4;
      }
    }
    return v;
  }

  /** BM25 saturation tf·(k1+1)/(tf + k1·(1 − b + b·len/avglen)); queries use b = 0. */
  private saturate(tf: number, length: number, kind: TextKind): number {
    const { k1 } = this.config;
    const b = kind === 'passage' ? this.config.b : 0;
    return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / this.vocabulary.meanLength));
  }

  /** Ids are distinct term rows per text, the mask their term frequencies (0 = padding). */
  tokenize(texts: readonly string[], _kind: TextKind): TokenBatch {
    const rows = texts.map((t) => this.analyse(t));
    const length = Math.max(1, ...rows.map((r) => r.terms.length));
    const ids = new Int32Array(rows.length * length).fill(this.vocabulary.terms.length);
    const mask = new Int32Array(rows.length * length);
    rows.forEach((r, i) => r.terms.forEach((t, j) => { ids[i * length + j] = this.row(t); mask[i * length + j] = r.counts[j]; }));
    const batch: TokenBatch = { inputIds: tf.tensor2d(ids, [rows.length, length], 'int32'), attentionMask: tf.tensor2d(mask, [rows.length, length], 'int32') };
    this.analysed.set(batch, rows);
    return batch;
  }

  /** Differentiable [batch, dim] embeddings of a batch made by this encoder's `tokenize`. */
  embed(batch: TokenBatch, kind: TextKind, _training: boolean): tf.Tensor2D {
    const rows = this.analysed.get(batch);
    if (!rows) throw new Error(`${this.name}: embed() needs a batch made by this encoder's tokenize() (it carries the term strings)`);
    const local = new Map<string, number>();
    for (const r of rows) for (const t of r.terms) if (!local.has(t)) local.set(t, local.size);
    const u = Math.max(1, local.size);
    const base = new Float32Array(rows.length * u);
    const pow = this.idfPower[kind];
    rows.forEach((r, i) => r.terms.forEach((t, j) => {
      base[i * u + local.get(t)!] = this.saturate(r.counts[j], r.length, kind) * pow[this.row(t)];
    }));
    const hashed = new Float32Array(u * this.dim);
    const rowIds = new Int32Array(u).fill(this.vocabulary.terms.length);
    for (const [t, k] of local) {
      hashed.set(this.termVector(t), k * this.dim);
      rowIds[k] = this.row(t);
    }
    return tf.tidy(() => {
      const theta = this.vars.get(LEXICAL_PARAMS[kind])!;
      const w = tf.exp(embeddingLookup(theta.reshape([-1, 1]) as tf.Tensor2D, tf.tensor1d(rowIds, 'int32'))).reshape([1, u]);
      let e = tf.matMul(tf.tensor2d(base, [rows.length, u]).mul(w) as tf.Tensor2D, tf.tensor2d(hashed, [u, this.dim]));
      if (kind === 'query' && this.config.normalizeQueries) e = e.div(e.square().sum(1, true).add(1e-12).sqrt());
      return e as tf.Tensor2D;
    });
  }

  /** Embeddings as a sparse sum in plain JS (equal to `embed`; no tensors per batch). */
  async encode(texts: readonly string[], kind: TextKind): Promise<EmbeddingMatrix> {
    const weight = (await this.vars.get(LEXICAL_PARAMS[kind])!.data()) as Float32Array;
    const pow = this.idfPower[kind];
    const dim = this.dim;
    const out = new Float32Array(texts.length * dim);
    // The term sums are the whole cost (a 12k-passage pool: ~2·10⁹ multiply-adds); the native axpy
    // does V8's loop's exact arithmetic ~10× faster, so either gives the same embeddings bit for bit.
    const axpy = nativeAxpy() ?? axpyJs;
    for (let i = 0; i < texts.length; i++) {
      const r = this.analyse(texts[i]);
      const o = i * dim;
      for (let j = 0; j < r.terms.length; j++) {
        const t = r.terms[j];
        const row = this.row(t);
        axpy(out, o, this.saturate(r.counts[j], r.length, kind) * pow[row] * Math.exp(weight[row]), this.termVector(t));
      }
      if (kind === 'query' && this.config.normalizeQueries) {
        let sq = 0;
        for (let k = o; k < o + dim; k++) sq += out[k] * out[k];
        const inv = 1 / Math.sqrt(sq + 1e-12);
        for (let k = o; k < o + dim; k++) out[k] *= inv;
      }
    }
    return { rows: texts.length, dim, data: out };
  }

  /** Current weights as plain arrays by canonical name (for checkpoints). */
  async weights(): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [n, v] of this.vars) out[n] = { shape: [...v.shape], data: (await v.data()) as Float32Array };
    return out;
  }

  /** SHA-256 of config, seed, vocabulary and weights: the model part of cache keys. */
  async fingerprint(): Promise<string> {
    const h = createHash('sha256').update(stableStringify({ kind: this.kind, config: this.config, seed: this.seed }));
    const v = this.vocabulary;
    h.update(`${v.documents}\t${v.meanLength}\n`).update(v.terms.join('\n')).update(new Uint8Array(v.df.buffer, v.df.byteOffset, v.df.byteLength));
    for (const [n, w] of this.vars) {
      const d = (await w.data()) as Float32Array;
      h.update(n).update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    }
    return h.digest('hex');
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
