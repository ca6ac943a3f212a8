/**
 * configs/msmarco-full.json and configs/nq-full.json end to end on miniatures in the public formats
 * (data-scripts/miniature.ts), every row: run files as teacher and assistants, a DistilBERT-architecture student
 * loaded from a Hugging Face folder the package writes, three iterations, dense retrieval over the
 * whole collection, MS MARCO dev at relevance 1 and TREC DL at 2, NQ by answer accuracy. Only the scale is changed (steps,
 * batch, depths, a tiny width): the config's names, models, rows and evaluation are its own.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepMerge, parseExperimentConfig, type ExperimentConfig } from '../../lib/config';
import { evaluate } from '../../lib/eval';
import { projectRoot } from '../../lib/data/paths';
import { reproduce, type ReproduceResults } from '../../lib/pipeline/reproduce';
import { buildCandidates, loadTestSplits } from '../../lib/pipeline/stages/candidates';
import { loadCheckedExperiment } from '../../lib/pipeline/validate';
import { writeMsmarcoMiniature, writeNqMiniature } from '../../data-scripts/miniature';
import { initBackend } from '../../lib/backend';
import { writeTinyHfStudent } from '../models/helpers';

/** The full config at toy scale: a few steps of small batches, shallow depths; everything else as written. */
function atToyScale(full: ExperimentConfig, hfModel: string): ExperimentConfig {
  const scale = { train: { stepsPerIteration: 3, batchSize: 2, negatives: 3, warmupFraction: 0 }, data: { candidates: { depth: 20, testDepth: 50 }, heldOut: { fraction: 0.1 } } };
  const raw = deepMerge(full, { ...scale, student: { hfModel } }) as Record<string, unknown>;
  const systems = full.systems.map((s) => (s.overrides.train ? { ...s, overrides: { ...s.overrides, train: { stepsPerIteration: 6 } } } : s));
  return parseExperimentConfig({ ...raw, systems }, `${full.name} at toy scale`);
}

/** A full config run at toy scale on a fresh miniature that `write` fills (the caller removes `root`). */
async function runToyScale(configFile: string, write: (root: string) => void, seed: number): Promise<{ root: string; config: ExperimentConfig; results: ReproduceResults }> {
  await initBackend();
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-full-'));
  write(root);
  const student = await writeTinyHfStudent(join(root, 'models', 'distilbert-tiny'), seed);
  const config = atToyScale(loadCheckedExperiment(join(projectRoot(), 'configs', configFile), { dataRoot: root }), student);
  return { root, config, results: await reproduce(config, { outDir: join(root, 'out'), progress: 'none', log: () => {} }) };
}

describe('configs/msmarco-full.json end to end on a miniature (toy scale)', function () {
  this.timeout(300000);
  let run: Awaited<ReturnType<typeof runToyScale>>;
  before(async () => {
    run = await runToyScale('msmarco-full.json', (root) => writeMsmarcoMiniature(root, {
      passages: 500, trainQueries: 40, systems: ['SPLADE_P_P_ENSEMBLE_DISTIL', 'D_BERT_KD_TASB', 'ANCE', 'BM25_RM3', 'BM25'], runDepth: 50,
    }), 3);
  });
  after(() => rmSync(run.root, { recursive: true, force: true }));

  it('gives every row on the three test sets, by retrieval, each test set at its own relevance level', () => {
    const { config, results } = run;
    const tests = ['msmarco-passage/dev/small', 'trec-dl19-passage', 'trec-dl20-passage'];
    assert.deepEqual(results.rows.map((r) => `${r.system} @ ${r.dataset}`), config.systems.flatMap((s) => tests.map((t) => `${s.name} @ ${t}`)));
    assert.deepEqual(results.evaluation, { mode: 'retrieve', depth: 50, relLevels: { 'msmarco-passage/dev/small': 1, 'trec-dl19-passage': 2, 'trec-dl20-passage': 2 } });
    for (const r of results.rows) for (const v of Object.values(r.metrics)) assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, `${r.system} ${r.dataset}: ${v}`);
    const mta = results.outcomes.find((o) => o.system === 'MTA4DPR')!;
    assert.deepEqual(mta.iterations['1'].map((i) => i.steps), [3, 3, 3]);
    assert.equal(results.outcomes.find((o) => o.system === 'KD (teacher only)')!.iterations['1'][0].steps, 6);
  });

  it('bundled runs are evaluated as published at the test set\'s level (MS MARCO dev: grade 1)', async () => {
    const { config, results } = run;
    const [dev] = await loadTestSplits(config, (await buildCandidates(config)).train);
    const expected = evaluate(dev.qrels!, dev.runs.get('BM25')!, ['RR@10'], { relLevel: 1 }).mean['RR@10'];
    assert.equal(results.rows.find((r) => r.system === 'BM25' && r.dataset === 'msmarco-passage/dev/small')!.metrics['RR@10'], expected);
  });
});

describe('configs/nq-full.json end to end on a miniature (toy scale)', function () {
  this.timeout(300000);
  let run: Awaited<ReturnType<typeof runToyScale>>;
  before(async () => {
    run = await runToyScale('nq-full.json', (root) => writeNqMiniature(root, {
      passages: 500, trainQueries: 40, systems: ['DKRR_NQ', 'DPR_SINGLE_NQ', 'DPR_MULTI', 'BM25'], runDepth: 50,
    }), 4);
  });
  after(() => rmSync(run.root, { recursive: true, force: true }));

  it('gives every row its top-20 / top-100 answer accuracy on NQ test, students by retrieval over psgs_w100', () => {
    const { config, results } = run;
    assert.deepEqual(results.rows.map((r) => r.system), config.systems.map((s) => s.name));
    for (const r of results.rows) {
      assert.equal(r.dataset, 'nq-dpr/test');
      assert.deepEqual(Object.keys(r.metrics), ['Answer@20', 'Answer@100']);
      assert.ok(r.metrics['Answer@20'] <= r.metrics['Answer@100'], r.system);
    }
    assert.equal(results.evaluation.mode, 'retrieve');
    assert.ok(results.comparisons.every((c) => c.queries === 10));
  });
});
