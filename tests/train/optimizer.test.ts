import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';
import { AdamW } from '../../lib/train/adamw';
import { clipByGlobalNorm } from '../../lib/train/clip';
import { linearWarmupDecay } from '../../lib/train/schedule';
import { Rng } from '../../lib/random/rng';

describe('train/optimiser', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('AdamW: first step is θ − lr·(sign(g) + λθ) (hand-computed)', () => {
    // After one step m̂ = g, v̂ = g², so m̂/(√v̂+ε) ≈ sign(g).
    const w = tf.variable(tf.tensor2d([[1, -2]]));
    const opt = new AdamW([w], { weightDecay: 0.1, epsilon: 0 });
    opt.apply([tf.tensor2d([[0.3, -5]])], 0.01);
    const got = Array.from(w.dataSync());
    assert.ok(Math.abs(got[0] - (1 - 0.01 * (1 + 0.1 * 1))) < 1e-6, String(got));
    assert.ok(Math.abs(got[1] - (-2 - 0.01 * (-1 + 0.1 * -2))) < 1e-6, String(got));
    opt.dispose();
    w.dispose();
  });

  it('AdamW without weight decay follows tfjs Adam for 20 steps', () => {
    const init = [[0.5, -1.5, 2], [0.1, 0.2, -0.3]];
    const a = tf.variable(tf.tensor2d(init));
    const b = tf.variable(tf.tensor2d(init));
    const target = tf.tensor2d([[1, 1, 1], [0, 0, 0]]);
    const loss = (v: tf.Variable) => tf.sum(tf.square(tf.sub(tf.mul(v, v), target))) as tf.Scalar;
    const ours = new AdamW([a], { weightDecay: 0, epsilon: 1e-7 });
    const ref = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    for (let i = 0; i < 20; i++) {
      const { grads, value } = tf.variableGrads(() => loss(a), [a]);
      ours.apply([grads[a.name]], 0.05);
      tf.dispose([value, grads[a.name]]);
      tf.tidy(() => { ref.minimize(() => loss(b), false, [b]); });
    }
    const [x, y] = [a.dataSync(), b.dataSync()];
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) < 1e-5, `${i}: ${x[i]} vs ${y[i]}`);
    tf.dispose([a, b, target]);
    ours.dispose();
    ref.dispose();
  });

  it('AdamW state round-trips: restored optimiser continues identically', () => {
    const mk = () => tf.variable(tf.tensor1d([1, 2, 3]).reshape([1, 3]));
    const [a, b] = [mk(), mk()];
    const g = tf.tensor2d([[0.5, -0.1, 2]]);
    const o1 = new AdamW([a]);
    o1.apply([g], 0.1);
    const state = o1.getState();
    const o2 = new AdamW([b]);
    b.assign(a);
    o2.setState({ step: state.step, tensors: Object.fromEntries(Object.entries(state.tensors).map(([k, t]) => [k, { shape: t.shape, data: t.dataSync() }])) });
    o1.apply([g], 0.1);
    o2.apply([g], 0.1);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([a, b, g, ...Object.values(state.tensors)]);
    o1.dispose();
    o2.dispose();
  });

  it('AdamW does not decay rank-1 variables by default', () => {
    const bias = tf.variable(tf.tensor1d([5]));
    const opt = new AdamW([bias], { weightDecay: 0.5 });
    opt.apply([tf.tensor1d([0])], 0.1); // zero gradient: only decay could move it
    assert.equal(bias.dataSync()[0], 5);
    opt.dispose();
    bias.dispose();
  });

  it('clips by global norm only above the threshold', async () => {
    const g = [tf.tensor1d([3, 0]), undefined, tf.tensor1d([0, 4])];
    const { grads, norm } = await clipByGlobalNorm(g, 1);
    assert.ok(Math.abs(norm - 5) < 1e-6);
    assert.ok(Math.abs(grads[0]!.dataSync()[0] - 0.6) < 1e-5);
    assert.equal(grads[1], undefined);
    const same = await clipByGlobalNorm(g, 10);
    assert.equal(same.grads[2]!.dataSync()[1], 4);
    tf.dispose([...g, ...grads, ...same.grads].filter((x): x is tf.Tensor => !!x));
  });

  it('linear warm-up then linear decay', () => {
    const o = { lr: 1, warmupSteps: 4, totalSteps: 10 };
    assert.deepEqual([1, 2, 4, 5, 10].map((s) => linearWarmupDecay(s, o)), [0.25, 0.5, 1, 1, 1 / 6]);
    assert.equal(linearWarmupDecay(11, o), 0);
    assert.equal(linearWarmupDecay(3, { lr: 2, warmupSteps: 0, totalSteps: 4 }), 1);
  });

  it('Rng: seeded, serialisable, permutations are permutations', () => {
    const a = new Rng(42);
    a.next();
    const b = Rng.fromState(a.state);
    assert.deepEqual([a.next(), a.int(10), a.permutation(5)], [b.next(), b.int(10), b.permutation(5)]);
    assert.deepEqual(new Rng(7).permutation(50).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual(new Rng(1).permutation(20), new Rng(2).permutation(20));
  });
});
