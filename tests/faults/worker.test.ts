/**
 * Parallel tasks run in forked library workers that die with their parent: SIGKILL of a
 * `reproduce --jobs 2` parent leaves no worker running and nothing written afterwards (before:
 * its `--task` CLI children were re-parented to PID 1 and kept writing into --out). The immediate
 * rerun takes over the stale lock, resumes, and writes results.json, per-query.json and report.md
 * byte-identical to an uninterrupted run's (per-batch choices `chosen` come from the trainer
 * checkpoints; wall-clock times live in timings.json only).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyExperimentConfig, writeTinyExperiment } from '../pipeline/tinyExperiment';
import { alive, childrenOf, snapshot, startCli, waitFor } from './helpers';

/** Files that must be byte-identical between an uninterrupted and a killed-and-resumed run. */
const RECORDS = ['results.json', 'per-query.json', 'report.md'];

/** Whether some iteration's trainer has written a mid-iteration checkpoint under `out`. */
function midIterationCheckpoint(out: string): boolean {
  const steps = join(out, 'steps');
  if (!existsSync(steps)) return false;
  return readdirSync(steps).some((d) => d.endsWith('.work') && existsSync(join(steps, d, 'train', 'checkpoints')) &&
    readdirSync(join(steps, d, 'train', 'checkpoints')).some((c) => c.startsWith('step-')));
}

describe('faults/worker: parallel tasks die with their parent', function () {
  this.timeout(300000);
  const { dir, configPath } = writeTinyExperiment();
  // Two seeds → two (row, seed) tasks; 12 steps per iteration → a checkpoint at step 10 to resume from;
  // random selection → the checkpointed selection RNG decides `chosen`.
  const config = { ...tinyExperimentConfig(), seeds: [1, 2], selection: { measure: 'random' }, train: { stepsPerIteration: 12, batchSize: 2, negatives: 3 } };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL of the parent: workers exit at once, nothing is written after; the rerun resumes to the same results', async () => {
    // The reference runs the same way (2 workers: native kernels get the same thread count, so the same float sums).
    const ref = await startCli(['reproduce', '--config', configPath, '--out', join(dir, 'reference'), '--jobs', '2', '--no-progress']).done;
    assert.equal(ref.code, 0, ref.stderr);
    const reference = Object.fromEntries(RECORDS.map((f) => [f, readFileSync(join(dir, 'reference', f), 'utf8')]));

    const out = join(dir, 'out');
    const parent = startCli(['reproduce', '--config', configPath, '--out', out, '--jobs', '2', '--no-progress']);
    const pid = parent.child.pid!;
    await waitFor(() => (childrenOf(pid).length === 2 && midIterationCheckpoint(out)) || parent.child.exitCode !== null, 240000, () => 'workers never reached a checkpoint');
    const workers = childrenOf(pid);
    assert.equal(workers.length, 2, 'the parent finished before the kill');
    parent.child.kill('SIGKILL');
    await parent.done;
    await waitFor(() => workers.every((w) => !alive(w)), 3000, () => `workers still alive after their parent's SIGKILL: ${workers.filter(alive)}`);
    const before = snapshot(out);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(snapshot(out), before, 'something wrote into --out after the parent was killed');

    const rerun = await startCli(['reproduce', '--config', configPath, '--out', out, '--jobs', '2', '--no-progress']).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, new RegExp(`taking over the stale lock of process ${pid}`));
    for (const f of RECORDS) {
      const [got, want] = [readFileSync(join(out, f), 'utf8'), reference[f]!];
      if (got === want) continue;
      let i = 0;
      while (got[i] === want[i]) i++;
      assert.fail(`${f} differs from the uninterrupted run at char ${i}: …${got.slice(Math.max(0, i - 300), i + 80)} vs …${want.slice(i, i + 80)}`);
    }
    assert.ok(existsSync(join(out, 'timings.json')), 'the wall-clock times are kept in timings.json');
    const perQuery = JSON.parse(reference['per-query.json']!);
    const chosen = perQuery.filter((o: { kind: string }) => o.kind === 'trained').flatMap((o: { iterations: Record<string, Array<{ chosen: Record<string, number> }>> }) =>
      Object.values(o.iterations).flatMap((its) => its.map((it) => Object.values(it.chosen).reduce((a, b) => a + b, 0))));
    assert.ok(chosen.length > 0 && chosen.every((n: number) => n === 12), `chosen counts do not cover every batch: ${chosen}`);
  });
});
