/**
 * Probes for the optional native tfjs packages without ever mistaking a stand-in for them:
 * `node_modules/@tensorflow/tfjs-node` here is a shim for danfojs-node that re-exports pure tfjs,
 * so a native package only counts when loading it registers the 'tensorflow' backend.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';

/** Outcome of trying to load one optional backend package. */
export interface ProbeResult {
  ok: boolean;
  /** Why not, in words a user can act on. */
  reason?: string;
  /** GPU name where the package and nvidia-smi tell it. */
  gpu?: string;
}

/** Resolves a package's package.json from this module's location; undefined when not installed. */
function packageJson(name: string): { path: string; json: Record<string, unknown> } | undefined {
  let path: string;
  try {
    path = require.resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { path, json: require(path) as Record<string, unknown> };
}

/** Loads a native tfjs package and checks it registered the 'tensorflow' backend. */
function loadNative(name: string): ProbeResult & { module?: Record<string, unknown> } {
  const pkg = packageJson(name);
  if (!pkg) return { ok: false, reason: `${name} is not installed` };
  if (String(pkg.json.version ?? '').includes('mta4dpr-shim')) {
    return { ok: false, reason: `${name} here is the danfojs-node shim (${pkg.path}), not the native package` };
  }
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(name) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, reason: `${name} is installed but does not load: ${firstLine(e)}` };
  }
  if (mod.mta4dprShim === true) return { ok: false, reason: `${name} resolves to the danfojs-node shim, not the native package` };
  if (!tf.findBackendFactory('tensorflow')) {
    return { ok: false, reason: `${name} loaded but registered no 'tensorflow' backend` };
  }
  return { ok: true, module: mod };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** GPU names from nvidia-smi, or [] where there is none (or no driver). */
export function nvidiaGpus(): string[] {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return out.split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

/** Probes @tensorflow/tfjs-node-gpu: installed, registers 'tensorflow', and sees a GPU. */
export function probeTfjsNodeGpu(): ProbeResult {
  const loaded = loadNative('@tensorflow/tfjs-node-gpu');
  if (!loaded.ok) return { ok: false, reason: loaded.reason };
  const gpus = nvidiaGpus();
  if (gpus.length === 0) return { ok: false, reason: '@tensorflow/tfjs-node-gpu loaded but nvidia-smi reports no NVIDIA GPU' };
  return { ok: true, gpu: gpus[0] };
}

/** Probes the real @tensorflow/tfjs-node (never the danfojs shim). */
export function probeTfjsNode(): ProbeResult {
  const loaded = loadNative('@tensorflow/tfjs-node');
  return loaded.ok ? { ok: true } : { ok: false, reason: loaded.reason };
}

/** Probes @tensorflow/tfjs-backend-wasm: loading it registers the 'wasm' backend. */
export function probeWasm(): ProbeResult {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm does not load: ${firstLine(e)}` };
  }
  return tf.findBackendFactory('wasm') ? { ok: true } : { ok: false, reason: "@tensorflow/tfjs-backend-wasm registered no 'wasm' backend" };
}
