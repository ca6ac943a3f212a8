/** Exact top-k equals brute force (with ties), chunk size does not matter; .npy round trip; HNSW agrees. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exactTopK, hitsToRun, hnswIndex, readNpy, writeNpy } from '../../lib/retrieval';
import { mulberry32, type EmbeddingMatrix } from '../../lib/models';

function brute(q: EmbeddingMatrix, c: EmbeddingMatrix, k: number): Array<Array<[number, number]>> {
  return Array.from({ length: q.rows }, (_, i) => {
    const s = Array.from({ length: c.rows }, (_, r): [number, number] => {
      let d = 0;
      for (let j = 0; j < c.dim; j++) d += q.data[i * q.dim + j] * c.data[r * c.dim + j];
      return [r, Math.fround(d)];
    });
    return s.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  });
}

const matrix = (rows: number, dim: number, values: number[]): EmbeddingMatrix => ({ rows, dim, data: Float32Array.from(values) });

describe('retrieval/exact top-k', () => {
  it('equals brute force on random integer data with many ties, for any chunk size', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 17 }), fc.infiniteStream(fc.integer({ min: -2, max: 2 })),
      fc.integer({ min: 1, max: 60 }),
      (nq, nc, dim, k, chunkRows, vals, scoreBufferFloats) => {
        const it = vals[Symbol.iterator]();
        const take = (n: number) => Array.from({ length: n }, () => it.next().value as number);
        const q = matrix(nq, dim, take(nq * dim));
        const c = matrix(nc, dim, take(nc * dim));
        const want = brute(q, c, k);
        // Any score-buffer budget (queries scored in blocks that fit it) gives the same hits.
        for (const got of [exactTopK(q, c, k, { chunkRows }), exactTopK(q, c, k, { chunkRows, scoreBufferFloats })]) {
          got.forEach((h, i) => assert.deepEqual(Array.from(h.indices).map((r, j) => [r, h.scores[j]]), want[i]));
        }
      }), { numRuns: 200 });
  });

  it('the BLAS engine (native kernels) and the JS loop agree on real-valued data', function () {
    const r = mulberry32(11);
    const q = matrix(7, 48, Array.from({ length: 7 * 48 }, () => r() - 0.5));
    const c = matrix(3000, 48, Array.from({ length: 3000 * 48 }, () => r() - 0.5));
    let blas: ReturnType<typeof exactTopK>;
    try {
      blas = exactTopK(q, c, 20, { engine: 'blas', chunkRows: 1000 });
    } catch (e) {
      if (process.env.MTA4DPR_NATIVE === 'required') throw e;
      this.skip();
    }
    const js = exactTopK(q, c, 20, { engine: 'js' });
    const blocked = exactTopK(q, c, 20, { engine: 'blas', chunkRows: 1000, scoreBufferFloats: 2500 });
    assert.deepEqual(blocked, blas!, 'queries scored two at a time give the same hits bit for bit');
    js.forEach((h, i) => {
      assert.deepEqual(Array.from(blas[i].indices), Array.from(h.indices));
      h.scores.forEach((s, j) => assert.ok(Math.abs(s - blas[i].scores[j]) < 1e-5));
    });
  });

  it('builds a Run with ranks 1..k and corpus ids', () => {
    const q = matrix(1, 2, [1, 0]);
    const c = matrix(3, 2, [0, 1, 2, 0, 1, 0]);
    const run = hitsToRun('t', ['q1'], exactTopK(q, c, 2), ['a', 'b', 'c']);
    assert.deepEqual(run.byQuery.get('q1'), [{ docId: 'b', score: 2, rank: 1 }, { docId: 'c', score: 1, rank: 2 }]);
  });

  it('HNSW (inner product) finds the exact neighbours on a small random set', () => {
    const r = mulberry32(7);
    // Unit vectors: HNSW's inner-product graph is only reliable when norms are comparable.
    const unit = (n: number) => Array.from({ length: n }, () => { const v = Array.from({ length: 8 }, () => r() - 0.5); const z = Math.hypot(...v); return v.map((x) => x / z); }).flat();
    const c = matrix(200, 8, unit(200));
    const q = matrix(5, 8, unit(5));
    const exact = exactTopK(q, c, 10);
    const approx = hnswIndex(c, { efSearch: 200 }).search(q, 10) as ReturnType<typeof exactTopK>;
    let overlap = 0;
    exact.forEach((h, i) => (overlap += Array.from(h.indices).filter((x) => approx[i].indices.includes(x)).length));
    assert.ok(overlap >= 45, `overlap ${overlap}/50`);
  });
});

describe('retrieval/npy', () => {
  it('round-trips float32 matrices and is readable by numpy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const m = matrix(3, 4, [...Array(12).keys()].map((x) => x / 3));
    await writeNpy(join(dir, 'm.npy'), m);
    assert.deepEqual(readNpy(join(dir, 'm.npy')), m);
    let out: string;
    try {
      out = execFileSync('python3', ['-c', `import numpy as n; a=n.load('${join(dir, 'm.npy')}'); print(a.dtype, a.shape, float(a.sum()))`], { encoding: 'utf8' });
    } catch {
      return; // numpy absent: the JS round trip above still holds
    }
    assert.equal(out.trim(), `float32 (3, 4) ${(66 / 3).toFixed(1)}`);
  });
});
