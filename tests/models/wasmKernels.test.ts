/**
 * The wasm kernel patches: BatchMatMul gives the stock kernel's results (1e-5); Identity and
 * same-dtype Cast share the input's bytes (equal values, independent lifetimes, no leak); all
 * idempotent and reversible.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels, unpatchWasmKernels, wasmKernelsPatched } from '../../lib/backend/wasm-kernels';

describe('backend/wasm kernel patches', () => {
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

  it('Identity and same-dtype Cast share the bytes; each tensor outlives the other; nothing leaks', () => {
    patchWasmKernels();
    const before = tf.memory().numBytes;
    const x = tf.tensor2d([[1.5, -2], [3, 4.25]]);
    const buffers = (tf.memory() as { numDataBuffers: number }).numDataBuffers;
    const c1 = tf.clone(x);
    const copies = [c1, tf.cast(x, 'float32'), tf.cast(c1, 'float32')];
    assert.equal((tf.memory() as { numDataBuffers: number }).numDataBuffers, buffers, 'a shared tensor allocates no buffer');
    x.dispose();
    for (const c of copies) assert.deepEqual(c.arraySync(), [[1.5, -2], [3, 4.25]]);
    const ints = tf.cast(copies[0], 'int32'); // a real cast still converts
    assert.deepEqual(ints.arraySync(), [[1, -2], [3, 4]]);
    assert.equal(ints.dtype, 'int32');
    tf.dispose([...copies, ints]);
    assert.equal(tf.memory().numBytes, before);
  });

  it('a gradient through saved tensors (clones) equals the stock kernels bit for bit', () => {
    const grad = (patched: boolean) => {
      if (patched) patchWasmKernels();
      else unpatchWasmKernels();
      return tf.tidy(() => {
        const x = tf.randomNormal([8, 16], 0, 1, 'float32', 5);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.exp(tf.cast(t, 'float32')), tf.sigmoid(t))))(x).dataSync();
      });
    };
    assert.deepEqual(grad(true), grad(false));
    patchWasmKernels();
    assert.ok(wasmKernelsPatched());
    unpatchWasmKernels();
    assert.ok(!wasmKernelsPatched());
  });
});
