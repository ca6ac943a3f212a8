/** Sequence-pair classifiers (cross-encoders): HF and ONNX folders, tfjs and ONNX Runtime engines. */
export * from './hfFolder';
export * from './pairs';
export * from './tfjsCrossEncoder';
export * from './onnxCrossEncoder';
export * from './open';
