/**
 * Builds the backend report (what runs, on which machine) and its human-readable form.
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import { nativeKernelStatus } from './native-kernels';
import { formatAdapter } from './webgpu';
import type { BackendName, BackendReport, BackendRequest, WebgpuAdapterReport } from './types';

/** Threads of the active backend: wasm asks the module, native TF uses about one per core, cpu is single-threaded JS. */
function threadsOf(backend: BackendName): number {
  if (backend === 'wasm') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount?: () => number };
    return wasm.getThreadsCount?.() ?? 1;
  }
  if (backend === 'cpu') return 1;
  return os.cpus().length;
}

/** Collects the report for the backend just activated. */
export async function collectReport(backend: BackendName, requested: BackendRequest, gpu?: string, adapter?: WebgpuAdapterReport): Promise<BackendReport> {
  const report: BackendReport = {
    backend,
    requested,
    tfjsVersion: tf.version_core,
    threads: threadsOf(backend),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.cpus().length,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
  if (backend === 'wasm') {
    report.wasmSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const native = nativeKernelStatus();
    report.nativeKernels = native.active ? { active: true, threads: native.threads! } : { active: false, reason: native.reason ?? 'unknown' };
  }
  if (gpu) report.gpu = gpu;
  if (adapter) report.adapter = adapter;
  return report;
}

/** One short paragraph for logs and notebooks. */
export function formatBackendReport(r: BackendReport): string {
  const extras = [
    r.wasmSimd !== undefined ? `SIMD ${r.wasmSimd ? 'on' : 'off'}` : undefined,
    `${r.threads} thread${r.threads === 1 ? '' : 's'}`,
    r.nativeKernels ? (r.nativeKernels.active ? `native BLAS matMul on ${r.nativeKernels.threads} threads` : `native kernels off: ${r.nativeKernels.reason}`) : undefined,
    r.gpu && !r.adapter ? `GPU ${r.gpu}` : undefined,
    r.adapter ? formatAdapter(r.adapter) : undefined,
  ].filter(Boolean).join(', ');
  return [
    `tfjs ${r.tfjsVersion} backend: ${r.backend} (requested: ${r.requested}; ${extras})`,
    `machine: node ${r.node}, ${r.platform}/${r.arch}, ${r.cpus} CPUs, ${r.totalMemGiB} GiB RAM`,
  ].join('\n');
}
