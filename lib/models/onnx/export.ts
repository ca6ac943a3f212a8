/**
 * ONNX export of a StudentDualEncoder: model bytes for one tower, and a model folder that
 * transformers.js loads (config.json, tokenizer files, onnx/model.onnx = the passage tower;
 * separate towers add onnx/query_model.onnx, loadable with `model_file_name: 'query_model'`).
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic';
import type { StudentConfig } from '../config';
import type { StudentDualEncoder } from '../dualEncoder';
import { saveTokenizerFiles } from '../hfModel';
import type { TextKind } from '../types';
import { encodeOnnxModel } from './protobuf';
import { buildStudentGraph, type WeightMap } from './studentGraph';

/** IR version 8 and opset 17: the first opset with LayerNormalization; ORT ≥ 1.14 runs both. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

/** Weight prefix of a tower: '' when the towers are shared. */
export function towerPrefix(c: StudentConfig, kind: TextKind): string {
  return c.shareTowers ? '' : `${kind}.`;
}

/** ONNX model bytes of one tower from a weight snapshot. */
export function encodeTower(c: StudentConfig, weights: WeightMap, kind: TextKind): Uint8Array {
  const graph = buildStudentGraph(c, weights, towerPrefix(c, kind));
  return encodeOnnxModel(graph, { irVersion: ONNX_IR_VERSION, opset: ONNX_OPSET, producerName: 'mta4dpr', producerVersion: '0.1.0' });
}

/** ONNX model bytes of the model's query or passage tower (current weights). */
export async function exportOnnx(model: StudentDualEncoder, kind: TextKind): Promise<Uint8Array> {
  return encodeTower(model.config, await model.weights(), kind);
}

/** config.json for transformers.js: HF field names of the architecture, plus our pooling settings. */
export function onnxConfigJson(c: StudentConfig): Record<string, unknown> {
  const mta4dpr = { pooling: c.pooling, similarity: c.similarity, queryMaxLength: c.queryMaxLength, passageMaxLength: c.passageMaxLength, shareTowers: c.shareTowers, outputs: ['last_hidden_state', 'sentence_embedding'] };
  const common = { vocab_size: c.vocabSize, hidden_size: c.hidden, max_position_embeddings: c.maxPositions, pad_token_id: 0, mta4dpr };
  if (c.arch === 'distilbert') {
    return { architectures: ['DistilBertModel'], model_type: 'distilbert', ...common, dim: c.hidden, n_layers: c.layers, n_heads: c.heads, hidden_dim: c.ffn, activation: 'gelu', sinusoidal_pos_embds: false };
  }
  return {
    architectures: ['BertModel'], model_type: 'bert', ...common, num_hidden_layers: c.layers, num_attention_heads: c.heads, intermediate_size: c.ffn,
    hidden_act: 'gelu', type_vocab_size: c.typeVocabSize, layer_norm_eps: c.layerNormEps, position_embedding_type: 'absolute',
  };
}

/** Writes a transformers.js model folder into `dir` (each file atomically). */
export async function saveOnnxModel(model: StudentDualEncoder, dir: string): Promise<void> {
  const c = model.config;
  const weights = await model.weights();
  await writeFileAtomic(join(dir, 'onnx', 'model.onnx'), encodeTower(c, weights, 'passage'));
  if (!c.shareTowers) await writeFileAtomic(join(dir, 'onnx', 'query_model.onnx'), encodeTower(c, weights, 'query'));
  await saveTokenizerFiles(model.tokenizer, dir);
  // config.json last: a folder with a config is complete.
  await writeJsonAtomic(join(dir, 'config.json'), onnxConfigJson(c));
}
