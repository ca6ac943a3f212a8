/** Result tables and significance on real runs: plain rows ready for danfo / markdown. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readTrecQrels, readTrecRun } from '../../lib/data/trec';
import { evaluate, resultsTable, pairedValues, pairedTTest, randomizationTest } from '../../lib/eval';

const DL19 = join(__dirname, '..', '..', 'data', 'demo', 'dl19');

describe('eval: result tables and significance on real DL19 runs', () => {
  it('builds one plain row per system with measures, query count and extras; SPLADE++ beats BM25 significantly', async () => {
    const qrels = (await readTrecQrels(join(DL19, 'qrels.trec'))).value;
    const bm25 = evaluate(qrels, (await readTrecRun(join(DL19, 'runs', 'BM25.dl19.trec'))).value, ['nDCG@10', 'AP(rel=2)']);
    const splade = evaluate(qrels, (await readTrecRun(join(DL19, 'runs', 'SPLADE_P_P_ENSEMBLE_DISTIL.dl19.trec'))).value, ['nDCG@10', 'AP(rel=2)']);
    const paired = pairedValues(splade.perQuery, bm25.perQuery, 'nDCG@10');
    assert.equal(paired.a.length, 43);
    assert.deepEqual(paired.dropped, []);
    const t = pairedTTest(paired.a, paired.b);
    const perm = randomizationTest(paired.a, paired.b, { trials: 2000, seed: 1 });
    assert.ok(Math.abs(t.meanDifference - (0.730806791804217 - 0.505831002439907)) < 1e-12);
    assert.ok(t.p < 1e-4, `t-test p = ${t.p}`);
    assert.ok(perm.p < 0.01, `randomisation p = ${perm.p}`);
    const rows = resultsTable([
      { system: 'BM25', result: bm25 },
      { system: 'SPLADE++', result: splade, extra: { 'p (t-test)': t.p } },
    ], { decimals: 4 });
    assert.deepEqual(rows[0], { system: 'BM25', 'nDCG@10': 0.5058, 'AP(rel=2)': Number(bm25.mean['AP(rel=2)']!.toFixed(4)), queries: 43 });
    assert.equal(rows[1]!['nDCG@10'], 0.7308);
    assert.equal(rows[1]!['p (t-test)'], t.p);
    const chosen = resultsTable([{ system: 'BM25', result: bm25 }], { measures: ['AP(rel=2)', 'RR@10'] });
    assert.deepEqual(Object.keys(chosen[0]!), ['system', 'AP(rel=2)', 'RR@10', 'queries']);
    assert.ok(Number.isNaN(chosen[0]!['RR@10'] as number)); // a missing measure shows as NaN, not dropped
  });
});
