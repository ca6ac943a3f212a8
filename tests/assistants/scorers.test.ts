/** BM25 (wink) and dense scorers on real data, the assistants config, and the CLI report. */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../lib/data';
import { Bm25Scorer, DenseScorer } from '../../lib/assistants';
import { createGloveStudent, defaultModelPaths } from '../../lib/models/gloveStudent';
import type { EmbeddingMatrix, Encoder, TextKind } from '../../lib/models/types';

describe('Bm25Scorer (wink-bm25-text-search)', function () {
  this.timeout(60000);
  it('scores candidates consistently with its own full-collection search; 0 without shared terms, NaN if absent', async () => {
    const ds = await loadDataset('scifact-mini');
    const s = new Bm25Scorer();
    const q = [...ds.queries.queries.values()][0];
    const top = s.search(q, ds.collection, 5);
    assert.equal(top.length, 5);
    const ids = [...top.map((h) => h.docId), 'no-such-doc'];
    const scores = await s.score(q, ids, ds.collection);
    top.forEach((h, i) => assert.equal(scores[i], h.score));
    assert.ok(Number.isNaN(scores[5]));
    for (let i = 1; i < 5; i++) assert.ok(scores[i] <= scores[i - 1]);
    const none = await s.score({ id: 'x', text: 'zzzqqq' }, [top[0].docId], ds.collection);
    assert.equal(none[0], 0);
  });
});

describe('DenseScorer over a real encoder (GloVe-initialised student)', function () {
  this.timeout(60000);
  it('gives dot products of the encoder\'s embeddings and encodes each passage once', async () => {
    await tf.setBackend('cpu');
    const ds = await loadDataset('dl19-mini');
    const { model } = createGloveStudent({ gloveDir: defaultModelPaths().gloveFixtures, config: { arch: 'distilbert', vocabSize: 30522, layers: 1, hidden: 32, heads: 2, ffn: 64, pooling: 'mean', similarity: 'dot', queryMaxLength: 16, passageMaxLength: 32, maxPositions: 64 } });
    let encodedPassages = 0;
    const counting: Encoder = {
      name: model.name,
      dim: model.dim,
      encode: async (texts: readonly string[], kind: TextKind): Promise<EmbeddingMatrix> => {
        if (kind === 'passage') encodedPassages += texts.length;
        return model.encode(texts, kind);
      },
    };
    const scorer = new DenseScorer(counting, { batchSize: 4 });
    const q = [...ds.queries.queries.values()][0];
    const ids = [...ds.collection.passages.keys()].slice(0, 6);
    const s1 = await scorer.score(q, ids, ds.collection);
    const s2 = await scorer.score(q, [...ids.slice(0, 3), 'missing-doc'], ds.collection);
    assert.equal(encodedPassages, 6);
    assert.deepEqual(Array.from(s2.slice(0, 3)), Array.from(s1.slice(0, 3)));
    assert.ok(Number.isNaN(s2[3]));
    const qe = await model.encode([q.text], 'query');
    const pe = await model.encode([ds.collection.passages.get(ids[2])!.text], 'passage');
    const dot = qe.data.reduce((a, x, k) => a + x * pe.data[k], 0);
    assert.ok(Math.abs(dot - s1[2]) < 1e-4 * Math.max(1, Math.abs(dot)));
    model.dispose();
  });
});
