/**
 * End to end on real data: reproduce() of a tiny experiment (train on dl19-mini, test on dl20;
 * a bundled-run row, the untrained student and MTA4DPR with 2 iterations of 2 steps). Checks the
 * results rows, the iteration records, that a second call is served entirely from the step store,
 * the manifest, and that a test split overlapping the training split is refused.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperimentConfig, parseExperimentConfig } from '../../lib/config';
import { reproduce, type ReproduceResults } from '../../lib/pipeline/reproduce';
import { StepStore } from '../../lib/pipeline/steps';
import { PAPER_ASSISTANT_GAP } from '../../lib/pipeline/paper';
import { requiredQueries } from '../../lib/eval';
import { tinyExperimentConfig, writeTinyExperiment } from './tinyExperiment';

describe('pipeline/reproduce (tiny real experiment)', function () {
  this.timeout(180000);
  const { dir, configPath } = writeTinyExperiment();
  const outDir = join(dir, 'out');
  const logs: string[] = [];
  let first: ReproduceResults;
  let firstSeconds: number;

  before(async () => {
    const t0 = Date.now();
    first = await reproduce(loadExperimentConfig(configPath), { outDir, progress: 'none', log: (m) => logs.push(m) });
    firstSeconds = (Date.now() - t0) / 1000;
    // Reported, not asserted: wall time depends on the machine's load.
    process.stderr.write(`      tiny experiment: first reproduce() ${firstSeconds.toFixed(1)} s\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives one finite row per system on dl20, with every metric in [0, 1]', () => {
    assert.deepEqual(first.rows.map((r) => [r.system, r.dataset, r.seeds]), [['BM25', 'dl20', 1], ['Untrained student', 'dl20', 1], ['MTA4DPR', 'dl20', 1]]);
    for (const r of first.rows) {
      assert.deepEqual(Object.keys(r.metrics), ['nDCG@10', 'RR@10']);
      for (const v of Object.values(r.metrics)) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, `${r.system}: ${v}`);
    }
    // The bundled BM25 run evaluated as is: Pyserini's published DL20 passage BM25 nDCG@10 is 0.4796.
    assert.equal(first.rows[0].metrics['nDCG@10'].toFixed(4), '0.4796');
    // Per-query values exist for every judged dl20 query with candidates (54 judged queries).
    for (const o of first.outcomes) assert.equal(Object.keys(Object.values(o.perSeed)[0]).length, 54);
    assert.equal(first.trainSplit, 'dl19-mini');
    assert.equal(first.heldOut.length, 1);
    assert.ok(first.comparisons.length > 0 && first.comparisons.every((c) => c.against === 'Untrained student' && c.queries === 54));
  });

  it('gives each comparison its minimum detectable difference (80% power, α = 0.05) and verdict, from the per-query values', () => {
    const perQuery = (system: string) => Object.values(first.outcomes.find((o) => o.system === system)!.perSeed)[0]!;
    for (const c of first.comparisons) {
      const a = perQuery(c.system);
      const b = perQuery(c.against);
      const d = Object.keys(b).map((q) => a[q]![c.measure]! - b[q]![c.measure]!);
      const sd = Math.sqrt(d.reduce((s, x) => s + (x - d.reduce((t, y) => t + y, 0) / d.length) ** 2, 0) / (d.length - 1));
      if (!(sd > 0)) { assert.equal(c.minimumDetectable, null); continue; }
      // Exact noncentral-t MDD lies just above the normal-quantile approximation (t_0.975 + t_0.8)·sd/√n for n = 54.
      const approx = (2.0057 + 0.8483) * sd / Math.sqrt(d.length);
      assert.ok(c.minimumDetectable !== null && Math.abs(c.minimumDetectable - approx) < 0.02 * approx, `${c.system} ${c.measure}: MDD ${c.minimumDetectable} vs ≈ ${approx}`);
      const detectable = c.minimumDetectable !== null && c.minimumDetectable <= PAPER_ASSISTANT_GAP.value;
      assert.equal(c.verdict, c.tTestP < 0.05 ? (c.meanDifference > 0 ? 'holds' : 'does not hold') : detectable ? 'does not hold' : 'below what this scale can detect');
      assert.equal(c.queriesForPaperGap, requiredQueries(PAPER_ASSISTANT_GAP.value, sd));
    }
    // On this 5-deep pool the untrained student re-ranks better than BM25's own order (p = 0.002): a significant verdict exists.
    assert.ok(first.comparisons.some((c) => c.verdict !== 'below what this scale can detect'), JSON.stringify(first.comparisons.map((c) => [c.system, c.measure, c.tTestP, c.verdict])));
  });

  it('records both iterations of the trained row: steps, per-batch choices, held-out quality, pool', () => {
    const mta = first.outcomes.find((o) => o.system === 'MTA4DPR')!;
    assert.deepEqual(Object.keys(mta.iterations), ['1']);
    const its = mta.iterations['1'];
    assert.deepEqual(its.map((i) => i.iteration), [1, 2]);
    for (const it of its) {
      assert.equal(it.steps, 2);
      // One choice per batch: 2 batches per iteration.
      assert.equal(Object.values(it.chosen).reduce((a, b) => a + b, 0), 2);
      assert.ok(Number.isFinite(it.finalLoss), `loss ${it.finalLoss}`);
      const h = it.heldOut['nDCG@10'];
      assert.ok(Number.isFinite(h) && h >= 0 && h <= 1);
      assert.equal(it.trainQueries, 4);
    }
    assert.deepEqual(its[0].poolBefore.map((p) => p.name), ['TAS-B', 'ada2', 'BM25']);
    assert.deepEqual(its[1].poolBefore, its[0].poolAfter);
    // Harder data found after iteration 1 is what iteration 2 trains on.
    assert.equal(its[1].hardGroupsUsed, its[0].hardGroupsNext);
    assert.equal(its[1].groups, 4 + its[0].hardGroupsNext);
    // Nothing follows the last iteration: no replacement and no harder data there.
    assert.equal(its[1].replaced, null);
    assert.equal(its[1].hardGroupsNext, 0);
    const others = first.outcomes.filter((o) => o.system !== 'MTA4DPR');
    assert.ok(others.every((o) => Object.keys(o.iterations).length === 0));
  });

  it('a second call recomputes nothing: same numbers, same step records, fast', async () => {
    const store = new StepStore(outDir);
    const before = store.records();
    const t0 = Date.now();
    const again = await reproduce(loadExperimentConfig(configPath), { outDir, progress: 'none', log: () => {} });
    const seconds = (Date.now() - t0) / 1000;
    process.stderr.write(`      tiny experiment: cached reproduce() ${seconds.toFixed(2)} s\n`);
    assert.deepEqual(again.rows, first.rows);
    // Cached values come back through JSON (a fresh record's `mining: undefined` is absent there).
    assert.deepEqual(JSON.parse(JSON.stringify(again.outcomes)), JSON.parse(JSON.stringify(first.outcomes)));
    assert.deepEqual(store.records(), before, 'a step was recomputed');
    assert.ok(seconds < Math.max(10, firstSeconds / 2), `cached call took ${seconds} s (first: ${firstSeconds} s)`);
  });

  it('writes a manifest listing every finished step with its output hashes', () => {
    const manifestPath = join(outDir, 'manifest.json');
    assert.ok(existsSync(manifestPath));
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    assert.equal(m.config, 'tiny-e2e');
    const steps = Object.values(m.steps) as Array<{ name: string; key: string; dir: string; outputs: Record<string, string> }>;
    const names = steps.map((s) => s.name).sort();
    // 2 iterations of the trained row; test evaluation of the untrained and the trained student.
    assert.deepEqual(names, ['iteration', 'iteration', 'test-eval', 'test-eval']);
    for (const s of steps) {
      assert.equal(m.steps[s.key], s);
      assert.ok(existsSync(join(outDir, s.dir, 'value.json')));
      assert.ok(Object.values(s.outputs).every((h) => /^[0-9a-f]{64}$/.test(h)));
    }
    const its = steps.filter((s) => s.name === 'iteration');
    for (const s of its) assert.ok(Object.keys(s.outputs).some((f) => f.startsWith('model/')), `no checkpoint among ${Object.keys(s.outputs)}`);
  });

  it('a row trains on the same candidates whether it runs alone (--only) or with every row', async () => {
    // A single-assistant row: alone, it must still see the candidates of the whole experiment.
    const value = tinyExperimentConfig();
    const single = { name: 'TA-KD (BM25)', overrides: { assistants: [{ name: 'BM25', kind: 'run', run: 'BM25' }], selection: { includeFused: false }, iterations: { count: 1 } } };
    const config = parseExperimentConfig({ ...value, systems: [...(value.systems as object[]), single] }, 'tiny+single');
    const alone = await reproduce(config, { outDir: join(dir, 'alone'), only: ['TA-KD (BM25)'], progress: 'none', log: () => {} });
    const all = await reproduce(config, { outDir: join(dir, 'all'), progress: 'none', log: () => {} });
    const pick = (r: ReproduceResults) => r.outcomes.find((o) => o.system === 'TA-KD (BM25)')!;
    assert.deepEqual(pick(alone).perSeed, pick(all).perSeed);
    const withoutTimes = (r: ReproduceResults) => Object.values(pick(r).iterations).flat().map(({ seconds: _s, ...rest }) => JSON.parse(JSON.stringify(rest)));
    assert.deepEqual(withoutTimes(alone), withoutTimes(all));
  });

  it('refuses a test split that shares queries with the training split', async () => {
    const leaky = parseExperimentConfig({ ...tinyExperimentConfig(), data: { train: ['dl19-mini'], test: ['dl19-mini'], candidates: { depth: 5, testDepth: 5 } } });
    await assert.rejects(reproduce(leaky, { outDir: join(dir, 'leak'), progress: 'none', log: () => {} }), /test queries appear in the training split/);
  });
});
