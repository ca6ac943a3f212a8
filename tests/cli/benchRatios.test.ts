/** Ratios to the PyTorch reference: speed-ups for encoding/search, time ratio for training; none without the reference. */
import { strict as assert } from 'node:assert';
import { torchRatios } from '../../lib/cli/bench-ratios';

const torch = {
  name: 'torch', ok: true,
  result: { results: [{ model: 'default', encode: { passagesPerSecond: 800 }, train: { groupsPerSecond: 20 } }], search: { queriesPerSecond: 500 } },
};
const ours = [
  { name: 'encode', ok: true, result: { results: [{ model: 'default', engine: 'onnxruntime', passagesPerSecond: 1200 }, { model: 'distilbert', engine: 'onnxruntime', passagesPerSecond: 9 }] } },
  { name: 'train', ok: true, result: { results: [{ model: 'default', native: true, groupsPerSecond: 16 }, { model: 'default', native: false, error: 'x' }] } },
  { name: 'search', ok: true, result: { results: [{ engine: 'blas', queriesPerSecond: 400 }, { engine: 'blas', skipped: 'no addon' }] } },
];

describe('cli/bench ratios to PyTorch', () => {
  it('divides throughputs the documented way and skips rows without a counterpart or a number', () => {
    const r = torchRatios([...ours, torch]);
    assert.deepEqual(r.map((x) => [x.what.split(' ')[0], x.engine, Number(x.ratio.toFixed(3))]), [
      ['encode', 'onnxruntime', 1.5],
      ['train', 'tfjs-wasm+native', 1.25],
      ['exact', 'blas', 0.8],
    ]);
  });

  it('gives nothing when the reference was skipped or failed', () => {
    assert.deepEqual(torchRatios([...ours, { name: 'torch', ok: true, result: { skipped: 'PyTorch not found' } }]), []);
    assert.deepEqual(torchRatios([...ours, { name: 'torch', ok: false }]), []);
    assert.deepEqual(torchRatios(ours), []);
  });
});
