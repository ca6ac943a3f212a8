/**
 * Hugging Face model folders (config.json + model.safetensors + tokenizer files): load BERT or
 * DistilBERT weights (prefixed or bare names) into our dual encoder, and save ours so that Python
 * `transformers` loads them as a standard BertModel / DistilBertModel.
 *
 * Saving a GloVe student folds its projection into the word embeddings (word · projection), so the
 * saved model has the standard shape [vocab, hidden]. The idf pooling weights have no HF
 * counterpart: they are stored as the extra tensor `mta4dpr.pooling.word_weight` (transformers
 * ignores it with a warning) and pooling/similarity settings under `mta4dpr` in config.json.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { loadTokenizer, type WordPieceTokenizer } from '../text/tokenizer';
import { parseStudentConfig, type StudentConfig, type StudentConfigInput } from './config';
import { createDualEncoder, type StudentDualEncoder } from './dualEncoder';
import { hfNameOf, normaliseHfName } from './hfNames';
import { towerParamShapes } from './params';
import { readSafetensors, writeSafetensors, type SafeTensorInput } from './safetensors';
import { matmul2d, transpose2d } from './tensorData';

const EXTRA_POOLING = 'mta4dpr.pooling.word_weight';

/** Options of {@link loadHfModel}: overrides of the derived student configuration. */
export interface LoadHfOptions {
  readonly overrides?: Partial<StudentConfigInput>;
  readonly seed?: number;
  readonly tokenizer?: WordPieceTokenizer;
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Student configuration equivalent to an HF config.json (BERT or DistilBERT). */
export function studentConfigFromHf(hf: Record<string, unknown>, source: string, overrides: Partial<StudentConfigInput> = {}): StudentConfig {
  const type = hf.model_type;
  const act = hf.activation ?? hf.hidden_act ?? 'gelu';
  if (act !== 'gelu') throw new Error(`${source}: activation '${String(act)}' is not supported (only exact 'gelu')`);
  const extra = (hf.mta4dpr ?? {}) as Partial<StudentConfigInput>;
  let base: StudentConfigInput;
  if (type === 'distilbert') {
    if (hf.sinusoidal_pos_embds) throw new Error(`${source}: sinusoidal position embeddings are not supported`);
    base = { arch: 'distilbert', vocabSize: hf.vocab_size as number, hidden: hf.dim as number, layers: hf.n_layers as number, heads: hf.n_heads as number, ffn: hf.hidden_dim as number, maxPositions: hf.max_position_embeddings as number, layerNormEps: 1e-12 };
  } else if (type === 'bert') {
    if (hf.position_embedding_type && hf.position_embedding_type !== 'absolute') throw new Error(`${source}: position_embedding_type '${String(hf.position_embedding_type)}' is not supported`);
    base = { arch: 'bert', vocabSize: hf.vocab_size as number, hidden: hf.hidden_size as number, layers: hf.num_hidden_layers as number, heads: hf.num_attention_heads as number, ffn: hf.intermediate_size as number, maxPositions: hf.max_position_embeddings as number, typeVocabSize: (hf.type_vocab_size as number) ?? 2, layerNormEps: (hf.layer_norm_eps as number) ?? 1e-12 };
  } else {
    throw new Error(`${source}: model_type '${String(type)}' is not supported (expected 'bert' or 'distilbert')`);
  }
  const maxLen = Math.min(base.maxPositions, 512);
  return parseStudentConfig({ queryMaxLength: Math.min(32, maxLen), passageMaxLength: Math.min(256, maxLen), ...base, ...extra, ...overrides }, source);
}

/** Loads an HF folder (config.json + model.safetensors + tokenizer) as a dual encoder with shared towers. */
export async function loadHfModel(dir: string, opts: LoadHfOptions = {}): Promise<StudentDualEncoder> {
  const cfgPath = join(dir, 'config.json');
  const wPath = join(dir, 'model.safetensors');
  const missing = [cfgPath, wPath].filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`not a Hugging Face model folder: ${dir} lacks ${missing.map((p) => p.slice(dir.length + 1)).join(' and ')} (expected config.json, model.safetensors, tokenizer.json or vocab.txt)`);
  const config = studentConfigFromHf(readJson(cfgPath), cfgPath, { ...opts.overrides, shareTowers: true, embeddingDim: undefined });
  const tokenizer = opts.tokenizer ?? loadTokenizer(dir);
  const file = readSafetensors(wPath);
  const byHf = new Map<string, string>();
  for (const name of Object.keys(file.tensors)) byHf.set(normaliseHfName(name), name);
  const initial: Record<string, tf.Tensor> = {};
  const used = new Set<string>();
  const absent: string[] = [];
  try {
    for (const [local, shape] of towerParamShapes(config)) {
      if (local === 'pooling.word_weight') {
        const t = file.tensors[EXTRA_POOLING];
        if (t) {
          initial[local] = tf.tensor(t.data as Float32Array, shape);
          used.add(EXTRA_POOLING);
        }
        continue;
      }
      const map = hfNameOf(config.arch, local);
      const stored = map && byHf.get(map.hf);
      if (!map || !stored) {
        absent.push(map?.hf ?? local);
        continue;
      }
      used.add(stored);
      const t = file.tensors[stored];
      const want = map.transpose ? [shape[1], shape[0]] : shape;
      if (t.shape.join() !== want.join()) throw new Error(`${wPath}: ${stored} has shape [${t.shape}], expected [${want}]`);
      const data = map.transpose ? transpose2d(t.data as Float32Array, want[0], want[1]) : (t.data as Float32Array);
      initial[local] = tf.tensor(data, shape);
    }
    if (absent.length) throw new Error(`${wPath}: missing ${absent.length} tensor(s): ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}`);
    const model = createDualEncoder(config, tokenizer, { seed: opts.seed ?? 0, initial, name: dir });
    model.loadInfo = { source: dir, ignoredTensors: Object.keys(file.tensors).filter((n) => !used.has(n)) };
    return model;
  } finally {
    for (const t of Object.values(initial)) t.dispose();
  }
}

function hfConfigJson(c: StudentConfig): Record<string, unknown> {
  const mta4dpr = { pooling: c.pooling, similarity: c.similarity, queryMaxLength: c.queryMaxLength, passageMaxLength: c.passageMaxLength };
  if (c.arch === 'distilbert') {
    return {
      architectures: ['DistilBertModel'], model_type: 'distilbert', vocab_size: c.vocabSize, dim: c.hidden, n_layers: c.layers,
      n_heads: c.heads, hidden_dim: c.ffn, max_position_embeddings: c.maxPositions, activation: 'gelu', dropout: c.dropout,
      attention_dropout: c.dropout, initializer_range: c.initStd, sinusoidal_pos_embds: false, pad_token_id: 0, tie_weights_: true, mta4dpr,
    };
  }
  return {
    architectures: ['BertModel'], model_type: 'bert', vocab_size: c.vocabSize, hidden_size: c.hidden, num_hidden_layers: c.layers,
    num_attention_heads: c.heads, intermediate_size: c.ffn, hidden_act: 'gelu', hidden_dropout_prob: c.dropout,
    attention_probs_dropout_prob: c.dropout, max_position_embeddings: c.maxPositions, type_vocab_size: c.typeVocabSize,
    initializer_range: c.initStd, layer_norm_eps: c.layerNormEps, pad_token_id: 0, position_embedding_type: 'absolute', mta4dpr,
  };
}

/** Writes the tokenizer files (tokenizer.json, tokenizer_config.json, vocab.txt) into `dir`. */
export async function saveTokenizerFiles(tokenizer: WordPieceTokenizer, dir: string): Promise<void> {
  await writeJsonAtomic(join(dir, 'tokenizer.json'), tokenizer.tokenizerJson);
  await writeJsonAtomic(join(dir, 'tokenizer_config.json'), tokenizer.tokenizerConfig);
  await writeFileAtomic(join(dir, 'vocab.txt'), tokenizer.vocab().join('\n') + '\n');
}

async function saveTower(model: StudentDualEncoder, prefix: string, dir: string): Promise<void> {
  const c = model.config;
  const w = await model.weights();
  const get = (local: string) => w[prefix + local];
  const tensors: Record<string, SafeTensorInput> = {};
  for (const [local, shape] of towerParamShapes(c)) {
    if (local === 'embeddings.projection') continue;
    if (local === 'pooling.word_weight') {
      tensors[EXTRA_POOLING] = { shape, data: get(local).data };
      continue;
    }
    const map = hfNameOf(c.arch, local)!;
    let data = get(local).data;
    let outShape = shape;
    if (local === 'embeddings.word' && shape[1] !== c.hidden) {
      data = matmul2d(data, get('embeddings.projection').data, shape[0], shape[1], c.hidden);
      outShape = [shape[0], c.hidden];
    }
    if (map.transpose) {
      data = transpose2d(data, shape[0], shape[1]);
      outShape = [shape[1], shape[0]];
    }
    tensors[map.hf] = { shape: outShape, data };
  }
  mkdirSync(dir, { recursive: true });
  await writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  await writeJsonAtomic(join(dir, 'config.json'), hfConfigJson({ ...c, embeddingDim: undefined, shareTowers: true }));
  await saveTokenizerFiles(model.tokenizer, dir);
}

/**
 * Saves as an HF folder loadable by Python transformers (BertModel/DistilBertModel). Separate
 * towers are written as two HF folders, `dir/query` and `dir/passage`.
 */
export async function saveHfModel(model: StudentDualEncoder, dir: string): Promise<void> {
  if (model.config.shareTowers) return saveTower(model, '', dir);
  await saveTower(model, 'query.', join(dir, 'query'));
  await saveTower(model, 'passage.', join(dir, 'passage'));
}
