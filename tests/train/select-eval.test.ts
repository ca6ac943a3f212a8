import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';
import type { Encoder } from '../../lib/models/types';
import { toDistribution } from '../../lib/assistants/distribution';
import { klDivergence } from '../../lib/assistants/divergence';
import { assistantSelector } from '../../lib/train/select-target';
import { rerankEvaluator } from '../../lib/train/rerank-eval';
import { train } from '../../lib/train/trainer';
import { makeFixture } from './fixture';
import { createTinyEncoder } from './tiny-encoder';
import { tinyGroups, tinyOptions } from './setup';

/** Counts of a fixed word list: a transparent bag-of-words encoder (`sign` flips passage vectors). */
function wordCountEncoder(words: string[], sign = 1): Encoder {
  return {
    name: 'word-counts', dim: words.length,
    async encode(texts, kind) {
      const f = kind === 'query' ? 1 : sign;
      const data = new Float32Array(texts.length * words.length);
      texts.forEach((t, i) => t.split(' ').forEach((w) => { const k = words.indexOf(w); if (k >= 0) data[i * words.length + k] += f; }));
      return { rows: texts.length, dim: words.length, data };
    },
  };
}

describe('train/assistantSelector and rerankEvaluator', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('selects the candidate closest to the teacher by mean KL, offering the fused assistant', () => {
    const batch = tinyGroups().slice(0, 3);
    const pick = assistantSelector()(batch);
    const dist = (name: string) => batch.reduce((s, g) => {
      const cand = name === 'fused' ? pick.name === 'fused' ? pick.probs![batch.indexOf(g)] : undefined : toDistribution(g.assistants[name]);
      return cand ? s + klDivergence(toDistribution(g.teacher), cand) : s;
    }, 0);
    assert.ok(['overlap', 'noise', 'fused'].includes(pick.name));
    assert.ok(dist('overlap') < dist('noise'), 'fixture: the overlap assistant is closer than noise');
    assert.notEqual(pick.name, 'noise');
    const fixed = assistantSelector({ selection: { measure: 'fixed', fixed: 'noise' } })(batch);
    assert.equal(fixed.name, 'noise');
    assert.deepEqual(fixed.scores[0], batch[0].assistants.noise);
  });

  it('plugs into the trainer for γ > 0 and counts the choices', async () => {
    const model = createTinyEncoder({ seed: 3 });
    const r = await train(model, tinyGroups(), tinyOptions({ steps: 4, selectTarget: assistantSelector() }));
    assert.equal(Object.values(r.assistantCounts).reduce((a, b) => a + b, 0), 4);
    model.dispose();
  });

  it('re-ranks held-out candidates with the encoder and scores nDCG@10', async () => {
    const fx = makeFixture();
    const ids = ['q0', 'q1', 'q2'];
    const candidates = { byQuery: new Map(ids.map((q) => [q, fx.table.byQuery.get(q)!.docIds])) };
    const evaluate = rerankEvaluator({ queryIds: ids, queries: fx.queries, candidates, collection: fx.collection, qrels: fx.qrels });
    const topics = ['river', 'volcano', 'piano'];
    const good = (await evaluate(wordCountEncoder(topics)))['nDCG@10'];
    const bad = (await evaluate(wordCountEncoder(topics, -1)))['nDCG@10']; // relevant passages ranked last
    // Grades 3 and 1 tie on topic counts; trec_eval's tie-break (docId descending) puts d_1 first:
    // DCG = 1 + 3/log2(3), ideal = 3 + 1/log2(3).
    const expected = (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3));
    assert.ok(Math.abs(good - expected) < 1e-9, `topic-matching encoder: ${good} vs ${expected}`);
    assert.ok(bad < good, `inverted encoder ${bad} should be worse than ${good}`);
  });
});
