/**
 * Opens a cross-encoder folder — HF safetensors (BertForSequenceClassification /
 * DistilBertForSequenceClassification) or ONNX (onnx/model.onnx + config.json + tokenizer) — on the
 * fastest engine available: ONNX Runtime (the folder's graph, or one exported from the
 * safetensors), else tfjs (safetensors only). Scores = the positive label's logit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer, type WordPieceTokenizer } from '../../text/tokenizer';
import { OrtUnavailableError } from '../onnx/ortEncoder';
import { loadHfCrossEncoder, numLabelsOf, type CrossEncoderWeights } from './hfFolder';
import { encodeCrossEncoderOnnx, OrtCrossEncoder } from './onnxCrossEncoder';
import { pairBatches, type PairBatch } from './pairs';
import { TfjsCrossEncoder } from './tfjsCrossEncoder';

/** Folder layouts: `auto` detects (model.safetensors → hf, else onnx/model.onnx or model.onnx → onnx). */
export type CrossEncoderFormat = 'auto' | 'hf' | 'onnx';
/** Engines: `auto` = onnxruntime when it loads, else tfjs. */
export type CrossEncoderEngineRequest = 'auto' | 'onnxruntime' | 'tfjs';

/** Options of {@link openCrossEncoder}. */
export interface OpenCrossEncoderOptions {
  readonly format?: CrossEncoderFormat;
  readonly engine?: CrossEncoderEngineRequest;
  /** Tokens per pair (default: the model's position limit, at most 512). */
  readonly maxLength?: number;
  /** Label whose logit is the score (default: the last label; the only one of a single-logit model). */
  readonly positiveLabel?: number;
  readonly batchSize?: number;
}

interface LogitEngine {
  logits(b: PairBatch): Promise<Float32Array>;
  dispose(): void | Promise<void>;
}

/** An opened cross-encoder: scores (query, passage) pairs in batches. */
export class CrossEncoderModel {
  constructor(
    private readonly engineImpl: LogitEngine,
    readonly engine: 'onnxruntime' | 'tfjs',
    readonly tokenizer: WordPieceTokenizer,
    readonly numLabels: number,
    readonly maxLength: number,
    readonly positiveLabel: number,
    readonly batchSize: number,
    readonly source: string,
  ) {}

  /** Scores of each passage paired with `query`, aligned with `passages`. */
  async score(query: string, passages: readonly string[]): Promise<Float64Array> {
    const out = new Float64Array(passages.length);
    for (const b of pairBatches(this.tokenizer, query, passages, this.maxLength, this.batchSize)) {
      const logits = await this.engineImpl.logits(b);
      if (logits.length !== b.batch * this.numLabels) throw new Error(`${this.source}: model returned ${logits.length} logits for ${b.batch} pairs × ${this.numLabels} labels`);
      b.rows.forEach((row, r) => { out[row] = logits[r * this.numLabels + this.positiveLabel]; });
    }
    return out;
  }

  /** Releases the engine's tensors or session. */
  async dispose(): Promise<void> {
    await this.engineImpl.dispose();
  }
}

/** The ONNX file of a folder (onnx/model.onnx, else model.onnx), or undefined. */
export function onnxFileOf(dir: string): string | undefined {
  return [join(dir, 'onnx', 'model.onnx'), join(dir, 'model.onnx')].find((p) => existsSync(p));
}

function detectFormat(dir: string): 'hf' | 'onnx' {
  if (existsSync(join(dir, 'model.safetensors'))) return 'hf';
  if (onnxFileOf(dir)) return 'onnx';
  throw new Error(`${dir}: not a cross-encoder folder (expected model.safetensors or onnx/model.onnx, with config.json and a tokenizer)`);
}

async function ortOrTfjs(request: CrossEncoderEngineRequest, onnx: () => Uint8Array, weights: CrossEncoderWeights | undefined, source: string): Promise<{ impl: LogitEngine; engine: 'onnxruntime' | 'tfjs' }> {
  if (request !== 'tfjs') {
    try {
      return { impl: await OrtCrossEncoder.create(onnx(), source), engine: 'onnxruntime' };
    } catch (e) {
      if (!(e instanceof OrtUnavailableError) || request === 'onnxruntime' || !weights) throw e;
    }
  }
  if (!weights) throw new Error(`${source}: an ONNX-only folder needs onnxruntime-node (engine 'tfjs' reads model.safetensors)`);
  return { impl: new TfjsCrossEncoder(weights), engine: 'tfjs' };
}

/** Opens a cross-encoder folder on the requested (default: fastest) engine. */
export async function openCrossEncoder(dir: string, opts: OpenCrossEncoderOptions = {}): Promise<CrossEncoderModel> {
  if (!existsSync(dir)) throw new Error(`cross-encoder folder not found: ${dir}`);
  const format = !opts.format || opts.format === 'auto' ? detectFormat(dir) : opts.format;
  const request = opts.engine ?? 'auto';
  let numLabels: number;
  let maxPositions: number;
  let tokenizer: WordPieceTokenizer;
  let opened: { impl: LogitEngine; engine: 'onnxruntime' | 'tfjs' };
  if (format === 'hf') {
    const w = loadHfCrossEncoder(dir);
    ({ numLabels, maxPositions, tokenizer } = w);
    // A folder that ships its own ONNX graph is run as shipped; otherwise the package exports one.
    const shipped = onnxFileOf(dir);
    opened = await ortOrTfjs(request, () => (shipped ? readFileSync(shipped) : encodeCrossEncoderOnnx(w)), w, dir);
  } else {
    const file = onnxFileOf(dir);
    const cfgPath = join(dir, 'config.json');
    if (!file || !existsSync(cfgPath)) throw new Error(`${dir}: an ONNX cross-encoder folder needs onnx/model.onnx (or model.onnx) and config.json`);
    const hf = JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>;
    numLabels = numLabelsOf(hf);
    maxPositions = Math.min(Number(hf.max_position_embeddings ?? 512), 512);
    tokenizer = loadTokenizer(dir);
    if (request === 'tfjs') throw new Error(`${dir}: engine 'tfjs' needs model.safetensors; this folder has only ONNX`);
    opened = await ortOrTfjs(request, () => readFileSync(file), undefined, dir);
  }
  const positiveLabel = opts.positiveLabel ?? numLabels - 1;
  if (positiveLabel >= numLabels) throw new Error(`${dir}: positiveLabel ${positiveLabel} but the classifier has ${numLabels} label(s)`);
  const maxLength = Math.min(opts.maxLength ?? maxPositions, maxPositions);
  return new CrossEncoderModel(opened.impl, opened.engine, tokenizer, numLabels, maxLength, positiveLabel, opts.batchSize ?? 32, dir);
}
