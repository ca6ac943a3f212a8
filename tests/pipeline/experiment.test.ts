/**
 * runExperiment without a caller's log (what the notebooks do): the tiny experiment's two (row, seed)
 * tasks run in two worker processes, every message and task start/finish goes to OUT/run.log, and
 * none of the tasks' lines reaches stderr (the notebooks' log wall, issue 17).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../lib/pipeline/experiment';
import { writeTinyExperiment } from './tinyExperiment';

describe('pipeline/experiment: the run log', function () {
  this.timeout(300000);
  const { dir, configPath } = writeTinyExperiment();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every task line to OUT/run.log and none to stderr', async () => {
    const out = join(dir, 'out');
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    let results;
    try {
      results = await runExperiment(configPath, { outDir: out, jobs: 2, progress: 'none', display: 'none', write: false });
    } finally {
      process.stderr.write = original;
    }
    assert.equal(results.rows.length, 3);
    const log = readFileSync(join(out, 'run.log'), 'utf8');
    for (const task of ['Untrained student / seed 1', 'MTA4DPR / seed 1']) {
      assert.match(log, new RegExp(`started ${task}\\n`));
      assert.match(log, new RegExp(`finished ${task}\\n`));
      assert.match(log, new RegExp(`\\[${task}\\] done in \\d+ s`));
    }
    assert.match(log, /MTA4DPR seed 1 iteration 2: held-out nDCG@10/);
    assert.deepEqual(written.filter((w) => /\[(MTA4DPR|Untrained student) \/ seed 1\]/.test(w)), []);
  });
});
