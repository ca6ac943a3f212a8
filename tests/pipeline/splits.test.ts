/**
 * Splits whose candidate lists spill to a file (lib/data/storedCandidates.ts): with the spill
 * threshold at 0 every list is read back from disk, and nothing a split or a run gives changes.
 */
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperimentConfig } from '../../lib/config';
import { StoredCandidateLists } from '../../lib/data/storedCandidates';
import { reproduce } from '../../lib/pipeline/reproduce';
import { loadSplit } from '../../lib/pipeline/splits';
import { writeTinyExperiment } from './tinyExperiment';

/** Runs `f` with the spill threshold set to `heldMax` entries. */
async function withHeldMax<T>(heldMax: string, f: () => Promise<T>): Promise<T> {
  const before = process.env.MTA4DPR_CANDIDATES_HELD_MAX;
  process.env.MTA4DPR_CANDIDATES_HELD_MAX = heldMax;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.MTA4DPR_CANDIDATES_HELD_MAX;
    else process.env.MTA4DPR_CANDIDATES_HELD_MAX = before;
  }
}

describe('pipeline/splits: candidate lists spilled to a file', function () {
  this.timeout(240_000);
  const { dir, configPath } = writeTinyExperiment();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a spilled split holds the same lists, in the same order, with the same content hash', async () => {
    const held = await loadSplit(['dl19-mini'], 'all', 10);
    const spilled = await withHeldMax('0', () => loadSplit(['dl19-mini'], 'all', 10));
    assert.ok(!(held.candidates.byQuery instanceof StoredCandidateLists));
    assert.ok(spilled.candidates.byQuery instanceof StoredCandidateLists);
    assert.deepEqual([...spilled.candidates.byQuery], [...held.candidates.byQuery]);
    assert.equal(spilled.contentHash, held.contentHash);
    assert.deepEqual(spilled.warnings, held.warnings);
  });

  it('refuses a threshold that is not a whole number', async () => {
    await assert.rejects(withHeldMax('1e-3', () => loadSplit(['dl19-mini'], 'all', 10)), /MTA4DPR_CANDIDATES_HELD_MAX must be a whole number/);
  });

  it('reproduce() of the tiny experiment gives the same rows, per-query values and iterations', async () => {
    const run = (out: string) => reproduce(loadExperimentConfig(configPath), { outDir: join(dir, out), progress: 'none', log: () => {} });
    const held = await run('held');
    const spilled = await withHeldMax('0', () => run('spilled'));
    assert.deepEqual(spilled.rows, held.rows);
    assert.deepEqual(spilled.outcomes.map((o) => o.perSeed), held.outcomes.map((o) => o.perSeed));
    const iterations = (r: typeof held) => JSON.stringify(r.outcomes.map((o) => o.iterations), (k, v) => (k === 'seconds' ? undefined : v));
    assert.equal(Object.values(held.outcomes.find((o) => o.system === 'MTA4DPR')!.iterations)[0].length, 2);
    assert.equal(iterations(spilled), iterations(held));
  });
});
