import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listDatasets, loadDataset, runSystemName } from '../../lib/data/registry';
import { dataRoot, projectRoot } from '../../lib/data/paths';

describe('data/registry + paths', () => {
  it('finds the project root and data root (MTA4DPR_DATA overrides)', () => {
    assert.ok(existsSync(join(projectRoot(), 'package.json')));
    assert.equal(dataRoot(), join(projectRoot(), 'data'));
    const saved = process.env.MTA4DPR_DATA;
    process.env.MTA4DPR_DATA = '/tmp/elsewhere';
    try {
      assert.equal(dataRoot(), '/tmp/elsewhere');
    } finally {
      if (saved === undefined) delete process.env.MTA4DPR_DATA;
      else process.env.MTA4DPR_DATA = saved;
    }
  });

  it('lists the embedded datasets', () => {
    assert.deepEqual(listDatasets().map((d) => d.name), ['dl19', 'dl20', 'dl21', 'dl22', 'scifact-train', 'scifact-test', 'dl19-mini', 'scifact-mini', 'cranfield', 'cacm', 'nq-mini']);
  });

  it('names runs by their system part', () => {
    assert.equal(runSystemName('RankGPT-gpt-3.5-turbo.bm25top100.dl19.trec'), 'RankGPT-gpt-3.5-turbo');
    assert.equal(runSystemName('SPLADE_P_P_ENSEMBLE_DISTIL.dl20.trec'), 'SPLADE_P_P_ENSEMBLE_DISTIL');
    assert.equal(runSystemName('BM25.trec'), 'BM25');
  });

  // wc -l data/demo/dl19/{queries.tsv,qrels.trec} → 43, 9260; awk '{print $1}' qrels.trec | sort -u | wc -l → 43.
  it('loads dl19: 14,581 passages, 43 queries, 43 judged queries / 9,260 judgments, 8 runs', async () => {
    const ds = await loadDataset('dl19');
    assert.equal(ds.collection.passages.size, 14581);
    assert.equal(ds.queries.queries.size, 43);
    assert.equal(ds.qrels!.judgments.size, 43);
    assert.equal([...ds.qrels!.judgments.values()].reduce((s, m) => s + m.size, 0), 9260);
    assert.deepEqual(Object.keys(ds.runFiles), ['BM25', 'BM25_RM3', 'D_BERT_KD_TASB', 'OPEN_AI_ADA2', 'REP_LLAMA', 'RankGPT-gpt-3.5-turbo', 'RankVicuna-7b', 'SPLADE_P_P_ENSEMBLE_DISTIL']);
    assert.ok(existsSync(ds.runFiles.BM25));
    assert.match(ds.licence, /non-commercial/);
    assert.equal(ds.reports.length, 3);
    // The pool holds only passages some run retrieved: judged-but-unretrieved passages are counted, not hidden.
    assert.deepEqual(ds.warnings, ['qrels dl19: 4923 of 9260 entries (4802 distinct passages) not in collection dl19 (e.g. 1017759, 1082489, 109063)']);
    assert.equal(await loadDataset('dl19'), ds, 'cached per process');
  });

  it('loads dl22 without qrels and three runs', async () => {
    const ds = await loadDataset('dl22');
    assert.equal(ds.qrels, undefined);
    assert.equal(ds.queries.queries.size, 76);
    assert.deepEqual(Object.keys(ds.runFiles), ['BM25', 'BM25_RM3', 'SPLADE_P_P_ENSEMBLE_DISTIL']);
  });

  // wc -l data/demo/scifact/{queries,qrels}.{train,test}.*  → 809/919 and 300/339.
  it('loads scifact-train and scifact-test over the same (shared) corpus', async () => {
    const [train, test] = await Promise.all([loadDataset('scifact-train'), loadDataset('scifact-test')]);
    assert.equal(train.collection, test.collection);
    assert.equal(train.collection.passages.size, 5183);
    assert.equal(train.queries.queries.size, 809);
    assert.equal(test.queries.queries.size, 300);
    assert.equal([...train.qrels!.judgments.values()].reduce((s, m) => s + m.size, 0), 919);
    assert.equal([...test.qrels!.judgments.values()].reduce((s, m) => s + m.size, 0), 339);
    assert.deepEqual(test.warnings, []);
  });

  it('loads the fixtures: dl19-mini, scifact-mini, cranfield, cacm, nq-mini', async () => {
    const mini = await loadDataset('dl19-mini');
    assert.deepEqual([mini.collection.passages.size, mini.queries.queries.size, Object.keys(mini.runFiles).length], [247, 5, 4]);
    const sf = await loadDataset('scifact-mini');
    assert.deepEqual([sf.collection.passages.size, sf.queries.queries.size], [150, 10]);
    const cran = await loadDataset('cranfield');
    assert.deepEqual([cran.collection.passages.size, cran.queries.queries.size, cran.qrels!.judgments.size], [1398, 225, 225]);
    const cacm = await loadDataset('cacm');
    assert.deepEqual([cacm.collection.passages.size, cacm.queries.queries.size, cacm.qrels!.judgments.size], [3204, 64, 52]);
    const nq = await loadDataset('nq-mini');
    assert.equal(nq.candidates!.byQuery.size, 3);
    assert.deepEqual(nq.queries.queries.get('1')?.answers, ['the Saint Lawrence River']);
  });

  it('rejects unknown names and strict loads that meet a warning', async () => {
    await assert.rejects(loadDataset('msmarco'), /unknown dataset "msmarco"; known: dl19, /);
    await assert.rejects(loadDataset('constructor'), /unknown dataset "constructor"; known: dl19, /);
    await assert.rejects(loadDataset('__proto__'), /unknown dataset "__proto__"; known: dl19, /);
    // Record .I 240 of the real file repeats its .A and .B fields (a scrambled record): flagged, so strict stops there.
    await assert.rejects(loadDataset('cranfield', { strict: true }), /cran\.all\.1400:7322: record ".I 240" has a second .A field/);
  });
});
