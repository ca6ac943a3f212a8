/**
 * The divergence guard: `lr: 1e6` used to run to the end with weights at 3.5e28 and exit 0. Now the
 * trainer stops at the step the weight norm explodes (or the loss passes its bound), names it, keeps
 * no checkpoint of the exploded weights, and `mta4dpr train` exits non-zero with summary.json saying why.
 */
import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCheckpoints } from '../../lib/train/checkpoint';
import { DivergenceError, train } from '../../lib/train/trainer';
import { createTinyEncoder } from '../train/tiny-encoder';
import { tinyGroups, tinyOptions } from '../train/setup';
import { runCli } from './helpers';
import { TINY_ROW, writeTinyTrainConfig } from './trainConfig';

describe('faults/divergence: exploding runs stop with the step named', function () {
  this.timeout(180000);
  let tmp: string;
  before(async () => {
    await tf.setBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-diverge-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('lr 1e6: stops on weight-norm growth at an early step, with no checkpoint of the exploded weights', async () => {
    const model = createTinyEncoder({ seed: 3 });
    const out = join(tmp, 'lr');
    await assert.rejects(train(model, tinyGroups(), tinyOptions({ lr: 1e6, warmupSteps: 0, outDir: out, checkpointEvery: 1 })), (e: unknown) => {
      assert.ok(e instanceof DivergenceError, String(e));
      assert.ok(e.step <= 3, `stopped only at step ${e.step}`);
      assert.match(e.message, new RegExp(`training diverged at step ${e.step}: the weight norm grew from .* beyond divergence.maxWeightNormGrowth ×100`));
      assert.deepEqual(listCheckpoints(join(out, 'checkpoints')), e.step > 1 ? [e.step - 2, e.step - 1].filter((s) => s > 0) : []);
      return true;
    });
    model.dispose();
  });

  it('the loss bound is configurable and named in the error', async () => {
    const model = createTinyEncoder({ seed: 3 });
    await assert.rejects(train(model, tinyGroups(), tinyOptions({ divergence: { maxLoss: 0.01 } })), /diverged at step 1: the loss .* exceeds divergence.maxLoss 0.01/);
    await assert.rejects(train(model, tinyGroups(), tinyOptions({ divergence: { maxLoss: -1 } })), /divergence.maxLoss must be a number > 0/);
    model.dispose();
  });

  it('`mta4dpr train` with lr 1e6 exits 1 naming the step and records it in summary.json', async () => {
    const { dir, configPath } = writeTinyTrainConfig({ lr: 1e6, warmupFraction: 0 });
    try {
      const out = join(dir, 'out');
      const r = await runCli(['train', '--config', configPath, '--row', TINY_ROW, '--out', out, '--no-progress']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /mta4dpr train: training diverged at step \d+: the weight norm grew/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      assert.ok(summary.diverged.step >= 1);
      assert.deepEqual(summary.divergenceGuard, { maxLoss: 1e4, maxWeightNormGrowth: 100 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
