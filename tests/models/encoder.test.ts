/** The tfjs dual encoder: seeded init, no tensor leaks, embedding gradient, pooling semantics. */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { createDualEncoder, embeddingLookup, parseStudentConfig, DEFAULT_STUDENT, DISTILBERT_BASE } from '../../lib/models';
import { pool } from '../../lib/models/transformer';
import { bertTokenizer, TEXTS, TINY } from './helpers';

describe('models/dual encoder', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('gives identical weights for the same seed and different ones for another', async () => {
    const tok = bertTokenizer();
    const [a, b, c] = [1, 1, 2].map((seed) => createDualEncoder(TINY, tok, { seed }));
    const [wa, wb, wc] = await Promise.all([a, b, c].map((m) => m.weights()));
    for (const n of Object.keys(wa)) assert.deepEqual(wa[n].data, wb[n].data, n);
    assert.notDeepEqual(wa['layer.0.attn.q.kernel'].data, wc['layer.0.attn.q.kernel'].data);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('keeps the live tensor count constant across encode batches', async () => {
    const m = createDualEncoder(TINY, bertTokenizer(), { seed: 3 });
    await m.encode(TEXTS, 'passage');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await m.encode([...TEXTS, ...TEXTS], i % 2 ? 'query' : 'passage');
    assert.equal(tf.memory().numTensors, before);
    m.dispose();
  });

  it('encodes independently of batch composition and order', async () => {
    const m = createDualEncoder({ ...TINY, pooling: 'mean' }, bertTokenizer(), { seed: 4 });
    const all = await m.encode(TEXTS, 'passage');
    const one = await m.encode([TEXTS[1]], 'passage');
    const row = all.data.subarray(m.dim, 2 * m.dim);
    one.data.forEach((v, i) => assert.ok(Math.abs(v - row[i]) < 1e-5, `dim ${i}`));
    m.dispose();
  });

  it('has an embedding gradient equal to tf.gather\'s stock gradient (cpu)', () => {
    const table = tf.randomNormal([50, 6], 0, 1, 'float32', 5) as tf.Tensor2D;
    const ids = tf.tensor2d([[3, 7, 3], [49, 0, 7]], [2, 3], 'int32');
    const w = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 6);
    const ours = tf.grad((t: tf.Tensor) => embeddingLookup(t as tf.Tensor2D, ids).mul(w).sum())(table);
    const stock = tf.grad((t: tf.Tensor) => tf.gather(t, ids).mul(w).sum())(table);
    assert.ok(tf.max(tf.abs(ours.sub(stock))).dataSync()[0] < 1e-6);
    assert.deepEqual(embeddingLookup(table, ids).arraySync(), tf.gather(table, ids).arraySync());
  });

  it('trains: a few Adam steps lower an in-batch contrastive loss', () => {
    const m = createDualEncoder({ ...TINY, pooling: 'mean' }, bertTokenizer(), { seed: 7 });
    const qb = m.tokenize(['capital of france', 'dog breeds', 'speed of light'], 'query');
    const pb = m.tokenize(['Paris is the capital of France.', 'Labradors and poodles are dog breeds.', 'Light travels at 299,792 km/s.'], 'passage');
    const opt = tf.train.adam(0.03);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3);
    const losses: number[] = [];
    for (let s = 0; s < 6; s++) {
      const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, tf.matMul(m.embed(qb, 'query', true), m.embed(pb, 'passage', true), false, true)) as tf.Scalar, true, m.trainableVariables())!;
      losses.push(l.dataSync()[0]);
      l.dispose();
    }
    assert.ok(losses[losses.length - 1] < losses[0] * 0.5, `loss ${losses[0]} → ${losses[losses.length - 1]}`);
    m.dispose();
  });

  it('pools weighted token states as a batched product equal to the broadcast Mul + Sum formula, gradients included', () => {
    tf.tidy(() => {
      const config = parseStudentConfig({ ...TINY, pooling: 'mean', similarity: 'dot' });
      const hidden = tf.randomNormal([3, 9, config.hidden], 0, 2, 'float32', 11) as tf.Tensor3D;
      const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0]], undefined, 'int32');
      const ids = tf.zerosLike(mask) as tf.Tensor2D;
      const w = mask.toFloat();
      const formula = (h: tf.Tensor3D) => h.mul(w.expandDims(2)).sum(1).div(w.sum(1, true).add(1e-9));
      const dy = tf.randomNormal([3, config.hidden], 0, 1, 'float32', 12);
      const ours = pool(config, () => { throw new Error('mean pooling reads no parameter'); }, hidden, ids, mask);
      const grad = tf.grad((h: tf.Tensor) => tf.sum(tf.mul(pool(config, () => tf.zeros([1]), h as tf.Tensor3D, ids, mask), dy)))(hidden);
      const gradFormula = tf.grad((h: tf.Tensor) => tf.sum(tf.mul(formula(h as tf.Tensor3D), dy)))(hidden);
      assert.ok(tf.max(tf.abs(ours.sub(formula(hidden)))).dataSync()[0] < 1e-6);
      assert.ok(tf.max(tf.abs(grad.sub(gradFormula))).dataSync()[0] < 1e-6);
    });
  });

  it('normalises for cosine, uses separate towers when asked, and is deterministic with seeded dropout', async () => {
    const tok = bertTokenizer();
    const cos = createDualEncoder({ ...TINY, similarity: 'cosine', pooling: 'cls' }, tok, { seed: 1 });
    const e = await cos.encode(TEXTS, 'query');
    for (let r = 0; r < e.rows; r++) assert.ok(Math.abs(Math.hypot(...e.data.subarray(r * e.dim, (r + 1) * e.dim)) - 1) < 1e-5);
    const sep = createDualEncoder({ ...TINY, shareTowers: false }, tok, { seed: 1 });
    assert.ok(sep.paramNames().some((n) => n.startsWith('query.')) && sep.paramNames().some((n) => n.startsWith('passage.')));
    const d1 = createDualEncoder({ ...TINY, dropout: 0.3 }, tok, { seed: 9 });
    const d2 = createDualEncoder({ ...TINY, dropout: 0.3 }, tok, { seed: 9 });
    const run = (m: typeof d1) => tf.tidy(() => m.embed(m.tokenize(TEXTS, 'query'), 'query', true).arraySync());
    assert.deepEqual(run(d1), run(d2));
    [cos, sep, d1, d2].forEach((m) => m.dispose());
  });

  it('validates configs and ships the presets', () => {
    assert.throws(() => parseStudentConfig({ ...TINY, hidden: 15 }), /divisible/);
    assert.equal(DISTILBERT_BASE.hidden, 768);
    assert.equal(DISTILBERT_BASE.layers, 6);
    assert.equal(DEFAULT_STUDENT.pooling, 'idf-mean');
  });
});
