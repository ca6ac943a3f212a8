#!/usr/bin/env node
// `npm run kernel`: registers the tslab (TypeScript) Jupyter kernel in the project-local
// .jupyter/share/jupyter (never in $HOME). Use it with JUPYTER_PATH=<project>/.jupyter/share/jupyter.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** Folder Jupyter must be pointed at with JUPYTER_PATH. */
function jupyterPath() {
  return path.join(root, '.jupyter', 'share', 'jupyter');
}

/** Writes kernel.json (atomically) when absent or different; returns its path. */
function registerKernel({ quiet = false } = {}) {
  const binary = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tslab.cmd' : 'tslab');
  if (!fs.existsSync(binary)) {
    throw new Error(`tslab not found at ${binary}: run npm install first`);
  }
  const dir = path.join(jupyterPath(), 'kernels', 'tslab');
  const file = path.join(dir, 'kernel.json');
  // Same spec `tslab install` writes; config-path and {connection_file} stay separate (tslab #36).
  const spec = {
    argv: [binary, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (mta4dpr)',
    language: 'typescript',
  };
  const text = JSON.stringify(spec, null, 2) + '\n';
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) {
    if (!quiet) console.log(`tslab kernel already registered: ${file}`);
    return file;
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  if (!quiet) {
    console.log(`registered tslab kernel: ${file}`);
    console.log(`open notebooks with: JUPYTER_PATH=${jupyterPath()} jupyter notebook notebooks/   (or jupyter lab)`);
  }
  return file;
}

module.exports = { registerKernel, jupyterPath };

if (require.main === module) {
  try {
    registerKernel();
  } catch (e) {
    console.error(`register-kernel: ${e.message}`);
    process.exit(1);
  }
}
