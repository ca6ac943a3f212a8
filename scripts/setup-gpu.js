#!/usr/bin/env node
// `npm run setup:gpu`: installs the optional GPU backend (@tensorflow/tfjs-node-gpu 4.22.0) after
// checking what it needs: an NVIDIA GPU (nvidia-smi), CUDA 11.2 and cuDNN 8.1 (libtensorflow 2.9.1).
// --check only reports; --force installs even when the checks fail.
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

function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--check', '--force'].includes(a));
  if (unknown.length) {
    console.error(`setup-gpu: unknown argument ${unknown.join(' ')}\nusage: npm run setup:gpu [-- --check | --force]`);
    process.exit(2);
  }
  const problems = [];
  const gpus = run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
  if (gpus) console.log(`GPU:    ${gpus.split('\n').join('; ')}`);
  else problems.push('no NVIDIA GPU found (nvidia-smi is missing or reports no device)');
  const cuda = cudaVersion();
  console.log(`CUDA:   ${cuda || 'not found'}`);
  if (!cuda) problems.push('CUDA 11.2 not found (needed by libtensorflow 2.9.1)');
  else if (!/^11\.2/.test(cuda)) problems.push(`CUDA ${cuda.split(' ')[0]} found; libtensorflow 2.9.1 is built for CUDA 11.2 and generally does not load with newer CUDA (12+, Hopper) (use a CUDA 11.2 container, or the wasm/cpu backend)`);
  const cudnn = cudnnVersion();
  console.log(`cuDNN:  ${cudnn || 'not found'}`);
  if (!cudnn) problems.push('cuDNN 8.1 not found');
  else if (!/^8\./.test(cudnn)) problems.push(`cuDNN ${cudnn.split(' ')[0]} found; libtensorflow 2.9.1 needs cuDNN 8.x (8.1)`);
  if (problems.length) {
    console.error(`\nsetup-gpu: the GPU backend will probably not work here:\n  - ${problems.join('\n  - ')}`);
    if (!args.includes('--force')) {
      console.error('\nNothing installed. The project runs on the wasm backend without a GPU. Re-run with `npm run setup:gpu -- --force` to install anyway.');
      process.exit(1);
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
