/**
 * transformers.js (ONNX) models from a local folder, or from the hub when `allowRemote` is set:
 * a bi-encoder implementing Encoder and a cross-encoder scoring (query, passage) pairs. Used for
 * teachers/assistants at full scale; offline here, so absence gives an error naming what is missing.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EmbeddingMatrix, Encoder, TextKind } from './types';

/** Options of hub models. */
export interface HubModelOptions {
  /** Allow downloading from the Hugging Face hub (default false: local folder only). */
  readonly allowRemote?: boolean;
  readonly pooling?: 'cls' | 'mean';
  readonly normalize?: boolean;
  readonly batchSize?: number;
  readonly maxLength?: number;
  /** 'fp32' (onnx/model.onnx) or 'q8' (onnx/model_quantized.onnx). */
  readonly dtype?: 'fp32' | 'q8';
}

type Tf = Record<string, unknown> & { env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string } };
function transformers(): Tf {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@huggingface/transformers') as Tf;
}

/** The files a local transformers.js model folder needs. */
export function hubModelFiles(dtype: 'fp32' | 'q8' = 'fp32'): string[] {
  return ['config.json', 'tokenizer.json', dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx'];
}

/** Points transformers.js at `model` (a folder or hub id); throws naming missing files when offline. */
function prepare(model: string, opts: HubModelOptions): string {
  const t = transformers();
  t.env.allowRemoteModels = Boolean(opts.allowRemote);
  const files = hubModelFiles(opts.dtype);
  if (existsSync(model)) {
    t.env.allowLocalModels = true;
    t.env.localModelPath = dirname(model);
    const missing = files.filter((f) => !existsSync(join(model, f)));
    if (missing.length) throw new Error(`transformers.js model folder ${model} lacks ${missing.join(', ')} (expected ${files.join(', ')})`);
    return basename(model);
  }
  if (!opts.allowRemote) throw new Error(`transformers.js model not found: ${model} is not a local folder (expected ${files.join(', ')} inside it) and remote models are disabled (allowRemote: false)`);
  return model;
}

type Tok = (texts: string[] | string, o: Record<string, unknown>) => Record<string, unknown>;
type Model = (inputs: Record<string, unknown>) => Promise<Record<string, { data: Float32Array; dims: number[] }>>;

async function load(model: string, opts: HubModelOptions): Promise<{ tok: Tok; net: Model; name: string }> {
  const id = prepare(model, opts);
  const t = transformers() as unknown as { AutoTokenizer: { from_pretrained(id: string): Promise<Tok> }; AutoModel: { from_pretrained(id: string, o: object): Promise<Model> }; AutoModelForSequenceClassification: { from_pretrained(id: string, o: object): Promise<Model> } };
  const tok = await t.AutoTokenizer.from_pretrained(id);
  return { tok, net: (await t.AutoModel.from_pretrained(id, { dtype: opts.dtype ?? 'fp32' })) as Model, name: model };
}

/** A transformers.js bi-encoder (e.g. TAS-B exported to ONNX). */
export async function loadHubEncoder(model: string, opts: HubModelOptions = {}): Promise<Encoder> {
  const { tok, net, name } = await load(model, opts);
  let dim = 0;
  const encode = async (texts: readonly string[], _kind: TextKind): Promise<EmbeddingMatrix> => {
    const rows: Float32Array[] = [];
    const bs = opts.batchSize ?? 16;
    for (let s = 0; s < texts.length; s += bs) {
      const inputs = tok([...texts.slice(s, s + bs)], { padding: true, truncation: true, max_length: opts.maxLength ?? 256 });
      const out = await net(inputs);
      const h = out.last_hidden_state;
      const [b, len, d] = h.dims;
      dim = d;
      const mask = (inputs.attention_mask as { data: BigInt64Array }).data;
      for (let i = 0; i < b; i++) {
        const v = new Float32Array(d);
        if (opts.pooling === 'mean') {
          let n = 0;
          for (let j = 0; j < len; j++) if (mask[i * len + j]) { n++; for (let k = 0; k < d; k++) v[k] += h.data[(i * len + j) * d + k]; }
          for (let k = 0; k < d; k++) v[k] /= Math.max(n, 1);
        } else {
          v.set(h.data.subarray(i * len * d, i * len * d + d));
        }
        if (opts.normalize) { const norm = Math.hypot(...v) || 1; for (let k = 0; k < d; k++) v[k] /= norm; }
        rows.push(v);
      }
    }
    const data = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => data.set(r, i * dim));
    return { rows: rows.length, dim, data };
  };
  return { name, get dim() { return dim; }, encode };
}

/** A transformers.js cross-encoder: relevance logits of (query, passage) pairs. */
export interface CrossEncoder {
  readonly name: string;
  scorePairs(query: string, passages: readonly string[]): Promise<Float32Array>;
}

/** Loads a cross-encoder (sequence classification head; the first logit is the score). */
export async function loadHubCrossEncoder(model: string, opts: HubModelOptions = {}): Promise<CrossEncoder> {
  const id = prepare(model, opts);
  const t = transformers() as unknown as { AutoTokenizer: { from_pretrained(id: string): Promise<Tok> }; AutoModelForSequenceClassification: { from_pretrained(id: string, o: object): Promise<Model> } };
  const tok = await t.AutoTokenizer.from_pretrained(id);
  const net = await t.AutoModelForSequenceClassification.from_pretrained(id, { dtype: opts.dtype ?? 'fp32' });
  return {
    name: model,
    async scorePairs(query, passages) {
      const out = new Float32Array(passages.length);
      const bs = opts.batchSize ?? 16;
      for (let s = 0; s < passages.length; s += bs) {
        const chunk = passages.slice(s, s + bs);
        const inputs = tok(new Array(chunk.length).fill(query), { text_pair: [...chunk], padding: true, truncation: true, max_length: opts.maxLength ?? 512 });
        const logits = (await net(inputs)).logits;
        const per = logits.dims[1] ?? 1;
        for (let i = 0; i < chunk.length; i++) out[s + i] = logits.data[i * per];
      }
      return out;
    },
  };
}
