/**
 * Corpus encoding with ONNX Runtime (onnxruntime-node, CPU): an Encoder over exported tower bytes,
 * a snapshot of a StudentDualEncoder, and `fastEncoder`, which falls back to the tfjs model when
 * onnxruntime-node cannot be loaded. onnxruntime-node is required lazily, so importing this module
 * never fails without it.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { LITTLE_ENDIAN_HOST } from '../../io/endian';
import type { WordPieceTokenizer } from '../../text/tokenizer';
import type { StudentDualEncoder } from '../dualEncoder';
import type { EmbeddingMatrix, Encoder, TextKind } from '../types';
import { encodeTower } from './export';
import { ONNX_INPUTS, ONNX_OUTPUTS } from './studentGraph';

// The slice of onnxruntime-node's API used here (its types are not a dependency of the build).
interface OrtTensor { readonly data: unknown; readonly dims: readonly number[] }
interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
}

/** onnxruntime-node could not be loaded (not installed, or no binary for this platform). */
export class OrtUnavailableError extends Error {}

let ortModule: OrtModule | undefined;
/** Loads onnxruntime-node once; throws OrtUnavailableError saying why it could not. */
export function loadOrt(): OrtModule {
  if (ortModule) return ortModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ortModule = require('onnxruntime-node') as OrtModule;
    return ortModule;
  } catch (e) {
    throw new OrtUnavailableError(`onnxruntime-node could not be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Options of {@link OnnxEncoder.create}. */
export interface OnnxEncoderOptions {
  /** Passage-tower model bytes. */
  readonly passage: Uint8Array;
  /** Query-tower model bytes; absent = the passage tower (shared towers). */
  readonly query?: Uint8Array;
  readonly tokenizer: WordPieceTokenizer;
  readonly queryMaxLength: number;
  readonly passageMaxLength: number;
  readonly dim: number;
  /** Texts per session run. Default 64. */
  readonly batchSize?: number;
  /** ORT intra-op threads. Default os.availableParallelism(). */
  readonly intraOpNumThreads?: number;
  readonly name?: string;
}

/** int32 → int64 ids; on little-endian hosts by writing the two 32-bit halves (no BigInt per element). */
export function toInt64(a: Int32Array): BigInt64Array {
  const out = new BigInt64Array(a.length);
  if (LITTLE_ENDIAN_HOST) {
    const halves = new Int32Array(out.buffer);
    for (let i = 0; i < a.length; i++) {
      halves[2 * i] = a[i];
      halves[2 * i + 1] = a[i] >> 31; // sign extension
    }
  } else {
    for (let i = 0; i < a.length; i++) out[i] = BigInt(a[i]);
  }
  return out;
}

/** An Encoder running exported student towers in ONNX Runtime. */
export class OnnxEncoder implements Encoder {
  readonly name: string;
  readonly dim: number;
  private sessions: { query: OrtSession; passage: OrtSession } | undefined;

  private constructor(private readonly opts: OnnxEncoderOptions, private readonly ort: OrtModule, sessions: { query: OrtSession; passage: OrtSession }) {
    this.name = opts.name ?? 'onnx-student';
    this.dim = opts.dim;
    this.sessions = sessions;
  }

  /** Creates the ORT sessions (one when the towers are shared). */
  static async create(opts: OnnxEncoderOptions): Promise<OnnxEncoder> {
    const ort = loadOrt();
    const options = {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: opts.intraOpNumThreads ?? availableParallelism(),
      // One graph, run sequentially: inter-op threads would only compete with intra-op ones.
      interOpNumThreads: 1,
      executionMode: 'sequential',
    };
    const passage = await ort.InferenceSession.create(opts.passage, options);
    const query = opts.query ? await ort.InferenceSession.create(opts.query, options) : passage;
    return new OnnxEncoder(opts, ort, { query, passage });
  }

  async encode(texts: readonly string[], kind: TextKind): Promise<EmbeddingMatrix> {
    if (!this.sessions) throw new Error(`${this.name}: encode after dispose`);
    const maxLength = kind === 'query' ? this.opts.queryMaxLength : this.opts.passageMaxLength;
    const { tokenizer } = this.opts;
    const out = new Float32Array(texts.length * this.dim);
    // Tokenise first and batch by word-piece count, so padding is almost nil (sorting by characters,
    // as the tfjs encoder does, pads ~25% more tokens); padding does not change the embeddings.
    const rows = texts.map((t) => tokenizer.encodeTruncated(t, maxLength));
    const order = rows.map((_, i) => i).sort((a, b) => rows[a].length - rows[b].length || a - b);
    const bs = this.opts.batchSize ?? 64;
    for (let s = 0; s < order.length; s += bs) {
      const idx = order.slice(s, s + bs);
      const b = tokenizer.padRows(idx.map((i) => rows[i]));
      const data = await this.embedTokens(b.ids, b.mask, b.batch, b.length, kind);
      idx.forEach((row, j) => out.set(data.subarray(j * this.dim, (j + 1) * this.dim), row * this.dim));
    }
    return { rows: texts.length, dim: this.dim, data: out };
  }

  /**
   * Cache key of this encoder's output (see encodeCorpus): a hash of the model bytes, which hold
   * every weight of the snapshot, marked so ORT embeddings never mix with tfjs ones in a cache.
   */
  async fingerprint(): Promise<string> {
    const h = createHash('sha256').update(this.opts.passage);
    if (this.opts.query) h.update(this.opts.query);
    return `${h.digest('hex')}:onnxruntime`;
  }

  /** Pooled embeddings [batch × dim] of an already tokenised, padded batch (row-major int32 ids and mask). */
  async embedTokens(ids: Int32Array, mask: Int32Array, batch: number, length: number, kind: TextKind): Promise<Float32Array> {
    if (!this.sessions) throw new Error(`${this.name}: encode after dispose`);
    const session = this.sessions[kind];
    const dims = [batch, length];
    const feeds: Record<string, OrtTensor> = {
      [ONNX_INPUTS.ids]: new this.ort.Tensor('int64', toInt64(ids), dims),
      [ONNX_INPUTS.mask]: new this.ort.Tensor('int64', toInt64(mask), dims),
    };
    if (session.inputNames.includes(ONNX_INPUTS.tokenTypes)) feeds[ONNX_INPUTS.tokenTypes] = new this.ort.Tensor('int64', new BigInt64Array(ids.length), dims);
    const res = await session.run(feeds, [ONNX_OUTPUTS.pooled]);
    return res[ONNX_OUTPUTS.pooled].data as Float32Array;
  }

  /** Releases the ORT sessions; the encoder cannot be used afterwards. */
  async dispose(): Promise<void> {
    const s = this.sessions;
    this.sessions = undefined;
    if (!s) return;
    await s.passage.release();
    if (s.query !== s.passage) await s.query.release();
  }
}

/** Options of {@link createOnnxEncoder}. */
export interface CreateOnnxEncoderOptions {
  readonly intraOpNumThreads?: number;
}

/**
 * An OnnxEncoder over a snapshot of the model's current weights (both towers); later training
 * of the model does not reach it.
 */
export async function createOnnxEncoder(model: StudentDualEncoder, opts: CreateOnnxEncoderOptions = {}): Promise<OnnxEncoder> {
  loadOrt(); // fail before the export work when ORT is missing
  const c = model.config;
  const weights = await model.weights();
  return OnnxEncoder.create({
    passage: encodeTower(c, weights, 'passage'),
    query: c.shareTowers ? undefined : encodeTower(c, weights, 'query'),
    tokenizer: model.tokenizer,
    queryMaxLength: c.queryMaxLength,
    passageMaxLength: c.passageMaxLength,
    dim: model.dim,
    batchSize: c.encodeBatchSize,
    intraOpNumThreads: opts.intraOpNumThreads,
    name: `${model.name} (onnxruntime)`,
  });
}

/** What {@link fastEncoder} chose. */
export interface FastEncoderResult {
  readonly encoder: Encoder & { dispose?(): void | Promise<void> };
  readonly engine: 'onnxruntime' | 'tfjs';
  /** Why the tfjs model is used instead of ONNX Runtime. */
  readonly reason?: string;
}

/**
 * The fastest available encoder of the model's current weights: ONNX Runtime, or the model itself
 * when onnxruntime-node cannot be loaded. Disposing an 'onnxruntime' encoder leaves the model alone;
 * a 'tfjs' result's encoder IS the model, so callers must not dispose it as a temporary.
 */
export async function fastEncoder(model: StudentDualEncoder, opts: CreateOnnxEncoderOptions = {}): Promise<FastEncoderResult> {
  try {
    return { encoder: await createOnnxEncoder(model, opts), engine: 'onnxruntime' };
  } catch (e) {
    if (!(e instanceof OrtUnavailableError)) throw e;
    return { encoder: model, engine: 'tfjs', reason: e.message };
  }
}

/** Which engine bulk encoding uses: MTA4DPR_ENCODER=auto (default: onnxruntime when it loads) | onnxruntime | tfjs. */
export function encoderEngineRequest(env: NodeJS.ProcessEnv = process.env): 'auto' | 'onnxruntime' | 'tfjs' {
  const v = env.MTA4DPR_ENCODER?.trim() || 'auto';
  if (v !== 'auto' && v !== 'onnxruntime' && v !== 'tfjs') throw new Error(`MTA4DPR_ENCODER='${v}' is not one of auto, onnxruntime, tfjs`);
  return v;
}

/**
 * Runs `fn` with the engine MTA4DPR_ENCODER asks for over the model's current weights (see
 * {@link fastEncoder}); a temporary ONNX Runtime encoder is released afterwards, the model never.
 */
export async function withFastEncoder<T>(model: StudentDualEncoder, fn: (encoder: Encoder, engine: 'onnxruntime' | 'tfjs') => Promise<T>): Promise<T> {
  const request = encoderEngineRequest();
  if (request === 'tfjs') return fn(model, 'tfjs');
  const fast = request === 'onnxruntime' ? { encoder: await createOnnxEncoder(model), engine: 'onnxruntime' as const } : await fastEncoder(model);
  try {
    return await fn(fast.encoder, fast.engine);
  } finally {
    if (fast.engine === 'onnxruntime') await fast.encoder.dispose?.();
  }
}
