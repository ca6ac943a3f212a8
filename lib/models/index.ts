/** Public API of lib/models: the tfjs dual encoder, presets, GloVe init, weight files and checkpoints. */
export * from './types';
export * from './config';
export * from './dualEncoder';
export { embeddingLookup } from './embedding';
export { towerParamShapes, towerPrefixes } from './params';
export * from './safetensors';
export * from './hfModel';
export { hfNameOf, normaliseHfName } from './hfNames';
export * from './checkpoint';
export * from './glove';
export * from './gloveStudent';
export * from './loadEncoder';
export * from './hubModel';
export * from './onnx';
export * from './presets';
export * from './lexical';
export * from './studentModel';
