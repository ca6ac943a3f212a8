/**
 * Sequence-pair classifiers in Hugging Face layout (config.json + model.safetensors + tokenizer):
 * BertForSequenceClassification (encoder, pooler tanh(W·h_CLS + b), classifier) and
 * DistilBertForSequenceClassification (encoder, pre_classifier ReLU, classifier), read into
 * canonical weight names; and `writeRandomBertCrossEncoder`, a seeded random tiny BERT
 * cross-encoder written in that layout (the package's own test model: no hub is reachable).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../io/atomic';
import { Rng } from '../../random/rng';
import { loadTokenizer, tokenizerFromVocab, type WordPieceTokenizer } from '../../text/tokenizer';
import type { StudentConfig } from '../config';
import { defaultModelPaths } from '../gloveStudent';
import { saveTokenizerFiles, studentConfigFromHf } from '../hfModel';
import { hfNameOf, normaliseHfName } from '../hfNames';
import type { WeightMap } from '../onnx/studentGraph';
import { towerParamShapes } from '../params';
import { readSafetensors, writeSafetensors, type SafeTensorInput } from '../safetensors';
import { transpose2d } from '../tensorData';

/** The classifier head on the [CLS] state: BERT's tanh pooler, or DistilBERT's ReLU pre-classifier. */
export type CrossEncoderHead = 'bert-pooler' | 'distilbert-pre-classifier';

/** A loaded cross-encoder: encoder config, head, weights (canonical names, kernels [in, out]) and tokenizer. */
export interface CrossEncoderWeights {
  readonly config: StudentConfig;
  readonly head: CrossEncoderHead;
  readonly numLabels: number;
  readonly weights: WeightMap;
  readonly tokenizer: WordPieceTokenizer;
  /** Longest `[CLS] q [SEP] p [SEP]` the position table allows (≤ 512). */
  readonly maxPositions: number;
  readonly source: string;
}

/** Canonical name → HF name of the head parameters (kernels are transposed like the encoder's). */
const HEAD_NAMES: Record<CrossEncoderHead, Record<string, string>> = {
  'bert-pooler': { 'pooler.kernel': 'bert.pooler.dense.weight', 'pooler.bias': 'bert.pooler.dense.bias', 'classifier.kernel': 'classifier.weight', 'classifier.bias': 'classifier.bias' },
  'distilbert-pre-classifier': { 'pooler.kernel': 'pre_classifier.weight', 'pooler.bias': 'pre_classifier.bias', 'classifier.kernel': 'classifier.weight', 'classifier.bias': 'classifier.bias' },
};

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Number of classifier outputs an HF config declares (num_labels, else id2label, else 2 as transformers defaults). */
export function numLabelsOf(hf: Record<string, unknown>): number {
  if (typeof hf.num_labels === 'number') return hf.num_labels;
  if (hf.id2label && typeof hf.id2label === 'object') return Object.keys(hf.id2label).length;
  return 2;
}

/** The encoder config and head of a cross-encoder's config.json. */
export function crossEncoderConfigFromHf(hf: Record<string, unknown>, source: string): { config: StudentConfig; head: CrossEncoderHead; numLabels: number } {
  const config = studentConfigFromHf(hf, source, { shareTowers: true, embeddingDim: undefined, pooling: 'cls', similarity: 'dot' });
  return { config, head: config.arch === 'bert' ? 'bert-pooler' : 'distilbert-pre-classifier', numLabels: numLabelsOf(hf) };
}

/** Loads an HF sequence-classification folder; every encoder and head tensor must be present with its shape. */
export function loadHfCrossEncoder(dir: string): CrossEncoderWeights {
  const cfgPath = join(dir, 'config.json');
  const wPath = join(dir, 'model.safetensors');
  const missing = [cfgPath, wPath].filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`not a Hugging Face cross-encoder folder: ${dir} lacks ${missing.map((p) => p.slice(dir.length + 1)).join(' and ')}`);
  const { config, head, numLabels } = crossEncoderConfigFromHf(readJson(cfgPath), cfgPath);
  const file = readSafetensors(wPath);
  // Encoder names may carry the `bert.` / `distilbert.` prefix; head names are matched as saved.
  const byHf = new Map<string, string>();
  for (const name of Object.keys(file.tensors)) byHf.set(normaliseHfName(name), name);
  const weights: Record<string, { shape: number[]; data: Float32Array }> = {};
  const absent: string[] = [];
  const take = (local: string, stored: string | undefined, hfName: string, shape: number[], transpose: boolean) => {
    const t = stored === undefined ? undefined : file.tensors[stored];
    if (!t) { absent.push(hfName); return; }
    const want = transpose ? [shape[1], shape[0]] : shape;
    if (t.shape.join() !== want.join()) throw new Error(`${wPath}: ${stored} has shape [${t.shape}], expected [${want}]`);
    const data = t.data as Float32Array;
    weights[local] = { shape, data: transpose ? transpose2d(data, want[0], want[1]) : Float32Array.from(data) };
  };
  for (const [local, shape] of towerParamShapes(config)) {
    const map = hfNameOf(config.arch, local);
    if (!map) throw new Error(`${wPath}: no Hugging Face name for ${local}`);
    take(local, byHf.get(map.hf), map.hf, shape, map.transpose);
  }
  const h = config.hidden;
  const heads = HEAD_NAMES[head];
  const headShapes: Record<string, number[]> = { 'pooler.kernel': [h, h], 'pooler.bias': [h], 'classifier.kernel': [h, numLabels], 'classifier.bias': [numLabels] };
  for (const [local, hfName] of Object.entries(heads)) {
    take(local, file.tensors[hfName] ? hfName : undefined, hfName, headShapes[local], local.endsWith('.kernel'));
  }
  if (absent.length) throw new Error(`${wPath}: missing ${absent.length} tensor(s) of a sequence-pair classifier: ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}`);
  return { config, head, numLabels, weights, tokenizer: loadTokenizer(dir), maxPositions: Math.min(config.maxPositions, 512), source: dir };
}

/** Options of {@link writeRandomBertCrossEncoder}. */
export interface RandomCrossEncoderOptions {
  readonly layers: number;
  readonly hidden: number;
  readonly seed: number;
  /** Default 2. */
  readonly heads?: number;
  /** Default 2 × hidden. */
  readonly ffn?: number;
  /** Default 128. */
  readonly maxPositions?: number;
  /** Default 1 (a single relevance logit, as MS MARCO cross-encoders have). */
  readonly numLabels?: number;
  /** Standard deviation of every weight, bias and layer-norm offset (default 0.2, so scores vary visibly). */
  readonly std?: number;
  /** vocab.txt of the tokenizer (default: the bundled bert-base-uncased vocabulary). */
  readonly vocab?: string;
}

/**
 * Writes a seeded, randomly initialised BertForSequenceClassification in HF layout into `dir`
 * (config.json, model.safetensors with `bert.`-prefixed names, tokenizer files). Layer-norm
 * gains are 1 + noise and biases noise, so every parameter changes the logit.
 */
export async function writeRandomBertCrossEncoder(dir: string, opts: RandomCrossEncoderOptions): Promise<void> {
  const tokenizer = tokenizerFromVocab(opts.vocab ?? defaultModelPaths().vocab);
  const heads = opts.heads ?? 2;
  const numLabels = opts.numLabels ?? 1;
  const hf: Record<string, unknown> = {
    architectures: ['BertForSequenceClassification'], model_type: 'bert', vocab_size: tokenizer.vocabSize, hidden_size: opts.hidden,
    num_hidden_layers: opts.layers, num_attention_heads: heads, intermediate_size: opts.ffn ?? 2 * opts.hidden, hidden_act: 'gelu',
    hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, max_position_embeddings: opts.maxPositions ?? 128, type_vocab_size: 2,
    initializer_range: opts.std ?? 0.2, layer_norm_eps: 1e-12, pad_token_id: 0, position_embedding_type: 'absolute', num_labels: numLabels,
    id2label: Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`])),
    label2id: Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [`LABEL_${i}`, i])),
  };
  const { config } = crossEncoderConfigFromHf(hf, join(dir, 'config.json'));
  const rng = new Rng(opts.seed);
  const std = opts.std ?? 0.2;
  // Box–Muller normal draws from the seeded generator: the same seed writes the same bytes.
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const fill = (n: number, mean: number) => Float32Array.from({ length: n }, () => mean + std * normal());
  const tensors: Record<string, SafeTensorInput> = {};
  const h = config.hidden;
  const shapes: Array<[string, number[], boolean]> = [];
  for (const [local, shape] of towerParamShapes(config)) {
    const map = hfNameOf(config.arch, local)!;
    shapes.push([`bert.${map.hf}`, map.transpose ? [shape[1], shape[0]] : shape, local.endsWith('.gamma')]);
  }
  shapes.push(['bert.pooler.dense.weight', [h, h], false], ['bert.pooler.dense.bias', [h], false]);
  shapes.push(['classifier.weight', [numLabels, h], false], ['classifier.bias', [numLabels], false]);
  for (const [name, shape, gain] of shapes) tensors[name] = { shape, data: fill(shape.reduce((a, b) => a * b, 1), gain ? 1 : 0) };
  mkdirSync(dir, { recursive: true });
  await writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  await saveTokenizerFiles(tokenizer, dir);
  // config.json last: a folder with a config is complete.
  await writeJsonAtomic(join(dir, 'config.json'), hf);
}
