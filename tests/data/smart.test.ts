import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readSmartDocuments, readSmartQueries, readCranfieldQrels, cranfieldGrade } from '../../lib/data/smart';
import { readCacmDocuments, parseCacmHtml } from '../../lib/data/cacm';
import { readTrecTopics } from '../../lib/data/sgml';
import { readTrecQrels } from '../../lib/data/trec';
import { checkReferences } from '../../lib/data/validate';
import { dataRoot } from '../../lib/data/paths';
import { tempDir, writeInput } from './tmpFiles';

describe('data/smart + cacm', () => {
  const dir = tempDir();
  const cran = (f: string): string => join(dataRoot(), 'fixtures/cranfield', f);

  // grep -c '^\.I' cran.all.1400 → 1400; documents 471 and 995 have empty .T and .W.
  it('reads Cranfield documents: 1,400 records, the 2 empty ones skipped and reported', async () => {
    const { value, report } = await readSmartDocuments(cran('cran.all.1400'));
    assert.equal(value.passages.size, 1398);
    assert.deepEqual(report.skipped.map((s) => s.reason), ['empty document (no .W text and no .T title)', 'empty document (no .W text and no .T title)']);
    const d1 = value.passages.get('1')!;
    assert.equal(d1.title, 'experimental investigation of the aerodynamics of a\nwing in a slipstream .');
    assert.match(d1.text, /spanwise distribution of the lift/);
    assert.equal(value.passages.has('471'), false);
  });

  it('numbers Cranfield queries as cranqrel does (sequential), or keeps .I numbers', async () => {
    const seq = await readSmartQueries(cran('cran.qry'), { ids: 'sequential' });
    const orig = await readSmartQueries(cran('cran.qry'));
    assert.equal(seq.value.queries.size, 225);
    assert.deepEqual([...orig.value.queries.keys()].slice(0, 4), ['1', '2', '4', '8']);
    assert.equal([...orig.value.queries.keys()][224], '365');
    assert.equal(seq.value.queries.get('3')?.text, orig.value.queries.get('4')?.text);
  });

  // awk '{print $3}' cranqrel | sort | uniq -c → -1:225, 1:128, 2:387, 3:734, 4:363 (1,837 lines; last has no newline).
  it('reads cranqrel with the ir_datasets grade mapping (-1 → 0) and references all queries', async () => {
    const { value, report } = await readCranfieldQrels(cran('cranqrel'));
    assert.equal(report.records, 1837);
    const counts = new Map<number, number>();
    for (const m of value.judgments.values()) for (const g of m.values()) counts.set(g, (counts.get(g) ?? 0) + 1);
    assert.deepEqual([...counts].sort((a, b) => a[0] - b[0]), [[0, 225], [1, 128], [2, 387], [3, 734], [4, 363]]);
    assert.equal(value.judgments.get('1')?.get('486'), 0);
    assert.equal(cranfieldGrade(1, 'original'), 4);
    assert.equal(cranfieldGrade(-1, 'original'), 0);
    const queries = (await readSmartQueries(cran('cran.qry'), { ids: 'sequential' })).value;
    const docs = (await readSmartDocuments(cran('cran.all.1400'))).value;
    const check = checkReferences(value, queries, docs);
    assert.equal(check.unknownQueries, 0);
    assert.deepEqual(check.unknownPassageIds, ['995']);
    assert.throws(() => checkReferences(value, queries, docs, { strict: true }), /1 of 1837 entries \(1 distinct passages\) not in collection/);
  });

  it('reports broken SMART and qrels input with lines', async () => {
    const p = writeInput(dir, 'bad.all', 'stray text\n.I 1\n.T\ntitle one\n.W\nbody one\n.I 1\n.W\nagain\n.I\n.W\nno id\n');
    const { value, report } = await readSmartDocuments(p);
    assert.deepEqual([...value.passages.keys()], ['1']);
    assert.deepEqual(report.skipped.map((s) => `${s.line}: ${s.reason}`), ['1: text outside any ".I" record', '7: duplicate id "1" (first at line 2)', '10: ".I" without an id', '12: text outside any ".I" record']);
    const q = writeInput(dir, 'qrel', '1 2 3\n1 2 4\n1 x 2\n2 3 9\n');
    const qr = await readCranfieldQrels(q);
    assert.deepEqual(qr.report.skipped.map((s) => `${s.line}: ${s.reason}`), ['2: duplicate judgment for query "1", document "2" (first at line 1)', '3: expected "qid docid code" (3 integers), got "1 x 2"', '4: unknown relevance code 9']);
  });

  // tar tzf cacm.tar.gz | wc -l → 3204; grep -c '<DOC>' topics.cacm.txt → 64; 52 judged topics, 796 judgments.
  it('reads CACM from the tar.gz (ids as in anserini qrels) and its TREC topics', async () => {
    const cacm = (f: string): string => join(dataRoot(), 'fixtures/cacm', f);
    const docs = await readCacmDocuments(cacm('cacm.tar.gz'));
    assert.equal(docs.value.passages.size, 3204);
    assert.deepEqual(docs.report.warnings, ['control characters removed from 2 record(s): CACM-2712.html, CACM-2857.html']);
    assert.equal(docs.value.passages.get('CACM-1')?.title, 'Preliminary Report-International Algebraic Language');
    assert.match(docs.value.passages.get('CACM-1410')!.text, /^Interarrival Statistics for Time Sharing Systems The optimization/);
    const topics = await readTrecTopics(cacm('topics.cacm.txt'));
    assert.equal(topics.value.queries.size, 64);
    assert.equal(topics.value.queries.get('1')?.text, 'What articles exist which deal with TSS (Time Sharing System), an operating system for IBM computers?');
    const qrels = await readTrecQrels(cacm('qrels.cacm.txt'));
    const check = checkReferences(qrels.value, topics.value, docs.value);
    assert.equal(check.unknownQueries, 0);
    assert.equal(check.unknownPassages, 0);
  });

  it('keeps title and abstract of a CACM record, dropping the bibliographic tail', () => {
    const r = parseCacmHtml('<html>\n<pre>\n\n\nA Title\n\nAn abstract\nover lines.\n\nCACM March, 1960\n\nDoe, J.\n\nCA600301 JB March 20, 1978\n\n1\t5\t1\n</pre>\n</html>\n');
    assert.deepEqual(r, { title: 'A Title', text: 'A Title An abstract over lines.' });
  });
});
