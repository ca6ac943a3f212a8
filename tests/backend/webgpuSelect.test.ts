/**
 * The webgpu backend's selection rules: a software adapter only when forced, forcing without an
 * adapter fails fast naming what is missing, the report names the adapter, and the ESM-only
 * `webgpu` package loads from CommonJS output (what tsc's build and tslab produce).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
import { AUTO_ORDER, describeAdapter, formatBackendReport, initBackend, probeWebgpu, webgpuAdapter } from '../../lib/backend';

const root = resolve(__dirname, '..', '..');

/** Runs `code` (CommonJS, tsx loaded) in a child in the repository root; returns its output. */
function child(code: string, env: NodeJS.ProcessEnv = {}): { status: number | null; out: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, ms: Date.now() - t0 };
}

describe('backend webgpu: selection and report', function () {
  this.timeout(120_000);

  it('auto tries webgpu after native TF and before wasm', () => {
    assert.deepEqual([...AUTO_ORDER], ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
  });

  it('names software adapters as software, by the fallback flag or by the rasteriser name', () => {
    const base = { vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15)', description: 'llvmpipe: Mesa 25.0.7' };
    assert.equal(describeAdapter(base).software, true);
    assert.equal(describeAdapter({ vendor: 'google', architecture: '', device: 'SwiftShader Device', description: '' }).software, true);
    const nvidia = { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 550.54.15 550.54.15.0' };
    assert.deepEqual(describeAdapter(nvidia), { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', driver: 'NVIDIA: 550.54.15 550.54.15.0', software: false });
    assert.equal(describeAdapter({ ...nvidia, isFallbackAdapter: true }).software, true);
  });

  it('forced, it runs on the adapter present and the report names it (vendor, architecture, device, driver, software)', async function () {
    const found = await webgpuAdapter();
    if (!found.ok) {
      console.log(`      SKIPPED: no WebGPU adapter on this machine: ${found.reason}`);
      this.skip();
    }
    const r = await initBackend({ backend: 'webgpu' });
    assert.equal(r.backend, 'webgpu');
    assert.equal(tf.getBackend(), 'webgpu');
    assert.deepEqual(r.adapter, found.report);
    for (const k of ['vendor', 'device', 'driver'] as const) assert.ok(typeof r.adapter![k] === 'string' && r.adapter![k].length > 0, k);
    assert.match(formatBackendReport(r), new RegExp(`WebGPU adapter .*${r.adapter!.device.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    if (r.adapter!.software) assert.match(formatBackendReport(r), /SOFTWARE WebGPU adapter/);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    assert.deepEqual(Array.from(await tf.matMul(x, x).data()), [7, 10, 15, 22]);
    await initBackend({ backend: 'wasm' });
  });

  it('auto passes over a software adapter (the default choice without a hardware GPU is unchanged)', async function () {
    const found = await webgpuAdapter();
    if (!found.ok || !found.report.software) {
      console.log(`      SKIPPED: needs a software adapter only (${found.ok ? 'a hardware adapter is present' : found.reason})`);
      this.skip();
    }
    const p = await probeWebgpu(false);
    assert.equal(p.ok, false);
    assert.match(p.ok ? '' : p.reason, /only a software WebGPU adapter .* used only when forced/);
    const r = await initBackend({ backend: 'auto' });
    assert.notEqual(r.backend, 'webgpu');
  });

  it('forcing webgpu where Vulkan has no driver fails fast, naming what is missing and how to install it', () => {
    // Pointing the Vulkan loader at no driver makes this machine one without an adapter.
    const r = child(`require('./lib/backend').initBackend({ backend: 'webgpu' }).then(
      (x) => console.log('SELECTED ' + x.backend),
      (e) => console.log('FAILED ' + e.name + ': ' + e.message))`, { VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json', MTA4DPR_BACKEND: '' });
    assert.match(r.out, /FAILED BackendUnavailableError: backend 'webgpu' is not available/, r.out);
    assert.match(r.out, /no WebGPU adapter/);
    assert.match(r.out, /Vulkan ICD/);
    assert.match(r.out, /install-vulkan\.sh/);
    assert.ok(r.ms < 30_000, `took ${r.ms} ms`);
  });

  it('loads the ESM-only webgpu package from CommonJS output (tsc build, tslab): import() is not turned into require()', function () {
    const out = mkdtempSync(join(tmpdir(), 'mta4dpr-cjs-'));
    try {
      const dir = join(root, 'lib', 'backend');
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
        const js = ts.transpileModule(readFileSync(join(dir, f), 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019, esModuleInterop: true },
        }).outputText;
        writeFileSync(join(out, f.replace(/\.ts$/, '.js')), js);
      }
      // Plain node, no tsx: exactly what a CommonJS consumer runs.
      const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(out, 'webgpu.js'))}).webgpuAdapter().then(
        (p) => console.log(p.ok ? 'ADAPTER ' + p.report.device : 'NOADAPTER ' + p.reason), (e) => console.log('THREW ' + e.message))`],
      { encoding: 'utf8', env: { ...process.env, NODE_PATH: join(root, 'node_modules') }, timeout: 60_000 });
      const text = `${r.stdout}${r.stderr}`;
      assert.doesNotMatch(text, /ERR_REQUIRE_ESM|THREW|does not load/, text);
      assert.match(text, /ADAPTER |NOADAPTER Dawn \(webgpu\) found no WebGPU adapter/, text);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
