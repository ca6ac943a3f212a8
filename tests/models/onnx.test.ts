/**
 * ONNX export: the protobuf writer's bytes; ONNX Runtime embeddings of real DL19 passages equal the
 * tfjs `model.encode` (1e-4 per component) for DEFAULT_STUDENT with live transformer blocks and its
 * architecture / pooling / similarity / depth / tower variants, both kinds; a saveOnnxModel folder
 * loads in transformers.js and gives the same sentence embeddings.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  createDualEncoder, createOnnxEncoder, DEFAULT_STUDENT, encodeOnnxModel, exportOnnx, fastEncoder, ProtoWriter, saveOnnxModel,
  type EmbeddingMatrix, type StudentConfigInput,
} from '../../lib/models';
import { bertTokenizer, TEXTS } from './helpers';

const TOLERANCE = 1e-4;
const MINI = join(__dirname, '../../data/fixtures/dl19-mini');

/** 20 real passages (several exceed 128 word pieces, so truncation is exercised) plus edge cases. */
function texts(): string[] {
  const passages = readFileSync(join(MINI, 'passages.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 20).map((l) => (JSON.parse(l) as { text: string }).text);
  return [...passages, ...TEXTS];
}

function maxAbsDiff(a: EmbeddingMatrix, b: EmbeddingMatrix): number {
  assert.equal(a.rows, b.rows);
  assert.equal(a.dim, b.dim);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  assert.ok(Number.isFinite(m), 'non-finite embedding');
  return m;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('models/onnx protobuf writer', () => {
  it('writes varints, negative int64s, strings, floats and packed / unpacked repeats as protoc does', () => {
    assert.equal(hex(new ProtoWriter().varint(300).finish()), 'ac02');
    assert.equal(hex(new ProtoWriter().varint(0).finish()), '00');
    assert.equal(hex(new ProtoWriter().varint(2 ** 40).finish()), '808080808020');
    assert.equal(hex(new ProtoWriter().int(1, -1).finish()), '08ffffffffffffffffff01');
    assert.equal(hex(new ProtoWriter().int(1, 150).finish()), '089601');
    assert.equal(hex(new ProtoWriter().string(2, 'testing').finish()), '120774657374696e67');
    assert.equal(hex(new ProtoWriter().float(2, 1).finish()), '150000803f');
    assert.equal(hex(new ProtoWriter().packedInt(4, [3, 270, 86942]).finish()), '2206038e029ea705');
    assert.equal(hex(new ProtoWriter().repeatedInt(1, [1, 2]).finish()), '08010802');
    assert.equal(hex(new ProtoWriter().packedFloat(7, [1, -2]).finish()), '3a080000803f000000c0');
    const inner = new ProtoWriter().int(1, 150);
    const outer = new ProtoWriter().message(3, inner);
    assert.equal(hex(outer.finish()), '1a03089601');
    assert.equal(outer.length, 5);
  });

  it('encodes a one-node model that ONNX Runtime runs', async () => {
    const bytes = encodeOnnxModel({
      name: 'g',
      nodes: [{ opType: 'Add', inputs: ['x', 'c'], outputs: ['y'], name: 'add' }],
      initializers: [{ name: 'c', dims: [2], data: Float32Array.of(0.5, -1) }],
      inputs: [{ name: 'x', elemType: 1, shape: ['n', 2] }],
      outputs: [{ name: 'y', elemType: 1, shape: ['n', 2] }],
    }, { irVersion: 8, opset: 17, producerName: 'test', producerVersion: '0' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node');
    const s = await ort.InferenceSession.create(bytes);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [2, 2]) });
    assert.deepEqual(Array.from(out.y.data as Float32Array), [1.5, 1, 3.5, 3]);
    await s.release();
  });
});

describe('models/onnx export and ONNX Runtime encoder', () => {
  const TEXTS_ = texts();
  before(async () => {
    await tf.setBackend('cpu');
  });

  // zeroInitResiduals: false so the attention and FFN blocks change the output. The variants
  // encode passages at 64 word pieces (still truncating most): the tfjs-cpu reference is the slow part.
  const short = { passageMaxLength: 64 };
  const variants: Array<[string, Partial<StudentConfigInput>]> = [
    ['DEFAULT_STUDENT (idf-mean, cosine, projected GloVe width)', {}],
    ['arch bert, no projection', { ...short, arch: 'bert', embeddingDim: undefined }],
    ['pooling cls', { ...short, pooling: 'cls' }],
    ['pooling mean, similarity dot', { ...short, pooling: 'mean', similarity: 'dot' }],
    ['layers 0 (bag of word pieces)', { layers: 0 }],
    ['layers 2, 4 heads, separate towers', { ...short, layers: 2, heads: 4, shareTowers: false }],
  ];
  variants.forEach(([label, over], v) => {
    it(`equals model.encode within ${TOLERANCE}: ${label}`, async () => {
      const model = createDualEncoder({ ...DEFAULT_STUDENT, zeroInitResiduals: false, ...over }, bertTokenizer(), { seed: 11 + v });
      const tensors = tf.memory().numTensors;
      const onnx = await createOnnxEncoder(model, { intraOpNumThreads: 1 });
      assert.equal(tf.memory().numTensors, tensors, 'export leaked tfjs tensors');
      try {
        for (const kind of ['query', 'passage'] as const) {
          const diff = maxAbsDiff(await onnx.encode(TEXTS_, kind), await model.encode(TEXTS_, kind));
          assert.ok(diff < TOLERANCE, `${kind}: max |Δ| = ${diff}`);
        }
        if (over.shareTowers === false) {
          // Separate towers really are separate graphs: the same text differs between them.
          const [q, p] = [await onnx.encode([TEXTS_[0]], 'query'), await onnx.encode([TEXTS_[0]], 'passage')];
          assert.ok(maxAbsDiff(q, p) > 1e-3);
        }
      } finally {
        await onnx.dispose();
        model.dispose();
      }
    });
  });

  it('fastEncoder picks onnxruntime here and keeps input order across batches', async () => {
    const model = createDualEncoder({ ...DEFAULT_STUDENT, zeroInitResiduals: false, encodeBatchSize: 4 }, bertTokenizer(), { seed: 3 });
    const fast = await fastEncoder(model);
    try {
      assert.equal(fast.engine, 'onnxruntime');
      assert.equal(fast.reason, undefined);
      const all = await fast.encoder.encode(TEXTS_, 'passage');
      const one = await fast.encoder.encode([TEXTS_[7]], 'passage');
      assert.ok(maxAbsDiff(one, { rows: 1, dim: all.dim, data: all.data.subarray(7 * all.dim, 8 * all.dim) }) < 1e-5);
      assert.equal((await fast.encoder.encode([], 'query')).rows, 0);
    } finally {
      await fast.encoder.dispose?.();
      model.dispose();
    }
  });

  it('writes a folder that transformers.js loads, with equal sentence embeddings', async () => {
    const model = createDualEncoder({ ...DEFAULT_STUDENT, zeroInitResiduals: false, arch: 'bert' }, bertTokenizer(), { seed: 5 });
    const root = mkdtempSync(join(tmpdir(), 'mta4dpr-onnx-'));
    try {
      await saveOnnxModel(model, join(root, 'student'));
      for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'onnx/model.onnx']) assert.ok(existsSync(join(root, 'student', f)), f);
      assert.deepEqual(readFileSync(join(root, 'student', 'onnx/model.onnx')), Buffer.from(await exportOnnx(model, 'passage')));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const hf = require('@huggingface/transformers');
      hf.env.allowRemoteModels = false;
      hf.env.localModelPath = root;
      const loaded = await hf.AutoModel.from_pretrained('student', { dtype: 'fp32' });
      const tokenizer = await hf.AutoTokenizer.from_pretrained('student');
      try {
        assert.deepEqual([...loaded.sessions.model.inputNames].sort(), ['attention_mask', 'input_ids', 'token_type_ids']);
        const ours = await model.encode(TEXTS_, 'passage');
        // (1) Our tokenisation, fed to the transformers.js model: every text, truncated ones included.
        const t = model.tokenizer.tokenizeBatch(TEXTS_, model.config.passageMaxLength);
        const ids = new hf.Tensor('int64', BigInt64Array.from(t.ids, BigInt), [t.batch, t.length]);
        const mask = new hf.Tensor('int64', BigInt64Array.from(t.mask, BigInt), [t.batch, t.length]);
        const out = await loaded({ input_ids: ids, attention_mask: mask });
        assert.deepEqual(out.last_hidden_state.dims, [t.batch, t.length, model.dim]);
        const theirs = { rows: t.batch, dim: model.dim, data: out.sentence_embedding.data as Float32Array };
        assert.ok(maxAbsDiff(theirs, ours) < TOLERANCE);
        // (2) transformers.js end to end on texts within passageMaxLength: its truncation drops the
        // final [SEP] (ours keeps it, as Python's BertTokenizerFast does), so longer texts differ by design.
        const short = TEXTS_.map((s, i) => [s, i] as const).filter(([s]) => model.tokenizer.encode(s).length <= model.config.passageMaxLength);
        assert.ok(short.length >= 10);
        const enc = tokenizer(short.map(([s]) => s), { padding: true });
        const e2e = await loaded(enc);
        const expected = new Float32Array(short.length * model.dim);
        short.forEach(([, i], r) => expected.set(ours.data.subarray(i * model.dim, (i + 1) * model.dim), r * model.dim));
        assert.ok(maxAbsDiff({ rows: short.length, dim: model.dim, data: e2e.sentence_embedding.data as Float32Array }, { rows: short.length, dim: model.dim, data: expected }) < TOLERANCE);
      } finally {
        await loaded.dispose();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('writes a query tower too when the towers are separate', async () => {
    const model = createDualEncoder({ ...DEFAULT_STUDENT, embeddingDim: undefined, layers: 0, shareTowers: false }, bertTokenizer(), { seed: 2 });
    const root = mkdtempSync(join(tmpdir(), 'mta4dpr-onnx-'));
    try {
      await saveOnnxModel(model, root);
      assert.deepEqual(readFileSync(join(root, 'onnx/query_model.onnx')), Buffer.from(await exportOnnx(model, 'query')));
      const cfg = JSON.parse(readFileSync(join(root, 'config.json'), 'utf8'));
      assert.equal(cfg.model_type, 'distilbert');
      assert.equal(cfg.hidden_size, model.dim);
      assert.equal(cfg.mta4dpr.shareTowers, false);
    } finally {
      rmSync(root, { recursive: true, force: true });
      model.dispose();
    }
  });
});
