/**
 * Fixes to @tensorflow/tfjs-backend-webgpu 4.22 kernels that give wrong results without an error:
 * its AddN binds every input as a storage buffer, and with more inputs than the device's
 * maxStorageBuffersPerShaderStage (8 to 16 on common adapters) Dawn rejects the pipeline, so the
 * sum silently reads as zeros (global-norm clipping sums one square per weight: 22 for the
 * default student, ~100 for DistilBERT-size). The wrapper sums in chunks the device can bind.
 */
import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];
interface DeviceBackend { device: { limits: { maxStorageBuffersPerShaderStage: number } }; disposeData(id: object): void }

let patched = false;

/** Sums `inputs` with `addN` in chunks of at most `max` tensors; frees the partial sums. */
function chunkedAddN(addN: KernelFunc, inputs: tf.TensorInfo[], backend: DeviceBackend, max: number): tf.TensorInfo {
  if (inputs.length <= max) return addN({ inputs: inputs as unknown as tf.NamedTensorInfoMap, backend: backend as unknown as tf.KernelBackend, attrs: {} }) as tf.TensorInfo;
  const partials: tf.TensorInfo[] = [];
  for (let i = 0; i < inputs.length; i += max) partials.push(chunkedAddN(addN, inputs.slice(i, i + max), backend, max));
  const out = chunkedAddN(addN, partials, backend, max);
  for (const p of partials) backend.disposeData(p.dataId);
  return out;
}

/** Replaces the webgpu AddN kernel by a chunked one (once per process; after the backend package loaded). */
export function patchWebgpuKernels(): void {
  if (patched) return;
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original) throw new Error("@tensorflow/tfjs-backend-webgpu registered no 'AddN' kernel to patch");
  const addN = original.kernelFunc;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    kernelName: 'AddN',
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as DeviceBackend;
      // One binding is the output.
      const max = Math.max(2, b.device.limits.maxStorageBuffersPerShaderStage - 1);
      return chunkedAddN(addN, inputs as unknown as tf.TensorInfo[], b, max);
    },
  });
  patched = true;
}
