/** The `datasets` schema: the issue's exact shape validates, defaults apply, bad specs name their key path. */
import { strict as assert } from 'node:assert';
import { DATASET_FORMATS, DatasetSpecsSchema } from '../../lib/config/dataset';

const issuePaths = (v: unknown): string[] => {
  const r = DatasetSpecsSchema.safeParse(v);
  assert.equal(r.success, false);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.code === 'invalid_key' ? i.issues[0]!.message : i.message}`);
};

describe('config/dataset', () => {
  it('validates the exact shape of the issue and applies the defaults', () => {
    const specs = DatasetSpecsSchema.parse({ mine: { format: 'smart', documents: 'x/ALL', queries: 'x/QRY', qrels: 'x/REL', split: { testFraction: 0.5, seed: 42 } } });
    assert.deepEqual(specs.mine, { format: 'smart', documents: 'x/ALL', queries: 'x/QRY', qrels: 'x/REL', queryIds: 'auto', qrelsColumns: 'auto', split: { testFraction: 0.5, seed: 42 } });
    assert.deepEqual([...DATASET_FORMATS], ['beir', 'msmarco', 'trec', 'smart', 'dpr', 'jsonl']);
    assert.deepEqual(DatasetSpecsSchema.parse({ b: { format: 'beir', dir: 'scifact' } }).b, { format: 'beir', dir: 'scifact', qrels: 'test' });
  });

  it('names the key path of each problem', () => {
    assert.deepEqual(issuePaths({ m: { format: 'smart', documents: 'a', queries: 'b', split: { testFraction: 1, seed: 0.5 }, extra: 1 } }), [
      'm.split.testFraction: testFraction must be in (0, 1)',
      'm.split.seed: seed must be an integer',
      'm: Unrecognized key: "extra"',
    ]);
    assert.match(issuePaths({ m: { format: 'sgml' } })[0]!, /^m\.format: Invalid discriminator value/);
    assert.deepEqual(issuePaths({ 'a/b': { format: 'beir', dir: 'x' } }), ['a/b: dataset names use letters, digits, "_", ".", "+", "-" (no "/": it separates NAME/train and NAME/test)']);
    assert.deepEqual(issuePaths({ d: { format: 'dpr' } }), ['d: a dpr dataset needs "retriever", or both "documents" (psgs TSV) and "queries" (qa CSV)']);
    assert.deepEqual(issuePaths({ q: { format: 'trec', documents: 'd', queries: 'q', qrelsColumns: ['qid', 'grade'] } }), ['q.qrelsColumns: qrels columns need exactly one "qid", one "docid" and at most one "grade"']);
  });
});
