/**
 * StepStore: a finished step is returned from disk without calling produce again, changed inputs
 * give a new key, a crashed produce leaves its `.work` folder for the next attempt to resume, and
 * records()/writeManifest() list exactly the finished steps with the hashes of their outputs.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StepStore } from '../../lib/pipeline/steps';

function sha256Hex(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('pipeline/steps StepStore', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mta4dpr-steps-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('does not recompute a finished step, also from a new store over the same folder', async () => {
    let calls = 0;
    const produce = async (dir: string) => {
      calls += 1;
      writeFileSync(join(dir, 'out.txt'), 'hello');
      return { n: 42 };
    };
    const a = await new StepStore(root).run('double', { x: 21 }, produce);
    assert.deepEqual([a.value, a.cached, calls], [{ n: 42 }, false, 1]);
    assert.equal(readFileSync(join(a.dir, 'out.txt'), 'utf8'), 'hello');
    const b = await new StepStore(root).run('double', { x: 21 }, produce);
    assert.deepEqual([b.value, b.cached, b.key, b.dir, calls], [{ n: 42 }, true, a.key, a.dir, 1]);
  });

  it('gives changed inputs (or another step name) a new key, and equal inputs the same key', async () => {
    const s = new StepStore(root);
    const k = s.keyOf('train', { lr: 1e-3, seed: 1 });
    assert.equal(s.keyOf('train', { lr: 1e-3, seed: 1 }), k);
    assert.notEqual(s.keyOf('train', { lr: 1e-3, seed: 2 }), k);
    assert.notEqual(s.keyOf('eval', { lr: 1e-3, seed: 1 }), k);
    assert.notEqual(s.keyOf('train', { lr: 1e-3, seed: 1, previous: 'abc' }), k);
    let calls = 0;
    const a = await s.run('train', { seed: 1 }, async () => ++calls);
    const b = await s.run('train', { seed: 2 }, async () => ++calls);
    assert.notEqual(a.key, b.key);
    assert.deepEqual([a.value, b.value, b.cached, calls], [1, 2, false, 2]);
  });

  it('a crashed produce leaves its .work folder, which the next attempt resumes from', async () => {
    const s = new StepStore(root);
    let attempts = 0;
    const produce = async (work: string) => {
      attempts += 1;
      const partial = join(work, 'partial.txt');
      // First attempt: write half of the work, then die.
      if (!existsSync(partial)) {
        writeFileSync(partial, 'first half');
        throw new Error('killed');
      }
      return { resumedFrom: readFileSync(partial, 'utf8') };
    };
    await assert.rejects(s.run('long', { n: 1 }, produce), /killed/);
    const dir = join(root, 'steps', `long-${s.keyOf('long', { n: 1 })}`);
    assert.ok(existsSync(`${dir}.work/partial.txt`), 'the crashed attempt left its work folder');
    assert.ok(!existsSync(dir), 'no finished folder after a crash');
    assert.deepEqual(s.records(), [], 'a crashed step is not a finished one');
    const r = await s.run('long', { n: 1 }, produce);
    assert.deepEqual([r.value, r.cached, attempts], [{ resumedFrom: 'first half' }, false, 2]);
    assert.ok(!existsSync(`${dir}.work`), 'the work folder became the finished folder');
    assert.ok(existsSync(join(dir, 'partial.txt')));
  });

  it('records() and writeManifest() list the finished steps with their inputs and output hashes', async () => {
    const s = new StepStore(root);
    const a = await s.run('first', { p: 1 }, async (dir) => {
      writeFileSync(join(dir, 'model.bin'), Buffer.from([1, 2, 3]));
      return 'a';
    });
    const b = await s.run('second', { previous: a.key }, async () => undefined);
    await assert.rejects(s.run('broken', {}, async () => { throw new Error('no'); }));
    // Order is by start time; both steps may start in the same millisecond, so look them up by name.
    const all = s.records();
    assert.deepEqual(all.map((r) => r.name).sort(), ['first', 'second']);
    const records = ['first', 'second'].map((n) => all.find((r) => r.name === n)!);
    assert.deepEqual(records[0].inputs, { p: 1 });
    assert.deepEqual(Object.keys(records[0].outputs).sort(), ['model.bin', 'value.json']);
    assert.equal(records[0].outputs['model.bin'], sha256Hex(join(a.dir, 'model.bin')));
    assert.equal(records[0].outputs['value.json'], sha256Hex(join(a.dir, 'value.json')));
    assert.ok(records.every((r) => r.elapsedS >= 0 && !Number.isNaN(Date.parse(r.startedAt))));
    // A step that returned undefined stores null, and is cached as such.
    assert.equal(JSON.parse(readFileSync(join(b.dir, 'value.json'), 'utf8')), null);
    assert.equal((await s.run('second', { previous: a.key }, async () => assert.fail('recomputed'))).cached, true);

    const m = await s.writeManifest({ config: 'test' });
    const onDisk = JSON.parse(readFileSync(s.manifestPath, 'utf8'));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(m)));
    assert.equal(onDisk.config, 'test');
    assert.deepEqual(Object.keys(onDisk.steps).sort(), [a.key, b.key].sort());
    assert.equal(onDisk.steps[a.key].outputs['model.bin'], sha256Hex(join(a.dir, 'model.bin')));
    assert.equal(onDisk.steps[b.key].dir, join('steps', `second-${b.key}`));
  });
});
