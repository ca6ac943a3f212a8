/**
 * One writer per folder: a second process is refused with the holder's pid, the lock goes away on
 * SIGTERM, a dead holder's lock is taken over with a note, and two real `train` runs on one folder
 * give one run and one refusal (before: both ran and metrics.jsonl held every step twice).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOLDER_LOCK, LockedError, lockFolder } from '../../lib/io/lock';
import { startCli, waitFor } from './helpers';
import { iterationTrainDir, TINY_ROW, writeTinyTrainConfig } from './trainConfig';

function holdLock(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'hold-lock.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { child, exited, locked: () => out.includes('locked') };
}

describe('faults/lock: one writer per output folder', function () {
  this.timeout(180000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-lock-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('refuses a second process naming the holder pid; SIGTERM releases the lock', async () => {
    const dir = join(tmp, 'held');
    const h = holdLock(dir);
    await waitFor(h.locked, 60000, () => 'the helper never took the lock');
    assert.throws(() => lockFolder(dir, 'test'), (e: unknown) => {
      assert.ok(e instanceof LockedError);
      assert.equal(e.owner.pid, h.child.pid);
      assert.match(e.message, new RegExp(`in use by process ${h.child.pid} \\(hold-lock test helper`));
      return true;
    });
    h.child.kill('SIGTERM');
    await h.exited;
    assert.equal(existsSync(join(dir, FOLDER_LOCK)), false, 'the lock file outlived SIGTERM');
    lockFolder(dir, 'test').release();
  });

  it('takes over the lock of a dead process with a note naming it', async () => {
    const dir = join(tmp, 'stale');
    const h = holdLock(dir);
    await waitFor(h.locked, 60000, () => 'the helper never took the lock');
    h.child.kill('SIGKILL'); // no handler runs: the lock file stays behind
    await h.exited;
    assert.ok(existsSync(join(dir, FOLDER_LOCK)));
    const notes: string[] = [];
    const lock = lockFolder(dir, 'test', (m) => notes.push(m));
    assert.equal(notes.length, 1);
    assert.match(notes[0], new RegExp(`taking over the stale lock of process ${h.child.pid} .*no longer running`));
    assert.equal(JSON.parse(readFileSync(join(dir, FOLDER_LOCK), 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(existsSync(join(dir, FOLDER_LOCK)), false);
  });

  it('two concurrent `train` runs on one --out: one trains, the other is refused at once naming its pid', async () => {
    const { dir, configPath } = writeTinyTrainConfig({ stepsPerIteration: 3, checkpointEvery: 3 });
    try {
      const out = join(dir, 'out');
      const first = startCli(['train', '--config', configPath, '--row', TINY_ROW, '--out', out, '--no-progress']);
      await waitFor(() => existsSync(join(out, FOLDER_LOCK)), 60000, () => 'the first run never locked its folder');
      const second = await startCli(['train', '--config', configPath, '--row', TINY_ROW, '--out', out, '--no-progress']).done;
      assert.equal(second.code, 1, second.stderr);
      assert.match(second.stderr, new RegExp(`in use by process ${first.child.pid} \\(mta4dpr train`));
      assert.doesNotMatch(second.stderr, /dataset dl19-mini/, 'the refused run read data');
      const r = await first.done;
      assert.equal(r.code, 0, r.stderr);
      const lines = readFileSync(join(iterationTrainDir(out)!, 'metrics.jsonl'), 'utf8').trim().split('\n').filter((l) => 'loss' in JSON.parse(l));
      assert.deepEqual(lines.map((l) => JSON.parse(l).step), [1, 2, 3]);
      assert.equal(existsSync(join(out, FOLDER_LOCK)), false, 'the lock outlived the run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
