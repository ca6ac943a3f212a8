/**
 * WebGPU figures, separate from the CPU benchmarks: training throughput (bench/train.ts's
 * measurement, run in a child with MTA4DPR_BACKEND=webgpu) and tfjs encoding throughput on the
 * WebGPU adapter. Every figure carries the adapter and is labelled a SOFTWARE device when the
 * adapter is a CPU rasteriser (lavapipe): those numbers say nothing about a GPU. DistilBERT-size
 * runs only on a hardware adapter unless asked for (--models). Skipped, saying why, without one.
 * usage: npx tsx bench/webgpu.ts [--models default,distilbert] [--steps N] [--batch B]
 */
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, webgpuAdapter, webgpuDeviceErrors, type WebgpuAdapterReport } from '../lib/backend';
import { loadDataset } from '../lib/data/registry';
import { DEFAULT_STUDENT, DISTILBERT_BASE } from '../lib/models/config';
import { createDualEncoder } from '../lib/models/dualEncoder';
import { defaultModelPaths } from '../lib/models/gloveStudent';
import { loadTokenizer } from '../lib/text';
import { childMain, median, runChild } from './_child';

const ENCODE_PRESETS = { default: DEFAULT_STUDENT, distilbert: DISTILBERT_BASE } as const;
type Model = keyof typeof ENCODE_PRESETS;

interface EncodeConfig {
  readonly kind: 'encode';
  readonly model: Model;
  readonly passages: number;
  readonly runs: number;
}

/** In a child: tfjs encoding of real DL19 passages on webgpu, median of `runs` after one warm-up. */
async function measureEncode(c: EncodeConfig): Promise<Record<string, unknown>> {
  await initBackend({ backend: 'webgpu' });
  const ds = await loadDataset('dl19');
  const texts = [...ds.collection.passages.values()].slice(0, c.passages).map((p) => p.text);
  const model = createDualEncoder(ENCODE_PRESETS[c.model], loadTokenizer(defaultModelPaths().vocab), { seed: 0 });
  try {
    await model.encode(texts.slice(0, Math.min(8, texts.length)), 'passage');
    const times: number[] = [];
    for (let r = 0; r < c.runs; r++) {
      const t0 = process.hrtime.bigint();
      await model.encode(texts, 'passage');
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const s = median(times);
    return { backend: tf.getBackend(), secondsPerRun: s, passagesPerSecond: c.passages / s, deviceErrors: webgpuDeviceErrors().length };
  } finally {
    model.dispose();
  }
}

function label(a: WebgpuAdapterReport): string {
  return a.software
    ? `SOFTWARE device (${a.device}, ${a.driver}): WebGPU computed on the CPU, not a GPU figure`
    : `GPU ${a.vendor} ${a.device} (${a.architecture || 'architecture not reported'}, driver ${a.driver})`;
}

/** Runs the WebGPU figures (each configuration in its own child process). */
export async function run(argv: string[] = []): Promise<object> {
  const { values } = parseArgs({ args: argv, options: { models: { type: 'string' }, steps: { type: 'string' }, batch: { type: 'string' } }, strict: true });
  const found = await webgpuAdapter();
  if (!found.ok) return { bench: 'webgpu', skipped: `no WebGPU adapter: ${found.reason}` };
  const adapter = found.report;
  const models = (values.models ?? (adapter.software ? 'default' : 'default,distilbert')).split(',') as Model[];
  for (const m of models) if (!(m in ENCODE_PRESETS)) throw new Error(`unknown model '${m}' (default, distilbert)`);
  // lavapipe runs a default-student step in seconds: few steps keep the benchmark in minutes.
  const steps = Number(values.steps ?? (adapter.software ? 3 : 7));
  const batch = Number(values.batch ?? 4);
  const env = { MTA4DPR_BACKEND: 'webgpu', MTA4DPR_NATIVE: '0' };
  const trainFile = join(__dirname, `train${extname(__filename)}`);
  const results: Array<Record<string, unknown>> = [];
  for (const model of models) {
    results.push({ measure: 'train', ...(await runChild(trainFile, { model, native: false, steps: model === 'distilbert' ? 2 : steps, batch }, env)) });
    const encode: EncodeConfig = { kind: 'encode', model, passages: model === 'distilbert' ? 32 : adapter.software ? 64 : 512, runs: adapter.software ? 1 : 3 };
    results.push({ measure: 'encode', ...(await runChild(__filename, encode, env)) });
  }
  return {
    bench: 'webgpu', adapter, label: label(adapter),
    group: 'train: 1 query (32 tokens) + 1 positive + 7 negatives (128 tokens), AdamW (bench/train.ts); encode: DL19 passages, tfjs on webgpu',
    results,
  };
}

if (require.main === module && !childMain(measureEncode)) {
  run(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
