/** Test helper: compares tfjs gradients with central finite differences (float32, cpu backend). */
import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';

/** Asserts ∇f(x0) ≈ (f(x+h) − f(x−h)) / 2h for every coordinate, relative tolerance `rtol`. */
export function checkGradient(f: (x: tf.Tensor) => tf.Scalar, x0: number[], shape: number[], h = 1e-2, rtol = 1e-3, atol = 1e-4): void {
  const analytic = tf.tidy(() => tf.grad(f)(tf.tensor(x0, shape)).dataSync());
  const at = (x: number[]) => tf.tidy(() => f(tf.tensor(x, shape)).dataSync()[0]);
  for (let i = 0; i < x0.length; i++) {
    const plus = [...x0];
    const minus = [...x0];
    plus[i] += h;
    minus[i] -= h;
    const numeric = (at(plus) - at(minus)) / (2 * h);
    const tol = atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
    assert.ok(Math.abs(numeric - analytic[i]) <= tol, `coordinate ${i}: analytic ${analytic[i]} vs numeric ${numeric}`);
  }
}

/** Deterministic pseudo-random values in [-1, 1). */
export function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}
