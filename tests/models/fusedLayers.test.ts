/**
 * Fused GELU, LayerNorm and masked softmax (lib/models/fusedLayers.ts): with the native kernels, values and
 * gradients equal the tf-ops formulas to float rounding, on BERT's shapes and on rows with no
 * spread (padding); without them, the tf-ops path runs; nothing leaks. Skipped where the addon is
 * not built, unless MTA4DPR_NATIVE=required (CI).
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { maxAbsDiff, nativeKernelsOrSkip } from '../backend/nativeHelpers';
import { FUSED_LAYER_KERNELS, registerNativeKernels, unregisterNativeKernels } from '../../lib/backend/native-kernels';
import { gelu, geluOps, layerNorm, layerNormOps, maskedSoftmax, maskedSoftmaxOps } from '../../lib/models/fusedLayers';

describe('models/fusedLayers (GELU, LayerNorm and masked softmax as fused native kernels)', function () {
  before(async function () {
    await nativeKernelsOrSkip.call(this);
    assert.ok(tf.getKernel(FUSED_LAYER_KERNELS.layerNorm, 'wasm'), 'the addon has the layer kernels');
  });
  after(() => registerNativeKernels());

  it('GELU and its gradient equal the tf-ops formula', () => {
    tf.tidy(() => {
      const x = tf.concat([tf.randomNormal([4096, 64], 0, 2, 'float32', 1).reshape([-1]), tf.tensor1d([0, -0, 8, -8, 30, -30, 1e-20])]);
      const dy = tf.randomNormal(x.shape, 0, 1, 'float32', 2);
      const [y, g] = [gelu(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gelu(t), dy)))(x)];
      const [y0, g0] = [geluOps(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(geluOps(t), dy)))(x)];
      assert.ok(maxAbsDiff(y, y0) < 2e-6, `value ${maxAbsDiff(y, y0)}`);
      assert.ok(maxAbsDiff(g, g0) < 2e-6, `gradient ${maxAbsDiff(g, g0)}`);
    });
  });

  it('LayerNorm and its three gradients equal the tf-ops formula, rank 2 and 3, constant rows included', () => {
    for (const shape of [[2, 7, 128], [300, 16]]) {
      tf.tidy(() => {
        const cols = shape[shape.length - 1];
        const random = tf.randomNormal(shape, 0.5, 3, 'float32', 3);
        const x = tf.concat([random.slice(0, shape[0] - 1), tf.fill([1, ...shape.slice(1)], 0.25)]); // last row: no spread
        const gamma = tf.randomNormal([cols], 1, 0.1, 'float32', 4);
        const beta = tf.randomNormal([cols], 0, 0.1, 'float32', 5);
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 6);
        const loss = (f: typeof layerNorm) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c, 1e-12), dy));
        const ours = [layerNorm(x, gamma, beta, 1e-12), ...tf.grads(loss(layerNorm))([x, gamma, beta])];
        const ops = [layerNormOps(x, gamma, beta, 1e-12), ...tf.grads(loss(layerNormOps))([x, gamma, beta])];
        ['y', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
          const scale = tf.max(tf.abs(ops[i])).dataSync()[0];
          assert.ok(maxAbsDiff(ours[i], ops[i]) <= 1e-5 * Math.max(1, scale), `${shape} ${name}: ${maxAbsDiff(ours[i], ops[i])} (scale ${scale})`);
        });
      });
    }
  });

  it('the masked softmax and its two gradients equal the tf-ops formula; masked keys get exactly 0', () => {
    // [texts, heads, queries, keys] as attention has them; 40 texts × 2 × 64 × 64 runs on every thread.
    for (const [b, h, q, k] of [[40, 2, 64, 64], [3, 1, 5, 7]]) {
      tf.tidy(() => {
        const scores = tf.randomNormal([b, h, q, k], 0, 4, 'float32', 8);
        const lengths = Array.from({ length: b }, (_, i) => 1 + ((i * 5) % k));
        const mask = tf.tensor2d(lengths.flatMap((n) => Array.from({ length: k }, (_, j) => (j < n ? 1 : 0))), [b, k]);
        const bias = tf.sub(1, mask).mul(-1e9).reshape([b, 1, 1, k]);
        const dy = tf.randomNormal([b, h, q, k], 0, 1, 'float32', 9);
        const loss = (f: typeof maskedSoftmax) => (s: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(f(s, m), dy));
        const ours = [maskedSoftmax(scores, bias), ...tf.grads(loss(maskedSoftmax))([scores, bias])];
        const ops = [maskedSoftmaxOps(scores, bias), ...tf.grads(loss(maskedSoftmaxOps))([scores, bias])];
        ['y', 'dscores', 'dbias'].forEach((name, i) => {
          const scale = tf.max(tf.abs(ops[i])).dataSync()[0];
          assert.ok(maxAbsDiff(ours[i], ops[i]) <= 2e-6 * Math.max(1, scale), `${[b, h, q, k]} ${name}: ${maxAbsDiff(ours[i], ops[i])} (scale ${scale})`);
        });
        const y = ours[0].dataSync();
        lengths.forEach((n, t) => {
          for (let r = 0; r < h * q; r++) for (let j = n; j < k; j++) assert.equal(y[(t * h * q + r) * k + j], 0, `text ${t} key ${j}`);
        });
      });
    }
    tf.tidy(() => assert.throws(() => tf.engine().runKernel(FUSED_LAYER_KERNELS.maskedSoftmax, { x: tf.zeros([2, 3, 4]), bias: tf.zeros([2, 3, 4]) }), /bias must have shape \[2, 1, 4\]/));
  });

  it('a training-style gradient leaks no tensor, and without the kernels the tf-ops path runs', () => {
    const x = tf.randomNormal([6, 32], 0, 1, 'float32', 7);
    const gamma = tf.ones([32]);
    const beta = tf.zeros([32]);
    const bias = tf.tensor([0, 0, -1e9, 0, -1e9, 0], [6, 1, 1]).tile([1, 1, 32]).reshape([6, 1, 32]);
    const f = () => tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(maskedSoftmax(gelu(layerNorm(a, b, c, 1e-12)).reshape([6, 1, 32]), bias), tf.range(0, 32))))([x, gamma, beta]).map((g) => g.dataSync()));
    const before = tf.memory().numTensors;
    const fusedGrads = f();
    assert.equal(tf.memory().numTensors, before);
    unregisterNativeKernels();
    for (const name of Object.values(FUSED_LAYER_KERNELS)) assert.equal(tf.getKernel(name, 'wasm'), undefined, name);
    const opsGrads = f();
    tf.tidy(() => assert.deepEqual(gelu(x).dataSync(), geluOps(x).dataSync()));
    registerNativeKernels();
    fusedGrads.forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - opsGrads[i][j]) < 1e-4, `${i}[${j}]: ${v} vs ${opsGrads[i][j]}`)));
    tf.dispose([x, gamma, beta, bias]);
  });
});
