/**
 * The hashed lexical student (preset `hashed-lexical`) inside an experiment: the untrained row is
 * the training-free encoder built from the training collection, the trained row distils into its
 * term weights and its iterations chain through lexical checkpoints, and its overrides are checked
 * against the lexical config's fields before any work.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExperimentConfig } from '../../lib/config';
import { ConfigError } from '../../lib/config/errors';
import { evaluate } from '../../lib/eval';
import { createHashedLexicalStudent, loadStudentCheckpoint, HashedLexicalEncoder } from '../../lib/models';
import { reproduce } from '../../lib/pipeline/reproduce';
import { loadSplit } from '../../lib/pipeline/splits';
import { splitTexts } from '../../lib/pipeline/student';
import { checkExperiment } from '../../lib/pipeline/validate';
import { rerankCandidates } from '../../lib/retrieval/rerank';
import { tinyExperimentConfig, writeTinyExperiment } from './tinyExperiment';

const LEXICAL = { preset: 'hashed-lexical', overrides: { dim: 256 } };

describe('pipeline: the hashed lexical student in an experiment', function () {
  this.timeout(300_000);
  const { dir, configPath } = writeTinyExperiment();
  const raw = { ...tinyExperimentConfig(), student: LEXICAL, train: { stepsPerIteration: 4, batchSize: 2, negatives: 3, lr: 0.05 } };
  writeFileSync(configPath, JSON.stringify(raw, null, 2));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rows: untrained = the training-free encoder re-ranking the test pool; trained = lexical checkpoints that moved', async () => {
    const config = parseExperimentConfig(raw, configPath);
    const out = join(dir, 'out');
    const r = await reproduce(config, { outDir: out, progress: 'none', log: () => undefined });
    // Independently: the same encoder built by hand from the training collection, re-ranking dl20's pool.
    const train = await loadSplit(['dl19-mini'], ['SPLADE_P_P_ENSEMBLE_DISTIL', 'D_BERT_KD_TASB', 'OPEN_AI_ADA2', 'BM25'], 10);
    const test = await loadSplit(['dl20'], 'all', 5);
    const byHand = createHashedLexicalStudent({ config: { dim: 256 }, idfTexts: splitTexts(train), seed: 1 });
    const run = await rerankCandidates(byHand, test, [...test.candidates.byQuery.keys()], { name: 'by-hand' });
    const want = evaluate(test.qrels!, run, ['nDCG@10'], { relLevel: 2 }).mean['nDCG@10'];
    const untrained = r.rows.find((x) => x.system === 'Untrained student')!;
    assert.ok(Math.abs(untrained.metrics['nDCG@10'] - want) < 1e-12, `untrained row ${untrained.metrics['nDCG@10']} vs by hand ${want}`);
    // Every iteration's model is a lexical checkpoint whose term weights left the θ = 0 start.
    const models = readdirSync(join(out, 'steps')).filter((d) => d.startsWith('iteration-') && !d.endsWith('.work')).map((d) => join(out, 'steps', d, 'model'));
    assert.equal(models.length, 2);
    for (const m of models) {
      assert.ok(existsSync(join(m, 'lexical.json')), `${m} is not a lexical checkpoint`);
      const { model } = await loadStudentCheckpoint(m);
      assert.ok(model instanceof HashedLexicalEncoder);
      const moved = Object.values(await model.weights()).some((w) => w.data.some((x) => x !== 0));
      model.dispose();
      assert.ok(moved, `${m}: distillation left every term weight at 0`);
    }
    const mta = r.outcomes.find((o) => o.system === 'MTA4DPR')!;
    for (const it of mta.iterations['1']) assert.ok(Number.isFinite(it.finalLoss));
  });

  it('overrides are the lexical config\'s fields, checked before work', () => {
    const bad = parseExperimentConfig({ ...raw, student: { preset: 'hashed-lexical', overrides: { hidden: 64, dim: 100 } } }, 'x.json');
    assert.throws(() => checkExperiment(bad, 'x.json'), (e: unknown) => e instanceof ConfigError && /student\.overrides\.hidden: unknown hashed-lexical student field/.test(e.message));
    const notMultiple = parseExperimentConfig({ ...raw, student: { preset: 'hashed-lexical', overrides: { dim: 100 } } }, 'x.json');
    assert.throws(() => checkExperiment(notMultiple, 'x.json'), /student\.overrides\.dim: /);
  });
});
