/**
 * Chooses and activates the tfjs backend once per process:
 * auto = tfjs-node-gpu (with a GPU) > real tfjs-node > webgpu on a hardware adapter > wasm (SIMD,
 * kernel patches) > cpu. A software WebGPU adapter (lavapipe) is only used when webgpu is forced.
 * A forced backend that cannot run fails with what is missing; it never falls back silently.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_REQUESTS, BackendUnavailableError, type BackendName, type BackendReport, type BackendRequest } from './types';
import { INSTALL_HINTS } from './install-hints';
import { probeTfjsNode, probeTfjsNodeGpu, probeWasm, type ProbeResult } from './probe';
import { patchWasmKernels } from './wasm-kernels';
import { registerNativeKernels } from './native-kernels';
import { collectReport } from './report';
import { probeWebgpu, registerWebgpuBackend } from './webgpu';
import type { WebgpuAdapterReport } from './types';

/** Options of initBackend; MTA4DPR_BACKEND is read when `backend` is absent or 'auto'. */
export interface InitBackendOptions {
  backend?: BackendRequest;
}

interface State {
  requested: BackendRequest;
  report: BackendReport;
}

let state: State | undefined;
let pending: Promise<BackendReport> | undefined;

/** Reads the request from the option, then MTA4DPR_BACKEND, validating both. */
export function resolveRequest(option: BackendRequest | undefined, env: NodeJS.ProcessEnv = process.env): BackendRequest {
  const fromOption = option ?? 'auto';
  if (!BACKEND_REQUESTS.includes(fromOption)) {
    throw new Error(`unknown backend '${String(option)}'; expected one of ${BACKEND_REQUESTS.join(', ')}`);
  }
  if (fromOption !== 'auto') return fromOption;
  const fromEnv = env.MTA4DPR_BACKEND?.trim();
  if (!fromEnv) return 'auto';
  if (!BACKEND_REQUESTS.includes(fromEnv as BackendRequest)) {
    throw new Error(`MTA4DPR_BACKEND='${fromEnv}' is not a backend; expected one of ${BACKEND_REQUESTS.join(', ')}`);
  }
  return fromEnv as BackendRequest;
}

type Activation = ProbeResult & { adapter?: WebgpuAdapterReport };

/** Activates one backend; returns why not instead of throwing, so 'auto' can try the next. */
async function activate(name: BackendName, forced: boolean): Promise<Activation> {
  let probe: Activation;
  switch (name) {
    case 'tensorflow-gpu': probe = probeTfjsNodeGpu(); break;
    case 'tensorflow': probe = probeTfjsNode(); break;
    case 'webgpu': {
      const w = await probeWebgpu(forced);
      if (!w.ok) return { ok: false, reason: w.reason };
      registerWebgpuBackend(w.adapter);
      probe = { ok: true, adapter: w.report, gpu: `${w.report.vendor} ${w.report.device}` };
      break;
    }
    case 'wasm': probe = probeWasm(); break;
    case 'cpu': probe = { ok: true }; break;
  }
  if (!probe.ok) return probe;
  const tfName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
    await tf.ready();
  } catch (e) {
    return { ok: false, reason: `backend '${tfName}' failed to initialise: ${(e as Error).message}` };
  }
  if (!ok || tf.getBackend() !== tfName) return { ok: false, reason: `backend '${tfName}' failed to initialise` };
  if (name === 'tensorflow-gpu') {
    // The GPU package silently runs on CPU when CUDA/cuDNN do not load: ask the binding.
    const native = tf.backend() as unknown as { isUsingGpuDevice?: () => boolean };
    if (typeof native.isUsingGpuDevice === 'function' && !native.isUsingGpuDevice()) {
      return { ok: false, reason: '@tensorflow/tfjs-node-gpu loaded but TensorFlow found no usable GPU (CUDA 11.2 / cuDNN 8.1 libraries not loaded?)' };
    }
  }
  if (name === 'wasm') {
    patchWasmKernels();
    // Native products sit on top of the patched kernel, which stays their fallback.
    registerNativeKernels();
  }
  return probe;
}

/** What 'auto' tries, best first. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

async function select(requested: BackendRequest): Promise<BackendReport> {
  if (requested !== 'auto') {
    const r = await activate(requested, true);
    if (!r.ok) throw new BackendUnavailableError(requested, `backend '${requested}' is not available: ${r.reason}. ${INSTALL_HINTS[requested]}`);
    return collectReport(requested, requested, r.gpu, r.adapter);
  }
  for (const name of AUTO_ORDER) {
    const r = await activate(name, false);
    if (r.ok) return collectReport(name, 'auto', r.gpu, r.adapter);
  }
  throw new Error('no tfjs backend could be initialised, not even cpu');
}

/**
 * Selects and activates the backend (see module header); idempotent: a repeated call with the
 * same request returns the first report without re-initialising.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const requested = resolveRequest(options.backend);
  if (pending) await pending.catch(() => undefined);
  if (state && state.requested === requested && tf.getBackend() === tfBackendName(state.report.backend)) return state.report;
  pending = select(requested);
  try {
    const report = await pending;
    state = { requested, report };
    return report;
  } finally {
    pending = undefined;
  }
}

function tfBackendName(b: BackendName): string {
  return b === 'tensorflow-gpu' ? 'tensorflow' : b;
}

/** The report of the active backend; initialises with defaults ('auto' / MTA4DPR_BACKEND) if nothing ran yet. */
export async function backendReport(): Promise<BackendReport> {
  if (state && tf.getBackend() === tfBackendName(state.report.backend)) return state.report;
  return initBackend();
}
