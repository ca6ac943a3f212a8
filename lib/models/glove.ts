/**
 * GloVe initialisation of word-piece embeddings: reads the fp16 GloVe shards in data/models
 * (meta.json + vocab.txt + vectors.f16.*.bin) and fills the rows of word pieces that are whole
 * GloVe words; other rows get small seeded random vectors of matching scale.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { halfToFloat } from './safetensors';

/** GloVe vectors in memory. */
export interface GloveVectors {
  readonly dim: number;
  readonly words: string[];
  readonly index: Map<string, number>;
  readonly vectors: Float32Array;
  readonly source: string;
}

/** Reads a GloVe folder written by data-scripts (either meta.json variant: `dim`/`dims`, shard list or count). */
export function readGlove(dir: string): GloveVectors {
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) throw new Error(`no GloVe vectors in ${dir}: meta.json is missing`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { dim?: number; dims?: number; rows: number; shards?: string[] | number };
  const dim = meta.dim ?? meta.dims;
  if (!dim || !meta.rows) throw new Error(`${metaPath}: needs 'dim' (or 'dims') and 'rows'`);
  const shards = Array.isArray(meta.shards) ? meta.shards : readdirSync(dir).filter((f) => /^vectors\.f16\.\d+\.bin$/.test(f)).sort();
  const words = readFileSync(join(dir, 'vocab.txt'), 'utf8').split('\n');
  if (words[words.length - 1] === '') words.pop();
  if (words.length !== meta.rows) throw new Error(`${join(dir, 'vocab.txt')}: ${words.length} words, meta.json says ${meta.rows}`);
  const vectors = new Float32Array(meta.rows * dim);
  let offset = 0;
  for (const shard of shards) {
    const buf = readFileSync(join(dir, shard));
    if (buf.byteLength % 2) throw new Error(`${join(dir, shard)}: odd byte length`);
    const n = buf.byteLength / 2;
    if (offset + n > vectors.length) throw new Error(`${join(dir, shard)}: more values than rows × dim`);
    for (let i = 0; i < n; i++) vectors[offset + i] = halfToFloat(buf.readUInt16LE(i * 2));
    offset += n;
  }
  if (offset !== vectors.length) throw new Error(`${dir}: shards hold ${offset} values, expected ${vectors.length}`);
  const index = new Map<string, number>();
  words.forEach((w, i) => index.has(w) || index.set(w, i));
  return { dim, words, index, vectors, source: dir };
}

/** GloVe-initialised word-piece embedding table and its coverage. */
export interface GloveEmbedding {
  readonly table: Float32Array;
  readonly dim: number;
  /** Vocabulary entries initialised from GloVe. */
  readonly covered: number;
  readonly vocabSize: number;
  readonly coveredMask: Uint8Array;
}

/** Mulberry32: a small seeded PRNG (the same seed gives the same table). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows for word pieces that are whole GloVe words (not `##` continuations, not [special] tokens)
 * come from GloVe; the rest are N(0, σ²) with σ = the GloVe values' standard deviation / 4 (seeded).
 */
export function gloveEmbedding(vocab: readonly string[], glove: GloveVectors, seed: number): GloveEmbedding {
  const { dim } = glove;
  let sq = 0;
  for (let i = 0; i < glove.vectors.length; i++) sq += glove.vectors[i] ** 2;
  const sigma = Math.sqrt(sq / glove.vectors.length) / 4;
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const table = new Float32Array(vocab.length * dim);
  const coveredMask = new Uint8Array(vocab.length);
  let covered = 0;
  vocab.forEach((piece, v) => {
    const row = piece.startsWith('##') || /^\[.*\]$/.test(piece) ? undefined : glove.index.get(piece);
    if (row !== undefined) {
      table.set(glove.vectors.subarray(row * dim, (row + 1) * dim), v * dim);
      coveredMask[v] = 1;
      covered++;
    } else {
      for (let d = 0; d < dim; d++) table[v * dim + d] = sigma * gauss();
    }
  });
  return { table, dim, covered, vocabSize: vocab.length, coveredMask };
}

/** Fraction of non-special tokens in `tokenIds` whose word piece is GloVe-initialised. */
export function tokenCoverage(emb: GloveEmbedding, tokenIds: Iterable<number>, specialIds: ReadonlySet<number>): { tokens: number; covered: number; fraction: number } {
  let tokens = 0;
  let covered = 0;
  for (const id of tokenIds) {
    if (specialIds.has(id)) continue;
    tokens++;
    covered += emb.coveredMask[id];
  }
  return { tokens, covered, fraction: tokens ? covered / tokens : 0 };
}
