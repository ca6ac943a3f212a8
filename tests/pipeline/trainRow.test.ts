/**
 * `mta4dpr train --config C --row R`: one row of the tiny experiment for one seed, through the
 * method's stages, into its own folder; a rerun into it reuses the finished iterations.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli';
import { writeTinyExperiment } from './tinyExperiment';

describe('pipeline/trainRow via mta4dpr train', function () {
  this.timeout(180000);
  const { dir, configPath } = writeTinyExperiment();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trains the row, writes summary.json and the final HF model; a rerun recomputes nothing', async () => {
    const out = join(dir, 'train');
    const log = console.log;
    const printed: string[] = [];
    console.log = (m: unknown) => void printed.push(String(m));
    try {
      assert.equal(await main(['train', '--config', configPath, '--row', 'MTA4DPR', '--out', out, '--no-progress']), 0);
    } finally {
      console.log = log;
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(summary.row, 'MTA4DPR');
    assert.equal(summary.seed, 1);
    assert.deepEqual(summary.iterations.map((i: { steps: number }) => i.steps), [2, 2]);
    assert.ok(existsSync(join(out, 'final')));
    assert.deepEqual(JSON.parse(printed.join('\n')).heldOut, summary.heldOut);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const before = Object.keys(manifest.steps).sort();
    assert.equal(await main(['train', '--config', configPath, '--row', 'MTA4DPR', '--out', out, '--no-progress']).finally(() => undefined), 0);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).steps).sort(), before);
    // A 'run' row has nothing to train.
    assert.equal(await main(['train', '--config', configPath, '--row', 'BM25', '--out', out]), 1);
  });
});
