/**
 * Cross-encoders (lib/models/crossEncoder): a random tiny BERT written in HF layout, run by tfjs
 * from safetensors and by ONNX Runtime (exported in memory, and from a saved ONNX folder), each
 * checked against an independent float64 forward on dl19-mini pairs.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../../lib/data';
import { loadHfCrossEncoder, openCrossEncoder, saveOnnxCrossEncoder, writeRandomBertCrossEncoder } from '../../../lib/models/crossEncoder';
import { readSafetensors } from '../../../lib/models/safetensors';
import { referenceLogits } from './reference';

// float32 engines against float64: logits are O(1); 2e-4 absolute covers float32 rounding
// through 2 layers (measured max ≈ 1e-5) while any wrong op moves scores by ≫ 1e-2.
const TOL = 2e-4;

describe('cross-encoder engines against a float64 reference (lib/models/crossEncoder)', function () {
  this.timeout(120000);
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-ce-'));
  const hfDir = join(root, 'hf');
  const onnxDir = join(root, 'onnx');
  let pairs: Array<{ query: string; passages: string[] }> = [];
  let expected: number[][] = [];

  before(async () => {
    await tf.setBackend('cpu');
    await writeRandomBertCrossEncoder(hfDir, { layers: 2, hidden: 16, heads: 2, seed: 11, maxPositions: 48, numLabels: 2 });
    const ds = await loadDataset('dl19-mini');
    const ids = [...ds.collection.passages.keys()].slice(0, 6);
    pairs = [...ds.queries.queries.values()].slice(0, 2).map((q) => ({ query: q.text, passages: ids.map((d) => ds.collection.passages.get(d)!.text) }));
    const file = readSafetensors(join(hfDir, 'model.safetensors'));
    const w = loadHfCrossEncoder(hfDir);
    expected = pairs.map(({ query, passages }) => passages.map((p) => {
      const { ids: t, typeIds } = w.tokenizer.encodePair(query, p, 48);
      return referenceLogits(file, { layers: 2, heads: 2, eps: 1e-12 }, t, typeIds)[1];
    }));
    const hfConfig = JSON.parse(readFileSync(join(hfDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await saveOnnxCrossEncoder(w, hfConfig, onnxDir);
  });

  async function check(dir: string, engine: 'tfjs' | 'onnxruntime'): Promise<number> {
    const ce = await openCrossEncoder(dir, { engine, batchSize: 4 });
    assert.equal(ce.engine, engine);
    let worst = 0;
    try {
      for (const [i, { query, passages }] of pairs.entries()) {
        const got = await ce.score(query, passages);
        got.forEach((s, j) => { worst = Math.max(worst, Math.abs(s - expected[i][j])); });
      }
    } finally {
      await ce.dispose();
    }
    assert.ok(worst < TOL, `${engine} on ${dir}: max |Δ| = ${worst}`);
    return worst;
  }

  it('the reference scores vary (a random model that scored everything alike would prove nothing)', () => {
    const all = expected.flat();
    assert.ok(Math.max(...all) - Math.min(...all) > 0.05, `score range ${Math.min(...all)} … ${Math.max(...all)}`);
  });

  it('tfjs from HF safetensors', async () => { await check(hfDir, 'tfjs'); });
  it('ONNX Runtime over the graph exported from the safetensors', async () => { await check(hfDir, 'onnxruntime'); });
  it('ONNX Runtime over a saved ONNX folder (no safetensors)', async () => {
    await check(onnxDir, 'onnxruntime');
    await assert.rejects(openCrossEncoder(onnxDir, { engine: 'tfjs' }), /only ONNX/);
  });

  it('scores the label asked for, and rejects one the classifier lacks', async () => {
    const ce = await openCrossEncoder(hfDir, { engine: 'tfjs', positiveLabel: 0 });
    const file = readSafetensors(join(hfDir, 'model.safetensors'));
    const w = loadHfCrossEncoder(hfDir);
    const { query, passages } = pairs[0];
    const { ids, typeIds } = w.tokenizer.encodePair(query, passages[0], 48);
    const got = (await ce.score(query, passages.slice(0, 1)))[0];
    await ce.dispose();
    assert.ok(Math.abs(got - referenceLogits(file, { layers: 2, heads: 2, eps: 1e-12 }, ids, typeIds)[0]) < TOL);
    await assert.rejects(openCrossEncoder(hfDir, { positiveLabel: 2 }), /positiveLabel 2 but the classifier has 2/);
  });
});
