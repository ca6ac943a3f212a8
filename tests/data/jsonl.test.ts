import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readJsonlCollection, writeJsonlCollection } from '../../lib/data/jsonl';
import { readBeirQueries, readBeirQrels } from '../../lib/data/beir';
import { dataRoot } from '../../lib/data/paths';
import { tempDir, writeInput } from './tmpFiles';

describe('data/jsonl + beir', () => {
  const dir = tempDir();

  it('reads the DL19 passages (zcat data/demo/dl19/passages.jsonl.gz | wc -l → 14581)', async () => {
    const { value, report } = await readJsonlCollection(join(dataRoot(), 'demo/dl19/passages.jsonl.gz'));
    assert.equal(value.passages.size, 14581);
    assert.equal(report.skipped.length, 0);
    assert.match(value.passages.get('5611210')!.text, /^5\. Cancel\. A flea can live up to a year/);
  });

  it('reads SciFact (5,183 abstracts with titles; 3 source lines hold U+FFFD, reported)', async () => {
    const { value, report } = await readJsonlCollection(join(dataRoot(), 'demo/scifact/corpus.jsonl.gz'));
    assert.equal(value.passages.size, 5183);
    assert.equal(value.passages.get('4983')?.title, 'Microstructural development of human newborn cerebral white matter assessed in vivo by diffusion tensor magnetic resonance imaging.');
    assert.deepEqual(report.warnings, ['3 line(s) contain U+FFFD (invalid UTF-8 in the source), e.g. line(s) 2023, 2485, 4494']);
  });

  it('accepts `docid` ids (DL21 bundle: 10,553 passages)', async () => {
    const { value } = await readJsonlCollection(join(dataRoot(), 'demo/dl21/passages.jsonl.gz'));
    assert.equal(value.passages.size, 10553);
    assert.ok([...value.passages.keys()][0].startsWith('msmarco_passage_'));
  });

  it('reports bad JSON, schema errors, missing ids, empty text and duplicates with their lines', async () => {
    const p = writeInput(dir, 'bad.jsonl', [
      '{"_id": "a", "text": "one"}',
      '{"_id": "b", "text": ',
      '{"_id": "c"}',
      '{"title": "t", "text": "no id"}',
      '{"_id": "d", "text": ""}',
      '{"_id": "a", "text": "dup"}',
      '{"_id": 5, "text": "numeric id", "title": ""}',
    ].join('\n') + '\n');
    const { value, report } = await readJsonlCollection(p);
    assert.deepEqual([...value.passages.keys()], ['a', '5']);
    assert.equal(value.passages.get('5')?.title, undefined);
    const reasons = report.skipped.map((s) => `${s.line}: ${s.reason}`);
    assert.match(reasons[0], /^2: invalid JSON \(/);
    assert.deepEqual(reasons.slice(1), [
      '3: invalid record: text: Invalid input: expected string, received undefined',
      '4: missing id (_id, docid or id)',
      '5: empty text',
      '6: duplicate id "a" (first at line 1)',
    ]);
    await assert.rejects(readJsonlCollection(p, { strict: true }), (e: Error) => e.name === 'InputError' && e.message.startsWith(`${p}:2: invalid JSON (`));
  });

  it('writes JSONL (gzipped by extension) that reads back identically', async () => {
    const out = join(dir, 'out/passages.jsonl.gz');
    const passages = new Map([['x', { id: 'x', title: 'T', text: 'a "quoted" text' }], ['y', { id: 'y', text: 'plain' }]]);
    await writeJsonlCollection(out, { name: 'p', passages });
    assert.deepEqual([...(await readJsonlCollection(out)).value.passages.values()], [...passages.values()]);
  });

  it('reads BEIR queries.jsonl and qrels tsv, and rejects a missing header', async () => {
    const q = writeInput(dir, 'queries.jsonl', '{"_id": "1", "text": "0-dimensional biomaterials", "metadata": {}}\n{"_id": "3", "text": "1 in 5 million"}\n');
    const queries = await readBeirQueries(q);
    assert.deepEqual([...queries.value.queries.keys()], ['1', '3']);
    const r = writeInput(dir, 'test.tsv', 'query-id\tcorpus-id\tscore\n1\t31715818\t1\n3\t14717500\t1\n3\t14717500\t1\n3\tx\tone\n');
    const qrels = await readBeirQrels(r);
    assert.equal(qrels.value.judgments.get('3')?.get('14717500'), 1);
    assert.equal(qrels.report.records, 2);
    assert.deepEqual(qrels.report.skipped.map((s) => `${s.line}: ${s.reason}`), [
      '4: duplicate judgment for query "3", document "14717500" (first at line 3)',
      '5: malformed judgment "3\tx\tone" (score must be an integer)',
    ]);
    const noHeader = writeInput(dir, 'nohdr.tsv', '1\t2\t1\n');
    await assert.rejects(readBeirQrels(noHeader, { strict: true }), { message: `${noHeader}:1: expected header "query-id\\tcorpus-id\\tscore"` });
  });
});
