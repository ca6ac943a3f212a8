/**
 * NQ's measure end to end on a DPR-format miniature (data-scripts/miniature.ts, official layout
 * under data.root): train on nq-dpr/train (positives as qrels, candidates from run files), retrieve
 * over the whole psgs_w100 corpus, and score Answer@20 / Answer@100 — DPR's top-k answer accuracy —
 * per question, equal to lib/eval's topKAccuracy on the same runs.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig } from '../../lib/config';
import { topKAccuracy } from '../../lib/eval';
import { reproduce, type ReproduceResults } from '../../lib/pipeline/reproduce';
import { buildCandidates, loadTestSplits } from '../../lib/pipeline/stages/candidates';
import { writeNqMiniature } from '../../data-scripts/miniature';

describe('pipeline: NQ answer accuracy on a DPR-format miniature', function () {
  this.timeout(180000);
  const root = mkdtempSync(join(tmpdir(), 'mta4dpr-nq-'));
  const config = () => parseExperimentConfig({
    name: 'nq-mini', seeds: [1],
    data: { train: ['nq-dpr/train'], test: ['nq-dpr/test'], root, heldOut: { fraction: 0.2, seed: 0 }, candidates: { depth: 20, testDepth: 100 } },
    teacher: { name: 'DKRR', kind: 'run', run: 'DKRR_NQ' },
    assistants: [{ name: 'DPR', kind: 'run', run: 'DPR_SINGLE_NQ' }, { name: 'BM25', kind: 'run', run: 'BM25' }],
    student: { preset: 'hashed-lexical', overrides: { dim: 256 } },
    train: { stepsPerIteration: 4, batchSize: 2, negatives: 3, lr: 0.01 },
    iterations: { count: 1 },
    eval: { metrics: ['Answer@20', 'Answer@100'], mode: 'retrieve', relLevel: 1 },
    compareTo: ['BM25'],
    systems: [{ name: 'BM25', kind: 'run', run: 'BM25' }, { name: 'Untrained student', kind: 'untrained' }, { name: 'MTA4DPR' }],
  });
  let results: ReproduceResults;
  before(async () => {
    writeNqMiniature(root, { passages: 400, trainQueries: 30, systems: ['DKRR_NQ', 'DPR_SINGLE_NQ', 'BM25'] });
    results = await reproduce(config(), { outDir: join(root, 'out'), progress: 'none', log: () => {} });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a bundled run\'s Answer@k equals DPR-style top-k accuracy of that run', async () => {
    const c = config();
    const [test] = await loadTestSplits(c, (await buildCandidates(c)).train);
    const run = test.runs.get('BM25')!;
    const expected = topKAccuracy(run, test.queries, test.collection, [20, 100], 'dpr-tokens');
    const bm25 = results.rows.find((r) => r.system === 'BM25')!;
    assert.equal(bm25.metrics['Answer@20'], expected.accuracy['20']);
    assert.equal(bm25.metrics['Answer@100'], expected.accuracy['100']);
    assert.equal(expected.questions, 10);
  });

  it('students retrieve over the whole corpus and score every question 0 or 1, Answer@20 ≤ Answer@100', () => {
    for (const system of ['Untrained student', 'MTA4DPR']) {
      const o = results.outcomes.find((x) => x.system === system)!;
      const perQuery = Object.values(o.perSeed['1']);
      assert.equal(perQuery.length, 10, system);
      for (const v of perQuery) {
        assert.ok([0, 1].includes(v['Answer@20']) && [0, 1].includes(v['Answer@100']));
        assert.ok(v['Answer@20'] <= v['Answer@100']);
      }
    }
    assert.equal(results.evaluation.mode, 'retrieve');
    assert.ok(results.comparisons.some((c) => c.measure === 'Answer@20' && c.queries === 10));
  });
});
