/**
 * webgpu against wasm from the same seed: N training steps of the default student (its width,
 * depth and vocabulary; sequences cut to 8/16 word pieces so lavapipe runs it in seconds),
 * encoding, and the tiny end-to-end experiment on webgpu. Skipped, saying so, without an adapter.
 *
 * Tolerance: float32 kernels differ in summation order between backends, so losses may differ by
 * 1e-4 relative and weights by 1e-4 absolute after N = 3 AdamW steps (measured here on lavapipe:
 * loss 4.8e-7, weights 4.0e-6); embeddings by 1e-4 absolute (unit-length rows).
 */
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, webgpuAdapter, webgpuDeviceErrors } from '../../lib/backend';
import { DEFAULT_STUDENT } from '../../lib/models/config';
import { createDualEncoder } from '../../lib/models/dualEncoder';
import { defaultModelPaths } from '../../lib/models/gloveStudent';
import { loadTokenizer } from '../../lib/text';
import { train } from '../../lib/train/trainer';
import { loadExperimentConfig } from '../../lib/config';
import { reproduce } from '../../lib/pipeline/reproduce';
import { tinyGroups, tinyOptions } from '../train/setup';
import { writeTinyExperiment } from '../pipeline/tinyExperiment';

const STEPS = 3;
const LOSS_RTOL = 1e-4;
const WEIGHT_ATOL = 1e-4;
const EMBEDDING_ATOL = 1e-4;
const STUDENT = { ...DEFAULT_STUDENT, queryMaxLength: 8, passageMaxLength: 16, maxPositions: 32 };

interface Run { losses: number[]; weights: Float32Array[]; embeddings: Float32Array }

/** Trains the student for STEPS steps on `backend`, then encodes a few passages with it. */
async function runOn(backend: 'wasm' | 'webgpu'): Promise<Run> {
  await initBackend({ backend });
  assert.equal(tf.getBackend(), backend);
  const model = createDualEncoder(STUDENT, loadTokenizer(defaultModelPaths().vocab), { seed: 3 });
  try {
    const losses: number[] = [];
    await train(model, tinyGroups(), { ...tinyOptions({ steps: STEPS, batchSize: 2, lr: 1e-3 }), onStep: (r) => void losses.push(r.loss) });
    const weights = await Promise.all(model.trainableVariables().map(async (v) => (await v.data()) as Float32Array));
    const passages = tinyGroups().slice(0, 3).flatMap((g) => g.passages);
    const embeddings = (await model.encode(passages, 'passage')).data;
    return { losses, weights, embeddings };
  } finally {
    model.dispose();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('backend webgpu: parity with wasm, and the tiny experiment', function () {
  this.timeout(240_000);
  let wasm: Run;
  let gpu: Run;

  before(async function () {
    const found = await webgpuAdapter();
    if (!found.ok) {
      console.log(`      SKIPPED (webgpu parity): no WebGPU adapter on this machine: ${found.reason}`);
      this.skip();
    }
    console.log(`      on ${found.report.software ? 'SOFTWARE ' : ''}adapter ${found.report.device} (${found.report.driver})`);
    const t0 = Date.now();
    wasm = await runOn('wasm');
    const t1 = Date.now();
    gpu = await runOn('webgpu');
    console.log(`      ${STEPS} steps + encoding: wasm ${((t1 - t0) / 1000).toFixed(1)} s, webgpu ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  });
  after(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it(`${STEPS} training steps of the default student: losses within ${LOSS_RTOL} relative, weights within ${WEIGHT_ATOL}`, () => {
    assert.deepEqual(webgpuDeviceErrors(), []);
    assert.equal(gpu.losses.length, STEPS);
    gpu.losses.forEach((l, i) => assert.ok(Math.abs(l - wasm.losses[i]) <= LOSS_RTOL * Math.max(1, Math.abs(wasm.losses[i])), `step ${i + 1}: webgpu ${l} vs wasm ${wasm.losses[i]}`));
    // The loss moved: parity of a run that did nothing would prove nothing.
    assert.notEqual(gpu.losses[0], gpu.losses[STEPS - 1]);
    const worst = Math.max(...gpu.weights.map((w, i) => maxAbsDiff(w, wasm.weights[i])));
    console.log(`      losses ${gpu.losses.map((l) => l.toFixed(6)).join(' ')}; max |Δ| loss ${Math.max(...gpu.losses.map((l, i) => Math.abs(l - wasm.losses[i]))).toExponential(1)}, weight ${worst.toExponential(1)}`);
    assert.ok(worst <= WEIGHT_ATOL, `max weight difference ${worst}`);
  });

  it(`encoding: the trained student's passage embeddings within ${EMBEDDING_ATOL}`, () => {
    assert.ok(gpu.embeddings.length > 0 && gpu.embeddings.some((x) => x !== 0));
    const d = maxAbsDiff(gpu.embeddings, wasm.embeddings);
    assert.ok(d <= EMBEDDING_ATOL, `max embedding difference ${d}`);
  });

  it('the tiny end-to-end experiment runs on webgpu and records the adapter in results.json', async () => {
    const saved = { backend: process.env.MTA4DPR_BACKEND, encoder: process.env.MTA4DPR_ENCODER };
    const { dir, configPath } = writeTinyExperiment();
    const t0 = Date.now();
    // The tfjs encoder, so encoding runs on webgpu as well (onnxruntime would take it to the CPU).
    process.env.MTA4DPR_BACKEND = 'webgpu';
    process.env.MTA4DPR_ENCODER = 'tfjs';
    try {
      const out = join(dir, 'out');
      const r = await reproduce(loadExperimentConfig(configPath), { outDir: out, progress: 'none', log: () => undefined });
      assert.equal(r.backend.backend, 'webgpu');
      assert.equal(typeof r.backend.adapter?.software, 'boolean');
      assert.deepEqual(r.rows.map((x) => x.system), ['BM25', 'Untrained student', 'MTA4DPR']);
      for (const row of r.rows) for (const v of Object.values(row.metrics)) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, `${row.system}: ${v}`);
      const mta = r.outcomes.find((o) => o.system === 'MTA4DPR')!;
      for (const it of mta.iterations['1']) assert.ok(Number.isFinite(it.finalLoss));
      // results.json is this object less the per-query outcomes (lib/pipeline/report.ts).
      const json = JSON.parse(JSON.stringify({ ...r, outcomes: undefined })) as { backend: { adapter?: { device: string; software: boolean } } };
      assert.deepEqual(json.backend.adapter, r.backend.adapter);
      console.log(`      tiny experiment on webgpu: ${((Date.now() - t0) / 1000).toFixed(1)} s; MTA4DPR nDCG@10 ${r.rows[2].metrics['nDCG@10'].toFixed(4)}`);
      assert.deepEqual(webgpuDeviceErrors(), []);
    } finally {
      for (const [k, v] of [['MTA4DPR_BACKEND', saved.backend], ['MTA4DPR_ENCODER', saved.encoder]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
