/**
 * Names and report shape of the tfjs backends this project can run on.
 */

/** A backend the user can ask for; 'auto' picks the best one present. */
export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** A backend that actually runs: the native ones differ only in which npm package provides them. */
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** Every accepted request, in the order 'auto' tries them. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** A WebGPU adapter as it describes itself (GPUAdapterInfo), plus whether it is a CPU rasteriser. */
export interface WebgpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  /** GPUAdapterInfo.description: the driver and its version (e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)"). */
  driver: string;
  /** lavapipe, SwiftShader and other fallback adapters: WebGPU computed on the CPU. */
  software: boolean;
}

/** What ran and on which machine: shown by notebooks' first cell and stored in every result file. */
export interface BackendReport {
  /** The backend in use. */
  backend: BackendName;
  /** What was asked for (option, MTA4DPR_BACKEND, or 'auto'). */
  requested: BackendRequest;
  /** Version of @tensorflow/tfjs-core in use. */
  tfjsVersion: string;
  /** wasm only: whether the SIMD build is running. */
  wasmSimd?: boolean;
  /** Threads the backend computes with (wasm in Node: 1; native TF: its intra-op pool, about the core count). */
  threads: number;
  /** wasm only: the OpenBLAS matrix products of lib/backend/native-kernels.ts (threads), or why they are off. */
  nativeKernels?: { active: true; threads: number } | { active: false; reason: string };
  /** GPU name where known (tensorflow-gpu: nvidia-smi; webgpu: the adapter's vendor and device). */
  gpu?: string;
  /** webgpu only: the adapter tfjs computes on. */
  adapter?: WebgpuAdapterReport;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  totalMemGiB: number;
}

/** Raised when a forced backend cannot run: the message names what is missing and how to install it. */
export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName, message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}
