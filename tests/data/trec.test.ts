/** TREC qrels/run readers on the real files and on broken input (exact file:line messages); atomic writers. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrecQrels, readTrecRun, writeTrecRun, writeTrecQrels } from '../../lib/data/trec';
import { evaluate } from '../../lib/eval';
import type { Run } from '../../lib/data/types';

const DEMO = join(__dirname, '..', '..', 'data', 'demo');
const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-trec-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('data/trec: readers and writers', () => {
  it('reads the real DL19 qrels: 43 queries, 9260 graded judgments', async () => {
    const q = await readTrecQrels(join(DEMO, 'dl19', 'qrels.trec'));
    assert.equal(q.report.records, 9260);
    assert.equal(q.value.judgments.size, 43);
    assert.equal(q.value.judgments.get('19335')!.get('1017759'), 0);
    const grades = new Set([...q.value.judgments.values()].flatMap((m) => [...m.values()]));
    assert.deepEqual([...grades].sort(), [0, 1, 2, 3]);
    assert.deepEqual(q.report.skipped, []);
  });

  it('reads a real run in file order with ranks and scores', async () => {
    const r = await readTrecRun(join(DEMO, 'dl19', 'runs', 'BM25.dl19.trec'));
    assert.equal(r.value.name, 'BM25.dl19');
    assert.equal(r.report.records, 4300);
    const first = r.value.byQuery.get('264014')!;
    assert.deepEqual(first[0], { docId: '5611210', score: 15.780599594116211, rank: 1 });
    assert.equal(first.length, 100);
  });

  it('rejects broken qrels with exact file:line messages', async () => {
    const dup = file('dup.qrels', '1 0 a 1\n1 0 b 0\n\n1 0 a 2\n');
    await assert.rejects(readTrecQrels(dup), { name: 'InputError', message: `${dup}:4: duplicate judgment for query 1, document a (first at line 1)` });
    const grade = file('grade.qrels', '1 0 a 1\n1 0 b x\n');
    await assert.rejects(readTrecQrels(grade), { message: `${grade}:2: relevance grade must be an integer, got 'x'` });
    const fields = file('fields.qrels', '1 0 a\n');
    await assert.rejects(readTrecQrels(fields), { message: `${fields}:1: expected 4 fields 'qid iter docid grade', got 3` });
    const iter = file('iter.qrels', '1 0.5 a 1\n1 Q0 b 2\n');
    assert.equal((await readTrecQrels(iter)).report.records, 2); // the iteration field is ignored, as in trec_eval
    const neg = file('neg.qrels', '1 0 a -1\n1 0 b +2\n');
    assert.deepEqual([...(await readTrecQrels(neg)).value.judgments.get('1')!], [['a', -1], ['b', 2]]);
    const lenient = await readTrecQrels(dup, { strict: false });
    assert.equal(lenient.report.records, 2);
    assert.deepEqual(lenient.report.skipped, [{ file: dup, line: 4, reason: 'duplicate judgment for query 1, document a (first at line 1)' }]);
    assert.equal(lenient.value.judgments.get('1')!.get('a'), 1);
  });

  it('keeps a query met twice in one list, still refusing a duplicate across the two stretches', async () => {
    const split = file('split.run', 'q Q0 a 1 3 t\nr Q0 x 1 1 t\nq Q0 b 2 2 t\nq Q0 a 3 1 t\n');
    await assert.rejects(readTrecRun(split), { message: `${split}:4: duplicate document a for query q (first earlier in the file)` });
    const lenient = await readTrecRun(split, { strict: false });
    assert.deepEqual(lenient.value.byQuery.get('q'), [{ docId: 'a', score: 3, rank: 1 }, { docId: 'b', score: 2, rank: 2 }]);
  });

  it('shares the doc id strings it is given (internDocId), entries unchanged', async () => {
    const run = file('intern.run', 'q Q0 a 1 3 t\nq Q0 zz 2 2 t\n');
    const asked: string[] = [];
    const read = await readTrecRun(run, { internDocId: (d) => { asked.push(d); return d; } });
    assert.deepEqual(asked, ['a', 'zz']);
    assert.deepEqual(read.value.byQuery.get('q')!.map((e) => e.docId), ['a', 'zz']);
  });

  it('rejects broken runs with exact file:line messages', async () => {
    const score = file('score.run', 'q Q0 a 1 1.5 t\nq Q0 b 2 NaN t\n');
    await assert.rejects(readTrecRun(score), { message: `${score}:2: score must be a number, got 'NaN'` });
    const rank = file('rank.run', 'q Q0 a one 1.5 t\n');
    await assert.rejects(readTrecRun(rank), { message: `${rank}:1: rank must be an integer, got 'one'` });
    const dup = file('dup.run', 'q Q0 a 1 2 t\nq Q0 b 2 1 t\nq Q0 a 3 0 t\n');
    await assert.rejects(readTrecRun(dup), { message: `${dup}:3: duplicate document a for query q (first at line 1)` });
    const fields = file('fields.run', 'q Q0 a 1 2\n');
    await assert.rejects(readTrecRun(fields), { message: `${fields}:1: expected 6 fields 'qid Q0 docid rank score tag', got 5` });
    const lenient = await readTrecRun(dup, { strict: false });
    assert.equal(lenient.report.records, 2);
    assert.equal(lenient.report.skipped.length, 1);
  });

  it('reports ties the rank column orders differently, and rank columns contradicting scores', async () => {
    const p = file('ties.run', 'q1 Q0 a 1 1 t\nq1 Q0 b 2 1 t\nq2 Q0 b 1 1 t\nq2 Q0 a 2 1 t\nq3 Q0 a 1 1 t\nq3 Q0 b 2 2 t\nq4 Q0 c 1 3 t\nq4 Q0 d 2 3 t\n');
    const r = await readTrecRun(p);
    assert.equal(r.report.tiedQueries, 2); // q1, q4: a before b, c before d; trec_eval puts the larger docid first
    assert.equal(r.report.rankInversions, 1); // q3
    assert.equal(r.report.notes.length, 2);
    assert.equal(r.report.warnings.length, 0);
  });

  it('writeTrecRun ranks 1..n by score (trec_eval tie order), atomically, and round-trips the evaluation', async () => {
    const run: Run = { name: 'x', byQuery: new Map([['q', [
      { docId: 'a', score: 0.5, rank: 1 }, { docId: 'b', score: 0.9, rank: 2 }, { docId: 'c', score: 0.5, rank: 3 },
    ]]]) };
    const out = join(dir, 'sub', 'written.run');
    await writeTrecRun(out, run, 'mytag');
    assert.equal(readFileSync(out, 'utf8'), 'q Q0 b 1 0.9 mytag\nq Q0 c 2 0.5 mytag\nq Q0 a 3 0.5 mytag\n');
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['written.run']); // no temp file left behind
    await assert.rejects(writeTrecRun(out, run, 'two words'), /one non-empty token/);
    const real = (await readTrecRun(join(DEMO, 'dl20', 'runs', 'REP_LLAMA.dl20.trec'))).value;
    const qrels = (await readTrecQrels(join(DEMO, 'dl20', 'qrels.trec'))).value;
    const copy = join(dir, 'rep.run');
    await writeTrecRun(copy, real, 'rep');
    const reread = await readTrecRun(copy);
    assert.equal(reread.report.tiedQueries, 0);
    const m = ['nDCG@10', 'AP', 'RR@10'];
    assert.deepEqual(evaluate(qrels, reread.value, m).mean, evaluate(qrels, real, m).mean);
    assert.deepEqual(evaluate(qrels, reread.value, m, { order: 'rank' }).mean, evaluate(qrels, real, m).mean);
  });

  it('writeTrecQrels round-trips', async () => {
    const q = (await readTrecQrels(join(DEMO, 'dl19', 'qrels.trec'))).value;
    const out = join(dir, 'q.qrels');
    await writeTrecQrels(out, q);
    const back = (await readTrecQrels(out)).value;
    assert.deepEqual([...back.judgments].map(([k, v]) => [k, [...v]]), [...q.judgments].map(([k, v]) => [k, [...v]]));
  });
});
