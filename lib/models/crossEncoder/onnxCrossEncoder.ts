/**
 * Cross-encoders in ONNX: the export of a loaded cross-encoder (the tower body of studentGraph.ts
 * reading token_type_ids, then the [CLS] head → `logits`), a transformers.js-style folder
 * (config.json, tokenizer, onnx/model.onnx), and the ONNX Runtime session that runs either an
 * exported graph or any sequence-classification ONNX with input_ids / attention_mask /
 * token_type_ids inputs and a logits output.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic';
import { saveTokenizerFiles } from '../hfModel';
import { ONNX_IR_VERSION, ONNX_OPSET } from '../onnx/export';
import { loadOrt, toInt64 } from '../onnx/ortEncoder';
import { ONNX_FLOAT, ONNX_INT64, encodeOnnxModel, type OnnxGraph, type OnnxValueInfo } from '../onnx/protobuf';
import { addTowerBody, GraphBuilder, ONNX_INPUTS } from '../onnx/studentGraph';
import type { CrossEncoderWeights } from './hfFolder';
import type { PairBatch } from './pairs';

/** Name of the logits output (Hugging Face's ONNX exports use the same). */
export const CROSS_ENCODER_OUTPUT = 'logits';

/** The ONNX graph of a cross-encoder: same math as TfjsCrossEncoder, op for op. */
export function buildCrossEncoderGraph(m: CrossEncoderWeights): OnnxGraph {
  const g = new GraphBuilder();
  const { hidden, param } = addTowerBody(g, m.config, m.weights, '', { tokenTypesInput: true });
  const cls = g.op('Gather', [hidden, g.int64([0], true)], { axis: { kind: 'int', value: 1 } });
  const z = g.op('Gemm', [cls, param('pooler.kernel'), param('pooler.bias')]);
  const pooled = g.op(m.head === 'bert-pooler' ? 'Tanh' : 'Relu', [z]);
  g.op('Gemm', [pooled, param('classifier.kernel'), param('classifier.bias')], undefined, CROSS_ENCODER_OUTPUT);
  const seq = { elemType: ONNX_INT64, shape: ['batch', 'sequence'] };
  const inputs: OnnxValueInfo[] = [{ name: ONNX_INPUTS.ids, ...seq }, { name: ONNX_INPUTS.mask, ...seq }];
  if (m.config.arch === 'bert') inputs.push({ name: ONNX_INPUTS.tokenTypes, ...seq });
  return {
    name: 'mta4dpr_cross_encoder', nodes: g.nodes, initializers: g.initializers, inputs,
    outputs: [{ name: CROSS_ENCODER_OUTPUT, elemType: ONNX_FLOAT, shape: ['batch', m.numLabels] }],
  };
}

/** ONNX model bytes of a cross-encoder. */
export function encodeCrossEncoderOnnx(m: CrossEncoderWeights): Uint8Array {
  return encodeOnnxModel(buildCrossEncoderGraph(m), { irVersion: ONNX_IR_VERSION, opset: ONNX_OPSET, producerName: 'mta4dpr', producerVersion: '0.1.0' });
}

/** Writes an ONNX cross-encoder folder: onnx/model.onnx, tokenizer files, then `hfConfig` as config.json. */
export async function saveOnnxCrossEncoder(m: CrossEncoderWeights, hfConfig: Record<string, unknown>, dir: string): Promise<void> {
  await writeFileAtomic(join(dir, 'onnx', 'model.onnx'), encodeCrossEncoderOnnx(m));
  await saveTokenizerFiles(m.tokenizer, dir);
  await writeJsonAtomic(join(dir, 'config.json'), hfConfig);
}

interface OrtTensor { readonly data: unknown; readonly dims: readonly number[] }
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** A cross-encoder ONNX graph in an ONNX Runtime session (CPU). */
export class OrtCrossEncoder {
  private constructor(private session: OrtSession | undefined, private readonly tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor, readonly source: string) {}

  /** Opens a session over model bytes; `source` names the model in errors. Throws OrtUnavailableError without onnxruntime-node. */
  static async create(bytes: Uint8Array, source: string, intraOpNumThreads = availableParallelism()): Promise<OrtCrossEncoder> {
    const ort = loadOrt() as unknown as { Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor; InferenceSession: { create(b: Uint8Array, o: object): Promise<OrtSession> } };
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads, interOpNumThreads: 1, executionMode: 'sequential' });
    for (const need of [ONNX_INPUTS.ids, ONNX_INPUTS.mask]) {
      if (!session.inputNames.includes(need)) throw new Error(`${source}: ONNX model has no '${need}' input (inputs: ${session.inputNames.join(', ')})`);
    }
    if (!session.outputNames.includes(CROSS_ENCODER_OUTPUT)) throw new Error(`${source}: ONNX model has no '${CROSS_ENCODER_OUTPUT}' output (outputs: ${session.outputNames.join(', ')})`);
    return new OrtCrossEncoder(session, ort.Tensor, source);
  }

  /** Row-major logits [batch, numLabels] of one padded batch. */
  async logits(b: PairBatch): Promise<Float32Array> {
    if (!this.session) throw new Error(`${this.source}: cross-encoder used after dispose`);
    const dims = [b.batch, b.length];
    const feeds: Record<string, OrtTensor> = {
      [ONNX_INPUTS.ids]: new this.tensor('int64', toInt64(b.ids), dims),
      [ONNX_INPUTS.mask]: new this.tensor('int64', toInt64(b.mask), dims),
    };
    if (this.session.inputNames.includes(ONNX_INPUTS.tokenTypes)) feeds[ONNX_INPUTS.tokenTypes] = new this.tensor('int64', toInt64(b.typeIds), dims);
    const res = await this.session.run(feeds);
    return res[CROSS_ENCODER_OUTPUT].data as Float32Array;
  }

  /** Releases the session. */
  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.release();
  }
}
