/**
 * Re-ranking candidate lists (lib/retrieval/rerank.ts): the streamed pass visits every query in
 * order with the same ranking whatever its query chunk, and the collected run is that pass.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { createDualEncoder } from '../../lib/models';
import { loadSplit, type Split } from '../../lib/pipeline/splits';
import { forEachReranked, rerankCandidates } from '../../lib/retrieval/rerank';
import type { QueryId, RunEntry } from '../../lib/data/types';
import { bertTokenizer, TINY } from '../models/helpers';

describe('retrieval/rerank', function () {
  this.timeout(120_000);
  let split: Split;
  before(async () => {
    await tf.setBackend('cpu');
    split = await loadSplit(['dl19-mini'], ['BM25', 'D_BERT_KD_TASB'], 10);
  });

  it('visits each query once, in the order asked, ranked by score then descending docid, whatever the query chunk', async () => {
    const model = createDualEncoder(TINY, bertTokenizer(), { seed: 1 });
    const ids = [...split.candidates.byQuery.keys()].reverse();
    const visits = async (queryChunk: number) => {
      const seen: Array<[QueryId, RunEntry[]]> = [];
      await forEachReranked(model, split, [...ids, 'not-a-query'], (q, ranked) => void seen.push([q, ranked]), { queryChunk });
      return seen;
    };
    const whole = await visits(1000);
    assert.deepEqual(whole.map(([q]) => q), ids, 'every query with candidates, in the order asked; an unknown one skipped');
    for (const [q, ranked] of whole) {
      assert.deepEqual(ranked.map((e) => e.rank), ranked.map((_, i) => i + 1));
      for (let i = 1; i < ranked.length; i++) {
        const a = ranked[i - 1];
        const b = ranked[i];
        assert.ok(a.score > b.score || (a.score === b.score && a.docId > b.docId), `${q}: ${a.docId} before ${b.docId}`);
      }
      assert.deepEqual(new Set(ranked.map((e) => e.docId)), new Set(split.candidates.byQuery.get(q)!.filter((d) => split.collection.passages.has(d))));
    }
    // Chunks of 1 and 2 queries: each query's embedding comes from another batch, the rankings are the same.
    for (const chunk of [1, 2]) assert.deepEqual(await visits(chunk), whole, `query chunk ${chunk}`);
    const run = await rerankCandidates(model, split, ids, { name: 'r' });
    assert.deepEqual([...run.byQuery.keys()], ids);
    for (const [q, ranked] of whole) assert.deepEqual(run.byQuery.get(q), ranked);
    model.dispose();
  });
});
