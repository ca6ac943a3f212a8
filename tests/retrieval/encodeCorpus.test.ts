/** Corpus encoding: cached by (weights, texts, settings), resumable from chunks, order preserved. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createDualEncoder } from '../../lib/models';
import { encodeCorpus } from '../../lib/retrieval';
import { bertTokenizer, TINY } from '../models/helpers';

const passages = Array.from({ length: 23 }, (_, i) => ({ id: `d${i}`, text: `passage number ${i} about ${['cats', 'dogs', 'the sea'][i % 3]}` }));

describe('retrieval/encodeCorpus', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('caches, reuses, and invalidates when weights or texts change', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'enc-cache-'));
    const m = createDualEncoder(TINY, bertTokenizer(), { seed: 1 });
    const first = await encodeCorpus(m, passages, { batchSize: 5, cacheDir });
    assert.equal(first.fromCache, 0);
    assert.deepEqual(first.ids, passages.map((p) => p.id));
    const direct = await m.encode(passages.map((p) => p.text), 'passage');
    first.matrix.data.forEach((v, i) => assert.ok(Math.abs(v - direct.data[i]) < 1e-5));
    const second = await encodeCorpus(m, passages, { batchSize: 5, cacheDir });
    assert.equal(second.fromCache, 23);
    assert.deepEqual(second.matrix.data, first.matrix.data);
    const other = createDualEncoder(TINY, bertTokenizer(), { seed: 2 });
    assert.equal((await encodeCorpus(other, passages, { batchSize: 5, cacheDir })).fromCache, 0);
    assert.equal((await encodeCorpus(m, passages.slice(1), { batchSize: 5, cacheDir })).fromCache, 0);
    m.dispose();
    other.dispose();
  });

  it('resumes from the chunks of an interrupted run', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'enc-resume-'));
    const m = createDualEncoder(TINY, bertTokenizer(), { seed: 3 });
    let calls = 0;
    const failing = { name: m.name, dim: m.dim, fingerprint: () => m.fingerprint(), encode: async (t: readonly string[], k: 'query' | 'passage') => { if (++calls === 3) throw new Error('interrupted'); return m.encode(t, k); } };
    await assert.rejects(encodeCorpus(failing, passages, { batchSize: 5, cacheDir }), /interrupted/);
    const chunkDir = readdirSync(cacheDir).find((f) => f.endsWith('.chunks'))!;
    assert.equal(readdirSync(join(cacheDir, chunkDir)).length, 2);
    const resumed = await encodeCorpus(m, passages, { batchSize: 5, cacheDir });
    assert.equal(resumed.fromCache, 10);
    assert.ok(!existsSync(join(cacheDir, chunkDir)));
    const fresh = await encodeCorpus(m, passages, { batchSize: 5 });
    resumed.matrix.data.forEach((v, i) => assert.ok(Math.abs(v - fresh.matrix.data[i]) < 1e-6));
    m.dispose();
  });
});
