/** Small helpers on plain row-major float matrices used by weight import/export. */
import { nativeSgemm } from '../backend/native-kernels';

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/**
 * Row-major product [n, k] × [k, m] → [n, m]: BLAS sgemm on all cores when the native kernels are
 * built (folding the GloVe projection into the word table for every ONNX export took 1.6 s in
 * the loop), else a loop with float64 accumulation.
 */
export function matmul2d(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float32Array {
  const out = new Float32Array(n * m);
  const sgemm = nativeSgemm();
  if (sgemm) {
    sgemm(a, b, out, n, m, k, false);
    return out;
  }
  const acc = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let j = 0; j < k; j++) {
      const x = a[i * k + j];
      if (x === 0) continue;
      const row = j * m;
      for (let c = 0; c < m; c++) acc[c] += x * b[row + c];
    }
    for (let c = 0; c < m; c++) out[i * m + c] = acc[c];
  }
  return out;
}
