/**
 * Kernel patches for tfjs-backend-wasm.
 * - BatchMatMul only uses XNNPACK's fast path when batch = 1 and neither operand is transposed;
 *   every other call (all weight gradients) runs a plain loop at 1–2 GFLOP/s. The patch transposes
 *   operands explicitly first.
 * - Identity and same-dtype Cast copy the tensor's bytes on wasm, and the engine clones every
 *   tensor an op saves for its gradient: a training step made ~340 such copies (10% of its time).
 *   Tensors are immutable and the backend counts references (its Reshape already shares data),
 *   so the patches share the data instead, as the cpu backend's Identity does. Bit-identical.
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
  incRef(dataId: object): void;
};
export type KernelArgs = { inputs: Record<string, TensorInfo>; backend: WasmBackend; attrs: Record<string, unknown> };

const PATCHED = Symbol.for('mta4dpr.wasmKernelPatched');
/** The stock kernels, by name, while patched. */
const originals = new Map<string, tf.KernelConfig>();
type Kernel = (a: KernelArgs) => TensorInfo;
const stock = (name: string): Kernel => originals.get(name)!.kernelFunc as unknown as Kernel;

function batchSize(shape: number[]): number {
  return tf.util.sizeFromShape(shape.slice(0, -2));
}

/** Transposes the last two axes of `x` with the wasm Transpose kernel. */
function transposeLast2(x: TensorInfo, backend: WasmBackend): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc as unknown as Kernel;
  return transpose({ inputs: { x }, backend, attrs: { perm } });
}

function patchedBatchMatMul(args: KernelArgs): TensorInfo {
  const base = stock('BatchMatMul');
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

/** A new tensor on the same bytes (the backend's reference count keeps them alive). */
function share(x: TensorInfo, backend: WasmBackend): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function sharedIdentity(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  return x.dtype === 'string' ? stock('Identity')(args) : share(x, args.backend);
}

function sharedCast(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  return x.dtype === args.attrs.dtype && x.dtype !== 'string' ? share(x, args.backend) : stock('Cast')(args);
}

const PATCHES: Record<string, Kernel> = { BatchMatMul: patchedBatchMatMul, Identity: sharedIdentity, Cast: sharedCast };

/** Registers the wasm kernel patches; idempotent, and a no-op if the wasm backend is not loaded. */
export function patchWasmKernels(): void {
  for (const [name, kernelFunc] of Object.entries(PATCHES)) {
    const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [PATCHED]?: true }) | undefined;
    if (!current || current[PATCHED]) continue;
    originals.set(name, current);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...current, kernelFunc: kernelFunc as unknown as tf.KernelFunc, [PATCHED]: true } as tf.KernelConfig);
  }
}

/** Restores the stock wasm kernels (for comparisons and benchmarks). */
export function unpatchWasmKernels(): void {
  for (const name of Object.keys(PATCHES)) {
    const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [PATCHED]?: true }) | undefined;
    const original = originals.get(name);
    if (!current?.[PATCHED] || !original) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
  }
}

/** Whether {@link patchWasmKernels} is in effect. */
export function wasmKernelsPatched(): boolean {
  return Object.keys(PATCHES).every((name) => Boolean((tf.getKernel(name, 'wasm') as { [PATCHED]?: true } | undefined)?.[PATCHED]));
}
