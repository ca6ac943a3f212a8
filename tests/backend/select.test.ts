/** Backend selection: auto order, forced backends fail fast, the danfojs shim is never taken for tfjs-node. */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import {
  BackendUnavailableError, backendReport, formatBackendReport, initBackend, probeTfjsNode, probeTfjsNodeGpu, probeWebgpu, resolveRequest,
} from '../../lib/backend';

describe('backend selection', () => {
  let savedEnv: string | undefined;
  beforeEach(() => {
    savedEnv = process.env.MTA4DPR_BACKEND;
    delete process.env.MTA4DPR_BACKEND;
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.MTA4DPR_BACKEND;
    else process.env.MTA4DPR_BACKEND = savedEnv;
  });

  it('auto picks the first available of tensorflow-gpu, tensorflow, webgpu on hardware, wasm (wasm on a machine without native TF or a GPU)', async () => {
    const expected = probeTfjsNodeGpu().ok ? 'tensorflow-gpu' : probeTfjsNode().ok ? 'tensorflow' : (await probeWebgpu(false)).ok ? 'webgpu' : 'wasm';
    const r = await initBackend();
    assert.equal(r.backend, expected);
    assert.equal(r.requested, 'auto');
    if (expected === 'wasm') {
      assert.equal(tf.getBackend(), 'wasm');
      assert.equal(typeof r.wasmSimd, 'boolean');
      assert.equal(r.threads, 1);
    }
  });

  it('is idempotent: the same request returns the same report without re-initialising', async () => {
    const a = await initBackend();
    const b = await initBackend({ backend: 'auto' });
    assert.equal(a, b);
    assert.equal(await backendReport(), a);
  });

  it('reports versions and machine facts', async () => {
    const r = await initBackend();
    assert.equal(r.tfjsVersion, tf.version_core);
    assert.equal(r.node, process.version);
    assert.ok(r.cpus >= 1 && r.totalMemGiB > 0 && r.threads >= 1);
    const text = formatBackendReport(r);
    assert.match(text, new RegExp(`backend: ${r.backend}`));
    assert.match(text, /CPUs/);
  });

  it('forcing tensorflow-gpu without it fails fast naming the package and the install route', async function () {
    if (probeTfjsNodeGpu().ok) this.skip();
    await assert.rejects(initBackend({ backend: 'tensorflow-gpu' }), (e: Error) => {
      assert.ok(e instanceof BackendUnavailableError);
      assert.match(e.message, /@tensorflow\/tfjs-node-gpu/);
      assert.match(e.message, /npm run setup:gpu/);
      assert.match(e.message, /CUDA 11\.2/);
      return true;
    });
  });

  it('never takes the danfojs-node shim for the real @tensorflow/tfjs-node', async function () {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installed = require('@tensorflow/tfjs-node/package.json') as { version: string };
    if (!installed.version.includes('mta4dpr-shim')) this.skip();
    const p = probeTfjsNode();
    assert.equal(p.ok, false);
    assert.match(p.reason ?? '', /shim/);
    await assert.rejects(initBackend({ backend: 'tensorflow' }), /@tensorflow\/tfjs-node.*shim/s);
    assert.notEqual(tf.getBackend(), 'tensorflow');
  });

  it('MTA4DPR_BACKEND forces a backend, and an unknown value is an error', async () => {
    process.env.MTA4DPR_BACKEND = 'cpu';
    const r = await initBackend();
    assert.equal(r.backend, 'cpu');
    assert.equal(r.requested, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    process.env.MTA4DPR_BACKEND = 'tpu';
    await assert.rejects(initBackend(), /MTA4DPR_BACKEND='tpu'/);
    delete process.env.MTA4DPR_BACKEND;
    assert.equal((await initBackend({ backend: 'wasm' })).backend, 'wasm');
  });

  it('resolveRequest: an explicit option wins over the environment; auto defers to it', () => {
    assert.equal(resolveRequest('cpu', { MTA4DPR_BACKEND: 'wasm' }), 'cpu');
    assert.equal(resolveRequest('auto', { MTA4DPR_BACKEND: 'wasm' }), 'wasm');
    assert.equal(resolveRequest(undefined, {}), 'auto');
    assert.throws(() => resolveRequest('gpu' as never, {}), /unknown backend 'gpu'/);
  });
});
