/**
 * Names and report shape of the tfjs backends this project can run on.
 */

/** A backend the user can ask for; 'auto' picks the best one present. */
export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** A backend that actually runs: the native ones differ only in which npm package provides them. */
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** Every accepted request, in the order 'auto' tries them. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

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
  /** GPU name where known (tensorflow-gpu only). */
  gpu?: string;
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
