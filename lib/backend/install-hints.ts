/**
 * What to tell a user who forced a backend that is not there: the package and how to get it.
 */
import type { BackendName } from './types';

/** One paragraph naming the missing piece and the install route, per backend. */
export const INSTALL_HINTS: Record<BackendName, string> = {
  'tensorflow-gpu':
    'It needs @tensorflow/tfjs-node-gpu@4.22.0: run `npm run setup:gpu` on a machine with an NVIDIA GPU, ' +
    'CUDA 11.2 and cuDNN 8.1 (the package downloads libtensorflow 2.9.1 at install). Newer CUDA (12.x, Hopper) ' +
    'generally does not load it: use a CUDA 11.2 container, or --backend wasm / cpu.',
  tensorflow:
    'It needs @tensorflow/tfjs-node@4.22.0 (native CPU TensorFlow): `npm install --no-save @tensorflow/tfjs-node@4.22.0` ' +
    'on a machine that can download libtensorflow 2.9.1. The copy in node_modules/@tensorflow/tfjs-node may be the ' +
    'danfojs-node shim, which does not count.',
  webgpu:
    'It needs the optional package webgpu@0.6.2 (Dawn for Node; `npm install` brings it) and a WebGPU adapter: ' +
    'NVIDIA: the proprietary driver with its Vulkan ICD (nvidia_icd.json; in containers NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics); ' +
    'AMD / Intel: Mesa >= 25 (radv / anv); macOS: Metal, nothing to install; a CPU-only Debian 12 machine: lavapipe from bookworm-backports ' +
    '(`sudo .ci/install-vulkan.sh`, software, used only when forced). `npm run setup:gpu -- --check` says which piece is missing; environment.md, GPU section.',
  wasm: 'It needs @tensorflow/tfjs-backend-wasm@4.22.0 (a regular dependency): run `npm install`.',
  cpu: 'It needs @tensorflow/tfjs@4.22.0 (a regular dependency): run `npm install`.',
};
