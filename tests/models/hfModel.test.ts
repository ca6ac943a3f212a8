/**
 * HF folders: random-weight DistilBERT (bare names) and BERT (`bert.` prefix) folders written with
 * our writer load, match an independent float64 forward pass of the HF architecture, save and reload
 * to identical outputs; checkpoints round-trip bit for bit.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadEncoderCheckpoint, loadHfModel, readSafetensors, saveEncoderCheckpoint, saveHfModel, writeSafetensors, createDualEncoder, type SafeTensorInput } from '../../lib/models';
import { mulberry32 } from '../../lib/models/glove';
import { bertTokenizer, TEXTS, TINY, VOCAB } from './helpers';

const V = 30522, H = 16, F = 32, P = 64, LAYERS = 2, HEADS = 2;

function randomTensors(names: Array<[string, number[]]>, seed: number): Record<string, SafeTensorInput & { data: Float32Array }> {
  const r = mulberry32(seed);
  const out: Record<string, SafeTensorInput & { data: Float32Array }> = {};
  for (const [n, shape] of names) {
    const size = shape.reduce((a, b) => a * b, 1);
    const isGain = /LayerNorm\.weight$|layer_norm\.weight$/.test(n);
    out[n] = { shape, data: Float32Array.from({ length: size }, () => (isGain ? 1 : 0) + (r() - 0.5) * 0.4) };
  }
  return out;
}

function distilNames(): Array<[string, number[]]> {
  const n: Array<[string, number[]]> = [['embeddings.word_embeddings.weight', [V, H]], ['embeddings.position_embeddings.weight', [P, H]], ['embeddings.LayerNorm.weight', [H]], ['embeddings.LayerNorm.bias', [H]]];
  for (let i = 0; i < LAYERS; i++) {
    const p = `transformer.layer.${i}.`;
    for (const m of ['q_lin', 'k_lin', 'v_lin', 'out_lin']) n.push([`${p}attention.${m}.weight`, [H, H]], [`${p}attention.${m}.bias`, [H]]);
    n.push([`${p}sa_layer_norm.weight`, [H]], [`${p}sa_layer_norm.bias`, [H]], [`${p}ffn.lin1.weight`, [F, H]], [`${p}ffn.lin1.bias`, [F]], [`${p}ffn.lin2.weight`, [H, F]], [`${p}ffn.lin2.bias`, [H]], [`${p}output_layer_norm.weight`, [H]], [`${p}output_layer_norm.bias`, [H]]);
  }
  return n;
}

function bertNames(): Array<[string, number[]]> {
  const n: Array<[string, number[]]> = [['bert.embeddings.word_embeddings.weight', [V, H]], ['bert.embeddings.position_embeddings.weight', [P, H]], ['bert.embeddings.token_type_embeddings.weight', [2, H]], ['bert.embeddings.LayerNorm.gamma', [H]], ['bert.embeddings.LayerNorm.beta', [H]], ['bert.pooler.dense.weight', [H, H]], ['bert.pooler.dense.bias', [H]]];
  for (let i = 0; i < LAYERS; i++) {
    const p = `bert.encoder.layer.${i}.`;
    for (const m of ['self.query', 'self.key', 'self.value', 'output.dense']) n.push([`${p}attention.${m}.weight`, [H, H]], [`${p}attention.${m}.bias`, [H]]);
    n.push([`${p}attention.output.LayerNorm.weight`, [H]], [`${p}attention.output.LayerNorm.bias`, [H]], [`${p}intermediate.dense.weight`, [F, H]], [`${p}intermediate.dense.bias`, [F]], [`${p}output.dense.weight`, [H, F]], [`${p}output.dense.bias`, [H]], [`${p}output.LayerNorm.weight`, [H]], [`${p}output.LayerNorm.bias`, [H]]);
  }
  return n;
}

/** Independent float64 forward of an HF BERT-family encoder → [CLS] hidden state. */
function referenceCls(t: Record<string, { data: Float32Array }>, names: (s: string) => string, ids: number[], bert: boolean): number[] {
  const L = ids.length, dh = H / HEADS;
  const ln = (x: number[], g: Float32Array, b: Float32Array) => {
    const mu = x.reduce((a, v) => a + v, 0) / H;
    const va = x.reduce((a, v) => a + (v - mu) ** 2, 0) / H;
    return x.map((v, i) => ((v - mu) / Math.sqrt(va + 1e-12)) * g[i] + b[i]);
  };
  const linear = (x: number[], w: Float32Array, b: Float32Array, out: number) => Array.from({ length: out }, (_, o) => x.reduce((a, v, i) => a + v * w[o * x.length + i], b[o]));
  const erf = (x: number) => { // Abramowitz–Stegun 7.1.26 is too coarse; use a series/continued fraction via Math functions.
    const s = Math.sign(x), a = Math.abs(x);
    let sum = 0, term = a, n = 0;
    if (a < 3) { while (Math.abs(term) > 1e-17) { sum += term / (2 * n + 1); n++; term *= -a * a / n; } return s * 2 / Math.sqrt(Math.PI) * sum; }
    return s * (1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a) + 3 / (4 * a ** 4)));
  };
  const g = (n: string) => t[names(n)].data;
  let x = ids.map((id, p) => Array.from({ length: H }, (_, d) => g('embeddings.word_embeddings.weight')[id * H + d] + g('embeddings.position_embeddings.weight')[p * H + d] + (bert ? g('embeddings.token_type_embeddings.weight')[d] : 0)));
  x = x.map((r) => ln(r, g('embeddings.LayerNorm.weight'), g('embeddings.LayerNorm.bias')));
  for (let i = 0; i < LAYERS; i++) {
    const m = (k: string) => (bert ? { q: `encoder.layer.${i}.attention.self.query`, k: `encoder.layer.${i}.attention.self.key`, v: `encoder.layer.${i}.attention.self.value`, o: `encoder.layer.${i}.attention.output.dense`, ln1: `encoder.layer.${i}.attention.output.LayerNorm`, f1: `encoder.layer.${i}.intermediate.dense`, f2: `encoder.layer.${i}.output.dense`, ln2: `encoder.layer.${i}.output.LayerNorm` } : { q: `transformer.layer.${i}.attention.q_lin`, k: `transformer.layer.${i}.attention.k_lin`, v: `transformer.layer.${i}.attention.v_lin`, o: `transformer.layer.${i}.attention.out_lin`, ln1: `transformer.layer.${i}.sa_layer_norm`, f1: `transformer.layer.${i}.ffn.lin1`, f2: `transformer.layer.${i}.ffn.lin2`, ln2: `transformer.layer.${i}.output_layer_norm` })[k]!;
    const lin = (k: string, v: number[], out: number) => linear(v, g(`${m(k)}.weight`), g(`${m(k)}.bias`), out);
    const q = x.map((r) => lin('q', r, H)), k = x.map((r) => lin('k', r, H)), v = x.map((r) => lin('v', r, H));
    const ctx = x.map(() => new Array(H).fill(0));
    for (let h = 0; h < HEADS; h++) for (let a = 0; a < L; a++) {
      const s = Array.from({ length: L }, (_, b) => { let d = 0; for (let j = 0; j < dh; j++) d += q[a][h * dh + j] * k[b][h * dh + j]; return d / Math.sqrt(dh); });
      const mx = Math.max(...s), e = s.map((z) => Math.exp(z - mx)), z = e.reduce((p, c) => p + c, 0);
      for (let b = 0; b < L; b++) for (let j = 0; j < dh; j++) ctx[a][h * dh + j] += (e[b] / z) * v[b][h * dh + j];
    }
    x = x.map((r, a) => ln(lin('o', ctx[a], H).map((o, d) => o + r[d]), g(`${m('ln1')}.weight`), g(`${m('ln1')}.bias`)));
    x = x.map((r) => { const f = lin('f1', r, F).map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2))); return ln(lin('f2', f, H).map((o, d) => o + r[d]), g(`${m('ln2')}.weight`), g(`${m('ln2')}.bias`)); });
  }
  return x[0];
}

async function writeHfFolder(kind: 'distilbert' | 'bert', seed: number): Promise<{ dir: string; tensors: Record<string, SafeTensorInput & { data: Float32Array }> }> {
  const dir = mkdtempSync(join(tmpdir(), `hf-${kind}-`));
  const tensors = randomTensors(kind === 'bert' ? bertNames() : distilNames(), seed);
  // Normalise legacy gamma/beta names for the reference lookup below.
  await writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  const config = kind === 'bert'
    ? { model_type: 'bert', vocab_size: V, hidden_size: H, num_hidden_layers: LAYERS, num_attention_heads: HEADS, intermediate_size: F, max_position_embeddings: P, type_vocab_size: 2, hidden_act: 'gelu', layer_norm_eps: 1e-12 }
    : { model_type: 'distilbert', vocab_size: V, dim: H, n_layers: LAYERS, n_heads: HEADS, hidden_dim: F, max_position_embeddings: P, activation: 'gelu' };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  copyFileSync(VOCAB, join(dir, 'vocab.txt'));
  return { dir, tensors };
}

describe('models/HF folders and checkpoints', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const kind of ['distilbert', 'bert'] as const) {
    it(`loads a ${kind} folder, matches a float64 reference, saves and reloads to identical outputs`, async () => {
      const { dir, tensors } = await writeHfFolder(kind, kind === 'bert' ? 11 : 12);
      const model = await loadHfModel(dir, { overrides: { pooling: 'cls' } });
      if (kind === 'bert') assert.deepEqual([...model.loadInfo!.ignoredTensors].sort(), ['bert.pooler.dense.bias', 'bert.pooler.dense.weight']);
      else assert.equal(model.loadInfo!.ignoredTensors.length, 0);
      const e = await model.encode(TEXTS, 'passage');
      const names = (s: string) => {
        const full = kind === 'bert' ? `bert.${s}` : s;
        return tensors[full] ? full : full.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
      };
      const ids = bertTokenizer().encode(TEXTS[1]);
      const ref = referenceCls(tensors, names, ids, kind === 'bert');
      ref.forEach((v, d) => assert.ok(Math.abs(v - e.data[e.dim + d]) < 2e-5, `dim ${d}: ${v} vs ${e.data[e.dim + d]}`));

      const out = mkdtempSync(join(tmpdir(), 'hf-saved-'));
      await saveHfModel(model, out);
      const saved = readSafetensors(join(out, 'model.safetensors'));
      const expected = Object.keys(tensors).filter((n) => !n.includes('pooler')).map((n) => n.replace(/^bert\./, '').replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias')).sort();
      assert.deepEqual(Object.keys(saved.tensors).sort(), expected);
      const again = await loadHfModel(out, { overrides: { pooling: 'cls' } });
      assert.deepEqual((await again.encode(TEXTS, 'passage')).data, e.data);
      model.dispose();
      again.dispose();
    });
  }

  it('saves a GloVe-style factorised model with the projection folded into the word embeddings', async () => {
    const m = createDualEncoder({ ...TINY, embeddingDim: 8, pooling: 'idf-mean' }, bertTokenizer(), { seed: 5 });
    const out = mkdtempSync(join(tmpdir(), 'hf-folded-'));
    await saveHfModel(m, out);
    const saved = readSafetensors(join(out, 'model.safetensors'));
    assert.deepEqual(saved.tensors['embeddings.word_embeddings.weight'].shape, [V, H]);
    assert.ok(saved.tensors['mta4dpr.pooling.word_weight']);
    const again = await loadHfModel(out);
    assert.equal(again.config.pooling, 'idf-mean');
    const [a, b] = [await m.encode(TEXTS, 'query'), await again.encode(TEXTS, 'query')];
    a.data.forEach((v, i) => assert.ok(Math.abs(v - b.data[i]) < 1e-4, `${i}: ${v} vs ${b.data[i]}`));
    m.dispose();
    again.dispose();
  });

  it('round-trips a checkpoint bit for bit, with extra JSON', async () => {
    const m = createDualEncoder({ ...TINY, shareTowers: false, embeddingDim: 8, pooling: 'idf-mean' }, bertTokenizer(), { seed: 21 });
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    await saveEncoderCheckpoint(dir, m, { step: 42 });
    const { model, extra } = await loadEncoderCheckpoint(dir);
    assert.deepEqual(extra, { step: 42 });
    assert.deepEqual(model.paramNames(), m.paramNames());
    const [wa, wb] = [await m.weights(), await model.weights()];
    for (const n of Object.keys(wa)) assert.ok(Buffer.from(wa[n].data.buffer).equals(Buffer.from(wb[n].data.buffer)), n);
    assert.deepEqual((await model.encode(TEXTS, 'passage')).data, (await m.encode(TEXTS, 'passage')).data);
    m.dispose();
    model.dispose();
  });

  it('names the folder and the expected files when a model folder is incomplete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-empty-'));
    await assert.rejects(loadHfModel(dir), (e: Error) => e.message.includes(dir) && e.message.includes('model.safetensors'));
  });
});
