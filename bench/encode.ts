/**
 * Encoding throughput: passages/second at 128 word pieces for the default student and a
 * DistilBERT-size one, with the stock tfjs-wasm kernels, tfjs-wasm + native kernels, and ONNX
 * Runtime on the exported model. `passagesPerSecond` is the model alone (token ids → pooled
 * embeddings, the same work the PyTorch reference times), median of 5 runs; `endToEnd` adds our
 * tokenizer (texts → embeddings, one run). Real DL19 passages of ≥ 128 word pieces. Each
 * configuration runs in its own process (its own peak memory). Prints JSON.
 * usage: npx tsx bench/encode.ts [--models default,distilbert] [--runs 5]
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend } from '../lib/backend';
import { nativeKernelStatus } from '../lib/backend/native-kernels';
import { loadDataset } from '../lib/data/registry';
import { createDualEncoder, DEFAULT_STUDENT, defaultModelPaths, DISTILBERT_BASE, type Encoder, type StudentConfig } from '../lib/models';
import { createOnnxEncoder } from '../lib/models/onnx';
import { tokenizerFromVocab, type WordPieceTokenizer } from '../lib/text';
import { childMain, median, runChild } from './_child';

const PRESETS: Record<string, StudentConfig> = { default: DEFAULT_STUDENT, distilbert: DISTILBERT_BASE };
type Engine = 'tfjs-wasm' | 'tfjs-wasm+native' | 'onnxruntime';

interface EncodeBenchConfig {
  readonly model: string;
  readonly engine: Engine;
  readonly passages: number;
  readonly batch: number;
  readonly runs: number;
}

/** The first `count` DL19 pool passages that reach 128 word pieces. */
async function longPassages(tokenizer: WordPieceTokenizer, count: number): Promise<string[]> {
  const out: string[] = [];
  for (const p of (await loadDataset('dl19')).collection.passages.values()) {
    if (tokenizer.encode(p.text).length >= 128) out.push(p.text);
    if (out.length === count) return out;
  }
  throw new Error(`only ${out.length} DL19 passages reach 128 word pieces; ${count} needed`);
}

async function measure(c: EncodeBenchConfig): Promise<object> {
  const backend = await initBackend({ backend: 'wasm' });
  const native = nativeKernelStatus();
  if (c.engine === 'tfjs-wasm+native' && !native.active) return { skipped: `native kernels unavailable: ${native.reason}` };
  const tokenizer = tokenizerFromVocab(defaultModelPaths().vocab);
  const model = createDualEncoder({ ...PRESETS[c.model], passageMaxLength: 128, encodeBatchSize: c.batch }, tokenizer, { seed: 0 });
  const texts = await longPassages(tokenizer, c.passages);
  const batches: Array<ReturnType<typeof tokenizer.tokenizeBatch>> = [];
  for (let s = 0; s < texts.length; s += c.batch) batches.push(tokenizer.tokenizeBatch(texts.slice(s, s + c.batch), 128, { padding: 'max' }));
  const onnx = c.engine === 'onnxruntime' ? await createOnnxEncoder(model) : undefined;
  const modelOnly = async (): Promise<void> => {
    for (const b of batches) {
      if (onnx) await onnx.embedTokens(b.ids, b.mask, b.batch, b.length, 'passage');
      else {
        const emb = tf.tidy(() => model.embed({ inputIds: tf.tensor2d(b.ids, [b.batch, b.length], 'int32'), attentionMask: tf.tensor2d(b.mask, [b.batch, b.length], 'int32') }, 'passage', false));
        await emb.data();
        emb.dispose();
      }
    }
  };
  try {
    await modelOnly(); // warm-up: kernel set-up, XNNPACK / ORT packing, JIT
    const rates: number[] = [];
    for (let r = 0; r < c.runs; r++) {
      const t0 = process.hrtime.bigint();
      await modelOnly();
      rates.push(texts.length / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
    const encoder: Encoder = onnx ?? model;
    const t0 = process.hrtime.bigint();
    await encoder.encode(texts, 'passage');
    const endToEnd = texts.length / (Number(process.hrtime.bigint() - t0) / 1e9);
    const threads = c.engine === 'onnxruntime' ? os.availableParallelism() : c.engine === 'tfjs-wasm+native' ? native.threads : backend.threads;
    return { threads, parameters: model.trainableVariables().reduce((s, v) => s + v.size, 0), passagesPerSecond: median(rates), runsPassagesPerSecond: rates, endToEndPassagesPerSecond: endToEnd };
  } finally {
    await onnx?.dispose();
    model.dispose();
  }
}

/** Runs the benchmark (each configuration in a child process) and returns its JSON report. */
export async function run(argv: string[] = []): Promise<object> {
  const { values } = parseArgs({ args: argv, options: { models: { type: 'string' }, runs: { type: 'string' } }, strict: true });
  const models = (values.models ?? 'default,distilbert').split(',');
  for (const m of models) if (!(m in PRESETS)) throw new Error(`unknown model '${m}' (default, distilbert)`);
  const runs = Number(values.runs ?? 5);
  const results = [];
  for (const model of models) {
    const big = model === 'distilbert';
    for (const engine of ['onnxruntime', 'tfjs-wasm+native', 'tfjs-wasm'] as const) {
      // Batches as the PyTorch reference times them (64, DistilBERT 16); the slow stock kernels get fewer passages.
      const passages = big ? (engine === 'onnxruntime' ? 64 : 16) : engine === 'tfjs-wasm' ? 128 : 512;
      const config: EncodeBenchConfig = { model, engine, passages, batch: big ? 16 : 64, runs: big && engine !== 'onnxruntime' ? 1 : runs };
      results.push(await runChild(__filename, config, engine === 'tfjs-wasm' ? { MTA4DPR_NATIVE: '0' } : {}));
    }
  }
  return { bench: 'encode', tokensPerPassage: 128, results };
}

if (require.main === module && !childMain(measure)) {
  run(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
