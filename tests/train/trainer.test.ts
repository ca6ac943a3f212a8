import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCheckpoints, loadLatestCheckpoint } from '../../lib/train/checkpoint';
import { NonFiniteLossError, train, type StepRecord } from '../../lib/train/trainer';
import { createTinyEncoder } from './tiny-encoder';
import { tinyGroups, tinyOptions, weights } from './setup';
import { makeFixture } from './fixture';
import { planTrainingGroups, type TrainingGroupSource } from '../../lib/train/groups';
import { sha256 } from '../../lib/io/hash';

describe('train/trainer (tiny hashed bag-of-words encoder)', function () {
  this.timeout(120000);
  const groups = tinyGroups();
  let tmp: string;

  before(async () => {
    await tf.setBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-train-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('lowers the loss and writes metrics.jsonl, checkpoints and the selected assistant', async () => {
    const model = createTinyEncoder({ seed: 3 });
    const out = join(tmp, 'basic');
    const records: StepRecord[] = [];
    const result = await train(model, groups, tinyOptions({ outDir: out, checkpointEvery: 10, onStep: (r) => void records.push(r) }));
    assert.equal(result.steps, 30);
    const first = records.slice(0, 5).reduce((s, r) => s + r.loss, 0) / 5;
    const last = records.slice(-5).reduce((s, r) => s + r.loss, 0) / 5;
    assert.ok(last < first, `loss did not fall: ${first} → ${last}`);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 30);
    assert.deepEqual(Object.keys(lines[0]).sort(), ['assistant', 'assistantKl', 'contrastive', 'epoch', 'examplesPerSec', 'gradNorm', 'loss', 'lr', 'step', 'teacherKl', 'tensors'].sort());
    assert.equal(lines[0].assistant, 'overlap');
    assert.deepEqual(listCheckpoints(join(out, 'checkpoints')), [20, 30]); // keep 2
    assert.deepEqual(result.assistantCounts, { overlap: 30 });
    await assert.rejects(train(model, groups, tinyOptions({ outDir: out })), /already holds checkpoints; pass resume/);
    model.dispose();
  });

  it('same seed → same numbers; another seed → other numbers', async () => {
    const run = async (seed: number) => {
      const model = createTinyEncoder({ seed: 3 });
      await train(model, groups, tinyOptions({ seed, steps: 12 }));
      const w = weights(model.trainableVariables());
      model.dispose();
      return w;
    };
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('a planned group list (groups built when drawn) trains exactly as the array, under the same resume fingerprint', async () => {
    const fx = makeFixture();
    const planned = planTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, { negatives: 3, seed: 5 }).groups;
    const run = async (source: TrainingGroupSource, outDir: string) => {
      const model = createTinyEncoder({ seed: 3 });
      await train(model, source, tinyOptions({ steps: 12, outDir }));
      const w = weights(model.trainableVariables());
      model.dispose();
      return w;
    };
    assert.deepEqual(await run(planned, join(tmp, 'planned')), await run(groups, join(tmp, 'array')));
    const sidecar = (dir: string) => loadLatestCheckpoint(join(tmp, dir, 'checkpoints'))!.sidecar.fingerprint;
    assert.equal(sidecar('planned'), sidecar('array'));
    // The digest the trainer had when it hashed the whole array at once: older checkpoints still resume.
    const o = tinyOptions({ steps: 12 });
    const { steps, batchSize, accumulationSteps, lr, warmupSteps, weightDecay, beta1, beta2, epsilon, maxGradNorm, loss, distribution, seed } = o;
    const shapes = createTinyEncoder({ seed: 3 }).trainableVariables().map((v) => v.shape);
    const whole = sha256({ steps, batchSize, accumulationSteps, lr, warmupSteps, weightDecay, beta1, beta2, epsilon, maxGradNorm, loss, distribution, seed }, groups.map((g) => [g.queryId, g.passages.length, g.docIds]), shapes);
    assert.equal(sidecar('array'), whole);
  });

  it('gradient accumulation of 2×1 groups equals one batch of 2 (no in-batch negatives)', async () => {
    const loss = { alpha: 1, beta: 1, gamma: 0, inBatchNegatives: false };
    const run = async (batchSize: number, accumulationSteps: number) => {
      const model = createTinyEncoder({ seed: 3 });
      await train(model, groups, tinyOptions({ steps: 8, batchSize, accumulationSteps, loss, selectTarget: undefined }));
      const w = weights(model.trainableVariables());
      model.dispose();
      return w;
    };
    const [a, b] = [await run(2, 1), await run(1, 2)];
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-4 * Math.max(1, Math.abs(x)), `${i}: ${x} vs ${b[i]}`));
  });

  it('requires selectTarget when γ > 0', async () => {
    const model = createTinyEncoder();
    await assert.rejects(train(model, groups, tinyOptions({ selectTarget: undefined })), /needs selectTarget/);
    model.dispose();
  });

  it('evaluates periodically and stops early when the metric stalls', async () => {
    const model = createTinyEncoder({ seed: 3 });
    const out = join(tmp, 'early');
    let calls = 0;
    const result = await train(model, groups, tinyOptions({
      outDir: out, evaluateEvery: 2, earlyStopping: { metric: 'score', patience: 2 },
      evaluate: async () => ({ score: ++calls === 1 ? 0.5 : 0.4 }),
    }));
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.steps, 6);
    assert.deepEqual(result.best, { step: 2, value: 0.5 });
    assert.ok(existsSync(join(out, 'best', 'model.safetensors')));
    assert.deepEqual(listCheckpoints(join(out, 'checkpoints')), [6]);
    model.dispose();
  });

  it('stops on a NaN loss naming the step and keeps the last good checkpoint', async () => {
    // Two embed() calls per step: calls 15–16 are step 8, so step 8 diverges after checkpoint 5.
    const model = createTinyEncoder({ seed: 3, poisonFromCall: 15 });
    const out = join(tmp, 'nan');
    await assert.rejects(train(model, groups, tinyOptions({ outDir: out, checkpointEvery: 5 })), (e: unknown) => {
      assert.ok(e instanceof NonFiniteLossError);
      assert.equal(e.step, 8);
      assert.match(e.message, /step 8: the loss \(NaN\) is not finite; the last good checkpoint is step 5/);
      return true;
    });
    assert.deepEqual(listCheckpoints(join(out, 'checkpoints')), [5]);
    const ck = loadLatestCheckpoint(join(out, 'checkpoints'))!;
    assert.ok(Object.values(ck.params).every((p) => p.data.every(Number.isFinite)));
    model.dispose();
  });

  it('leaks no tensors: live count after step 1000 equals that after step 10', async () => {
    const model = createTinyEncoder({ seed: 3 });
    const counts: Record<number, number> = {};
    await train(model, groups, tinyOptions({
      steps: 1000, batchSize: 1, loss: { alpha: 1, beta: 1, gamma: 0 }, selectTarget: undefined, onStep: (r) => { if (r.step === 10 || r.step === 1000) counts[r.step] = tf.memory().numTensors; },
    }));
    assert.equal(counts[1000], counts[10]);
    model.dispose();
  });

  it('leaks no tensors across runs: training the same model twice (iterations) keeps the live count', async () => {
    const model = createTinyEncoder({ seed: 3 });
    const before = tf.memory().numTensors;
    await train(model, groups, tinyOptions({ steps: 3, selectTarget: undefined, loss: { alpha: 1, beta: 1, gamma: 0 } }));
    await train(model, groups, tinyOptions({ steps: 3, selectTarget: undefined, loss: { alpha: 1, beta: 1, gamma: 0 } }));
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });

  it('a run SIGKILLed mid-way and resumed ends with the same weights as an uninterrupted run', async () => {
    const reference = createTinyEncoder({ seed: 3 });
    await train(reference, groups, tinyOptions());
    const expected = weights(reference.trainableVariables());
    reference.dispose();

    const out = join(tmp, 'killed');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'child.ts'), out, '4', '150'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const ckDir = join(out, 'checkpoints');
    const deadline = Date.now() + 60000;
    while (listCheckpoints(ckDir).filter((s) => s >= 8).length === 0) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child made no checkpoint: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = listCheckpoints(ckDir).pop()!;
    assert.ok(killedAt < 30, `child finished before the kill (${killedAt})`);

    const resumed = createTinyEncoder({ seed: 99 }); // other init: the checkpoint must overwrite it
    const result = await train(resumed, groups, tinyOptions({ outDir: out, checkpointEvery: 4, resume: true }));
    assert.equal(result.resumedFrom, killedAt);
    const got = weights(resumed.trainableVariables());
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-5 * Math.max(1, Math.abs(x)), `${i}: ${x} vs ${expected[i]}`));
    const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step);
    assert.deepEqual(steps, Array.from({ length: 30 }, (_, i) => i + 1));
    resumed.dispose();
  });
});
