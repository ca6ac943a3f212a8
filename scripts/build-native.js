#!/usr/bin/env node
// Builds the optional native kernels (native/ → native/build/Release/mta4dpr_native.node) with
// npm's own node-gyp. They need a C compiler and Debian's libopenblas-openmp-dev; without them
// the build says why and exits 0, and the library runs on the stock wasm kernels.
// MTA4DPR_NATIVE=0 skips the build; MTA4DPR_NATIVE=required makes a failed build an error (CI).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'native');
const addon = path.join(dir, 'build', 'Release', 'mta4dpr_native.node');
const mode = process.env.MTA4DPR_NATIVE;
if (mode === '0') {
  console.log('native kernels: skipped (MTA4DPR_NATIVE=0)');
  process.exit(0);
}

const sources = [path.join(dir, 'binding.gyp'), ...readdirSync(path.join(dir, 'src')).map((f) => path.join(dir, 'src', f))];
if (existsSync(addon) && sources.every((s) => statSync(s).mtimeMs <= statSync(addon).mtimeMs)) process.exit(0);

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  // npm ships node-gyp; find it next to the npm that is on PATH.
  const npmCli = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout?.trim();
  const bundled = npmCli && path.join(npmCli, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return bundled && existsSync(bundled) ? bundled : undefined;
}

function fail(reason) {
  const msg = `native kernels not built: ${reason}\n  the wasm kernels will be used (slower); to build them: apt-get install build-essential libopenblas-openmp-dev && npm run build:native`;
  if (mode === 'required') {
    console.error(msg);
    process.exit(1);
  }
  console.warn(msg);
  process.exit(0);
}

const gyp = nodeGyp();
if (!gyp) fail('node-gyp not found (it ships with npm)');
const probe = spawnSync(process.execPath, [path.join(__dirname, 'openblas-path.js'), 'include'], { encoding: 'utf8' });
if (probe.status !== 0) fail(probe.stderr.trim() || 'OpenBLAS (OpenMP build) not found');
// Node's headers: npm's configured nodedir (this machine's Node headers), else node-gyp's default.
const nodedir = process.env.npm_config_nodedir || (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
const args = [gyp, 'rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
if (r.status !== 0 || !existsSync(addon)) fail(`node-gyp failed (exit ${r.status}):\n${(r.stderr || r.stdout || '').split('\n').filter((l) => /error|ERR!/i.test(l)).slice(0, 8).join('\n')}`);
console.log(`native kernels: built ${path.relative(root, addon)}`);
