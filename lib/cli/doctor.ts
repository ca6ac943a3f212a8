/**
 * `mta4dpr doctor`: what is present and what is missing on this machine, with how to fix it.
 * Exit 0 unless a required piece (Node ≥ 20, tfjs, a working backend, intact data) is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Command } from '../cli';
import { parseFlags } from './args';
import { formatAdapter, initBackend, nvidiaGpus, probeTfjsNode, probeTfjsNodeGpu, probeWasm, webgpuAdapter, type ProbeResult } from '../backend';
import { chromiumPath, dataInventory } from '../report';
import { projectRoot } from '../data/paths';
import { encoderEngineRequest, loadOrt } from '../models/onnx';

/** One line of the doctor's report. */
export interface Check {
  name: string;
  required: boolean;
  ok: boolean;
  detail: string;
  /** What to do when not ok. */
  fix?: string;
}

const USAGE = 'mta4dpr doctor [--json]';

/** First line of a command's output, or undefined when it cannot run. */
function version(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

function pkgVersion(name: string): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function probeCheck(name: string, p: ProbeResult, fix: string): Check {
  return { name, required: false, ok: p.ok, detail: p.ok ? `loads${p.gpu ? ` (GPU: ${p.gpu})` : ''}` : (p.reason ?? 'not available'), fix: p.ok ? undefined : fix };
}

function kernelCheck(root: string): Check {
  const spec = join(root, '.jupyter', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
  if (!existsSync(spec)) return { name: 'tslab kernel', required: false, ok: false, detail: `not registered (${spec})`, fix: 'npm run kernel' };
  const argv = (JSON.parse(readFileSync(spec, 'utf8')) as { argv?: string[] }).argv ?? [];
  const ok = argv.length > 0 && existsSync(argv[0]);
  return { name: 'tslab kernel', required: false, ok, detail: ok ? `${spec} → ${argv[0]}` : `${spec} points to a missing binary ${argv[0] ?? ''}`, fix: ok ? undefined : 'npm run kernel' };
}

/** Runs every check (the data check hashes the data folder, about a second). */
export async function runChecks(): Promise<Check[]> {
  const root = projectRoot();
  const checks: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push({ name: 'node', required: true, ok: major >= 20, detail: process.version, fix: major >= 20 ? undefined : 'install Node 20 or newer' });
  const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  const ramMiB = Math.round(totalmem() / 2 ** 20);
  const heapOk = heapMiB >= ramMiB / 2;
  checks.push({
    name: 'V8 heap limit', required: false, ok: heapOk, detail: `${heapMiB} MiB of ${ramMiB} MiB memory${process.env.MTA4DPR_HEAP_SET === '1' ? ' (raised by bin/mta4dpr.js)' : ''}`,
    fix: heapOk ? undefined : 'run through npx mta4dpr (it raises the heap to 3/4 of memory unless MTA4DPR_HEAP=off) or set NODE_OPTIONS=--max-old-space-size=MiB',
  });
  const npm = version('npm', ['--version']);
  checks.push({ name: 'npm', required: false, ok: npm !== undefined, detail: npm ?? 'not on PATH', fix: npm ? undefined : 'install npm (comes with Node)' });
  const tfjs = pkgVersion('@tensorflow/tfjs');
  checks.push({ name: '@tensorflow/tfjs', required: true, ok: tfjs !== undefined, detail: tfjs ?? 'not installed', fix: tfjs ? undefined : 'npm install' });
  checks.push(probeCheck('backend wasm', probeWasm(), 'npm install (@tensorflow/tfjs-backend-wasm is a dependency)'));
  checks.push(probeCheck('backend tensorflow (tfjs-node)', probeTfjsNode(), 'optional: npm install --no-save @tensorflow/tfjs-node@4.22.0'));
  checks.push(probeCheck('backend tensorflow-gpu (tfjs-node-gpu)', probeTfjsNodeGpu(), 'optional: npm run setup:gpu (CUDA 11.2 + cuDNN 8.1)'));
  const wg = await webgpuAdapter();
  checks.push({
    name: 'backend webgpu (Dawn)', required: false, ok: wg.ok,
    detail: wg.ok ? `${formatAdapter(wg.report)}${wg.report.software ? '; used only when forced (--backend webgpu)' : ''}` : wg.reason,
    fix: wg.ok ? undefined : 'optional: npm run setup:gpu -- --check (GPU driver with its Vulkan ICD, or lavapipe: sudo .ci/install-vulkan.sh)',
  });
  const gpus = nvidiaGpus();
  checks.push({ name: 'NVIDIA GPU', required: false, ok: gpus.length > 0, detail: gpus.length > 0 ? gpus.join(', ') : 'none (nvidia-smi absent or no device)' });
  try {
    const r = await initBackend();
    checks.push({ name: 'selected backend', required: true, ok: true, detail: `${r.backend} (requested ${r.requested}${r.wasmSimd !== undefined ? `, SIMD ${r.wasmSimd ? 'on' : 'off'}` : ''}${r.adapter ? `, ${formatAdapter(r.adapter)}` : ''})` });
    if (r.nativeKernels) {
      const n = r.nativeKernels;
      checks.push({ name: 'native kernels (OpenBLAS)', required: false, ok: n.active, detail: n.active ? `active, ${n.threads} threads` : n.reason, fix: n.active ? undefined : 'apt-get install libopenblas-openmp-dev g++ make && npm run build:native' });
    }
  } catch (e) {
    checks.push({ name: 'selected backend', required: true, ok: false, detail: (e as Error).message, fix: 'unset MTA4DPR_BACKEND or install what the message names' });
  }
  try {
    loadOrt();
    checks.push({ name: 'onnxruntime-node (fast encoding)', required: false, ok: true, detail: `loaded; MTA4DPR_ENCODER=${encoderEngineRequest()}` });
  } catch (e) {
    checks.push({ name: 'onnxruntime-node (fast encoding)', required: false, ok: false, detail: (e as Error).message, fix: 'npm install (onnxruntime-node is a dependency); encoding falls back to tfjs' });
  }
  const py = version('/usr/bin/python3', ['--version']) ?? version('python3', ['--version']);
  checks.push({ name: 'python3', required: false, ok: py !== undefined, detail: py ?? 'not found', fix: py ? undefined : 'apt-get install python3' });
  const nbconvert = version('jupyter', ['nbconvert', '--version']);
  checks.push({ name: 'jupyter nbconvert', required: false, ok: nbconvert !== undefined, detail: nbconvert ? `nbconvert ${nbconvert}` : 'not found', fix: nbconvert ? undefined : 'apt-get install jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipython' });
  checks.push(kernelCheck(root));
  const chrome = chromiumPath();
  const chromeVersion = existsSync(chrome) ? version(chrome, ['--version']) : undefined;
  checks.push({ name: 'chromium (figures → PNG)', required: false, ok: chromeVersion !== undefined, detail: chromeVersion ?? `not found at ${chrome}`, fix: chromeVersion ? undefined : 'apt-get install chromium' });
  try {
    const inv = await dataInventory();
    const bad = inv.files.filter((f) => f.status === 'mismatch' || f.status === 'missing');
    const c = inv.counts;
    checks.push({
      name: 'data vs SHA256SUMS',
      required: true,
      ok: bad.length === 0 && inv.badSumLines.length === 0,
      detail: `${inv.root}: ${c.ok} ok, ${c.mismatch} mismatch, ${c.missing} missing, ${c.unlisted} unlisted, ${(inv.totalBytes / 1e6).toFixed(1)} MB` +
        (bad.length ? `; ${bad.slice(0, 5).map((f) => `${f.status} ${f.path}`).join(', ')}` : '') +
        (inv.badSumLines.length ? `; unreadable SHA256SUMS lines ${inv.badSumLines.map((b) => b.line).join(',')}` : ''),
      fix: bad.length ? 'restore data/ from the repository (git checkout -- data)' : undefined,
    });
  } catch (e) {
    checks.push({ name: 'data vs SHA256SUMS', required: true, ok: false, detail: (e as Error).message, fix: 'restore data/ from the repository' });
  }
  return checks;
}

/** Human-readable lines: ✔ present, ✘ required and missing, – optional and missing. */
export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks.map((c) => {
    const mark = c.ok ? '✔' : c.required ? '✘' : '–';
    return `${mark} ${c.name.padEnd(width)}  ${c.detail}${!c.ok && c.fix ? `\n  ${' '.repeat(width)}  fix: ${c.fix}` : ''}`;
  }).join('\n');
}

export const command: Command = {
  summary: 'check the environment: node, tfjs backends, GPU, Jupyter/tslab, chromium, data checksums',
  async run(argv) {
    const flags = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
    if (flags.help) {
      console.log(`usage: ${USAGE}\n\nPrints what is present and missing; exit 1 only when a required piece is missing.\n  --json   one JSON object instead of text`);
      return 0;
    }
    const checks = await runChecks();
    const failed = checks.filter((c) => c.required && !c.ok);
    if (flags.json) console.log(JSON.stringify({ ok: failed.length === 0, checks }, null, 2));
    else {
      console.log(formatChecks(checks));
      console.log(failed.length === 0 ? '\nall required pieces present' : `\nmissing required: ${failed.map((c) => c.name).join(', ')}`);
    }
    return failed.length === 0 ? 0 : 1;
  },
};
