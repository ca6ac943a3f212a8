/** The published nDCG@10 of the bundled real runs must come out of our evaluator to the 4th decimal. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readTrecQrels, readTrecRun } from '../../lib/data/trec';
import { evaluate, type RankingOrder } from '../../lib/eval';
import type { Qrels } from '../../lib/data/types';

const DEMO = join(__dirname, '..', '..', 'data', 'demo');

const PUBLISHED: Array<[string, string, number, RankingOrder]> = [
  ['dl19', 'BM25', 0.5058, 'score'],
  ['dl19', 'BM25_RM3', 0.5216, 'score'],
  ['dl19', 'D_BERT_KD_TASB', 0.7210, 'score'],
  ['dl19', 'OPEN_AI_ADA2', 0.7035, 'score'],
  ['dl19', 'SPLADE_P_P_ENSEMBLE_DISTIL', 0.7308, 'score'],
  ['dl19', 'REP_LLAMA', 0.7384, 'score'],
  ['dl19', 'REP_LLAMA', 0.7439, 'rank'],
  ['dl20', 'BM25', 0.4796, 'score'],
  ['dl20', 'BM25_RM3', 0.4896, 'score'],
  ['dl20', 'D_BERT_KD_TASB', 0.6854, 'score'],
  ['dl20', 'OPEN_AI_ADA2', 0.6759, 'score'],
  ['dl20', 'SPLADE_P_P_ENSEMBLE_DISTIL', 0.7197, 'score'],
  ['dl20', 'REP_LLAMA', 0.7195, 'score'],
  ['dl20', 'REP_LLAMA', 0.7205, 'rank'],
  ['dl21', 'BM25', 0.4458, 'score'],
  ['dl21', 'BM25_RM3', 0.4455, 'score'],
  ['dl21', 'SPLADE_P_P_ENSEMBLE_DISTIL', 0.6846, 'score'],
];

const QUERIES: Record<string, number> = { dl19: 43, dl20: 54, dl21: 53 };

describe('eval: published nDCG@10 of the bundled TREC DL runs (trec_eval semantics)', () => {
  const qrels = new Map<string, Qrels>();
  before(async () => {
    for (const year of Object.keys(QUERIES)) qrels.set(year, (await readTrecQrels(join(DEMO, year, 'qrels.trec'))).value);
  });
  for (const [year, system, expected, order] of PUBLISHED) {
    it(`${year} ${system} (order ${order}) = ${expected.toFixed(4)}`, async () => {
      const run = (await readTrecRun(join(DEMO, year, 'runs', `${system}.${year}.trec`))).value;
      const res = evaluate(qrels.get(year)!, run, ['nDCG@10'], { order });
      assert.equal(res.queries, QUERIES[year]);
      assert.equal(res.mean['nDCG@10']!.toFixed(4), expected.toFixed(4));
    });
  }

  it('reports the RepLLaMA ties: every DL19 query has tied scores ordered differently by the rank column', async () => {
    const run = await readTrecRun(join(DEMO, 'dl19', 'runs', 'REP_LLAMA.dl19.trec'));
    assert.equal(run.report.records, 43000);
    assert.equal(run.report.tiedQueries, 43);
    assert.equal(run.report.rankInversions, 0);
    const bm25 = await readTrecRun(join(DEMO, 'dl19', 'runs', 'BM25.dl19.trec'));
    assert.equal(bm25.report.tiedQueries, 0);
  });
});
