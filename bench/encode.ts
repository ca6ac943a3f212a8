/**
 * Encoder speed: passages/second at 128 tokens for DEFAULT_STUDENT and DISTILBERT_BASE on wasm
 * (with and without the BatchMatMul patch) and the pure-JS cpu backend, one training step of
 * 8 queries × 8 passages, and the DL19 pool projection. Wall and process-CPU seconds are both
 * reported: on a shared machine CPU seconds are the stabler figure. Prints JSON.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { patchWasmKernels, unpatchWasmKernels } from '../lib/backend/wasm-kernels';
import { dataRoot } from '../lib/data/paths';
import { createDualEncoder, DEFAULT_STUDENT, DISTILBERT_BASE, type StudentConfig } from '../lib/models';
import { tokenizerFromVocab } from '../lib/text';

interface Timing { wallS: number; cpuS: number }

async function timed(f: () => Promise<void> | void): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await f();
  const c = process.cpuUsage(c0);
  return { wallS: Number(process.hrtime.bigint() - t0) / 1e9, cpuS: (c.user + c.system) / 1e6 };
}

function dl19Passages(): string[] {
  const gz = readFileSync(join(dataRoot(), 'demo', 'dl19', 'passages.jsonl.gz'));
  return gunzipSync(gz).toString('utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
}

async function measure(label: string, backend: 'wasm' | 'cpu', patched: boolean, config: StudentConfig, texts: string[], withStep: boolean): Promise<object> {
  await tf.setBackend(backend);
  if (backend === 'wasm') (patched ? patchWasmKernels : unpatchWasmKernels)();
  const tok = tokenizerFromVocab(join(dataRoot(), 'models', 'bert-base-uncased', 'vocab.txt'));
  const cfg = { ...config, passageMaxLength: 128, encodeBatchSize: Math.min(config.encodeBatchSize, texts.length) };
  const model = createDualEncoder(cfg, tok, { seed: 0 });
  await model.encode(texts.slice(0, Math.min(32, texts.length)), 'passage'); // warm-up (JIT, kernel setup, XNNPACK packing)
  const enc = await timed(async () => void (await model.encode(texts, 'passage')));
  const out: Record<string, unknown> = {
    label, backend, patched, params: model.trainableVariables().reduce((a, v) => a + v.size, 0), passages: texts.length,
    encode: enc, passagesPerSecWall: texts.length / enc.wallS, passagesPerSecCpu: texts.length / enc.cpuS,
  };
  if (withStep) {
    const opt = tf.train.adam(1e-4);
    const q = model.tokenize(texts.slice(0, 8).map((t) => t.split(' ').slice(0, 8).join(' ')), 'query');
    const p = model.tokenize(texts.slice(8, 16), 'passage');
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 8);
    const step = () => opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, tf.matMul(model.embed(q, 'query', true), model.embed(p, 'passage', true), false, true).mul(20)) as tf.Scalar, true, model.trainableVariables())?.dispose();
    step();
    const steps: Timing[] = [];
    for (let i = 0; i < 3; i++) steps.push(await timed(step));
    out.trainStep8x8 = { wallS: Math.min(...steps.map((s) => s.wallS)), cpuS: Math.min(...steps.map((s) => s.cpuS)) };
    tf.dispose([q.inputIds, q.attentionMask, p.inputIds, p.attentionMask, labels]);
    opt.dispose();
  }
  model.dispose();
  return out;
}

/** Runs the benchmark and returns the JSON report. */
export async function run(): Promise<object> {
  const all = dl19Passages();
  const tok = tokenizerFromVocab(join(dataRoot(), 'models', 'bert-base-uncased', 'vocab.txt'));
  // Passages that fill 128 word pieces, so every configuration sees full-length inputs.
  const long = all.filter((t) => tok.encode(t).length >= 128);
  const student = DEFAULT_STUDENT;
  const twoLayer = { ...DEFAULT_STUDENT, layers: 2 };
  const results = [
    await measure('DEFAULT_STUDENT', 'wasm', true, student, long.slice(0, 256), true),
    await measure('DEFAULT_STUDENT', 'wasm', false, student, long.slice(0, 256), true),
    await measure('DEFAULT_STUDENT', 'cpu', false, student, long.slice(0, 32), false),
    await measure('DEFAULT_STUDENT with 2 layers', 'wasm', true, twoLayer, long.slice(0, 256), true),
    await measure('DISTILBERT_BASE', 'wasm', true, DISTILBERT_BASE, long.slice(0, 16), false),
    await measure('DISTILBERT_BASE', 'wasm', false, DISTILBERT_BASE, long.slice(0, 16), false),
  ];
  // Projection for the DL19 pool from the patched default's CPU-time rate at 128 tokens (an upper
  // bound: most pool passages are shorter and encode() groups them by length).
  const rate = (results[0] as { passagesPerSecCpu: number }).passagesPerSecCpu;
  return {
    bench: 'encode',
    node: process.version,
    tokensPerPassage: 128,
    dl19Pool: { passages: all.length, projectedCpuSecondsAt128Tokens: all.length / rate },
    results,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
