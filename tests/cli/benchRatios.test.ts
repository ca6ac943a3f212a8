/** Ratios to the PyTorch reference: speed-ups for encoding/search, time ratio for training; none without the reference. */
import { strict as assert } from 'node:assert';
import { ratiosMarkdown, torchRatios } from '../../lib/cli/bench-ratios';

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

  it('prefers the interleaved PyTorch figure of a row, with its pair range and load', () => {
    const paired = { name: 'train', ok: true, result: { results: [{ model: 'default', native: true, groupsPerSecond: 10,
      torch: { groupsPerSecond: 12 }, interleaved: { pairRatios: [0.5, 1, 0.8], loadAverage1m: [3, 4, 5] } }] } };
    const [r] = torchRatios([paired, torch]);
    assert.equal(r.torch, 12); // not the separate run's 20
    assert.equal(Number(r.ratio.toFixed(3)), 1.2);
    assert.deepEqual(r.interleaved, { pairs: 3, minRatio: 1, maxRatio: 2, loadAverage1m: [3, 4, 5] });
    assert.match(ratiosMarkdown([r], '2026-12-01', 'x').split('\n').at(-1)!, /\| 3: 1\.00–2\.00, load 3\.0–5\.0 \|$/);
  });

  it('gives nothing when the reference was skipped or failed', () => {
    assert.deepEqual(torchRatios([...ours, { name: 'torch', ok: true, result: { skipped: 'PyTorch not found' } }]), []);
    assert.deepEqual(torchRatios([...ours, { name: 'torch', ok: false }]), []);
    assert.deepEqual(torchRatios(ours), []);
  });
});
