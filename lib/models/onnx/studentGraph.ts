/**
 * The ONNX graph of one student tower: the same math as transformer.ts (`towerHidden` + `pool`),
 * op for op, so ONNX Runtime reproduces `model.encode` to float32 rounding. Weights become graph
 * initializers; constant-only subexpressions are folded at export (GloVe projection into the word
 * table, softplus of the idf pooling weights).
 */
import type { StudentConfig } from '../config';
import { matmul2d } from '../tensorData';
import { ONNX_FLOAT, ONNX_INT64, type OnnxAttribute, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './protobuf';

/** Canonical-name → weight, as `StudentDualEncoder.weights()` returns. */
export type WeightMap = Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>;

/** Graph input and output names (transformers.js feeds inputs by these names). */
export const ONNX_INPUTS = { ids: 'input_ids', mask: 'attention_mask', tokenTypes: 'token_type_ids' } as const;
export const ONNX_OUTPUTS = { hidden: 'last_hidden_state', pooled: 'sentence_embedding' } as const;

type Attrs = Record<string, OnnxAttribute>;
const int = (value: number): OnnxAttribute => ({ kind: 'int', value });
const ints = (value: number[]): OnnxAttribute => ({ kind: 'ints', value });
const float = (value: number): OnnxAttribute => ({ kind: 'float', value });

/** Collects nodes and initializers; every op gets a fresh output name. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  tensor(name: string, dims: readonly number[], data: Float32Array | BigInt64Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** A float scalar constant, shared by value. */
  scalar(x: number): string {
    const key = `f:${Math.fround(x)}`;
    let name = this.constants.get(key);
    if (!name) this.constants.set(key, (name = this.tensor(`const_f${this.constants.size}`, [], Float32Array.of(x))));
    return name;
  }

  /** An int64 constant (1-D, or a scalar when `scalarShape`), shared by value. */
  int64(values: readonly number[], scalarShape = false): string {
    const key = `i:${scalarShape}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) this.constants.set(key, (name = this.tensor(`const_i${this.constants.size}`, scalarShape ? [] : [values.length], BigInt64Array.from(values, BigInt))));
    return name;
  }

  op(opType: string, inputs: string[], attributes?: Attrs, output?: string): string {
    const name = `${opType}_${this.counter++}`;
    const out = output ?? name;
    this.nodes.push({ opType, inputs, outputs: [out], name, attributes });
    return out;
  }
}

/** Numerically stable softplus in float64 (folded into a constant table). */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Options of {@link addTowerBody}. */
export interface TowerBodyOptions {
  /** Read segment ids from the `token_type_ids` input (sequence pairs); otherwise every token is segment 0. */
  readonly tokenTypesInput?: boolean;
}

/** Graph values of a tower body: token states [batch, len, hidden], the float mask, and the weight reader. */
export interface TowerBody {
  readonly hidden: string;
  readonly maskF: string;
  readonly w: (local: string) => { readonly shape: readonly number[]; readonly data: Float32Array };
  readonly param: (local: string) => string;
}

/**
 * Adds the nodes of one tower up to its token states: `towerHidden` of transformer.ts op for op.
 * `prefix` selects the tower's weights ('' for shared towers, 'query.' / 'passage.' otherwise).
 */
export function addTowerBody(g: GraphBuilder, c: StudentConfig, weights: WeightMap, prefix: string, opts: TowerBodyOptions = {}): TowerBody {
  const w = (local: string) => {
    const t = weights[prefix + local];
    if (!t) throw new Error(`ONNX export: weights lack ${prefix + local}`);
    return t;
  };
  const param = (local: string) => g.tensor(prefix + local, w(local).shape, w(local).data);
  const h = c.hidden;
  const { ids, mask } = ONNX_INPUTS;
  const layerNorm = (x: string, name: string) => g.op('LayerNormalization', [x, param(`${name}.gamma`), param(`${name}.beta`)], { axis: int(-1), epsilon: float(c.layerNormEps) });
  // Gemm on [tokens, features] adds the bias inside the kernel (a separate Add was ~13% of run time).
  const dense = (x: string, name: string) => g.op('Gemm', [x, param(`${name}.kernel`), param(`${name}.bias`)]);

  // Embeddings: the projection is linear, so (E[id])·P = (E·P)[id]; folding it makes one lookup.
  const word = w('embeddings.word');
  const e = word.shape[1];
  const table = e === h ? word.data : matmul2d(word.data, w('embeddings.projection').data, word.shape[0], e, h);
  let x = g.op('Gather', [g.tensor(`${prefix}embeddings.word_folded`, [word.shape[0], h], table), ids], { axis: int(0) });
  const length = g.op('Shape', [ids], { start: int(1), end: int(2) });
  x = g.op('Add', [x, g.op('Slice', [param('embeddings.position'), g.int64([0]), length, g.int64([0])])]);
  // Single texts: token-type row 0, whatever ids a caller feeds (as towerHidden without types).
  if (c.arch === 'bert' && opts.tokenTypesInput) x = g.op('Add', [x, g.op('Gather', [param('embeddings.token_type'), ONNX_INPUTS.tokenTypes], { axis: int(0) })]);
  else if (c.arch === 'bert') x = g.op('Add', [x, g.tensor(`${prefix}embeddings.token_type.row0`, [h], w('embeddings.token_type').data.slice(0, h))]);
  x = layerNorm(x, 'embeddings.ln');

  const maskF = g.op('Cast', [mask], { to: int(ONNX_FLOAT) });
  if (c.layers > 0) {
    const heads = c.heads;
    const dh = h / heads;
    // Additive mask [b, 1, 1, len]: exp(-1e9 - max) underflows to exactly 0, as in tfjs.
    const bias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.scalar(1), maskF]), g.scalar(-1e9)]), g.int64([1, 2])]);
    const batchLength = g.op('Shape', [ids]);
    const headShape = g.op('Concat', [g.int64([-1]), length, g.int64([heads, dh])], { axis: int(0) });
    const rows = g.int64([-1, h]);
    // Blocks run on [batch·len, hidden], as towerHidden does.
    let x2 = g.op('Reshape', [x, rows]);
    const scale = 1 / Math.sqrt(dh);
    for (let i = 0; i < c.layers; i++) {
      const n = `layer.${i}.`;
      const split = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, headShape])], { perm: ints(perm) });
      // (x·W + b)·s as one Gemm: alpha·x·W + (b·s); the rescaling adds no rounding when s is a power of two (dh = 4, 16, 64, …).
      const qBias = g.tensor(`${prefix}${n}attn.q.bias_scaled`, [h], Float32Array.from(w(`${n}attn.q.bias`).data, (v) => v * scale));
      const q = split(g.op('Gemm', [x2, param(`${n}attn.q.kernel`), qBias], { alpha: float(scale) }), [0, 2, 1, 3]);
      const kT = split(dense(x2, `${n}attn.k`), [0, 2, 3, 1]);
      const v = split(dense(x2, `${n}attn.v`), [0, 2, 1, 3]);
      const probs = g.op('Softmax', [g.op('Add', [g.op('MatMul', [q, kT]), bias])], { axis: int(-1) });
      const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: ints([0, 2, 1, 3]) }), rows]);
      x2 = layerNorm(g.op('Add', [dense(ctx, `${n}attn.o`), x2]), `${n}attn_ln`);
      const f = dense(x2, `${n}ffn.in`);
      // Exact GELU in tfjs's operation order: f·(erf(f·√½) + 1)·½.
      const gelu = g.op('Mul', [g.op('Mul', [f, g.op('Add', [g.op('Erf', [g.op('Mul', [f, g.scalar(Math.SQRT1_2)])]), g.scalar(1)])]), g.scalar(0.5)]);
      x2 = layerNorm(g.op('Add', [dense(gelu, `${n}ffn.out`), x2]), `${n}out_ln`);
    }
    x = g.op('Reshape', [x2, g.op('Concat', [batchLength, g.int64([h])], { axis: int(0) })]);
  }
  return { hidden: x, maskF, w, param };
}

/**
 * Builds the graph of one tower. `prefix` selects the tower's weights ('' for shared towers,
 * 'query.' / 'passage.' otherwise).
 */
export function buildStudentGraph(c: StudentConfig, weights: WeightMap, prefix: string): OnnxGraph {
  const g = new GraphBuilder();
  const { hidden, maskF, w } = addTowerBody(g, c, weights, prefix);
  const h = c.hidden;
  const { ids, mask } = ONNX_INPUTS;
  const x = hidden;
  g.op('Identity', [x], undefined, ONNX_OUTPUTS.hidden);

  let pooled: string;
  if (c.pooling === 'cls') {
    pooled = g.op('Gather', [x, g.int64([0], true)], { axis: int(1) });
  } else {
    let weight = maskF;
    if (c.pooling === 'idf-mean') {
      const raw = w('pooling.word_weight').data;
      const sp = g.tensor(`${prefix}pooling.softplus_word_weight`, [raw.length], Float32Array.from(raw, softplus));
      weight = g.op('Mul', [g.op('Gather', [sp, ids], { axis: int(0) }), maskF]);
    }
    const axis1 = g.int64([1]);
    const sum = g.op('ReduceSum', [g.op('Mul', [x, g.op('Unsqueeze', [weight, g.int64([2])])]), axis1], { keepdims: int(0) });
    pooled = g.op('Div', [sum, g.op('Add', [g.op('ReduceSum', [weight, axis1], { keepdims: int(1) }), g.scalar(1e-9)])]);
  }
  if (c.similarity === 'cosine') {
    const norm = g.op('Sqrt', [g.op('Add', [g.op('ReduceSum', [g.op('Mul', [pooled, pooled]), g.int64([1])], { keepdims: int(1) }), g.scalar(1e-12)])]);
    pooled = g.op('Div', [pooled, norm]);
  }
  g.op('Identity', [pooled], undefined, ONNX_OUTPUTS.pooled);

  const inputs: OnnxValueInfo[] = [
    { name: ids, elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
    { name: mask, elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
  ];
  // BERT declares token_type_ids so transformers.js feeds them (it only feeds declared inputs);
  // the graph does not read them (see above), and ONNX Runtime accepts an unused input.
  if (c.arch === 'bert') inputs.push({ name: ONNX_INPUTS.tokenTypes, elemType: ONNX_INT64, shape: ['batch', 'sequence'] });
  return {
    name: `mta4dpr_student_${prefix ? prefix.slice(0, -1) : 'shared'}`,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs,
    outputs: [
      { name: ONNX_OUTPUTS.hidden, elemType: ONNX_FLOAT, shape: ['batch', 'sequence', h] },
      { name: ONNX_OUTPUTS.pooled, elemType: ONNX_FLOAT, shape: ['batch', h] },
    ],
  };
}
