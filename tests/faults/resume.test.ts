/**
 * Records from persisted state: a training run SIGKILLed at several points — between checkpoints,
 * in the middle of a checkpoint write, and again after resuming — ends with byte-identical weights,
 * checkpoint state (selection counts, both RNGs) and selection counts; interrupted checkpoint temp
 * folders are removed on the next start. Before: counts covered only the steps since the resume, the
 * random-selection RNG restarted, and `.tmp-step-*` folders stayed forever. The `train` CLI's
 * summary.json (with its `before` figures) is byte-identical after a kill and resume.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '../../lib/models/safetensors';
import { checkpointName, listCheckpoints } from '../../lib/train/checkpoint';
import { startCli, waitFor } from './helpers';
import { iterationTrainDir, TINY_ROW, writeTinyTrainConfig } from './trainConfig';

function startChild(out: string, delay: number, resume: boolean, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'train-child.ts'), out, String(delay), ...(resume ? ['resume'] : [])], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

const tempFolders = (ck: string) => (existsSync(ck) ? readdirSync(ck).filter((d) => d.startsWith('.tmp-')) : []);

describe('faults/resume: killed and resumed runs keep every record', function () {
  this.timeout(240000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-resume-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('SIGKILL mid-checkpoint-write, then between checkpoints: same weights, state and selection counts', async () => {
    const ref = join(tmp, 'reference');
    const r0 = startChild(ref, 0, false);
    assert.equal(await r0.exited, 0, r0.stderr());

    const out = join(tmp, 'killed');
    const ck = join(out, 'checkpoints');
    // 1: killed while checkpoint 9 is being written (its temp folder complete but not renamed).
    const a = startChild(out, 20, false, { SLOW_CHECKPOINT_MS: '5000' });
    await waitFor(() => /WRITING (9|1[0-9])\n/.test(a.stderr()) || a.child.exitCode !== null, 120000, () => a.stderr());
    a.child.kill('SIGKILL');
    await a.exited;
    assert.ok(tempFolders(ck).length > 0, 'the kill did not land inside a checkpoint write');
    assert.ok(!listCheckpoints(ck).includes(30), 'the first run finished before the kill');
    const killedAt = listCheckpoints(ck).pop();

    // 2: resumed, and killed again between checkpoints (a few steps after the next one).
    const b = startChild(out, 80, true);
    await waitFor(() => tempFolders(ck).length === 0 && listCheckpoints(ck).some((s) => s > killedAt!), 120000, () => b.stderr());
    const next = listCheckpoints(ck).pop()!;
    await waitFor(() => b.stderr().includes(`STEP ${next + 2}\n`) || b.child.exitCode !== null, 120000, () => b.stderr());
    b.child.kill('SIGKILL');
    await b.exited;
    assert.ok(!listCheckpoints(ck).includes(30), 'the second run finished before the kill');

    // 3: resumed to the end.
    const c = startChild(out, 0, true);
    assert.equal(await c.exited, 0, c.stderr());
    assert.deepEqual(tempFolders(ck), []);

    const final = (root: string, f: string) => readFileSync(join(root, 'checkpoints', checkpointName(30), f));
    const picks = (root: string) => readFileSync(join(root, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => `${r.step}:${r.assistant}:${r.loss}`);
    assert.deepEqual(picks(out), picks(ref));
    // The tiny test encoder names its variables randomly per process; everything else must match.
    const state = (root: string) => final(root, 'state.json').toString().replace(/"name": "tiny_[^"]*"/g, '"name": "tiny"');
    assert.equal(state(out), state(ref));
    assert.equal(readFileSync(join(out, 'result.json'), 'utf8'), readFileSync(join(ref, 'result.json'), 'utf8'));
    // Tensor bytes (the header's metadata holds those random variable names too).
    const tensors = (root: string, f: string) => Object.entries(readSafetensors(join(root, 'checkpoints', checkpointName(30), f)).tensors)
      .map(([k, t]) => `${k} ${Buffer.from(Float32Array.from(t.data).buffer).toString('hex')}`);
    assert.deepEqual(tensors(out, 'model.safetensors'), tensors(ref, 'model.safetensors'), 'final weights differ');
    assert.deepEqual(tensors(out, 'optimizer.safetensors'), tensors(ref, 'optimizer.safetensors'), 'optimizer moments differ');
    const counts = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).assistantCounts as Record<string, number>;
    assert.equal(Object.values(counts).reduce((x, y) => x + y, 0), 30, `counts cover every step: ${JSON.stringify(counts)}`);
    assert.ok(Object.keys(counts).length >= 2, `a random selection picked one candidate only: ${JSON.stringify(counts)}`);
  });

  it('`mta4dpr train` killed and resumed writes a byte-identical summary.json', async () => {
    const { dir, configPath } = writeTinyTrainConfig({ stepsPerIteration: 8, checkpointEvery: 2 });
    const args = (out: string) => ['train', '--config', configPath, '--row', TINY_ROW, '--out', out, '--no-progress'];
    try {
      // The reference runs in the same folder first (summary.json names its paths), then makes room.
      const out = join(dir, 'out');
      const r = await startCli(args(out)).done;
      assert.equal(r.code, 0, r.stderr);
      const expected = readFileSync(join(out, 'summary.json'), 'utf8');
      rmSync(out, { recursive: true });
      const run = startCli(args(out));
      const checkpoints = () => { const t = iterationTrainDir(out); return t === undefined ? [] : listCheckpoints(join(t, 'checkpoints')); };
      await waitFor(() => checkpoints().some((s) => s >= 4) || run.child.exitCode !== null, 120000, () => 'no checkpoint 4');
      run.child.kill('SIGKILL');
      await run.done;
      assert.equal(existsSync(join(out, 'summary.json')), false, 'the run finished before the kill');
      const resumed = await startCli(args(out)).done;
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /taking over the stale lock of process \d+/);
      assert.match(resumed.stderr, /iteration 1: resumed from the checkpoint of step [4-8]/);
      const summary = readFileSync(join(out, 'summary.json'), 'utf8');
      assert.equal(summary, expected);
      assert.ok(JSON.parse(summary).heldOut['nDCG@10'] >= 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
