/**
 * The WebGPU backend: Dawn's Node binding (`webgpu`, an ESM-only optional dependency) under
 * @tensorflow/tfjs-backend-webgpu. One adapter is chosen per process and tfjs's 'webgpu' backend is
 * registered on exactly that adapter, so the report names the device that really computes.
 * A software adapter (lavapipe, SwiftShader) is only taken when the caller allows it (a forced
 * backend); 'auto' wants real hardware.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebgpuAdapterReport } from './types';
import { patchWebgpuKernels } from './webgpu-kernels';

/** The slice of a WebGPU adapter this module uses (the full types live in @webgpu/types). */
interface GpuAdapter {
  readonly info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: Record<string, unknown>): Promise<unknown>;
}

interface GpuEntry {
  requestAdapter(options?: Record<string, unknown>): Promise<GpuAdapter | null>;
}

interface DawnModule {
  create(flags: string[]): GpuEntry;
  globals: Record<string, unknown>;
}

/** Outcome of looking for an adapter: the adapter and its report, or why there is none. */
export type WebgpuProbe =
  | { ok: true; adapter: GpuAdapter; report: WebgpuAdapterReport }
  | { ok: false; reason: string; report?: WebgpuAdapterReport };

// tsc's CommonJS output turns `import()` into `require()`, which cannot load an ES module on
// Node 20; tslab compiles notebooks' local modules the same way. A Function body is not rewritten.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const ADAPTER_TIMEOUT_MS = 30_000;
let adapterPromise: Promise<WebgpuProbe> | undefined;
let registeredOn: GpuAdapter | undefined;
const deviceErrors: string[] = [];

/**
 * Validation and out-of-memory errors the device reported since the backend started. WebGPU
 * reports them as events, not exceptions (the failed kernel's output silently reads as zeros),
 * so tests and long runs check this list.
 */
export function webgpuDeviceErrors(): readonly string[] {
  return deviceErrors;
}

/** Mesa's Vulkan drivers print errors on every start when XDG_RUNTIME_DIR is unset: give them a private one. */
function ensureXdgRuntimeDir(): void {
  if (process.env.XDG_RUNTIME_DIR) return;
  const dir = join(tmpdir(), `mta4dpr-xdg-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

/** Loads the ESM-only `webgpu` package from this module's node_modules; throws a message naming what is missing. */
async function loadDawn(): Promise<DawnModule> {
  let entry: string;
  try {
    entry = require.resolve('webgpu');
  } catch {
    throw new Error('the optional package webgpu@0.6.2 (Dawn for Node) is not installed: run `npm install`');
  }
  try {
    return (await importEsm(pathToFileURL(entry).href)) as DawnModule;
  } catch (e) {
    throw new Error(`webgpu (Dawn for Node) is installed but does not load on ${process.platform}-${process.arch}: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** What the adapter says about itself; software = Dawn's fallback flag, or a known CPU rasteriser by name. */
export function describeAdapter(info: GpuAdapter['info'], fallbackFlag?: boolean): WebgpuAdapterReport {
  const names = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  const software = Boolean(info.isFallbackAdapter ?? fallbackFlag) || /llvmpipe|lavapipe|swiftshader|software/.test(names);
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, driver: info.description, software };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// No trailing period: callers append the install routes (INSTALL_HINTS.webgpu).
const NO_ADAPTER = 'Dawn (webgpu) found no WebGPU adapter: no Vulkan driver (ICD) is installed, or none loads (VK_ICD_FILENAMES / VK_DRIVER_FILES point elsewhere?)';

async function findAdapter(): Promise<WebgpuProbe> {
  let dawn: DawnModule;
  try {
    dawn = await loadDawn();
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  ensureXdgRuntimeDir();
  // The tfjs backend reads GPUBufferUsage & co. and navigator.gpu from the global scope, as in a browser.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  let adapter: GpuAdapter | null;
  try {
    // Dawn orders discrete > integrated > CPU, so a software answer here means there is no hardware adapter.
    adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), ADAPTER_TIMEOUT_MS, 'navigator.gpu.requestAdapter');
  } catch (e) {
    return { ok: false, reason: `WebGPU adapter request failed: ${firstLine(e)}; ${NO_ADAPTER}` };
  }
  if (!adapter) return { ok: false, reason: NO_ADAPTER };
  return { ok: true, adapter, report: describeAdapter(adapter.info, adapter.isFallbackAdapter) };
}

/** The process's WebGPU adapter (looked up once), or why there is none. */
export function webgpuAdapter(): Promise<WebgpuProbe> {
  adapterPromise ??= findAdapter();
  return adapterPromise;
}

/** Probes for a usable adapter; a software one only counts when `allowSoftware` (a forced backend). */
export async function probeWebgpu(allowSoftware: boolean): Promise<WebgpuProbe> {
  const found = await webgpuAdapter();
  if (!found.ok || allowSoftware || !found.report.software) return found;
  const r = found.report;
  return {
    ok: false,
    report: r,
    reason: `only a software WebGPU adapter is present (${r.device}, ${r.driver}); it runs on the CPU and is used only when forced (--backend webgpu / MTA4DPR_BACKEND=webgpu)`,
  };
}

/**
 * Registers tfjs's 'webgpu' backend on `adapter` (replacing the package's own factory, which would
 * pick its own adapter and outrank wasm in tfjs's implicit choice).
 */
export function registerWebgpuBackend(adapter: GpuAdapter): void {
  if (registeredOn === adapter && tf.findBackendFactory('webgpu')) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { WebGPUBackend } = require('@tensorflow/tfjs-backend-webgpu') as { WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend };
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  patchWebgpuKernels();
  tf.registerBackend('webgpu', async () => {
    // The limits the package's own factory asks for (its kernels size dispatches by them), plus the
    // adapter's full storage-buffer count, which bounds how many inputs one kernel can bind.
    const limitNames = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
      'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage'];
    const requiredLimits = Object.fromEntries(limitNames.map((k) => [k, adapter.limits[k]]));
    const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    const device = (await adapter.requestDevice({ requiredFeatures, requiredLimits })) as { onuncapturederror: ((ev: { error: { message: string } }) => void) | null };
    device.onuncapturederror = (ev) => void deviceErrors.push(ev.error.message.split('\n')[0]);
    return new WebGPUBackend(device, adapter.info);
  }, 0);
  registeredOn = adapter;
}

/** One line naming the adapter, for logs, doctor and notebooks. */
export function formatAdapter(r: WebgpuAdapterReport): string {
  return `${r.software ? 'SOFTWARE ' : ''}WebGPU adapter ${r.vendor}/${r.architecture || '-'} ${r.device} (driver: ${r.driver})`;
}
