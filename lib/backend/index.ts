/** tfjs backend selection and the machine/backend report every result records. */
export * from './types';
export { initBackend, backendReport, resolveRequest, AUTO_ORDER, type InitBackendOptions } from './init';
export { probeWebgpu, webgpuAdapter, webgpuDeviceErrors, describeAdapter, formatAdapter, type WebgpuProbe } from './webgpu';
export { formatBackendReport } from './report';
export { probeTfjsNodeGpu, probeTfjsNode, probeWasm, nvidiaGpus, type ProbeResult } from './probe';
export { INSTALL_HINTS } from './install-hints';
export { patchWasmKernels } from './wasm-kernels';
export { registerNativeKernels, unregisterNativeKernels, nativeKernelStatus, nativeThreads, type NativeKernelStatus } from './native-kernels';
