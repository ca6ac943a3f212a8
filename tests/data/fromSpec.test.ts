/** Datasets declared by files: each format on a tiny real fixture (tests/fixtures/own-data, built from the bundled data). */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { DatasetSpecSchema, type DatasetSpecInput } from '../../lib/config/dataset';
import { loadDatasetFromSpec } from '../../lib/data/fromSpec';
import { loadDataset } from '../../lib/data/registry';
import type { Dataset } from '../../lib/data/registry';

const base = join(__dirname, '..', 'fixtures', 'own-data');
const load = (spec: DatasetSpecInput, dir = base): Promise<Dataset> => loadDatasetFromSpec('t', DatasetSpecSchema.parse(spec), dir);
const judgments = (d: Dataset): number => [...d.qrels!.judgments.values()].reduce((s, m) => s + m.size, 0);
const problems = (d: Dataset): number => d.reports.reduce((s, r) => s + r.skipped.length + r.suspicious.length + r.warnings.length, 0);

describe('data/fromSpec', () => {
  // wc -l beir/corpus.jsonl beir/queries.jsonl beir/qrels/test.tsv → 9, 4, 5 (header + 4 judgments).
  it('beir: a folder with corpus.jsonl, queries.jsonl and qrels/test.tsv', async () => {
    const d = await load({ format: 'beir', dir: 'beir' });
    assert.equal(d.collection.passages.size, 9);
    assert.equal(d.queries.queries.size, 4);
    assert.equal(judgments(d), 4);
    assert.equal(problems(d), 0);
    assert.deepEqual(d.warnings, []);
    await assert.rejects(load({ format: 'beir', dir: 'beir', qrels: 'dev' }), /qrels\/dev\.tsv not found \(qrels: "dev"; available: test\)/);
  });

  it('msmarco: collection.tsv, queries TSV, 4-column qrels and a run file', async () => {
    const d = await load({ format: 'msmarco', documents: 'msmarco/collection.tsv', queries: 'msmarco/queries.tsv', qrels: 'msmarco/qrels.tsv', runs: { BM25: 'msmarco/bm25.trec' } });
    assert.equal(d.queries.queries.size, 3);
    assert.equal(judgments(d), 12);
    assert.equal(d.collection.passages.size, 12);
    assert.deepEqual(Object.keys(d.runFiles), ['BM25']);
    assert.equal(d.runFiles.BM25, join(base, 'msmarco/bm25.trec'));
    assert.match(d.reports[2]!.notes[0]!, /TREC "qid iter docid grade"/);
    await assert.rejects(load({ format: 'msmarco', documents: 'msmarco/collection.tsv', queries: 'msmarco/queries.tsv', runs: { X: 'nope.trec' } }), /run file of X not found: .*nope\.trec/);
  });

  it('trec: SGML documents, <top> topics and TREC qrels, with the same content as the CACM records they come from', async () => {
    const d = await load({ format: 'trec', documents: 'trec/docs.sgml', queries: 'trec/topics.txt', qrels: 'trec/qrels.txt' });
    const cacm = await loadDataset('cacm');
    assert.equal(d.queries.queries.size, 3);
    assert.equal(d.queries.queries.get('1')?.text, cacm.queries.queries.get('1')?.text);
    assert.equal(d.collection.passages.size, judgments(d));
    for (const [id, p] of d.collection.passages) {
      assert.equal(p.title, cacm.collection.passages.get(id)!.title);
      assert.equal(p.text, cacm.collection.passages.get(id)!.text.slice(0, 300).replace(/\s+/g, ' ').trim());
    }
    assert.equal(problems(d), 0);
  });

  it('trec: JSONL documents and TSV topics are chosen by extension and first character', async () => {
    const d = await load({ format: 'trec', documents: 'jsonl/docs.jsonl', queries: 'msmarco/queries.tsv' });
    assert.equal(d.collection.passages.size, 9);
    assert.equal(d.queries.queries.size, 3);
    assert.equal(d.qrels, undefined);
  });

  it('jsonl: documents, queries with qid/query fields, TREC qrels', async () => {
    const d = await load({ format: 'jsonl', documents: 'jsonl/docs.jsonl', queries: 'jsonl/queries.jsonl', qrels: 'jsonl/qrels.txt' });
    const beir = await load({ format: 'beir', dir: 'beir' });
    assert.deepEqual([...d.queries.queries.values()], [...beir.queries.queries.values()]);
    assert.deepEqual(d.qrels!.judgments, beir.qrels!.judgments);
    assert.equal(problems(d), 0);
  });

  it('dpr: a retriever file gives queries, positives as qrels and candidates; psgs TSV + qa CSV give passages and answers', async () => {
    const nq = await load({ format: 'dpr', retriever: join(__dirname, '..', '..', 'data', 'fixtures', 'dpr-nq-mini', 'nq-dev.mini.jsonl') });
    const embedded = await loadDataset('nq-mini');
    assert.equal(nq.queries.queries.size, 3);
    assert.deepEqual(nq.qrels!.judgments, embedded.qrels!.judgments);
    assert.equal(nq.candidates!.byQuery.size, 3);
    const qa = await load({ format: 'dpr', documents: 'dpr/psgs.tsv', queries: 'dpr/qa.csv' });
    assert.equal(qa.collection.passages.size, 5);
    assert.deepEqual(qa.queries.queries.get('1')?.answers, ['the Saint Lawrence River']);
    assert.equal(qa.qrels, undefined);
  });

  it('smart: Cranfield by its files numbers queries as cranqrel does, with a note', async () => {
    const cran = join(__dirname, '..', '..', 'data', 'fixtures', 'cranfield');
    const d = await load({ format: 'smart', documents: 'cran.all.1400', queries: 'cran.qry', qrels: 'cranqrel' }, cran);
    const embedded = await loadDataset('cranfield');
    assert.equal(d.collection.passages.size, 1398);
    assert.deepEqual([...d.queries.queries.keys()], [...embedded.queries.queries.keys()]);
    assert.deepEqual(d.qrels!.judgments, embedded.qrels!.judgments);
    assert.match(d.notes[0]!, /numbered 1\.\.n in file order/);
    const original = await load({ format: 'smart', documents: 'cran.all.1400', queries: 'cran.qry', qrels: 'cranqrel', queryIds: 'original' }, cran);
    assert.equal([...original.queries.queries.keys()][2], '4');
    assert.notEqual(original.contentHash, d.contentHash, 'the numbering option is part of the content hash');
  });
});
