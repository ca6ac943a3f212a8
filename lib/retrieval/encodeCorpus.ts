/**
 * Encodes a passage collection into an embedding matrix, cached on disk under a key of (model
 * weights, texts, settings) and resumable: rows are written in chunks, so an interrupted run
 * restarts at the first missing chunk.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { sha256 } from '../io/hash';
import type { Encoder, EmbeddingMatrix, TextKind } from '../models/types';
import { readNpy, writeNpy } from './npy';

/** A passage to encode (title, when present, is prepended as BEIR encoders do). */
export interface PassageText {
  readonly id: string;
  readonly text: string;
  readonly title?: string;
}

/** Options of {@link encodeCorpus}. */
export interface EncodeCorpusOptions {
  /** Rows per cache chunk (and per progress report). Default 1024. */
  readonly batchSize?: number;
  /** Folder for cached embeddings; without it nothing is cached. */
  readonly cacheDir?: string;
  /** Identifies the model's weights; default: the encoder's own `fingerprint()` if it has one. */
  readonly modelKey?: string;
  readonly kind?: TextKind;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Encoded corpus: row i of `matrix` is passage `ids[i]`. */
export interface EncodedCorpus {
  readonly ids: string[];
  readonly matrix: EmbeddingMatrix;
  /** Cache key, when cached; `fromCache` counts the rows that were read back rather than encoded. */
  readonly cacheKey?: string;
  readonly fromCache: number;
}

/** Text given to the encoder for a passage. */
export function passageInput(p: PassageText): string {
  return p.title ? `${p.title} ${p.text}` : p.text;
}

async function modelKeyOf(encoder: Encoder, given?: string): Promise<string | undefined> {
  if (given) return given;
  const f = (encoder as Encoder & { fingerprint?: () => Promise<string> }).fingerprint;
  return f ? f.call(encoder) : undefined;
}

/** Encodes passages in order, reusing cached chunks when `cacheDir` is set (and the encoder's embeddings are worth caching). */
export async function encodeCorpus(encoder: Encoder, passages: readonly PassageText[], options: EncodeCorpusOptions = {}): Promise<EncodedCorpus> {
  const opts = encoder.cacheEmbeddings === false ? { ...options, cacheDir: undefined } : options;
  const kind = opts.kind ?? 'passage';
  const chunkRows = opts.batchSize ?? 1024;
  const ids = passages.map((p) => p.id);
  const texts = passages.map(passageInput);
  const total = texts.length;
  const modelKey = opts.cacheDir ? await modelKeyOf(encoder, opts.modelKey) : undefined;
  if (opts.cacheDir && !modelKey) throw new Error(`encodeCorpus: caching in ${opts.cacheDir} needs a modelKey (encoder '${encoder.name}' has no fingerprint())`);
  const textHash = createHash('sha256');
  for (let i = 0; i < total; i++) textHash.update(ids[i]).update('\t').update(texts[i]).update('\n');
  const key = modelKey ? sha256('encodeCorpus/1', modelKey, textHash.digest('hex'), { kind, chunkRows, dim: encoder.dim }) : undefined;
  const final = key && join(opts.cacheDir!, `${key}.npy`);
  if (final && existsSync(final)) {
    const matrix = readNpy(final);
    const cachedIds = readFileSync(`${final.slice(0, -4)}.ids.txt`, 'utf8').split('\n').slice(0, -1);
    if (matrix.rows === total && cachedIds.join('\n') === ids.join('\n')) {
      opts.onProgress?.(total, total);
      return { ids, matrix, cacheKey: key, fromCache: total };
    }
  }
  const chunkDir = key && join(opts.cacheDir!, `${key}.chunks`);
  if (chunkDir) mkdirSync(chunkDir, { recursive: true });
  const data = new Float32Array(total * encoder.dim);
  let fromCache = 0;
  for (let start = 0, c = 0; start < total; start += chunkRows, c++) {
    const end = Math.min(total, start + chunkRows);
    const chunkPath = chunkDir && join(chunkDir, `chunk-${String(c).padStart(6, '0')}.npy`);
    let m: EmbeddingMatrix | undefined;
    if (chunkPath && existsSync(chunkPath)) {
      m = readNpy(chunkPath);
      if (m.rows !== end - start || m.dim !== encoder.dim) m = undefined;
      else fromCache += m.rows;
    }
    if (!m) {
      m = await encoder.encode(texts.slice(start, end), kind);
      if (chunkPath) await writeNpy(chunkPath, m);
    }
    data.set(m.data, start * encoder.dim);
    opts.onProgress?.(end, total);
    // Let timers run (progress bars redraw on them); wasm kernels otherwise never yield.
    await new Promise((r) => setImmediate(r));
  }
  const matrix: EmbeddingMatrix = { rows: total, dim: encoder.dim, data };
  if (final && chunkDir) {
    await writeFileAtomic(`${final.slice(0, -4)}.ids.txt`, ids.map((i) => `${i}\n`).join(''));
    await writeNpy(final, matrix);
    for (const f of readdirSync(chunkDir)) rmSync(join(chunkDir, f));
    rmSync(chunkDir, { recursive: true, force: true });
  }
  return { ids, matrix, cacheKey: key, fromCache };
}
