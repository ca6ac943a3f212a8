#!/usr/bin/env node
// `npm run setup:gpu`: explains and checks the two GPU routes.
//  1. WebGPU (backend `webgpu`, any vendor): the `webgpu` package (Dawn, installed by npm install) and a
//     Vulkan driver (Linux/Windows) or Metal (macOS). Nothing to install from npm; this reports the adapter.
//  2. @tensorflow/tfjs-node-gpu 4.22.0 (backend `tensorflow-gpu`, NVIDIA only): needs CUDA 11.2 and cuDNN 8.1
//     (libtensorflow 2.9.1); installed by this script when its checks pass.
// --check only reports; --force installs tfjs-node-gpu even when its checks fail.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const PKG = '@tensorflow/tfjs-node-gpu@4.22.0';
const root = path.resolve(__dirname, '..');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** CUDA runtime version from nvcc, else from version files / library names in the usual places. */
function cudaVersion() {
  const nvcc = run('nvcc', ['--version']);
  const m = nvcc && /release (\d+\.\d+)/.exec(nvcc);
  if (m) return `${m[1]} (nvcc)`;
  for (const dir of ['/usr/local/cuda', ...globDirs('/usr/local', /^cuda-\d/)]) {
    const jsonFile = path.join(dir, 'version.json');
    if (fs.existsSync(jsonFile)) {
      try { return `${JSON.parse(fs.readFileSync(jsonFile, 'utf8')).cuda.version} (${jsonFile})`; } catch { /* try the next */ }
    }
    const txt = path.join(dir, 'version.txt');
    if (fs.existsSync(txt)) return `${fs.readFileSync(txt, 'utf8').trim()} (${txt})`;
  }
  const ld = run('ldconfig', ['-p']) || '';
  const lib = /libcudart\.so\.(\d+(?:\.\d+)*)/.exec(ld);
  return lib ? `${lib[1]} (libcudart)` : undefined;
}

/** cuDNN version from cudnn_version.h, else from the library name. */
function cudnnVersion() {
  for (const h of ['/usr/include/cudnn_version.h', '/usr/local/cuda/include/cudnn_version.h', '/usr/include/x86_64-linux-gnu/cudnn_version_v8.h']) {
    if (!fs.existsSync(h)) continue;
    const t = fs.readFileSync(h, 'utf8');
    const v = ['MAJOR', 'MINOR', 'PATCHLEVEL'].map((k) => (new RegExp(`#define CUDNN_${k}\\s+(\\d+)`).exec(t) || [])[1]);
    if (v[0]) return `${v.filter(Boolean).join('.')} (${h})`;
  }
  const ld = run('ldconfig', ['-p']) || '';
  const lib = /libcudnn\.so\.(\d+(?:\.\d+)*)/.exec(ld);
  return lib ? `${lib[1]} (libcudnn)` : undefined;
}

function globDirs(dir, re) {
  try { return fs.readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)); } catch { return []; }
}

/** Route 1: asks Dawn for an adapter in a child process (a hung or crashing driver cannot take this script down). */
function webgpuRoute() {
  console.log('Route 1 - WebGPU (backend webgpu; NVIDIA, AMD, Intel through Vulkan, Apple through Metal)');
  let entry;
  try { entry = require.resolve('webgpu', { paths: [root] }); } catch {
    console.log('  webgpu package: not installed (run `npm install`; it is an optional dependency with binaries for linux-x64, macOS, Windows)');
    return { ok: false };
  }
  console.log(`  webgpu package: ${require(path.join(path.dirname(entry), 'package.json')).version}`);
  if (process.platform === 'linux') {
    const ld = run('ldconfig', ['-p']) || '';
    console.log(`  Vulkan loader:  ${/libvulkan\.so\.1/.test(ld) ? 'libvulkan.so.1 present' : 'libvulkan.so.1 MISSING (apt-get install libvulkan1)'}`);
    const icds = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].flatMap((d) => globDirs(d, /\.json$/));
    console.log(`  Vulkan ICDs:    ${icds.length ? icds.map((f) => path.basename(f)).join(', ') : 'none (no Vulkan driver installed)'}`);
  }
  const code = `import(${JSON.stringify(require('url').pathToFileURL(entry).href)}).then(async ({ create }) => {
    const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
    console.log(JSON.stringify(a ? { ...Object.fromEntries(['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter'].map((k) => [k, a.info[k]])) } : null));
  })`;
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || require('os').tmpdir() };
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env, timeout: 60_000 });
  let info = null;
  try { info = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { /* reported below */ }
  if (!info) {
    console.log('  adapter:        NONE. NVIDIA: install the driver with its Vulkan ICD (nvidia_icd.json; containers: NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics);');
    console.log('                  AMD/Intel: Mesa >= 25 (radv/anv); CPU-only Debian 12: `sudo .ci/install-vulkan.sh` (lavapipe, software). See environment.md.');
    return { ok: false };
  }
  const software = info.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader/i.test(`${info.device} ${info.description}`);
  console.log(`  adapter:        ${info.vendor} ${info.architecture || ''} ${info.device} (driver: ${info.description})${software ? ' - SOFTWARE' : ''}`);
  console.log(software
    ? '  -> a software device: used only when forced (--backend webgpu / MTA4DPR_BACKEND=webgpu); slower than wasm for real work.'
    : '  -> ready: `auto` picks webgpu on this machine (after tfjs-node-gpu / tfjs-node when installed). Nothing to install.');
  return { ok: !software };
}

function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--check', '--force'].includes(a));
  if (unknown.length) {
    console.error(`setup-gpu: unknown argument ${unknown.join(' ')}\nusage: npm run setup:gpu [-- --check | --force]`);
    process.exit(2);
  }
  const webgpu = webgpuRoute();
  console.log('\nRoute 2 - @tensorflow/tfjs-node-gpu 4.22.0 (backend tensorflow-gpu; NVIDIA with CUDA 11.2 + cuDNN 8.1 only)');
  const problems = [];
  const gpus = run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
  if (gpus) console.log(`  GPU:    ${gpus.split('\n').join('; ')}`);
  else problems.push('no NVIDIA GPU found (nvidia-smi is missing or reports no device)');
  const cuda = cudaVersion();
  console.log(`  CUDA:   ${cuda || 'not found'}`);
  if (!cuda) problems.push('CUDA 11.2 not found (needed by libtensorflow 2.9.1)');
  else if (!/^11\.2/.test(cuda)) problems.push(`CUDA ${cuda.split(' ')[0]} found; libtensorflow 2.9.1 is built for CUDA 11.2 and generally does not load with newer CUDA (12+, Hopper) (use a CUDA 11.2 container, or the wasm/cpu backend)`);
  const cudnn = cudnnVersion();
  console.log(`  cuDNN:  ${cudnn || 'not found'}`);
  if (!cudnn) problems.push('cuDNN 8.1 not found');
  else if (!/^8\./.test(cudnn)) problems.push(`cuDNN ${cudnn.split(' ')[0]} found; libtensorflow 2.9.1 needs cuDNN 8.x (8.1)`);
  if (problems.length) {
    console.error(`\nsetup-gpu: the GPU backend will probably not work here:\n  - ${problems.join('\n  - ')}`);
    if (!args.includes('--force')) {
      console.error(webgpu.ok
        ? '\nNothing installed: route 1 (webgpu) already has a hardware adapter here, which needs no install. Re-run with `npm run setup:gpu -- --force` to install tfjs-node-gpu anyway.'
        : '\nNothing installed. The project runs on the wasm backend without a GPU. Re-run with `npm run setup:gpu -- --force` to install anyway.');
      process.exit(webgpu.ok ? 0 : 1);
    }
  }
  if (args.includes('--check')) {
    console.log(problems.length ? '' : '\nchecks passed; run without --check to install');
    process.exit(problems.length ? 1 : 0);
  }
  console.log(`\ninstalling ${PKG} (downloads libtensorflow 2.9.1 from storage.googleapis.com) …`);
  const r = spawnSync('npm', ['install', '--no-save', PKG], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\nsetup-gpu: npm install ${PKG} failed. Its install script downloads libtensorflow 2.9.1; without access to storage.googleapis.com it cannot work. Use the wasm backend (default) instead.`);
    process.exit(1);
  }
  console.log('\ninstalled. Check with: npx mta4dpr doctor   (and force it with MTA4DPR_BACKEND=tensorflow-gpu)');
}

main();
