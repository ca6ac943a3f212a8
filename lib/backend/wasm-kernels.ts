/**
 * Kernel patches for tfjs-backend-wasm (owned by the encoder work). The wasm BatchMatMul only uses
 * XNNPACK's fast path when batch = 1 and neither operand is transposed; every other call (all weight
 * gradients) runs a plain loop at 1–2 GFLOP/s. The patch transposes operands explicitly first.
 * (The missing gather gradient is handled in lib/models/embedding.ts with a scatterND customGrad.)
 */
import * as tf from '@tensorflow/tfjs';

/** The slice of tfjs-backend-wasm's internals that kernels here and in native-kernels.ts use. */
export type TensorInfo = { dataId: object; shape: number[]; dtype: string };
export type WasmBackend = {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: string): TensorInfo;
  disposeData(dataId: object): void;
};
export type KernelArgs = { inputs: Record<string, TensorInfo>; backend: WasmBackend; attrs: Record<string, unknown> };

let original: tf.KernelConfig | undefined;
const PATCHED = Symbol.for('mta4dpr.wasmBatchMatMulPatched');

function batchSize(shape: number[]): number {
  return tf.util.sizeFromShape(shape.slice(0, -2));
}

/** Transposes the last two axes of `x` with the wasm Transpose kernel. */
function transposeLast2(x: TensorInfo, backend: WasmBackend): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc as unknown as (a: KernelArgs) => TensorInfo;
  return transpose({ inputs: { x }, backend, attrs: { perm } });
}

function patchedBatchMatMul(args: KernelArgs): TensorInfo {
  const base = original!.kernelFunc as unknown as (a: KernelArgs) => TensorInfo;
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  // Batched products stay on the stock loop: splitting them into batch-1 XNNPACK calls measured
  // 2.5× slower, because XNNPACK re-packs the right operand on every call.
  if (!(transposeA || transposeB) || batchSize(a.shape) !== 1 || batchSize(b.shape) !== 1) return base(args);
  const ta = transposeA ? transposeLast2(a, args.backend) : a;
  const tb = transposeB ? transposeLast2(b, args.backend) : b;
  try {
    return base({ ...args, inputs: { a: ta, b: tb }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
  } finally {
    if (ta !== a) args.backend.disposeData(ta.dataId);
    if (tb !== b) args.backend.disposeData(tb.dataId);
  }
}

/** Registers the wasm kernel patches; idempotent, and a no-op if the wasm backend is not loaded. */
export function patchWasmKernels(): void {
  const current = tf.getKernel('BatchMatMul', 'wasm') as (tf.KernelConfig & { [PATCHED]?: true }) | undefined;
  if (!current || current[PATCHED]) return;
  original = current;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...current, kernelFunc: patchedBatchMatMul as unknown as tf.KernelFunc, [PATCHED]: true } as tf.KernelConfig);
}

/** Restores the stock wasm kernels (for comparisons and benchmarks). */
export function unpatchWasmKernels(): void {
  const current = tf.getKernel('BatchMatMul', 'wasm') as (tf.KernelConfig & { [PATCHED]?: true }) | undefined;
  if (!current || !current[PATCHED] || !original) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(original);
}

/** Whether {@link patchWasmKernels} is in effect. */
export function wasmKernelsPatched(): boolean {
  return Boolean((tf.getKernel('BatchMatMul', 'wasm') as { [PATCHED]?: true } | undefined)?.[PATCHED]);
}
