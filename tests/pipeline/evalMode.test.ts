/**
 * Evaluation mode and per-test relevance levels on real data: the untrained hashed lexical student
 * in `retrieve` mode equals exact search over the whole DL20 collection done by hand, bundled run
 * rows stay as published, `relLevelByTest` sets each test set's level, and results.json and the
 * report state both.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseExperimentConfig, systemConfig } from '../../lib/config';
import { evaluate } from '../../lib/eval';
import { reproduce, type ReproduceResults } from '../../lib/pipeline/reproduce';
import { writeResults } from '../../lib/pipeline/report';
import { buildCandidates, loadTestSplits } from '../../lib/pipeline/stages/candidates';
import { retrieveWithStudent } from '../../lib/pipeline/stages/retrieve';
import { createExperimentStudent, splitTexts } from '../../lib/pipeline/student';
import { tinyExperimentConfig } from './tinyExperiment';

function retrieveConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const c = tinyExperimentConfig();
  return {
    ...c, name: 'tiny-retrieve', student: { preset: 'hashed-lexical', overrides: { dim: 256 } },
    eval: { metrics: ['RR@10', 'nDCG@10', 'R@100'], relLevel: 2, relLevelByTest: { dl20: 1 }, mode: 'retrieve' },
    data: { ...(c.data as object), candidates: { depth: 10, testDepth: 100 } },
    systems: [{ name: 'BM25', kind: 'run', run: 'BM25' }, { name: 'Untrained student', kind: 'untrained' }],
    ...extra,
  };
}

describe('pipeline: evaluation mode retrieve and per-test relevance levels', function () {
  this.timeout(180000);
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-retrieve-'));
  const experiment = parseExperimentConfig(retrieveConfig());
  let results: ReproduceResults;
  before(async () => {
    results = await reproduce(experiment, { outDir: join(dir, 'out'), progress: 'none', log: () => {} });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the untrained student retrieves over the whole test collection: equal to exact search by hand', async () => {
    const data = await buildCandidates(experiment);
    const [test] = await loadTestSplits(experiment, data.train);
    const model = await createExperimentStudent(systemConfig(experiment, experiment.systems[1]), 1, splitTexts(data.train));
    const judged = [...test.queries.queries.keys()].filter((q) => test.qrels!.judgments.has(q));
    const run = await retrieveWithStudent(model, test, judged, 100, join(dir, 'cache'));
    model.dispose();
    // Retrieval reaches passages outside the query's own pool (what re-ranking could never return).
    assert.ok([...run.byQuery].some(([q, l]) => l.some((e) => !test.candidates.byQuery.get(q)!.includes(e.docId))));
    const expected = evaluate(test.qrels!, run, ['RR@10', 'nDCG@10', 'R@100'], { relLevel: 1 });
    const outcome = results.outcomes.find((o) => o.system === 'Untrained student')!;
    assert.deepEqual(outcome.perSeed['1'], Object.fromEntries(expected.perQuery));
  });

  it('bundled runs as published, at the test set\'s own relevance level', async () => {
    const data = await buildCandidates(experiment);
    const [test] = await loadTestSplits(experiment, data.train);
    const bm25 = results.rows.find((r) => r.system === 'BM25')!;
    const at = (relLevel: number) => evaluate(test.qrels!, test.runs.get('BM25')!, ['RR@10'], { relLevel }).mean['RR@10'];
    assert.equal(bm25.metrics['RR@10'], at(1));
    assert.notEqual(at(1), at(2));
  });

  it('results.json and the report state the mode and the levels', async () => {
    assert.deepEqual(results.evaluation, { mode: 'retrieve', depth: 100, relLevels: { dl20: 1 } });
    await writeResults(results, join(dir, 'out'));
    const md = readFileSync(join(dir, 'out', 'report.md'), 'utf8');
    assert.match(md, /dense retrieval over each test collection \(top 100, exact inner product\)/);
    assert.match(md, /relevance level 1 on dl20/);
  });

  it('a relLevelByTest key that is not a test set is a config error naming it', () => {
    assert.throws(() => parseExperimentConfig(retrieveConfig({ eval: { relLevelByTest: { dl19: 1 } } })),
      (e: unknown) => e instanceof ConfigError && /eval\.relLevelByTest\.dl19: 'dl19' is not a test set/.test(e.issues.join('\n')));
  });
});
