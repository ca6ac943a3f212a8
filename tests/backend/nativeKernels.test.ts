/**
 * Native kernels (native/, lib/backend/native-kernels.ts): every case they take equals the stock wasm
 * kernel, the cases they decline still work, errors stay tfjs's own, a training step matches, and
 * the embedding-gradient scatter, large and row-broadcast adds, block transposes, the fused AdamW and the lexical encoder's axpy are bit-identical to their JS paths. Skipped where the addon is not built, unless
 * MTA4DPR_NATIVE=required (CI), where a missing addon fails.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { maxAbsDiff, nativeKernelsOrSkip } from './nativeHelpers';
import { nativeAxpy, nativeKernelStatus, registerNativeKernels, SUM_SQUARES_KERNEL, swapMiddleDims, unregisterNativeKernels } from '../../lib/backend/native-kernels';
import { clipByGlobalNorm, clipScale } from '../../lib/train/clip';
import { embeddingLookup } from '../../lib/models/embedding';
import { AdamW } from '../../lib/train/adamw';

/** The wait policy the environment gave, read before any hook loads the addon. */
const givenWaitPolicy = process.env.OMP_WAIT_POLICY;

/** Runs `f` with the stock kernels, then the native ones; returns both results as plain arrays. */
function both<T>(f: () => T): { stock: T; native: T } {
  unregisterNativeKernels();
  const stock = f();
  registerNativeKernels();
  return { stock, native: f() };
}

describe('native kernels (OpenBLAS on the wasm heap)', function () {
  before(nativeKernelsOrSkip);
  after(() => registerNativeKernels());

  it('reports itself active with a thread count; OpenMP threads wait passively unless the environment says otherwise', () => {
    const s = nativeKernelStatus();
    assert.equal(s.active, true);
    assert.ok(s.threads! >= 1);
    // The policy is for libgomp as the addon loads it, not for the programs this process starts.
    assert.equal(process.env.OMP_WAIT_POLICY, givenWaitPolicy);
    // libgomp's own report of what it read (OMP_DISPLAY_ENV=verbose) as the addon loads, in a fresh
    // process: passive means no spinning (GOMP_SPINCOUNT 0; unset, libgomp spins 300000 times).
    const spinsIn = (env: NodeJS.ProcessEnv) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./lib/backend/native-kernels').nativeSgemm()"], {
        cwd: join(__dirname, '..', '..'), env: { ...env, OMP_DISPLAY_ENV: 'verbose' }, encoding: 'utf8',
      });
      return /GOMP_SPINCOUNT = '(\d+)'/.exec(r.stderr + r.stdout)?.[1];
    };
    const { OMP_WAIT_POLICY: _drop, GOMP_SPINCOUNT: _spin, ...without } = process.env;
    assert.equal(spinsIn(without), '0');
    assert.notEqual(spinsIn({ ...without, OMP_WAIT_POLICY: 'active' }), '0');
  });

  it('matMul equals the stock kernel for plain, transposed, batched and broadcast operands', () => {
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[64, 128, 128], [64, 128, 64], false, false], // attention probs · values
      [[300, 40], [300, 24], true, false], // weight gradient
      [[300, 40], [24, 40], false, true],
      [[3, 7, 5], [3, 9, 7], true, true],
      [[1, 5, 7], [4, 7, 3], false, false], // broadcast left
      [[4, 5, 7], [1, 7, 3], false, false], // broadcast right
      [[2, 3, 5, 7], [2, 3, 7, 4], false, false], // rank 4
    ];
    for (const [sa, sb, ta, tb] of cases) {
      tf.tidy(() => {
        const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
        const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
        const { stock, native } = both(() => tf.matMul(a, b, ta, tb));
        const scale = Math.sqrt(ta ? sa[sa.length - 2] : sa[sa.length - 1]);
        assert.ok(maxAbsDiff(stock, native) < 1e-5 * scale * 10, `${sa} × ${sb} (${ta}, ${tb})`);
      });
    }
  });

  it('matMul keeps tfjs errors for mismatched shapes and handles empty products', () => {
    registerNativeKernels();
    assert.throws(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5])), /inner shapes/);
    const e = tf.matMul(tf.zeros([0, 3]), tf.zeros([3, 5]));
    assert.deepEqual(e.shape, [0, 5]);
    e.dispose();
  });

  it('sum over leading axes equals the stock kernel; other reductions are declined and still right', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([8, 16, 32], 0, 1, 'float32', 3);
      for (const [axis, keep] of [[0, false], [[0, 1], true], [[1, 0], false], [1, false], [-1, false], [[0, 1, 2], false], [[0, 2], true]] as Array<[number | number[], boolean]>) {
        const { stock, native } = both(() => tf.sum(x, axis, keep));
        assert.ok(maxAbsDiff(stock, native) < 1e-4, `axis ${JSON.stringify(axis)} keepDims ${keep}`);
      }
      const ints = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
      assert.deepEqual(tf.sum(ints, 0).arraySync(), [4, 6]);
    });
  });

  it('gather of rows equals the stock kernel and out-of-range ids raise the tfjs error', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([50, 3, 4], 0, 1, 'float32', 4);
      const ids = tf.tensor2d([[1, 49], [0, 7], [7, 7]], [3, 2], 'int32');
      const { stock, native } = both(() => tf.gather(table, ids));
      assert.equal(maxAbsDiff(stock, native), 0);
      assert.deepEqual(tf.gather(table, tf.tensor1d([2, 1], 'int32'), 1).shape, [50, 2, 4]); // other axis: declined
      assert.throws(() => tf.gather(table, tf.tensor1d([50], 'int32')), /index value 50 is not in \[0, 49\]/);
    });
  });

  it('scatterND of embedding rows is bit-identical to the stock kernel (duplicates accumulated in order); an id outside the table is an error', () => {
    tf.tidy(() => {
      const updates = tf.randomNormal([40, 100], 0, 1, 'float32', 6);
      const ids = tf.tensor2d(Array.from({ length: 40 }, (_, i) => (i * 7919) % 23), [40, 1], 'int32'); // repeats
      const { stock, native } = both(() => tf.scatterND(ids, updates, [30, 100]));
      assert.deepEqual(native.dataSync(), stock.dataSync());
      // shapes it does not handle are declined and still right
      const small = both(() => tf.scatterND(tf.tensor2d([[1, 0]], [1, 2], 'int32'), tf.tensor1d([2.5]), [3, 2]));
      assert.deepEqual(small.native.arraySync(), small.stock.arraySync());
      // an id outside the table: a clear error (the stock wasm kernel writes outside the heap)
      assert.throws(() => tf.scatterND(tf.tensor2d([[0], [30]], [2, 1], 'int32'), tf.ones([2, 100]), [30, 100]), /index 30 at position 1 is not in \[0, 29\]/);
    });
  });

  it('large same-shape adds and adds of a broadcast row are bit-identical to the stock kernel; other broadcasts are declined and still right', () => {
    tf.tidy(() => {
      const a = tf.randomNormal([3000, 100], 0, 1, 'float32', 7);
      const b = tf.randomNormal([3000, 100], 0, 1, 'float32', 8);
      const big = both(() => tf.add(a, b));
      assert.deepEqual(big.native.dataSync(), big.stock.dataSync());
      const x = tf.randomNormal([4, 30, 200], 0, 1, 'float32', 14);
      const operands: Array<[tf.Tensor, number[]]> = [
        [a, [100]], [a, [1, 100]], [x, [30, 200]], [x, [1, 30, 200]], [x, [1, 1, 200]], // rows: taken
        [x, [4, 1, 200]], [x, [4, 30, 1]], [tf.randomNormal([1, 200]), [30, 1]], // declined
      ];
      for (const [t, shape] of operands) {
        const row = tf.randomNormal(shape, 0, 1, 'float32', 9);
        for (const [p, q] of [[t, row], [row, t]]) {
          const r = both(() => tf.add(p, q));
          assert.deepEqual(r.native.shape, r.stock.shape);
          assert.deepEqual(r.native.dataSync(), r.stock.dataSync(), `[${p.shape}] + [${q.shape}]`);
        }
      }
      assert.deepEqual(tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')).arraySync(), [4, 6]);
    });
  });

  it('transposes that swap two blocks of axes (the attention head split and merge) are bit-identical to the stock kernel; others are declined', () => {
    assert.deepEqual(swapMiddleDims([32, 128, 2, 64], [0, 2, 1, 3]), [32, 128, 2, 64]);
    assert.deepEqual(swapMiddleDims([5, 6, 7], [1, 2, 0]), [1, 5, 42, 1]);
    assert.deepEqual(swapMiddleDims([2, 3, 4, 5, 6], [0, 3, 4, 1, 2]), [2, 12, 30, 1]);
    assert.equal(swapMiddleDims([2, 3, 4], [0, 1, 2]), undefined);
    assert.equal(swapMiddleDims([2, 3, 4, 5], [0, 3, 1, 2].reverse()), undefined);
    assert.equal(swapMiddleDims([2, 3, 4, 5], [1, 0, 3, 2]), undefined);
    tf.tidy(() => {
      for (const [shape, perm] of [[[32, 128, 2, 64], [0, 2, 1, 3]], [[32, 2, 128, 64], [0, 2, 1, 3]], [[6, 40, 3, 32], [2, 0, 1, 3]],
        [[64, 300], [1, 0]], [[4, 5, 6, 7], [0, 3, 2, 1]]] as Array<[number[], number[]]>) {
        const x = tf.randomNormal(shape, 0, 1, 'float32', 15);
        const r = both(() => tf.transpose(x, perm));
        assert.deepEqual(r.native.shape, r.stock.shape);
        assert.deepEqual(r.native.dataSync(), r.stock.dataSync(), `[${shape}] by [${perm}]`);
      }
      const ints = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32');
      assert.deepEqual(tf.transpose(ints, [1, 0, 2]).arraySync(), [[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
    });
  });

  it('the sum of squares (clipping) equals Square + Sum to float rounding, and the clipped norm with it', async () => {
    for (const shape of [[30522, 100], [7], [0]]) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 11);
      const native = tf.engine().runKernel(SUM_SQUARES_KERNEL, { x }) as tf.Tensor;
      const exact = Array.from(x.dataSync()).reduce((s, v) => s + v * v, 0); // double
      assert.deepEqual(native.shape, []);
      assert.ok(Math.abs(native.dataSync()[0] - exact) <= 1e-6 * Math.max(1, exact), `${shape}: ${native.dataSync()[0]} vs ${exact}`);
      tf.dispose([x, native]);
    }
    const grads = [tf.randomNormal([300, 40], 0, 1, 'float32', 12), tf.randomNormal([40], 0, 1, 'float32', 13)];
    const withKernel = await clipByGlobalNorm(grads, 1);
    unregisterNativeKernels();
    const withOps = await clipByGlobalNorm(grads, 1);
    registerNativeKernels();
    assert.ok(Math.abs(withKernel.norm - withOps.norm) <= 1e-5 * withOps.norm, `${withKernel.norm} vs ${withOps.norm}`);
    tf.dispose([...grads, ...withKernel.grads.filter((g) => g !== undefined), ...withOps.grads.filter((g) => g !== undefined)]);
  });

  it('a training gradient through a transformer-shaped graph matches the stock kernels', () => {
    const grads = both(() => tf.tidy(() => {
      const w = tf.randomNormal([30, 16], 0, 0.5, 'float32', 5);
      const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 0]], [2, 4], 'int32');
      const f = (table: tf.Tensor) => {
        const x = embeddingLookup(table as tf.Tensor2D, ids); // [2, 4, 16], the student's lookup
        const att = tf.softmax(tf.matMul(x, x, false, true));
        return tf.sum(tf.square(tf.matMul(att, x)));
      };
      return tf.grad(f)(w);
    }));
    assert.ok(maxAbsDiff(grads.stock, grads.native) < 1e-4);
    tf.dispose([grads.stock, grads.native]);
  });

  it('the fused AdamW update is bit-identical to the tf-ops path, decay on and off, with the clipping factor folded in or applied first', async () => {
    // folded: apply(grads, lr, scale); first: the gradients scaled by clipByGlobalNorm, then apply(scaled, lr).
    const run = async (native: boolean, clip: 'folded' | 'first') => {
      if (native) registerNativeKernels();
      else unregisterNativeKernels();
      const vars = [[40, 7], [7]].map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 10 + i)));
      const grads = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 20 + i));
      const opt = new AdamW(vars, { weightDecay: 0.05 });
      const maxNorms = [Infinity, 3, 0.5]; // unclipped, then clipped twice
      for (const maxNorm of maxNorms) {
        if (clip === 'folded') opt.apply(grads, 1e-2, (await clipScale(grads, maxNorm)).scale);
        else {
          const scaled = await clipByGlobalNorm(grads, maxNorm);
          opt.apply(scaled.grads, 1e-2);
          tf.dispose(scaled.grads as tf.Tensor[]);
        }
      }
      const state = opt.getState();
      const out = [...(await Promise.all(vars.map((v) => v.data()))), ...(await Promise.all(Object.values(state.tensors).map((t) => t.data())))];
      tf.dispose([...vars, ...grads, ...Object.values(state.tensors)]);
      return out as Float32Array[];
    };
    const stock = await run(false, 'first');
    for (const [native, clip] of [[true, 'first'], [true, 'folded'], [false, 'folded']] as const) {
      const other = await run(native, clip);
      stock.forEach((s, i) => assert.deepEqual(other[i], s, `native ${native}, ${clip}: tensor ${i}`));
    }
  });

  it('axpy equals the JS loop out[o + k] += c * v[k] bit for bit (the lexical encoder relies on it), and checks its bounds', () => {
    const axpy = nativeAxpy();
    assert.ok(axpy, 'the built addon has axpy');
    let state = 12345;
    const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const dim = 4099;
    const js = new Float32Array(3 * dim).map(() => rand());
    const native = js.slice();
    for (let t = 0; t < 200; t++) {
      // Hash-vector-like ±1/√dim entries and arbitrary ones, coefficients over many magnitudes.
      const v = new Float32Array(dim).map(() => (t % 2 ? Math.sign(rand()) / Math.sqrt(dim) : rand()));
      const c = rand() * 10 ** ((t % 9) - 4) * Math.exp(rand());
      const o = (t % 3) * dim;
      for (let k = 0; k < dim; k++) js[o + k] += c * v[k];
      axpy(native, o, c, v);
    }
    assert.deepEqual(native, js);
    assert.throws(() => axpy(native, 2 * dim + 1, 1, new Float32Array(dim)), /exceeds out\.length/);
    assert.throws(() => axpy(native, 0, 1, new Float64Array(4) as unknown as Float32Array), /expected \(Float32Array out/);
  });
});
