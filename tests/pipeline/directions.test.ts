/**
 * Both directions of an experiment (data.reverse): the swapped config, pooling per-query values
 * seed by seed, and a real tiny experiment run both ways — each direction's rows, the pooled row
 * over every test query, pooled paired tests, and parallel workers taking one direction each.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExperimentConfig } from '../../lib/config';
import { directionLabel, directionsOf, pooledQueryId, poolPerSeed } from '../../lib/pipeline/directions';
import { runExperiment } from '../../lib/pipeline/experiment';
import { reproduce, type ReproduceResults } from '../../lib/pipeline/reproduce';
import { iterationRows, trainingOutcomes } from '../../lib/pipeline/report';
import { tinyExperimentConfig, writeTinyExperiment } from './tinyExperiment';

function reversedTiny(): Record<string, unknown> {
  const c = tinyExperimentConfig();
  return { ...c, name: 'tiny-both-ways', data: { ...(c.data as object), reverse: true } };
}

describe('pipeline/directions', () => {
  it('directionsOf: the configured direction, then train and test swapped, each without reverse', () => {
    const one = directionsOf(parseExperimentConfig(tinyExperimentConfig()));
    assert.equal(one.length, 1);
    assert.equal(directionLabel(one[0]), 'dl19-mini → dl20');
    const both = directionsOf(parseExperimentConfig(reversedTiny()));
    assert.deepEqual(both.map(directionLabel), ['dl19-mini → dl20', 'dl20 → dl19-mini']);
    assert.ok(both.every((d) => d.data.reverse === false));
    // The forward direction is the config as written without `reverse`: its steps are shared with it.
    assert.deepEqual({ ...both[0], name: 'tiny-e2e' }, one[0]);
  });

  it('poolPerSeed joins the parts seed by seed under dataset-prefixed ids and refuses unequal seeds', () => {
    const a = { dataset: 'dl19', perSeed: { 1: { q1: { m: 0.5 } }, 2: { q1: { m: 0.7 } } } };
    const b = { dataset: 'dl20', perSeed: { 1: { q1: { m: 0.1 }, q2: { m: 0.2 } }, 2: { q1: { m: 0.3 }, q2: { m: 0.4 } } } };
    const pooled = poolPerSeed([a, b]);
    assert.deepEqual(Object.keys(pooled), ['1', '2']);
    // The same query id in two years stays two queries.
    assert.deepEqual(pooled['2'], { [pooledQueryId('dl19', 'q1')]: { m: 0.7 }, 'dl20/q1': { m: 0.3 }, 'dl20/q2': { m: 0.4 } });
    assert.throws(() => poolPerSeed([a, { dataset: 'dl20', perSeed: { 1: {} } }]), /dl20 has seeds 1, dl19 has 1, 2/);
  });
});

describe('pipeline/directions (tiny real experiment, both ways)', function () {
  this.timeout(300000);
  const { dir } = writeTinyExperiment();
  const configPath = join(dir, 'both.json');
  writeFileSync(configPath, JSON.stringify(reversedTiny(), null, 2));
  let results: ReproduceResults;

  before(async () => {
    results = await reproduce(parseExperimentConfig(reversedTiny()), { outDir: join(dir, 'serial'), progress: 'none', log: () => {} });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each row on each direction\'s test set, then pooled over both', () => {
    assert.deepEqual(results.rows.map((r) => `${r.system} @ ${r.dataset}`), [
      'BM25 @ dl20', 'BM25 @ dl19-mini', 'BM25 @ dl20+dl19-mini',
      'Untrained student @ dl20', 'Untrained student @ dl19-mini', 'Untrained student @ dl20+dl19-mini',
      'MTA4DPR @ dl20', 'MTA4DPR @ dl19-mini', 'MTA4DPR @ dl20+dl19-mini',
    ]);
    assert.deepEqual(results.directions.map((d) => [d.train, d.tests]), [['dl19-mini', ['dl20']], ['dl20', ['dl19-mini']]]);
    assert.equal(results.trainSplit, 'dl19-mini → dl20; dl20 → dl19-mini');
    assert.equal(results.heldOut.length, results.directions[0].heldOut.length + results.directions[1].heldOut.length);
  });

  it('the pooled row is every test query of both directions: its mean is the query-weighted mean of the parts', () => {
    for (const system of ['BM25', 'Untrained student', 'MTA4DPR']) {
      const parts = results.outcomes.filter((o) => o.system === system && !o.pooled);
      const pooled = results.outcomes.find((o) => o.system === system && o.pooled)!;
      const sizes = parts.map((p) => Object.keys(Object.values(p.perSeed)[0]).length);
      assert.equal(Object.keys(Object.values(pooled.perSeed)[0]).length, sizes[0] + sizes[1]);
      const rows = results.rows.filter((r) => r.system === system);
      const weighted = (rows[0].metrics['nDCG@10'] * sizes[0] + rows[1].metrics['nDCG@10'] * sizes[1]) / (sizes[0] + sizes[1]);
      assert.ok(Math.abs(rows[2].metrics['nDCG@10'] - weighted) < 1e-12, `${system}: ${rows[2].metrics['nDCG@10']} vs ${weighted}`);
    }
    const pooledTests = results.comparisons.filter((c) => c.dataset === 'dl20+dl19-mini');
    assert.ok(pooledTests.length > 0 && pooledTests.every((c) => c.queries === 54 + 5 && c.queriesForPaperGap !== null && c.minimumDetectable !== null));
  });

  it('trains each row once per direction and reports its iterations per training split', () => {
    const trained = trainingOutcomes(results);
    assert.deepEqual(trained.map((o) => `${o.system} / ${o.trainedOn}`), ['MTA4DPR / dl19-mini', 'MTA4DPR / dl20']);
    const rows = iterationRows(results);
    assert.deepEqual(rows.map((r) => [r.system, r.iteration]), [
      ['MTA4DPR (trained on dl19-mini)', 1], ['MTA4DPR (trained on dl19-mini)', 2], ['MTA4DPR (trained on dl20)', 1], ['MTA4DPR (trained on dl20)', 2],
    ]);
  });

  it('parallel workers, one (row, seed, direction) each, give the same results as one process', async () => {
    const parallel = await runExperiment(configPath, { outDir: join(dir, 'parallel'), jobs: 2, progress: 'none', log: () => {}, write: false });
    assert.deepEqual(parallel.rows, results.rows);
    assert.deepEqual(parallel.comparisons, results.comparisons);
  });
});
