import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readDprRetrieverFile, readDprQuestions, streamDprWikipedia } from '../../lib/data/dpr';
import { parsePythonStringList } from '../../lib/data/pythonList';
import { dataRoot } from '../../lib/data/paths';
import { tempDir, writeInput } from './tmpFiles';

describe('data/dpr', () => {
  const dir = tempDir();
  const fixture = join(dataRoot(), 'fixtures/dpr-nq-mini/nq-dev.mini.jsonl');

  // Counts checked with python3 -c 'json.loads per line': 56 distinct passage ids, 4+5+2 distinct positives,
  // 19/20/17 distinct contexts per question (positives, hard negatives, negatives).
  it('reads the NQ fixture: queries with answers, passages, positive qrels, ordered candidates', async () => {
    const { value, report } = await readDprRetrieverFile(fixture);
    assert.equal(report.records, 3);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(value.queries.queries.get('0'), { id: '0', text: 'who sings does he love me with reba', answers: ['Linda Davis'] });
    assert.equal(value.collection.passages.size, 56);
    assert.deepEqual([...value.qrels.judgments.values()].map((m) => m.size), [4, 5, 2]);
    assert.deepEqual([...value.candidates.byQuery.values()].map((l) => l.length), [19, 20, 17]);
    const first = value.candidates.byQuery.get('0')!;
    // positives first (11828866 appears twice among them), then hard negatives, then negatives
    assert.deepEqual(first.slice(0, 4), ['11828866', '15632586', '8870096', '7626265']);
    assert.equal(value.collection.passages.get('11828866')?.title, 'Does He Love You');
  });

  it('reads the same records from a gzipped JSON array (DPR biencoder-*.json layout)', async () => {
    const { readFileSync } = await import('node:fs');
    const records = readFileSync(fixture, 'utf8').trim().split('\n');
    const p = writeInput(dir, 'biencoder-mini.json.gz', `[\n  ${records.join(',\n  ')}\n]\n`);
    const a = await readDprRetrieverFile(p);
    const b = await readDprRetrieverFile(fixture);
    assert.deepEqual([...a.value.candidates.byQuery], [...b.value.candidates.byQuery]);
    assert.deepEqual([...a.value.collection.passages], [...b.value.collection.passages]);
  });

  it('reports records with bad JSON or missing fields, and a truncated array', async () => {
    const p = writeInput(dir, 'bad.jsonl', '{"question": "q", "answers": ["a"], "positive_ctxs": [{"title": "t", "text": "x", "psg_id": 9}]}\n{"question": 1}\n{oops\n');
    const { value, report } = await readDprRetrieverFile(p);
    assert.deepEqual([...value.queries.queries.keys()], ['0']);
    assert.equal(value.collection.passages.get('9')?.text, 'x');
    assert.equal(report.skipped[0].line, 2);
    assert.equal(report.skipped[0].reason, 'invalid record: question: Invalid input: expected string, received number');
    assert.match(report.skipped[1].reason, /^invalid JSON/);
    const t = writeInput(dir, 'truncated.json', '[{"question": "q", "answers": [], "positive_ctxs": []},\n {"question": "r"');
    await assert.rejects(readDprRetrieverFile(t), { message: `${t}:2: unterminated JSON array (truncated file?)` });
  });

  it('parses Python list literals the way DPR wrote them', () => {
    assert.deepEqual(parsePythonStringList(`['Linda Davis']`), ['Linda Davis']);
    assert.deepEqual(parsePythonStringList(`["Ahärôn's", 'it\\'s', 'a\\\\b', "x, y"]`), ["Ahärôn's", "it's", 'a\\b', 'x, y']);
    assert.deepEqual(parsePythonStringList(`[]`), []);
    assert.deepEqual(parsePythonStringList(`['\\xe9t\\u00e9']`), ['été']);
    assert.throws(() => parsePythonStringList(`['unterminated]`), /unterminated string/);
    assert.throws(() => parsePythonStringList(`'no list'`), /expected "\["/);
  });

  it('reads qa.csv questions with ids = line - 1, reporting malformed answer lists', async () => {
    const p = writeInput(dir, 'nq-test.qa.csv', `who got the first nobel prize in physics\t['Wilhelm Conrad Röntgen']\nwhen is the next deadpool movie being released\t['May 18 , 2018']\nbroken line without answers\nbad list\t['x'\n`);
    const { value, report } = await readDprQuestions(p);
    assert.deepEqual([...value.queries.values()], [
      { id: '0', text: 'who got the first nobel prize in physics', answers: ['Wilhelm Conrad Röntgen'] },
      { id: '1', text: 'when is the next deadpool movie being released', answers: ['May 18 , 2018'] },
    ]);
    assert.deepEqual(report.skipped.map((s) => `${s.line}: ${s.reason}`), ['3: expected "question<TAB>[answers]"', '4: expected "," or "]" at column 5 of answers list']);
    await assert.rejects(readDprQuestions(p, { strict: true }), { message: `${p}:3: expected "question<TAB>[answers]"` });
  });

  it('streams psgs_w100-style passages with titles and CSV quoting', async () => {
    const p = writeInput(dir, 'psgs_w100.tsv.gz', 'id\ttext\ttitle\n1\t"Aaron Aaron ( or ; ""Ahärôn"") is a prophet"\tAaron\n2\tplain text\tTitle 2\n');
    const out = [];
    for await (const passage of streamDprWikipedia(p)) out.push(passage);
    assert.deepEqual(out, [{ id: '1', title: 'Aaron', text: 'Aaron Aaron ( or ; "Ahärôn") is a prophet' }, { id: '2', title: 'Title 2', text: 'plain text' }]);
  });
});

describe('data/dpr streaming', () => {
  it('streams records one by one with contexts by kind, counting contexts it drops', async () => {
    const { LoadReporter } = await import('../../lib/data/validate');
    const { streamDprRecords } = await import('../../lib/data/dpr');
    const dir = tempDir();
    const p = writeInput(dir, 'rec.jsonl', '{"question": "q", "answers": ["a"], "positive_ctxs": [{"title": "t", "text": "x", "passage_id": "1"}, {"title": "", "text": "no id"}], "hard_negative_ctxs": [{"title": "", "text": "", "id": 2}], "negative_ctxs": [{"title": "n", "text": "y", "psg_id": 3}]}\n');
    const reporter = new LoadReporter(p);
    const recs = [];
    for await (const r of streamDprRecords(p, reporter)) recs.push(r);
    assert.equal(recs.length, 1);
    assert.deepEqual(recs[0].positives, [{ id: '1', title: 't', text: 'x' }]);
    assert.deepEqual(recs[0].hardNegatives, []);
    assert.deepEqual(recs[0].negatives, [{ id: '3', title: 'n', text: 'y' }]);
    const report = reporter.finish(1);
    assert.deepEqual(report.suspicious.map((s) => `${s.line}: ${s.reason}`), ['1: 1 context(s) without passage_id/psg_id/id ignored', '1: 1 context(s) with empty or corrupted text ignored']);
    assert.deepEqual(report.notes, ['1 context(s) without passage_id/psg_id/id were ignored in all (each record listed)', '1 context(s) with empty or corrupted text were ignored in all (each record listed)']);
  });
});
