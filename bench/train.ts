/**
 * Training throughput: query groups per second (1 query × (1 positive + 7 negatives), passages of
 * 128 word pieces built from real DL19 passages) for the default student and a DistilBERT-size one,
 * with and without the native kernels: median optimiser-step time (clipping and AdamW included)
 * over a few steps, and each configuration's peak RSS. Prints JSON.
 * With PyTorch found, each native figure is the median of --pairs child runs interleaved with as
 * many PyTorch runs of the same work (bench/_interleave.ts), load average beside each pair.
 * usage: npx tsx bench/train.ts [--models default,distilbert] [--steps N] [--batch B] [--engines native,stock] [--pairs 3] [--torch off] [--embed-chunk N|off]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { createDualEncoder } from '../lib/models/dualEncoder';
import { defaultModelPaths } from '../lib/models/gloveStudent';
import { loadTokenizer } from '../lib/text';
import { train } from '../lib/train/trainer';
import { nativeKernelStatus } from '../lib/backend/native-kernels';
import { childMain, median, runChild } from './_child';
import { benchGroups, PRESETS } from './_groups';
import { interleave } from './_interleave';
import { startTorchServer, type TorchServer } from './_torch-server';

interface TrainBenchConfig {
  readonly model: keyof typeof PRESETS;
  /** Native kernels (OpenBLAS products, fused AdamW) on, or the stock wasm kernels. */
  readonly native: boolean;
  readonly steps: number;
  readonly batch: number;
  /** Texts per forward pass (gradient caching; the same update as the whole batch). */
  readonly embedChunk?: number;
}

/** One configuration, in its own process (peak memory is its own). */
async function measure(c: TrainBenchConfig): Promise<Record<string, unknown>> {
  const backend = await initBackend();
  const native = nativeKernelStatus();
  if (c.native && !native.active) return { skipped: `native kernels unavailable: ${native.reason}` };
  const groups = await benchGroups(64);
  const tokenizer = loadTokenizer(defaultModelPaths().vocab);
  const model = createDualEncoder(PRESETS[c.model], tokenizer, { seed: 0 });
  const params = model.trainableVariables().reduce((s, v) => s + v.size, 0);
  const times: number[] = [];
  let last = process.hrtime.bigint();
  try {
    // One extra step first: kernel set-up and weight upload are not training throughput.
    await train(model, groups, {
      steps: c.steps + 1, batchSize: c.batch, embedChunk: c.embedChunk, lr: 1e-4, warmupSteps: 0, seed: 1, progress: 'none',
      loss: { alpha: 1, beta: 1, gamma: 0 },
      onStep: () => {
        const now = process.hrtime.bigint();
        times.push(Number(now - last) / 1e9);
        last = now;
      },
    });
    const perStep = median(times.slice(1));
    return {
      backend: backend.backend, threads: native.active ? native.threads : 1, parameters: params, batchGroups: c.batch,
      secondsPerStep: perStep, groupsPerSecond: c.batch / perStep, firstStepSeconds: times[0], stepSeconds: times,
    };
  } catch (e) {
    const msg = (e as Error).message;
    // tfjs-wasm's heap is capped at 4 GB: a 66M student with AdamW state and activations does not fit.
    const hint = /memory access out of bounds|out of memory/i.test(msg) && tf.getBackend() === 'wasm' ? ' (wasm heap, capped at 4 GB, exhausted)' : '';
    return { parameters: params, error: msg + hint };
  } finally {
    try {
      model.dispose();
    } catch {
      // After a wasm abort the module is gone and so are the variables: nothing left to free.
    }
  }
}

/** Our figure for one configuration: `pairs` child runs interleaved with as many PyTorch ones when the reference runs. */
async function measurePaired(config: TrainBenchConfig, pairs: number, torch: TorchServer | string): Promise<Record<string, unknown>> {
  const env = config.native ? {} : { MTA4DPR_NATIVE: '0' };
  if (!config.native || typeof torch === 'string') return runChild(__filename, config, env);
  const runs: Array<Record<string, unknown>> = [];
  try {
    const paired = await interleave(pairs, async () => {
      const r = await runChild(__filename, config, env);
      runs.push(r);
      if (typeof r.groupsPerSecond !== 'number') throw new Error(String(r.error ?? r.skipped ?? 'no figure'));
      return r.groupsPerSecond;
    }, async () => (await torch.measure({ work: 'train', model: config.model, groups: config.batch, steps: config.steps })).groupsPerSecond as number);
    const peak = Math.max(...runs.map((r) => Number(r.peakRssMiB ?? 0)));
    return { ...runs[0], groupsPerSecond: paired.ours.median, secondsPerStep: config.batch / paired.ours.median, peakRssMiB: peak, interleaved: paired,
      torch: { ...torch.info, groupsPerSecond: paired.torch.median } };
  } catch (e) {
    return { ...(runs.at(-1) ?? config), error: (e as Error).message };
  }
}

/** Runs the benchmark (each configuration in a child process) and returns its JSON report. */
export async function run(argv: string[] = []): Promise<object> {
  const { values } = parseArgs({
    args: argv,
    options: { models: { type: 'string' }, steps: { type: 'string' }, batch: { type: 'string' }, engines: { type: 'string' }, pairs: { type: 'string' }, torch: { type: 'string' }, 'embed-chunk': { type: 'string' } },
    strict: true,
  });
  const models = (values.models ?? 'default,distilbert').split(',') as Array<keyof typeof PRESETS>;
  for (const m of models) if (!(m in PRESETS)) throw new Error(`unknown model '${m}' (default, distilbert)`);
  const steps = Number(values.steps ?? 7);
  const batch = Number(values.batch ?? 4);
  const pairs = Number(values.pairs ?? 3);
  const engines = (values.engines ?? 'native,stock').split(',');
  for (const e of engines) if (e !== 'native' && e !== 'stock') throw new Error(`unknown engine '${e}' (native, stock)`);
  const chunk = values['embed-chunk'];
  if (chunk !== undefined && chunk !== 'off' && !(Number.isInteger(Number(chunk)) && Number(chunk) > 0)) throw new Error(`--embed-chunk: '${chunk}' is not a positive integer or 'off'`);
  const torch = values.torch === 'off' ? 'turned off (--torch off)' : await startTorchServer();
  const results = [];
  try {
    for (const model of models) {
      // The stock wasm kernels run the 66M student at 1–2 GFLOP/s (minutes a step): measured only when asked for.
      const wanted = model === 'distilbert' && values.engines === undefined ? ['native'] : engines;
      for (const native of wanted.map((e) => e === 'native')) {
        // The 66M student's activations for a whole batch (36 texts) overflow the 4 GB wasm heap; 12 texts
        // per forward pass fit (peak RSS 3.5 GB, 2026-12-03) and run 1.25x faster than 6 (smaller products).
        const embedChunk = chunk === 'off' ? undefined : chunk !== undefined ? Number(chunk) : model === 'distilbert' ? 12 : undefined;
        const config: TrainBenchConfig = { model, native, steps: model === 'distilbert' ? 2 : steps, batch, ...(embedChunk ? { embedChunk } : {}) };
        results.push(await measurePaired(config, model === 'distilbert' ? Math.min(pairs, 2) : pairs, torch));
      }
    }
  } finally {
    if (typeof torch !== 'string') torch.close();
  }
  return {
    bench: 'train', group: '1 query (32 tokens) + 1 positive + 7 negatives (128 tokens); loss = InfoNCE + listwise KL; AdamW', results,
    ...(typeof torch === 'string' ? { torch: { skipped: torch } } : {}),
  };
}

if (require.main === module && !childMain(measure)) {
  run(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
