import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readTsvQueries, readTsvCollection, streamTsvCollection, writeTsvQueries, writeTsvCollection } from '../../lib/data/tsv';
import { LoadReporter } from '../../lib/data/validate';
import { dataRoot } from '../../lib/data/paths';
import { tempDir, writeInput } from './tmpFiles';

describe('data/tsv', () => {
  const dir = tempDir();

  it('reads the real DL19 queries (43 lines: wc -l data/demo/dl19/queries.tsv)', async () => {
    const { value, report } = await readTsvQueries(join(dataRoot(), 'demo/dl19/queries.tsv'));
    assert.equal(value.queries.size, 43);
    assert.equal(report.records, 43);
    assert.deepEqual(report.skipped, []);
    assert.equal(value.queries.get('264014')?.text, 'how long is life cycle of flea');
    assert.equal([...value.queries.keys()][0], '264014');
  });

  it('reads SciFact train queries (809 lines)', async () => {
    const { value } = await readTsvQueries(join(dataRoot(), 'demo/scifact/queries.train.tsv'));
    assert.equal(value.queries.size, 809);
  });

  it('skips and reports malformed lines, duplicate ids and empty texts with file:line', async () => {
    const p = writeInput(dir, 'bad.tsv', 'q1\tfirst\nno tab here\nq1\tagain\nq2\t   \nq3\ta\tb\nq4\tfine\n');
    const { value, report } = await readTsvQueries(p);
    assert.deepEqual([...value.queries.keys()], ['q1', 'q4']);
    assert.deepEqual(report.skipped.map((s) => `${s.line}: ${s.reason}`), [
      '2: expected 2 tab-separated columns (id, text), found 1',
      '3: duplicate id "q1" (first at line 1)',
      '4: empty text',
      '5: expected 2 tab-separated columns (id, text), found 3',
    ]);
  });

  it('throws InputError naming file and line under strict', async () => {
    const p = writeInput(dir, 'dup.tsv', 'a\tx\nb\ty\na\tz\n');
    await assert.rejects(readTsvQueries(p, { strict: true }), { name: 'InputError', message: `${p}:3: duplicate id "a" (first at line 1)` });
  });

  it('rejects a NUL byte as binary input naming file:line, and counts U+FFFD as a warning', async () => {
    const p = writeInput(dir, 'garbage.tsv', Buffer.from('a\tok\nb\tbad\u0000bytes\n'));
    await assert.rejects(readTsvQueries(p), { message: `${p}:2: binary data (NUL byte): not a text file` });
    const q = writeInput(dir, 'replacement.tsv', Buffer.concat([Buffer.from('a\tok\nc\t'), Buffer.from([0xff, 0xfe]), Buffer.from('x\n')]));
    const { value, report } = await readTsvQueries(q);
    assert.deepEqual([...value.queries.keys()], ['a', 'c']);
    assert.match(report.warnings[0], /^1 line\(s\) contain U\+FFFD/);
  });

  it('reads gzipped collections and streams them without duplicates checks', async () => {
    const p = writeInput(dir, 'collection.tsv.gz', '0\tThe presence of communication\n1\tManhattan Project\n');
    const { value } = await readTsvCollection(p);
    assert.equal(value.passages.get('1')?.text, 'Manhattan Project');
    const ids: string[] = [];
    for await (const passage of streamTsvCollection(p)) ids.push(passage.id);
    assert.deepEqual(ids, ['0', '1']);
  });

  it('streaming reports malformed lines to a reporter, or throws without one', async () => {
    const p = writeInput(dir, 'stream-bad.tsv', '0\tok\nbroken\n2\tok\n');
    const reporter = new LoadReporter(p);
    const ids: string[] = [];
    for await (const passage of streamTsvCollection(p, { reporter })) ids.push(passage.id);
    assert.deepEqual(ids, ['0', '2']);
    assert.equal(reporter.finish(2).skipped[0].line, 2);
    await assert.rejects((async () => { for await (const _ of streamTsvCollection(p)) void _; })(), { message: `${p}:2: expected 2 tab-separated columns (id, text), found 1` });
  });

  it('writes queries and collections that read back identically (tabs in text become spaces)', async () => {
    const q = join(dir, 'out/queries.tsv');
    await writeTsvQueries(q, { name: 'x', queries: new Map([['1', { id: '1', text: 'a\tb' }], ['2', { id: '2', text: 'c' }]]) });
    const back = await readTsvQueries(q);
    assert.deepEqual([...back.value.queries.values()], [{ id: '1', text: 'a b' }, { id: '2', text: 'c' }]);
    const c = join(dir, 'out/collection.tsv');
    await writeTsvCollection(c, { name: 'c', passages: new Map([['7', { id: '7', title: 'T', text: 'body' }]]) });
    assert.equal((await readTsvCollection(c)).value.passages.get('7')?.text, 'T body');
  });
});
