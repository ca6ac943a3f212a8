/**
 * Opens a bi-encoder folder for scoring — a student checkpoint of this package, a Hugging Face
 * BERT/DistilBERT folder (safetensors), or an ONNX folder as `saveOnnxModel` writes it — on the
 * fastest engine available: ONNX Runtime (the folder's graph, or one exported from the weights),
 * else tfjs. Pooling and similarity come from the folder's config unless the caller overrides them
 * (HF folders only: a checkpoint's or an ONNX graph's pooling is part of the model).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../text/tokenizer';
import { isEncoderCheckpoint, loadEncoderCheckpoint } from './checkpoint';
import type { StudentConfigInput } from './config';
import type { StudentDualEncoder } from './dualEncoder';
import { loadHfModel } from './hfModel';
import { createOnnxEncoder, OnnxEncoder, OrtUnavailableError } from './onnx/ortEncoder';
import type { Encoder } from './types';

/** Folder layouts; `auto` detects (encoder.json → checkpoint, model.safetensors → hf, onnx/model.onnx → onnx). */
export type DenseFormat = 'auto' | 'hf' | 'onnx' | 'checkpoint';

/** Options of {@link openDenseEncoder}. */
export interface OpenDenseOptions {
  readonly format?: DenseFormat;
  readonly engine?: 'auto' | 'onnxruntime' | 'tfjs';
  readonly pooling?: 'cls' | 'mean';
  readonly similarity?: 'dot' | 'cosine';
  readonly queryMaxLength?: number;
  readonly passageMaxLength?: number;
}

/** An opened dense encoder and what it runs on; `dispose` releases the model and any session. */
export interface OpenedDense {
  readonly encoder: Encoder;
  readonly engine: 'onnxruntime' | 'tfjs';
  readonly format: Exclude<DenseFormat, 'auto'>;
  dispose(): Promise<void>;
}

function detect(dir: string): Exclude<DenseFormat, 'auto'> {
  if (isEncoderCheckpoint(dir)) return 'checkpoint';
  if (existsSync(join(dir, 'model.safetensors'))) return 'hf';
  if (existsSync(join(dir, 'onnx', 'model.onnx'))) return 'onnx';
  throw new Error(`${dir}: not a dense model folder (expected encoder.json (checkpoint), model.safetensors (Hugging Face) or onnx/model.onnx, with config.json and a tokenizer)`);
}

async function onEngine(model: StudentDualEncoder, engine: OpenDenseOptions['engine'], format: Exclude<DenseFormat, 'auto'>): Promise<OpenedDense> {
  if (engine !== 'tfjs') {
    try {
      const ort = await createOnnxEncoder(model);
      // The ONNX snapshot holds every weight: the tfjs model is no longer needed.
      model.dispose();
      return { encoder: ort, engine: 'onnxruntime', format, dispose: () => ort.dispose() };
    } catch (e) {
      if (!(e instanceof OrtUnavailableError) || engine === 'onnxruntime') { model.dispose(); throw e; }
    }
  }
  return { encoder: model, engine: 'tfjs', format, dispose: async () => model.dispose() };
}

function refuseOverride(dir: string, format: string, o: OpenDenseOptions, have: { pooling: string; similarity: string }): void {
  for (const k of ['pooling', 'similarity'] as const) {
    if (o[k] !== undefined && o[k] !== have[k]) throw new Error(`${dir}: ${k} '${o[k]}' cannot be changed for a ${format} folder (its ${k} is '${have[k]}', part of the model)`);
  }
}

/** Opens a dense model folder on the requested (default: fastest) engine. */
export async function openDenseEncoder(dir: string, opts: OpenDenseOptions = {}): Promise<OpenedDense> {
  if (!existsSync(dir)) throw new Error(`dense model folder not found: ${dir}`);
  const format = !opts.format || opts.format === 'auto' ? detect(dir) : opts.format;
  const lengths: Partial<StudentConfigInput> = {
    ...(opts.queryMaxLength ? { queryMaxLength: opts.queryMaxLength } : {}),
    ...(opts.passageMaxLength ? { passageMaxLength: opts.passageMaxLength } : {}),
  };
  if (format === 'checkpoint') {
    const { model } = await loadEncoderCheckpoint(dir);
    refuseOverride(dir, format, opts, model.config);
    if (Object.keys(lengths).length) throw new Error(`${dir}: max lengths of a checkpoint are part of its config; export it as an HF folder to change them`);
    return onEngine(model, opts.engine, format);
  }
  if (format === 'hf') {
    const model = await loadHfModel(dir, { overrides: { ...(opts.pooling ? { pooling: opts.pooling } : {}), ...(opts.similarity ? { similarity: opts.similarity } : {}), ...lengths } });
    return onEngine(model, opts.engine, format);
  }
  if (opts.engine === 'tfjs') throw new Error(`${dir}: engine 'tfjs' needs model.safetensors or a checkpoint; this folder has only ONNX`);
  const cfgPath = join(dir, 'config.json');
  if (!existsSync(cfgPath)) throw new Error(`${dir}: an ONNX model folder needs config.json`);
  const hf = JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>;
  const extra = (hf.mta4dpr ?? {}) as { pooling?: string; similarity?: string; queryMaxLength?: number; passageMaxLength?: number; shareTowers?: boolean };
  const outputs = (hf.mta4dpr as { outputs?: string[] } | undefined)?.outputs ?? [];
  if (!outputs.includes('sentence_embedding')) throw new Error(`${dir}: the ONNX graph must output 'sentence_embedding' (as saveOnnxModel writes); pooling foreign ONNX token states is not supported`);
  refuseOverride(dir, format, opts, { pooling: extra.pooling ?? 'cls', similarity: extra.similarity ?? 'dot' });
  const maxPos = Number(hf.max_position_embeddings ?? 512);
  const queryFile = join(dir, 'onnx', 'query_model.onnx');
  const encoder = await OnnxEncoder.create({
    passage: readFileSync(join(dir, 'onnx', 'model.onnx')),
    query: existsSync(queryFile) ? readFileSync(queryFile) : undefined,
    tokenizer: loadTokenizer(dir),
    queryMaxLength: opts.queryMaxLength ?? extra.queryMaxLength ?? Math.min(32, maxPos),
    passageMaxLength: opts.passageMaxLength ?? extra.passageMaxLength ?? Math.min(256, maxPos),
    dim: Number(hf.hidden_size ?? hf.dim),
    name: `${dir} (onnxruntime)`,
  });
  return { encoder, engine: 'onnxruntime', format, dispose: () => encoder.dispose() };
}
