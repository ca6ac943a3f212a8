import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  addTermVector, createHashedLexicalStudent, LEXICAL_CHECKPOINT_FILES, LEXICAL_PARAMS, loadLexicalCheckpoint, loadStudentCheckpoint, saveLexicalCheckpoint, saveStudentCheckpoint, STUDENT_PRESETS, withStudentEncoder,
} from '../../lib/models';
import { termCounts } from '../../lib/text/analyzer';
import { bm25Idf, termStats } from '../../lib/text/termStats';
import { train } from '../../lib/train/trainer';
import { tinyGroups } from '../train/setup';

const COLLECTION = [
  'Volcanoes erupt lava and ash; a volcano forms where magma reaches the surface.',
  'The piano is a keyboard instrument; pianos have hammers that strike strings.',
  'Glaciers are rivers of ice that move slowly down valleys.',
  'A comet is an icy body; comets grow tails near the sun.',
  'Lava flows from the volcano reached the sea and formed new land.',
];
const QUERIES = ['how do volcanoes form', 'piano strings', 'comet tails', 'ice rivers and glaciers'];

function dot(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
  return s;
}

/** The sparse score the hashed vectors approximate: Σ_t q_t d_t / ‖q‖ with the model's weights. */
function sparseScore(query: string, passage: string, k1 = 0.9, b = 0.4): number {
  const s = termStats(COLLECTION);
  const idf = (t: string) => bm25Idf(s.documents, s.df.get(t) ?? 0);
  const q = termCounts(query);
  const p = termCounts(passage);
  const qw = new Map(q.terms.map((t, i) => [t, ((q.counts[i] * (k1 + 1)) / (q.counts[i] + k1)) * idf(t) ** 0.75]));
  const norm = Math.sqrt([...qw.values()].reduce((x, w) => x + w * w, 0));
  let score = 0;
  p.terms.forEach((t, i) => {
    const tf = p.counts[i];
    const sat = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * p.length) / s.meanLength));
    score += (qw.get(t) ?? 0) * sat * idf(t) ** 0.25;
  });
  return score / norm;
}

describe('models/lexical (hashed lexical student)', () => {
  it('is a named student preset', () => {
    assert.ok(STUDENT_PRESETS.includes('hashed-lexical') && STUDENT_PRESETS.includes('default'));
  });

  it('term vectors are seeded, unit length and nearly orthogonal', () => {
    const d = 4096;
    const v = (t: string, seed: number) => { const o = new Float32Array(d); addTermVector(t, seed, d, 1, o); return o; };
    assert.deepEqual(v('lava', 1), v('lava', 1));
    assert.notDeepEqual(v('lava', 1), v('lava', 2));
    assert.ok(Math.abs(dot(v('lava', 1), 0, v('lava', 1), 0, d) - 1) < 1e-5);
    // Cross products are sums of ±1/d: sd 1/√d ≈ 0.016; 5 sd is a failure.
    for (const [x, y] of [['lava', 'lavas'], ['volcano', 'volcanoe'], ['a', 'b']]) assert.ok(Math.abs(dot(v(x, 1), 0, v(y, 1), 0, d)) < 5 / Math.sqrt(d), `${x}·${y}`);
  });

  it('its training-free dot products approximate the sparse BM25-style score and rank like it', async () => {
    const m = createHashedLexicalStudent({ config: { dim: 8192 }, idfTexts: COLLECTION, seed: 3 });
    const q = await m.encode(QUERIES, 'query');
    const p = await m.encode(COLLECTION, 'passage');
    for (let i = 0; i < QUERIES.length; i++) {
      const exact = COLLECTION.map((c) => sparseScore(QUERIES[i], c));
      const approx = COLLECTION.map((_, j) => dot(q.data, i, p.data, j, m.dim));
      // Noise of the cross terms: ‖q‖·‖p‖/√dim per pair at most a few times that; passages here have ‖p‖ < 6.
      exact.forEach((e, j) => assert.ok(Math.abs(e - approx[j]) < 0.3, `query ${i} passage ${j}: ${e} vs ${approx[j]}`));
      const best = (xs: number[]) => xs.indexOf(Math.max(...xs));
      assert.equal(best(approx), best(exact), `query ${i}`);
    }
    m.dispose();
  });

  it('embed (differentiable) equals encode (sparse JS), both towers, unseen terms included', async () => {
    const m = createHashedLexicalStudent({ config: { dim: 256 }, idfTexts: COLLECTION, seed: 1 });
    const texts = [...QUERIES, 'quasars and pulsars never seen before', ''];
    for (const kind of ['query', 'passage'] as const) {
      const viaJs = await m.encode(texts, kind);
      const batch = m.tokenize(texts, kind);
      const e = m.embed(batch, kind, false);
      const viaTf = (await e.data()) as Float32Array;
      tf.dispose([e, batch.inputIds, batch.attentionMask]);
      viaJs.data.forEach((x, k) => assert.ok(Math.abs(x - viaTf[k]) < 1e-5, `${kind} ${k}: ${x} vs ${viaTf[k]}`));
      // The empty text embeds to zeros, not NaN.
      assert.ok(viaJs.data.slice(-m.dim).every((x) => x === 0));
    }
    assert.throws(() => m.embed({ inputIds: tf.zeros([1, 1], 'int32') as tf.Tensor2D, attentionMask: tf.ones([1, 1], 'int32') as tf.Tensor2D }, 'query', false), /tokenize/);
    m.dispose();
  });

  it('trains through lib/train: the loss falls and only weights of seen terms move', async () => {
    const groups = tinyGroups();
    const m = createHashedLexicalStudent({ config: { dim: 512 }, idfTexts: groups.flatMap((g) => g.passages), seed: 2 });
    const before = await m.weights();
    assert.ok(Object.values(before).every((w) => w.data.every((x) => x === 0)), 'the start is θ = 0');
    const losses: number[] = [];
    await train(m, groups, {
      steps: 20, batchSize: 3, lr: 0.1, warmupSteps: 2, seed: 1, progress: 'none',
      loss: { alpha: 1, beta: 1, gamma: 0, studentTemperature: 0.2, contrastiveTemperature: 0.2 },
      onStep: (r) => { losses.push(r.loss); },
    });
    const first = losses.slice(0, 5).reduce((s, x) => s + x, 0);
    const last = losses.slice(-5).reduce((s, x) => s + x, 0);
    assert.ok(last < first, `loss ${first / 5} → ${last / 5}`);
    const after = await m.weights();
    const moved = after[LEXICAL_PARAMS.passage].data.filter((x) => x !== 0).length;
    assert.ok(moved > 0 && moved <= m.vocabulary.terms.length, `${moved} passage weights moved`);
    // Query terms never seen in the vocabulary share the last row; every other row is a real term.
    assert.equal(after[LEXICAL_PARAMS.query].data.length, m.vocabulary.terms.length + 1);
    m.dispose();
  });

  it('checkpoints round-trip bit for bit; a broken terms file names file and line', async () => {
    const m = createHashedLexicalStudent({ config: { dim: 128 }, idfTexts: COLLECTION, seed: 4 });
    m.trainableVariables()[0].assign(tf.randomNormal([m.vocabulary.terms.length + 1], 0, 1, 'float32', 9));
    const dir = mkdtempSync(join(tmpdir(), 'lexical-ckpt-'));
    await saveLexicalCheckpoint(dir, m, { note: 'test' });
    const { model, extra } = loadLexicalCheckpoint(dir);
    assert.deepEqual(extra, { note: 'test' });
    assert.equal(await model.fingerprint(), await m.fingerprint());
    assert.deepEqual((await model.encode(QUERIES, 'query')).data, (await m.encode(QUERIES, 'query')).data);
    const terms = join(dir, LEXICAL_CHECKPOINT_FILES.terms);
    writeFileSync(terms, readFileSync(terms, 'utf8').replace(/\n/, '\nbroken line\n'));
    assert.throws(() => loadLexicalCheckpoint(dir), /terms\.tsv:2: expected/);
    model.dispose();
    m.dispose();
  });

  it('saves, loads and encodes through the student-kind-neutral helpers', async () => {
    const m = createHashedLexicalStudent({ config: { dim: 64 }, idfTexts: COLLECTION, seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'lexical-student-'));
    await saveStudentCheckpoint(dir, m);
    const { model } = await loadStudentCheckpoint(dir);
    const engine = await withStudentEncoder(model, async (e, how) => { assert.deepEqual((await e.encode(QUERIES, 'query')).data, (await m.encode(QUERIES, 'query')).data); return how; });
    assert.equal(engine, 'js');
    await assert.rejects(loadStudentCheckpoint(tmpdir()), /no student checkpoint/);
    model.dispose();
    m.dispose();
  });

  it('rejects bad configurations with the field named', () => {
    assert.throws(() => createHashedLexicalStudent({ config: { dim: 100 }, idfTexts: COLLECTION }), /dim/);
    assert.throws(() => createHashedLexicalStudent({ config: { dims: 1024 } as never, idfTexts: COLLECTION }), /dims/);
  });
});
