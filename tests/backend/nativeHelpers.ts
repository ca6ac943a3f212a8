/** Shared helpers of the native-kernel tests: activation (or skip) and a tensor distance. */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { registerNativeKernels } from '../../lib/backend/native-kernels';

/** The largest element-wise |a − b| (shapes must match). */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** A mocha `before`: wasm with the native kernels, else skip — or fail under MTA4DPR_NATIVE=required (CI). */
export async function nativeKernelsOrSkip(this: Mocha.Context): Promise<void> {
  await initBackend({ backend: 'wasm' });
  const s = registerNativeKernels();
  if (!s.active) {
    if (process.env.MTA4DPR_NATIVE === 'required') throw new Error(`native kernels required but inactive: ${s.reason}`);
    this.skip();
  }
}
