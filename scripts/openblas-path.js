#!/usr/bin/env node
// Prints the include or library folder of Debian's OpenMP build of OpenBLAS (libopenblas-openmp-dev),
// for native/binding.gyp. The OpenMP build is named explicitly because the native kernels split
// batched products over OpenMP threads, inside which only that build stays single-threaded.
'use strict';
const { execSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const kind = process.argv[2];
let triple = 'x86_64-linux-gnu';
try { triple = execSync('gcc -print-multiarch', { encoding: 'utf8' }).trim() || triple; } catch { /* keep the default */ }
const dir = kind === 'include' ? `/usr/include/${triple}/openblas-openmp` : `/usr/lib/${triple}/openblas-openmp`;
if (!existsSync(dir)) {
  console.error(`openblas-path: ${dir} not found (Debian: apt-get install libopenblas-openmp-dev)`);
  process.exit(1);
}
process.stdout.write(dir);
