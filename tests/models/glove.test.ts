/** GloVe initialisation from the fixtures subset: reader, coverage, idf pooling, untrained retrieval sense. */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { createGloveStudent, gloveEmbedding, readGlove } from '../../lib/models';
import { bertTokenizer, GLOVE_FIXTURES } from './helpers';

describe('models/GloVe student', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('reads fp16 shards and copies whole-word rows into the word-piece table', () => {
    const g = readGlove(GLOVE_FIXTURES);
    assert.equal(g.dim, 100);
    assert.equal(g.vectors.length, g.words.length * 100);
    const vocab = bertTokenizer().vocab();
    const e = gloveEmbedding(vocab, g, 1);
    const the = vocab.indexOf('the');
    assert.deepEqual(e.table.subarray(the * 100, the * 100 + 100), g.vectors.subarray(g.index.get('the')! * 100, g.index.get('the')! * 100 + 100));
    assert.equal(e.coveredMask[vocab.indexOf('[CLS]')], 0);
    assert.ok(e.covered > 1000 && e.covered <= g.words.length);
    assert.deepEqual(gloveEmbedding(vocab, g, 1).table, e.table);
  });

  it('starts as an idf-weighted GloVe mean that ranks a matching passage first', async () => {
    const passages = ['The capital of France is Paris, a city on the Seine.', 'Dogs are loyal pets and need daily walks.', 'Photosynthesis converts light into chemical energy in plants.'];
    const { model, coverage } = createGloveStudent({ gloveDir: GLOVE_FIXTURES, idfTexts: passages, seed: 2, config: { arch: 'distilbert', vocabSize: 30522, hidden: 128, layers: 1, heads: 2, ffn: 256, maxPositions: 512, pooling: 'idf-mean', similarity: 'cosine', zeroInitResiduals: true } });
    assert.ok(coverage.tokenFraction! > 0.5);
    const p = await model.encode(passages, 'passage');
    const q = await model.encode(['which city is the capital of france', 'how do plants use light'], 'query');
    const best = (qi: number) => [0, 1, 2].map((j) => q.data.subarray(qi * q.dim, (qi + 1) * q.dim).reduce((a, v, d) => a + v * p.data[j * p.dim + d], 0)).reduce((bi, s, j, arr) => (s > arr[bi] ? j : bi), 0);
    assert.equal(best(0), 0);
    assert.equal(best(1), 2);
    model.dispose();
  });
});
