/**
 * The reproduction matrix: checkMatrix passes an entry within its tolerance, fails it outside,
 * on a missing row or metric, and on a non-finite value; loadMatrix validates the file.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkMatrix, loadMatrix, type MainTableRow, type ReproductionMatrix } from '../../lib/pipeline/matrix';

const matrix: ReproductionMatrix = {
  config: 'configs/dl-demo.json',
  command: 'mta4dpr reproduce --config configs/dl-demo.json',
  measuredOn: 'test',
  entries: [
    { system: 'MTA4DPR', dataset: 'dl19', metric: 'nDCG@10', expected: 0.30, tolerance: 0.02 },
    { system: 'BM25', dataset: 'dl19', metric: 'nDCG@10', expected: 0.5058, tolerance: 0 },
    { system: 'KD', dataset: 'dl19', metric: 'nDCG@10', expected: 0.25, tolerance: 0.01 },
  ],
};

function row(system: string, metrics: Record<string, number>, dataset = 'dl19'): MainTableRow {
  return { system, dataset, metrics, std: {}, seeds: 3 };
}

describe('pipeline/matrix', () => {
  it('passes entries within tolerance (tolerance 0: exact) and fails outside', () => {
    const inside = checkMatrix(matrix, [row('MTA4DPR', { 'nDCG@10': 0.3199 }), row('BM25', { 'nDCG@10': 0.5058 }), row('KD', { 'nDCG@10': 0.2401 })]);
    assert.deepEqual(inside.map((c) => c.ok), [true, true, true]);
    assert.deepEqual(inside.map((c) => c.actual), [0.3199, 0.5058, 0.2401]);
    const outside = checkMatrix(matrix, [row('MTA4DPR', { 'nDCG@10': 0.2799 }), row('BM25', { 'nDCG@10': 0.5059 }), row('KD', { 'nDCG@10': 0.2611 })]);
    assert.deepEqual(outside.map((c) => c.ok), [false, false, false]);
  });

  it('fails missing rows, rows of another dataset, missing metrics and NaN', () => {
    const c = checkMatrix(matrix, [row('MTA4DPR', { 'RR@10': 0.3 }), row('BM25', { 'nDCG@10': 0.5058 }, 'dl20'), row('KD', { 'nDCG@10': NaN })]);
    assert.deepEqual(c.map((x) => x.ok), [false, false, false]);
    assert.deepEqual(c.map((x) => x.actual), [undefined, undefined, NaN]);
    assert.deepEqual(checkMatrix(matrix, []).map((x) => x.ok), [false, false, false]);
  });

  it('loadMatrix reads a valid file and names the bad field of an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-matrix-'));
    try {
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify(matrix));
      assert.deepEqual(loadMatrix(good), matrix);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...matrix, entries: [{ ...matrix.entries[0], tolerance: -1 }] }));
      assert.throws(() => loadMatrix(bad), /invalid reproduction matrix: entries\.0\.tolerance: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
