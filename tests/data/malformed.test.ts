/** Every malformed-input class gives a counted warning or skip naming file and line, and an error under strict. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readTrecSgmlDocuments, readTrecTopics } from '../../lib/data/sgml';
import { readSmartDocuments } from '../../lib/data/smart';
import { readTsvQueries } from '../../lib/data/tsv';
import { readQrels } from '../../lib/data/qrels';
import { readTarFile } from '../../lib/data/tar';
import type { LoadReport } from '../../lib/data/types';
import { tempDir, writeInput } from './tmpFiles';

const where = (r: LoadReport): string[] => [...r.skipped.map((s) => `skip ${s.line}: ${s.reason}`), ...r.suspicious.map((s) => `flag ${s.line}: ${s.reason}`)];

describe('data: malformed input is reported, never merged or dropped silently', () => {
  const dir = tempDir();

  it('an unclosed last <DOC> is kept and flagged at its line; strict refuses it', async () => {
    const p = writeInput(dir, 'unclosed.sgml', '<DOC>\n<DOCNO> a </DOCNO>\n<TEXT> first </TEXT>\n</DOC>\n<DOC>\n<DOCNO> b </DOCNO>\n<TEXT> cut off\n');
    const { value, report } = await readTrecSgmlDocuments(p);
    assert.deepEqual([...value.passages.keys()], ['a', 'b']);
    assert.deepEqual(where(report), ['flag 5: <DOC> is not closed at the end of the file (truncated file? the record is kept as read)']);
    await assert.rejects(readTrecSgmlDocuments(p, { strict: true }), { message: `${p}:5: <DOC> is not closed at the end of the file (truncated file? the record is kept as read)` });
  });

  it('a <DOC> opening inside another (a missing </DOC>) gives two records, flagged, not one merged one', async () => {
    const p = writeInput(dir, 'nested.sgml', '<DOC>\n<DOCNO> a </DOCNO>\n<TEXT> alpha </TEXT>\n<DOC>\n<DOCNO> b </DOCNO>\n<TEXT> beta </TEXT>\n</DOC>\n');
    const { value, report } = await readTrecSgmlDocuments(p);
    assert.equal(value.passages.get('a')?.text, 'alpha');
    assert.equal(value.passages.get('b')?.text, 'beta');
    assert.deepEqual(where(report), ['flag 1: <DOC> has no </DOC> before the <DOC> at line 4 (missing close tag: kept as two records, check where one ends)']);
    await assert.rejects(readTrecSgmlDocuments(p, { strict: true }), new RegExp(`^InputError: ${p}:1: <DOC> has no </DOC>`));
  });

  it('a lost <DOC> line (two <DOCNO> in one record), a stray </DOC>, text outside records, duplicate ids, empty documents', async () => {
    const p = writeInput(dir, 'mixed.sgml', [
      '<DOC><DOCNO>a</DOCNO><TEXT>one</TEXT>', '<DOCNO>b</DOCNO><TEXT>two</TEXT></DOC>',
      '</DOC>', 'loose words',
      '<DOC><DOCNO>a</DOCNO><TEXT>again</TEXT></DOC>',
      '<DOC><DOCNO>e</DOCNO><TEXT>  </TEXT></DOC>',
      '<DOC><TEXT>no number</TEXT></DOC>', '',
    ].join('\n'));
    const { value, report } = await readTrecSgmlDocuments(p);
    assert.deepEqual([...value.passages.keys()], ['a']);
    assert.deepEqual(where(report), [
      'skip 3: </DOC> without an opening <DOC>',
      'skip 4: text outside any <DOC> record',
      'skip 5: duplicate id "a" (first at line 1)',
      'skip 6: empty text of document e',
      'skip 7: <DOC> without a <DOCNO>',
      'flag 1: one <DOC> holds 2 <DOCNO>s (a, b): documents merged? kept as the first',
    ]);
  });

  it('an unclosed <top> in topics is flagged and does not swallow the next topic', async () => {
    const p = writeInput(dir, 'topics.txt', '<top>\n<num> Number: 1\n<title> first topic\n\n<top>\n<num> Number: 2\n<title> second topic\n</top>\n');
    const { value, report } = await readTrecTopics(p);
    assert.deepEqual([...value.queries.values()], [{ id: '1', text: 'first topic' }, { id: '2', text: 'second topic' }]);
    assert.deepEqual(where(report), ['flag 1: <top> has no </top> before the <top> at line 5 (missing close tag: kept as two records, check where one ends)']);
    await assert.rejects(readTrecTopics(p, { strict: true }), /topics\.txt:1: <top> has no <\/top>/);
  });

  it('a SMART file that ends right after a field marker, and a last record lacking what every other has', async () => {
    const rec = (i: number): string => `.I ${i}\n.T\ntitle ${i}\n.W\ntext ${i}\n`;
    const marker = writeInput(dir, 'cut1.all', `${rec(1)}${rec(2)}.I 3\n.T\ntitle 3\n.W\n`);
    const a = await readSmartDocuments(marker);
    assert.deepEqual(where(a.report), ['flag 14: file ends right after the .W marker of record ".I 3" (truncated file? the record is kept as read)']);
    const short = writeInput(dir, 'cut2.all', `${rec(1)}${rec(2)}.I 3\n.T\ntitle 3 cut he\n`);
    const b = await readSmartDocuments(short);
    assert.deepEqual(where(b.report), ['flag 11: last record ".I 3" lacks .W, which every earlier record has (file cut mid-record?)']);
    assert.equal(b.value.passages.get('3')?.text, 'title 3 cut he', 'kept: its title is its text, as for any record without .W');
    await assert.rejects(readSmartDocuments(short, { strict: true }), { message: `${short}:11: last record ".I 3" lacks .W, which every earlier record has (file cut mid-record?)` });
  });

  it('a SMART .I without any field, and a field given twice, are reported', async () => {
    const p = writeInput(dir, 'fields.all', '.I 1\n.I 2\n.W\ntwo\n.W\nmore\n');
    const { value, report } = await readSmartDocuments(p);
    assert.deepEqual([...value.passages.keys()], ['2']);
    assert.equal(value.passages.get('2')?.text, 'two\nmore');
    assert.deepEqual(where(report), ['skip 1: record ".I 1" has no fields (cut short?)', 'flag 5: record ".I 2" has a second .W field; its text is joined to the first']);
  });

  it('a truncated .gz, a directory and a corrupt .tar.gz name the file instead of a bare zlib / EISDIR error', async () => {
    const whole = gzipSync(Buffer.from(Array.from({ length: 20000 }, (_, i) => `q${i}\tquery number ${i}`).join('\n')));
    // writeInput would gzip a `.gz` name itself, so the raw bytes are written directly.
    writeFileSync(`${dir}/cut.tsv.gz`, whole.subarray(0, whole.length >> 1));
    await assert.rejects(readTsvQueries(`${dir}/cut.tsv.gz`), { message: `${dir}/cut.tsv.gz: truncated gzip data (unexpected end of file) (Z_BUF_ERROR)` });
    await assert.rejects(readSmartDocuments(dir), { message: `${dir}: is a folder, expected a file (EISDIR)` });
    const arr = gzipSync(Buffer.from('[' + Array.from({ length: 3000 }, (_, i) => JSON.stringify({ question: `q ${i}`, answers: ['a'] })).join(',\n') + ']'));
    writeFileSync(`${dir}/dpr.json.gz`, arr.subarray(0, arr.length >> 1));
    const { readDprRetrieverFile } = await import('../../lib/data/dpr');
    await assert.rejects(readDprRetrieverFile(`${dir}/dpr.json.gz`), { message: `${dir}/dpr.json.gz: truncated gzip data (unexpected end of file) (Z_BUF_ERROR)` });
    const tar = `${dir}/broken.tar.gz`;
    writeFileSync(tar, 'not gzip');
    await assert.rejects(readTarFile(tar), { message: `${tar}: corrupt gzip data (Z_DATA_ERROR)` });
  });

  it('qrels: bad lines are skipped with their line; a column order that cannot be told is an error naming the file', async () => {
    const p = writeInput(dir, 'qrels.txt', '1 0 d1 1\n1 0 d2\n1 0 d3 x\n1 0 d1 2\n');
    const { value, report } = await readQrels(p);
    assert.deepEqual([...value.judgments.get('1')!], [['d1', 1]]);
    assert.deepEqual(where(report), ["skip 2: expected 4 columns (qid ignore docid grade), got 3", "skip 3: relevance grade must be an integer, got 'x'", 'skip 4: duplicate judgment for query "1", document "d1" (first at line 1)']);
    const odd = writeInput(dir, 'odd.txt', '1 7 d1 1\n2 8 d2 1\n');
    await assert.rejects(readQrels(odd), { message: `${odd}: cannot tell the qrels column order (e.g. line 1: "1 7 d1 1"); declare it, e.g. "qrelsColumns": ["qid", "ignore", "docid", "grade"]` });
    const declared = await readQrels(odd, { columns: ['qid', 'ignore', 'docid', 'grade'] });
    assert.equal(declared.value.judgments.get('2')?.get('d2'), 1);
    const smart = writeInput(dir, 'cisi.rel', '    1     28 0 0.000000\n    1     35 0 0.000000\n   2   9 0 0.0\n');
    const s = await readQrels(smart, { numericIds: true });
    assert.deepEqual([...s.value.judgments].map(([q, m]) => [q, [...m]]), [['1', [['28', 1], ['35', 1]]], ['2', [['9', 1]]]]);
  });
});
