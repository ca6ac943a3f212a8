/** Public API of lib/models/onnx: ONNX export of the student towers and ONNX Runtime encoding. */
export { ProtoWriter, encodeOnnxModel, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxAttribute, type OnnxValueInfo, type OnnxModelMeta } from './protobuf';
export { buildStudentGraph, ONNX_INPUTS, ONNX_OUTPUTS, type WeightMap } from './studentGraph';
export { exportOnnx, saveOnnxModel, encodeTower, onnxConfigJson, towerPrefix, ONNX_IR_VERSION, ONNX_OPSET } from './export';
export { OnnxEncoder, OrtUnavailableError, createOnnxEncoder, fastEncoder, withFastEncoder, encoderEngineRequest, loadOrt, type OnnxEncoderOptions, type CreateOnnxEncoderOptions, type FastEncoderResult } from './ortEncoder';
