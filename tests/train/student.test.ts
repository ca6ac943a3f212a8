/**
 * The trainer on the real tfjs transformer dual encoder (lib/models, WordPiece over the real BERT
 * vocabulary), tiny width so it runs in seconds on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDualEncoder } from '../../lib/models/dualEncoder';
import { loadTokenizer } from '../../lib/text';
import { dataRoot } from '../../lib/data/paths';
import { train } from '../../lib/train/trainer';
import { tinyGroups, tinyOptions, weights } from './setup';

const TINY = {
  arch: 'distilbert' as const, vocabSize: 30522, embeddingDim: 8, hidden: 16, layers: 1, heads: 2, ffn: 32, maxPositions: 64,
  pooling: 'mean' as const, similarity: 'dot' as const, queryMaxLength: 16, passageMaxLength: 32,
};

describe('train/trainer on the transformer student (lib/models)', function () {
  this.timeout(120000);
  const tokenizer = loadTokenizer(join(dataRoot(), 'models', 'bert-base-uncased', 'vocab.txt'));
  const groups = tinyGroups();
  let tmp: string;
  before(async () => {
    await tf.setBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-student-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('trains without leaking tensors, and a crash + resume reproduces the uninterrupted weights', async () => {
    const options = tinyOptions({ steps: 6, batchSize: 2, lr: 0.01 });
    const full = createDualEncoder(TINY, tokenizer, { seed: 4 });
    const counts: number[] = [];
    const losses: number[] = [];
    await train(full, groups, { ...options, onStep: (r) => void (counts.push(tf.memory().numTensors), losses.push(r.loss)) });
    assert.equal(counts[1], counts[5], `live tensors grew: ${counts}`);
    assert.ok(losses.every(Number.isFinite));
    const expected = weights(full.trainableVariables());
    full.dispose();

    const out = join(tmp, 'crash');
    const crashed = createDualEncoder(TINY, tokenizer, { seed: 4 });
    await assert.rejects(train(crashed, groups, { ...options, outDir: out, checkpointEvery: 3, onStep: (r) => { if (r.step === 5) throw new Error('simulated crash'); } }), /simulated crash/);
    crashed.dispose();
    const resumed = createDualEncoder(TINY, tokenizer, { seed: 9 });
    const result = await train(resumed, groups, { ...options, outDir: out, checkpointEvery: 3, resume: true });
    assert.equal(result.resumedFrom, 3);
    const got = weights(resumed.trainableVariables());
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-5 * Math.max(1, Math.abs(x)), `${i}: ${x} vs ${expected[i]}`));
    resumed.dispose();
  });
});
