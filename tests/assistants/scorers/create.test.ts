/**
 * createScorer (lib/assistants/scorers/create.ts) with real models the package makes: a student
 * saved as checkpoint, HF and ONNX folders scored by the `dense` kind against the student's own
 * tfjs encoder; a random BERT cross-encoder and that dense model scoring dl19-mini candidates
 * through buildScoreTable, cached on rerun and recomputed when one weight byte changes.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildScoreTable, createScorer, disposeScorers, type ScoreTableProgress } from '../../../lib/assistants';
import { ModelRefSchema, type ModelRefInput } from '../../../lib/config/model';
import { createDualEncoder, DEFAULT_STUDENT, saveEncoderCheckpoint, saveHfModel, saveOnnxModel, writeRandomBertCrossEncoder } from '../../../lib/models';
import { loadSplit } from '../../../lib/pipeline/splits';
import { bertTokenizer } from '../../models/helpers';

const ref = (v: ModelRefInput) => ModelRefSchema.parse(v);

describe('createScorer: dense and cross-encoder folders (lib/assistants/scorers/create)', function () {
  this.timeout(300000);
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-create-scorer-'));
  const dirs = { checkpoint: join(root, 'ckpt'), hf: join(root, 'hf'), onnx: join(root, 'onnx'), ce: join(root, 'ce') };

  before(async () => {
    await tf.setBackend('cpu');
    const model = createDualEncoder({ ...DEFAULT_STUDENT, zeroInitResiduals: false, arch: 'bert' }, bertTokenizer(), { seed: 5, name: 'student' });
    await saveEncoderCheckpoint(dirs.checkpoint, model);
    await saveHfModel(model, dirs.hf);
    await saveOnnxModel(model, dirs.onnx);
    model.dispose();
    await writeRandomBertCrossEncoder(dirs.ce, { layers: 1, hidden: 16, seed: 3, maxPositions: 128 });
  });

  it('scores a student from its checkpoint, HF and ONNX folders as its own tfjs encoder does (pooling and similarity from the folder)', async () => {
    const split = await loadSplit(['dl19-mini'], 'all', 10);
    const [qid, docIds] = [...split.candidates.byQuery][0];
    const query = split.queries.queries.get(qid)!;
    const student = await createScorer(ref({ name: 'tfjs', kind: 'dense', path: dirs.checkpoint, engine: 'tfjs' }), { source: 'test' });
    const expected = await student.score(query, docIds, split.collection);
    await student.dispose?.();
    assert.ok(expected.every(Number.isFinite));
    for (const [format, dir] of Object.entries(dirs).filter(([f]) => f !== 'ce')) {
      for (const engine of format === 'onnx' ? ['auto'] as const : ['auto', 'tfjs'] as const) {
        const s = await createScorer(ref({ name: 'D', kind: 'dense', path: relative(root, dir), engine }), { source: 'test', baseDir: root });
        const got = await s.score(query, docIds, split.collection);
        await s.dispose?.();
        // float32 encoders (tfjs vs ORT, HF export folds the GloVe projection): cosine scores agree to 1e-4.
        got.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-4, `${format}/${engine} ${docIds[j]}: ${v} vs ${expected[j]}`));
      }
    }
    await assert.rejects(createScorer(ref({ name: 'D', kind: 'dense', path: dirs.onnx, pooling: 'cls' }), { source: 't' }), /pooling 'cls' cannot be changed/);
    await assert.rejects(createScorer(ref({ name: 'D', kind: 'dense', path: join(root, 'nope') }), { source: 't' }), /nope/);
  });

  it('scores dl19-mini candidates with a cross-encoder and a dense model through buildScoreTable; reruns hit the cache; a changed weight byte recomputes', async () => {
    const split = await loadSplit(['dl19-mini'], 'all', 10);
    const candidates = { byQuery: new Map([...split.candidates.byQuery].slice(0, 3).map(([q, l]) => [q, l.slice(0, 8)] as const)) };
    const refs = [ref({ name: 'CE', kind: 'cross-encoder', path: dirs.ce }), ref({ name: 'D', kind: 'dense', path: dirs.hf })];
    const cacheDir = join(root, 'scores');
    const build = async () => {
      const [teacher, dense] = await Promise.all(refs.map((r) => createScorer(r, { source: 'dl19-mini', runs: split.runs })));
      const events: ScoreTableProgress[] = [];
      try {
        const table = await buildScoreTable({ teacher, assistants: [dense], queries: split.queries, candidates, collection: split.collection }, { cacheDir, onProgress: (p) => events.push(p) });
        return { table, events, keys: [teacher.cacheKey, dense.cacheKey] };
      } finally {
        await disposeScorers([teacher, dense]);
      }
    };
    const cachedBy = (events: ScoreTableProgress[], model: string) => events.filter((e) => e.model === model).map((e) => e.cached);
    const first = await build();
    assert.deepEqual(first.table.models.map((m) => m.name), ['CE', 'D']);
    for (const q of first.table.byQuery.values()) {
      for (const s of q.scores) assert.ok(s.every(Number.isFinite), 'every candidate scored');
      assert.ok(new Set(q.scores[0]).size > 1, 'cross-encoder scores vary across candidates');
    }
    assert.deepEqual(cachedBy(first.events, 'CE'), [false, false, false]);
    const second = await build();
    assert.deepEqual([...cachedBy(second.events, 'CE'), ...cachedBy(second.events, 'D')], Array(6).fill(true), 'rerun: nothing rescored');
    assert.deepEqual([...second.table.byQuery.values()].map((q) => q.scores.map((s) => [...s])), [...first.table.byQuery.values()].map((q) => q.scores.map((s) => [...s])));
    // One byte of the cross-encoder's last tensor (classifier.weight; names are stored sorted) changes: its chunks are recomputed, the dense ones are not.
    const weights = join(dirs.ce, 'model.safetensors');
    const bytes = readFileSync(weights);
    bytes[bytes.length - 2] ^= 0x40;
    writeFileSync(weights, bytes);
    const third = await build();
    assert.notEqual(third.keys[0], first.keys[0]);
    assert.equal(third.keys[1], first.keys[1]);
    assert.deepEqual(cachedBy(third.events, 'CE'), [false, false, false]);
    assert.deepEqual(cachedBy(third.events, 'D'), [true, true, true]);
    const q0 = [...candidates.byQuery.keys()][0];
    assert.notDeepEqual([...third.table.byQuery.get(q0)!.scores[0]], [...first.table.byQuery.get(q0)!.scores[0]], 'the changed model gives changed scores, not stale ones');
  });
});
