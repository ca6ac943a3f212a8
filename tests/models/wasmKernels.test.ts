/** The wasm BatchMatMul patch: same results as the stock kernel (1e-5), idempotent, reversible. */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels, unpatchWasmKernels, wasmKernelsPatched } from '../../lib/backend/wasm-kernels';

describe('backend/wasm BatchMatMul patch', () => {
  before(async () => {
    await tf.setBackend('wasm');
  });
  after(async () => {
    unpatchWasmKernels();
    await tf.setBackend('cpu');
  });

  it('equals the unpatched kernel on every transpose combination and batch shape', () => {
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[5, 7], [7, 3], false, false], [[7, 5], [7, 3], true, false], [[5, 7], [3, 7], false, true], [[7, 5], [3, 7], true, true],
      [[1, 33, 20], [1, 17, 20], false, true], [[1, 20, 33], [1, 20, 17], true, false], [[4, 5, 7], [4, 3, 7], false, true], [[2, 3, 7, 5], [2, 3, 7, 4], true, false],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      tf.tidy(() => {
        const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
        const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
        unpatchWasmKernels();
        const stock = tf.matMul(a, b, ta, tb);
        patchWasmKernels();
        patchWasmKernels();
        assert.ok(wasmKernelsPatched());
        const ours = tf.matMul(a, b, ta, tb);
        assert.deepEqual(ours.shape, stock.shape);
        assert.ok(tf.max(tf.abs(ours.sub(stock))).dataSync()[0] < 1e-5, `${sa} × ${sb} (${ta}, ${tb})`);
      });
    }
  });

  it('leaks no backend memory and gives the same gradients', () => {
    patchWasmKernels();
    const a = tf.randomNormal([6, 4], 0, 1, 'float32', 3);
    const b = tf.randomNormal([4, 5], 0, 1, 'float32', 4);
    const grads = () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b]);
    const before = tf.memory().numBytes;
    const g1 = grads();
    unpatchWasmKernels();
    const g0 = grads();
    g1.forEach((g, i) => assert.ok(tf.tidy(() => tf.max(tf.abs(g.sub(g0[i]))).dataSync()[0]) < 1e-5));
    tf.dispose([...g0, ...g1]);
    assert.equal(tf.memory().numBytes, before);
    tf.dispose([a, b]);
  });
});
