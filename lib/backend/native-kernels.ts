/**
 * Optional native kernels for the wasm backend (native/, built by `npm install` when a C compiler
 * and libopenblas-openmp-dev are present): BatchMatMul through OpenBLAS on every core, Sum over
 * leading axes (bias and LayerNorm gradients) as a BLAS matrix-vector product, row gathers
 * (embedding lookups) and their scatter gradients, large same-shape adds on every core (the two
 * towers' embedding gradients) and adds of a broadcast row (biases), transposes that swap two blocks of axes
 * (attention's head split and merge), a fused AdamW update (a kernel of its own name, FUSED_ADAMW_KERNEL),
 * fused GELU, LayerNorm and attention's masked softmax with their gradients (FUSED_LAYER_KERNELS, used by lib/models/fusedLayers.ts),
 * and a sum of squares for gradient clipping (SUM_SQUARES_KERNEL).
 * They read and write the tensors where they live, in the wasm heap; when the addon is absent or a
 * call falls outside what it handles, the (patched) wasm kernel runs as before.
 * MTA4DPR_NATIVE=0 turns it off; MTA4DPR_THREADS sets its thread count (default: all cores).
 * OpenMP threads sleep while they wait (OMP_WAIT_POLICY=passive unless set): see {@link ensureAddon}.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../data/paths';
import type { KernelArgs, TensorInfo, WasmBackend } from './wasm-kernels';

/** The addon's interface (native/src/kernels.c). */
interface NativeAddon {
  sumLeading(heap: ArrayBuffer, xOffset: number, outOffset: number, rows: number, cols: number): void;
  gatherRows(heap: ArrayBuffer, tableOffset: number, rows: number, cols: number, indicesOffset: number, count: number, outOffset: number): number;
  sgemmBatched(heap: ArrayBuffer, aOffset: number, bOffset: number, outOffset: number, batchA: number, batchB: number, m: number, n: number, k: number, transA: boolean, transB: boolean): void;
  adamw(heap: ArrayBuffer, param: number, grad: number, m: number, v: number, outParam: number, outM: number, outV: number, size: number,
    lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, decay: number, gradScale: number): void;
  sgemm(a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, k: number, transB: boolean): void;
  topkInner(queries: Float32Array, corpus: Float32Array, outIndices: Int32Array, outScores: Float32Array, nq: number, rows: number, dim: number, k: number, chunkRows: number): void;
  setThreads(n: number): void;
  threads(): number;
  axpy?(out: Float32Array, offset: number, c: number, v: Float32Array): void;
  scatterRows?(heap: ArrayBuffer, updatesOffset: number, indicesOffset: number, count: number, cols: number, outOffset: number, rows: number): number;
  addSame?(heap: ArrayBuffer, aOffset: number, bOffset: number, outOffset: number, size: number): void;
  addRow?(heap: ArrayBuffer, aOffset: number, rowOffset: number, outOffset: number, rows: number, cols: number): void;
  swapMiddle?(heap: ArrayBuffer, xOffset: number, outOffset: number, a: number, b: number, c: number, d: number): void;
  geluForward?(heap: ArrayBuffer, x: number, out: number, size: number): void;
  geluBackward?(heap: ArrayBuffer, x: number, dy: number, dx: number, size: number): void;
  layerNormForward?(heap: ArrayBuffer, x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, rows: number, cols: number, eps: number): void;
  sumSquares?(heap: ArrayBuffer, x: number, size: number): number;
  layerNormBackward?(heap: ArrayBuffer, x: number, gamma: number, mean: number, rstd: number, dy: number, dx: number, dgamma: number, dbeta: number, rows: number, cols: number): void;
  maskedSoftmax?(heap: ArrayBuffer, x: number, bias: number, out: number, batches: number, rowsPerBatch: number, cols: number): void;
  maskedSoftmaxGrad?(heap: ArrayBuffer, y: number, dy: number, dx: number, dbias: number, batches: number, rowsPerBatch: number, cols: number): void;
}


/** Where native kernels stand in this process (shown by `mta4dpr doctor` and the benchmarks). */
export interface NativeKernelStatus {
  readonly active: boolean;
  readonly threads?: number;
  /** Why they are not active (not built, turned off, failed to load). */
  readonly reason?: string;
  readonly addon?: string;
}

const NATIVE = Symbol.for('mta4dpr.nativeKernel');
/** Kernels the addon replaces, each with the kernel it wraps (called for every case it does not handle). */
const KERNELS = ['BatchMatMul', 'Sum', 'GatherV2', 'ScatterNd', 'Add', 'Transpose'] as const;
type NativeKernelName = typeof KERNELS[number];
const fallbacks = new Map<NativeKernelName, tf.KernelConfig>();
const sizeOf = tf.util.sizeFromShape;
let addon: NativeAddon | undefined;
let status: NativeKernelStatus = { active: false, reason: 'not requested' };

/** Path of the built addon. */
export function nativeAddonPath(): string {
  return join(projectRoot(), 'native', 'build', 'Release', 'mta4dpr_native.node');
}

/** The addon, loaded once with its threads set, or why it cannot be used. */
function ensureAddon(): NativeAddon | string {
  if (addon) return addon;
  if (process.env.MTA4DPR_NATIVE === '0') return 'turned off (MTA4DPR_NATIVE=0)';
  const path = nativeAddonPath();
  // libgomp reads its wait policy once, when the addon loads it. Its default spins: with another
  // process busy on a core, threads spun on a descheduled one and a 2-thread training step took
  // 730-920 ms instead of ~130 (measured with the load average at 5; passive: 125-143 ms, GOMP_SPINCOUNT=10000: 194-254).
  // Set only while the addon loads: programs this process starts (PyTorch in the benchmarks, whose
  // own default spins) must get the environment the user gave, not this policy.
  if (!existsSync(path)) return `not built (${path} missing; needs a C compiler and libopenblas-openmp-dev, then npm run build:native)`;
  const setHere = process.env.OMP_WAIT_POLICY === undefined;
  if (setHere) process.env.OMP_WAIT_POLICY = 'passive';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    addon = require(path) as NativeAddon;
  } catch (e) {
    return `failed to load ${path}: ${(e as Error).message}`;
  } finally {
    if (setHere) delete process.env.OMP_WAIT_POLICY;
  }
  addon.setThreads(nativeThreads());
  return addon;
}

/** Threads from MTA4DPR_THREADS, else every core. */
export function nativeThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MTA4DPR_THREADS?.trim();
  if (!raw) return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`MTA4DPR_THREADS='${raw}' is not a positive integer`);
  return n;
}

function nativeBatchMatMul(args: KernelArgs): TensorInfo {
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const base = fallbackOf('BatchMatMul');
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  // Only what the addon does exactly: float32, equal batches or a broadcast single matrix of equal rank.
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (batchA !== batchB && batchA !== 1 && batchB !== 1)
    || (batchA !== batchB && a.shape.length !== b.shape.length)) return base(args);
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  // Mismatched or empty shapes go to the stock kernel, which raises tfjs's own errors.
  if (k !== kb || k === 0) return base(args);
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = args.backend.makeOutput([...outer, m, n], 'float32');
  if (batch * m * n === 0) return out;
  const map = args.backend.dataIdMap;
  addon!.sgemmBatched(heapOf(args.backend), map.get(a.dataId).memoryOffset, map.get(b.dataId).memoryOffset,
    map.get(out.dataId).memoryOffset, batchA, batchB, m, n, k, Boolean(transposeA), Boolean(transposeB));
  return out;
}

function nativeSum(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
  const lead = axes.length;
  // Only a reduction over the first `lead` axes, leaving some: all-axis and trailing sums are fast in wasm.
  if (x.dtype !== 'float32' || lead === 0 || lead >= x.shape.length || axes.some((a, i) => a !== i)) return fallbackOf('Sum')(args);
  const rows = sizeOf(x.shape.slice(0, lead));
  const rest = x.shape.slice(lead);
  const cols = sizeOf(rest);
  if (rows * cols === 0) return fallbackOf('Sum')(args);
  const out = args.backend.makeOutput(keepDims ? [...Array(lead).fill(1), ...rest] : rest, 'float32');
  const map = args.backend.dataIdMap;
  addon!.sumLeading(heapOf(args.backend), map.get(x.dataId).memoryOffset, map.get(out.dataId).memoryOffset, rows, cols);
  return out;
}

function nativeGather(args: KernelArgs): TensorInfo {
  const { x, indices } = args.inputs;
  const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
  if (x.dtype !== 'float32' || indices.dtype !== 'int32' || (batchDims ?? 0) !== 0 || x.shape.length < 1
    || tf.util.parseAxisParam(axis, x.shape)[0] !== 0) return fallbackOf('GatherV2')(args);
  const rows = x.shape[0];
  const cols = sizeOf(x.shape.slice(1));
  const count = sizeOf(indices.shape);
  if (rows * cols * count === 0) return fallbackOf('GatherV2')(args);
  const out = args.backend.makeOutput([...indices.shape, ...x.shape.slice(1)], 'float32');
  const map = args.backend.dataIdMap;
  const bad = addon!.gatherRows(heapOf(args.backend), map.get(x.dataId).memoryOffset, rows, cols, map.get(indices.dataId).memoryOffset, count, map.get(out.dataId).memoryOffset);
  if (bad < 0) return out;
  args.backend.disposeData(out.dataId);
  return fallbackOf('GatherV2')(args); // raises tfjs's own out-of-range error
}

/** The embedding gradient: ScatterNd of whole rows ([count, 1] int32 ids into a float32 [rows, cols]). */
function nativeScatterNd(args: KernelArgs): TensorInfo {
  const { indices, updates } = args.inputs;
  const { shape } = args.attrs as { shape: number[] };
  const count = indices.shape[0];
  if (typeof addon!.scatterRows !== 'function' || updates.dtype !== 'float32' || indices.dtype !== 'int32' || indices.shape.length !== 2
    || indices.shape[1] !== 1 || shape.length !== 2 || updates.shape.length !== 2 || updates.shape[0] !== count || updates.shape[1] !== shape[1]
    || count * shape[0] * shape[1] === 0) return fallbackOf('ScatterNd')(args);
  const out = args.backend.makeOutput([...shape], 'float32');
  const map = args.backend.dataIdMap;
  const bad = addon!.scatterRows(heapOf(args.backend), map.get(updates.dataId).memoryOffset, map.get(indices.dataId).memoryOffset, count, shape[1],
    map.get(out.dataId).memoryOffset, shape[0]);
  if (bad < 0) return out;
  args.backend.disposeData(out.dataId);
  // The stock wasm kernel writes outside the heap for such an id (it corrupts the backend): fail here.
  const id = (args.backend as unknown as { readSync(d: object): Int32Array }).readSync(indices.dataId)[bad];
  throw new Error(`scatterND: index ${id} at position ${bad} is not in [0, ${shape[0] - 1}]`);
}

/** Below this many elements the wasm Add is as fast as a call into the addon. */
const NATIVE_ADD_MIN = 1 << 18;
/** The wasm Add walks a broadcast element by element: the addon pays from far fewer elements. */
const NATIVE_ROW_ADD_MIN = 1 << 14;

/** [big, row] when one operand is the other's trailing dimensions (leading 1s aside), broadcast over the rest; else undefined. */
function rowBroadcast(a: TensorInfo, b: TensorInfo): [TensorInfo, TensorInfo] | undefined {
  for (const [big, small] of [[a, b], [b, a]]) {
    const tail = small.shape.slice(small.shape.findIndex((d) => d !== 1));
    const fits = small.shape.length <= big.shape.length && tail.length > 0 && sizeOf(small.shape) < sizeOf(big.shape)
      && small.shape.every((d, i) => i < small.shape.length - tail.length ? d === 1 : true)
      && tf.util.arraysEqual(big.shape.slice(big.shape.length - tail.length), tail);
    if (fits) return [big, small];
  }
  return undefined;
}

function nativeAdd(args: KernelArgs): TensorInfo {
  const { a, b } = args.inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallbackOf('Add')(args);
  const size = sizeOf(a.shape);
  const map = args.backend.dataIdMap;
  if (typeof addon!.addSame === 'function' && size >= NATIVE_ADD_MIN && tf.util.arraysEqual(a.shape, b.shape)) {
    const out = args.backend.makeOutput([...a.shape], 'float32');
    addon!.addSame(heapOf(args.backend), map.get(a.dataId).memoryOffset, map.get(b.dataId).memoryOffset, map.get(out.dataId).memoryOffset, size);
    return out;
  }
  const row = typeof addon!.addRow === 'function' ? rowBroadcast(a, b) : undefined;
  if (!row || sizeOf(row[0].shape) < NATIVE_ROW_ADD_MIN) return fallbackOf('Add')(args);
  const [big, small] = row;
  const out = args.backend.makeOutput([...big.shape], 'float32');
  const cols = sizeOf(small.shape);
  addon!.addRow!(heapOf(args.backend), map.get(big.dataId).memoryOffset, map.get(small.dataId).memoryOffset, map.get(out.dataId).memoryOffset, sizeOf(big.shape) / cols, cols);
  return out;
}

/**
 * [a, b, c, d] when `perm` swaps two adjacent blocks of axes, x [a, b, c, d] → [a, c, b, d] with
 * the axes merged (attention's [t, len, heads, dh] ↔ [t, heads, len, dh]); else undefined.
 */
export function swapMiddleDims(shape: readonly number[], perm: readonly number[]): [number, number, number, number] | undefined {
  const n = shape.length;
  const i = perm.findIndex((p, k) => p !== k);
  if (i < 0 || perm.length !== n) return undefined;
  const j = perm[i];
  let k = j;
  let at = i;
  while (at < n && perm[at] === k) { at++; k++; }
  for (let m = i; m < j; m++, at++) if (perm[at] !== m) return undefined;
  for (; at < n; at++) if (perm[at] !== at) return undefined;
  if (k <= j || j <= i) return undefined;
  const prod = (lo: number, hi: number) => sizeOf(shape.slice(lo, hi));
  return [prod(0, i), prod(i, j), prod(j, k), prod(k, n)];
}

/** Below this many floats per copied row, or elements in all, the wasm Transpose is kept. */
const NATIVE_SWAP_MIN_ROW = 16;
const NATIVE_SWAP_MIN = 1 << 14;

function nativeTranspose(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  const { perm } = args.attrs as { perm: number[] };
  const dims = x.dtype === 'float32' && typeof addon!.swapMiddle === 'function' ? swapMiddleDims(x.shape, perm) : undefined;
  if (!dims || dims[3] < NATIVE_SWAP_MIN_ROW || sizeOf(x.shape) < NATIVE_SWAP_MIN) return fallbackOf('Transpose')(args);
  const out = args.backend.makeOutput(perm.map((p) => x.shape[p]), 'float32');
  const off = offsets(args.backend);
  addon!.swapMiddle!(heapOf(args.backend), off(x), off(out), ...dims);
  return out;
}

/** Name of the fused AdamW kernel; lib/train/adamw.ts uses it when the active backend has it. */
export const FUSED_ADAMW_KERNEL = 'Mta4dprFusedAdamW';

/**
 * Attributes of {@link FUSED_ADAMW_KERNEL}: learning rate, betas, bias corrections c = 1 − βᵗ, ε,
 * weight decay λ (0 = none), and a factor the gradient is multiplied by first (clipping; default 1).
 */
export interface FusedAdamWAttrs {
  lr: number; beta1: number; beta2: number; c1: number; c2: number; epsilon: number; decay: number; gradScale?: number;
}

type Offset = (t: TensorInfo) => number;
const offsets = (backend: WasmBackend): Offset => (t) => backend.dataIdMap.get(t.dataId).memoryOffset;

function nativeAdamW(args: KernelArgs): TensorInfo[] {
  const { param, grad, m, v } = args.inputs;
  const a = args.attrs as unknown as FusedAdamWAttrs;
  const size = sizeOf(param.shape);
  for (const t of [param, grad, m, v]) {
    if (t.dtype !== 'float32' || sizeOf(t.shape) !== size) throw new Error(`${FUSED_ADAMW_KERNEL}: inputs must be float32 of one size`);
  }
  const outs = [param, m, v].map((t) => args.backend.makeOutput([...t.shape], 'float32'));
  if (size === 0) return outs;
  const off = offsets(args.backend);
  addon!.adamw(heapOf(args.backend), off(param), off(grad), off(m), off(v), off(outs[0]), off(outs[1]), off(outs[2]), size,
    a.lr, a.beta1, a.beta2, a.c1, a.c2, a.epsilon, a.decay, a.gradScale ?? 1);
  return outs;
}

/** Names of the fused layer kernels (inputs and outputs in the doc of each); lib/models/fusedLayers.ts uses them when the active backend has them. */
export const FUSED_LAYER_KERNELS = {
  /** { x } → y = x·Φ(x), float32, any shape. */
  gelu: 'Mta4dprGelu',
  /** { x, dy } → dx. */
  geluGrad: 'Mta4dprGeluGrad',
  /** { x, gamma, beta } with attr eps → [y, mean, rstd]: over the last axis; mean and rstd have one entry per row. */
  layerNorm: 'Mta4dprLayerNorm',
  /** { x, gamma, mean, rstd, dy } → [dx, dgamma, dbeta]. */
  layerNormGrad: 'Mta4dprLayerNormGrad',
  /** { x [b, …, k], bias [b, 1, …, 1, k] } → softmax(x + bias) over the last axis (attention scores and their key mask). */
  maskedSoftmax: 'Mta4dprMaskedSoftmax',
  /** { y, dy, bias } → [dx, dbias], from the softmax's output y. */
  maskedSoftmaxGrad: 'Mta4dprMaskedSoftmaxGrad',
} as const;

function float32(kernel: string, inputs: Record<string, TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, not ${t.dtype}`);
}

function nativeGelu(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  float32(FUSED_LAYER_KERNELS.gelu, args.inputs);
  const out = args.backend.makeOutput([...x.shape], 'float32');
  const off = offsets(args.backend);
  addon!.geluForward!(heapOf(args.backend), off(x), off(out), sizeOf(x.shape));
  return out;
}

function nativeGeluGrad(args: KernelArgs): TensorInfo {
  const { x, dy } = args.inputs;
  float32(FUSED_LAYER_KERNELS.geluGrad, args.inputs);
  const out = args.backend.makeOutput([...x.shape], 'float32');
  const off = offsets(args.backend);
  addon!.geluBackward!(heapOf(args.backend), off(x), off(dy), off(out), sizeOf(x.shape));
  return out;
}

/** Rows and columns of a tensor normalised over its last axis, after checking γ (and β) match. */
function rowsCols(kernel: string, x: TensorInfo, ...params: TensorInfo[]): [number, number] {
  const cols = x.shape[x.shape.length - 1] ?? 1;
  for (const p of params) if (p.shape.length !== 1 || p.shape[0] !== cols) throw new Error(`${kernel}: gamma and beta must have shape [${cols}], not [${p.shape}]`);
  return [cols === 0 ? 0 : sizeOf(x.shape) / cols, cols];
}

function nativeLayerNorm(args: KernelArgs): TensorInfo[] {
  const { x, gamma, beta } = args.inputs;
  float32(FUSED_LAYER_KERNELS.layerNorm, args.inputs);
  const [rows, cols] = rowsCols(FUSED_LAYER_KERNELS.layerNorm, x, gamma, beta);
  const rowShape = [...x.shape.slice(0, -1), 1];
  const outs = [args.backend.makeOutput([...x.shape], 'float32'), args.backend.makeOutput(rowShape, 'float32'), args.backend.makeOutput(rowShape, 'float32')];
  if (rows * cols === 0) return outs;
  const off = offsets(args.backend);
  addon!.layerNormForward!(heapOf(args.backend), off(x), off(gamma), off(beta), off(outs[0]), off(outs[1]), off(outs[2]), rows, cols, args.attrs.eps as number);
  return outs;
}

function nativeLayerNormGrad(args: KernelArgs): TensorInfo[] {
  const { x, gamma, mean, rstd, dy } = args.inputs;
  float32(FUSED_LAYER_KERNELS.layerNormGrad, args.inputs);
  const [rows, cols] = rowsCols(FUSED_LAYER_KERNELS.layerNormGrad, x, gamma);
  const outs = [args.backend.makeOutput([...x.shape], 'float32'), args.backend.makeOutput([cols], 'float32'), args.backend.makeOutput([cols], 'float32')];
  if (rows * cols === 0) return outs;
  const off = offsets(args.backend);
  addon!.layerNormBackward!(heapOf(args.backend), off(x), off(gamma), off(mean), off(rstd), off(dy), off(outs[0]), off(outs[1]), off(outs[2]), rows, cols);
  return outs;
}

/** Batches, rows per batch and columns of a masked softmax, after checking that bias is [b, 1, …, 1, k] for x [b, …, k]. */
function softmaxDims(kernel: string, x: TensorInfo, bias: TensorInfo): [number, number, number] {
  const cols = x.shape[x.shape.length - 1] ?? 0;
  const batches = x.shape[0] ?? 0;
  const ok = x.shape.length >= 2 && bias.shape.length === x.shape.length && bias.shape[0] === batches && bias.shape[bias.shape.length - 1] === cols
    && bias.shape.slice(1, -1).every((d) => d === 1);
  if (!ok) throw new Error(`${kernel}: bias must have shape [${batches}, ${x.shape.slice(1, -1).map(() => 1)}, ${cols}] for x [${x.shape}], not [${bias.shape}]`);
  return [batches, batches * cols === 0 ? 0 : sizeOf(x.shape) / (batches * cols), cols];
}

function nativeMaskedSoftmax(args: KernelArgs): TensorInfo {
  const { x, bias } = args.inputs;
  float32(FUSED_LAYER_KERNELS.maskedSoftmax, args.inputs);
  const [batches, rows, cols] = softmaxDims(FUSED_LAYER_KERNELS.maskedSoftmax, x, bias);
  const out = args.backend.makeOutput([...x.shape], 'float32');
  if (batches * rows * cols === 0) return out;
  const off = offsets(args.backend);
  addon!.maskedSoftmax!(heapOf(args.backend), off(x), off(bias), off(out), batches, rows, cols);
  return out;
}

function nativeMaskedSoftmaxGrad(args: KernelArgs): TensorInfo[] {
  const { y, dy, bias } = args.inputs;
  float32(FUSED_LAYER_KERNELS.maskedSoftmaxGrad, args.inputs);
  const [batches, rows, cols] = softmaxDims(FUSED_LAYER_KERNELS.maskedSoftmaxGrad, y, bias);
  const outs = [args.backend.makeOutput([...y.shape], 'float32'), args.backend.makeOutput([...bias.shape], 'float32')];
  if (batches * rows * cols === 0) return outs;
  const off = offsets(args.backend);
  addon!.maskedSoftmaxGrad!(heapOf(args.backend), off(y), off(dy), off(outs[0]), off(outs[1]), batches, rows, cols);
  return outs;
}

/** Name of the sum-of-squares kernel ({ x } → a float32 scalar Σx², summed in double); lib/train/clip.ts uses it when the active backend has it. */
export const SUM_SQUARES_KERNEL = 'Mta4dprSumSquares';

function nativeSumSquares(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  float32(SUM_SQUARES_KERNEL, args.inputs);
  const off = offsets(args.backend);
  const total = addon!.sumSquares!(heapOf(args.backend), off(x), sizeOf(x.shape));
  const out = args.backend.makeOutput([], 'float32');
  new Float32Array(heapOf(args.backend), off(out), 1)[0] = total;
  return out;
}

/** The fused kernels, each with the addon function it needs (an addon built before that function existed lacks it: the kernel is then not registered, and its caller takes the tf-ops path). */
const LAYER_IMPLEMENTATIONS: Record<string, [(args: KernelArgs) => TensorInfo | TensorInfo[], keyof NativeAddon]> = {
  [FUSED_LAYER_KERNELS.gelu]: [nativeGelu, 'geluForward'], [FUSED_LAYER_KERNELS.geluGrad]: [nativeGeluGrad, 'geluBackward'],
  [FUSED_LAYER_KERNELS.layerNorm]: [nativeLayerNorm, 'layerNormForward'], [FUSED_LAYER_KERNELS.layerNormGrad]: [nativeLayerNormGrad, 'layerNormBackward'],
  [FUSED_LAYER_KERNELS.maskedSoftmax]: [nativeMaskedSoftmax, 'maskedSoftmax'], [FUSED_LAYER_KERNELS.maskedSoftmaxGrad]: [nativeMaskedSoftmaxGrad, 'maskedSoftmaxGrad'],
  [SUM_SQUARES_KERNEL]: [nativeSumSquares, 'sumSquares'],
};

const IMPLEMENTATIONS: Record<NativeKernelName, (args: KernelArgs) => TensorInfo> = {
  BatchMatMul: nativeBatchMatMul, Sum: nativeSum, GatherV2: nativeGather, ScatterNd: nativeScatterNd, Add: nativeAdd, Transpose: nativeTranspose,
};

function fallbackOf(name: NativeKernelName): (args: KernelArgs) => TensorInfo {
  return fallbacks.get(name)!.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
}

/** The heap's ArrayBuffer changes when wasm memory grows: read it after allocating outputs. */
function heapOf(backend: WasmBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/**
 * Registers the native kernels for wasm on top of whatever is registered (which stays their
 * fallback); idempotent. Returns the status; never throws for a missing addon.
 */
export function registerNativeKernels(): NativeKernelStatus {
  if (!tf.getKernel('BatchMatMul', 'wasm')) return (status = { active: false, reason: 'the wasm backend is not loaded' });
  if (status.active) return status;
  const loaded = ensureAddon();
  if (typeof loaded === 'string') return (status = { active: false, reason: loaded });
  if (!tf.getKernel(FUSED_ADAMW_KERNEL, 'wasm')) tf.registerKernel({ kernelName: FUSED_ADAMW_KERNEL, backendName: 'wasm', kernelFunc: nativeAdamW as unknown as tf.KernelFunc });
  for (const [name, [kernelFunc, needs]] of Object.entries(LAYER_IMPLEMENTATIONS)) {
    if (typeof loaded[needs] === 'function' && !tf.getKernel(name, 'wasm')) tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
  for (const name of KERNELS) {
    const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [NATIVE]?: true }) | undefined;
    if (!current || current[NATIVE]) continue;
    fallbacks.set(name, current);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...current, kernelFunc: IMPLEMENTATIONS[name] as unknown as tf.KernelFunc, [NATIVE]: true } as tf.KernelConfig);
  }
  return (status = { active: true, threads: loaded.threads(), addon: nativeAddonPath() });
}

/** Puts the kernels registered before {@link registerNativeKernels} back (for comparisons). */
export function unregisterNativeKernels(): void {
  for (const name of Object.keys(LAYER_IMPLEMENTATIONS)) if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  for (const name of KERNELS) {
    const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [NATIVE]?: true }) | undefined;
    const previous = fallbacks.get(name);
    if (!current?.[NATIVE] || !previous) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(previous);
  }
  if (tf.getKernel(FUSED_ADAMW_KERNEL, 'wasm')) tf.unregisterKernel(FUSED_ADAMW_KERNEL, 'wasm');
  status = { active: false, reason: 'unregistered' };
}

/**
 * out = a · bᵀ (transB) or a · b on plain Float32Arrays through BLAS, when the addon is built and
 * not turned off; undefined otherwise (callers keep their JS loop). Used by exact search.
 */
export function nativeSgemm(): ((a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, k: number, transB: boolean) => void) | undefined {
  const loaded = ensureAddon();
  return typeof loaded === 'string' ? undefined : loaded.sgemm.bind(loaded);
}

/** Signature of the addon's exact inner-product top-k (see {@link nativeTopK}). */
export type NativeTopK = (queries: Float32Array, corpus: Float32Array, outIndices: Int32Array, outScores: Float32Array,
  nq: number, rows: number, dim: number, k: number, chunkRows: number) => void;

/**
 * The k best corpus rows of every query (score desc, row asc; nq × k, best first), scored by
 * BLAS in blocks of chunkRows rows with the selection in C on every core; undefined when the addon
 * is absent or turned off (or an older build lacks it). Used by exact search.
 */
export function nativeTopK(): NativeTopK | undefined {
  const loaded = ensureAddon();
  return typeof loaded === 'string' || typeof loaded.topkInner !== 'function' ? undefined : loaded.topkInner.bind(loaded);
}

/** out[offset + k] += c · v[k] over v, in C with the JS loop's exact arithmetic (see {@link nativeAxpy}). */
export type NativeAxpy = (out: Float32Array, offset: number, c: number, v: Float32Array) => void;

/**
 * The addon's axpy, equal bit for bit to `out[o + k] += c * v[k]` on Float32Arrays and ~10× faster
 * than V8's loop; undefined when the addon is absent, turned off, or an older build lacks it.
 * Used by the hashed lexical encoder.
 */
export function nativeAxpy(): NativeAxpy | undefined {
  const loaded = ensureAddon();
  return typeof loaded === 'string' || typeof loaded.axpy !== 'function' ? undefined : loaded.axpy.bind(loaded);
}

/** The current native-kernel status. */
export function nativeKernelStatus(): NativeKernelStatus {
  return status;
}
