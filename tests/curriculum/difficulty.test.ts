/** Difficulty, "got wrong" and histograms on the real DL19 runs. */
import { strict as assert } from 'node:assert';
import type { Dataset } from '../../lib/data';
import type { Run } from '../../lib/data/types';
import { loadDl19Runs } from './dl19Runs';
import { difficultyHistogram, gotWrong, runDifficulty } from '../../lib/curriculum';
import { evaluate } from '../../lib/eval';

describe('curriculum on DL19 (student = the BM25 run, teacher = SPLADE++)', function () {
  this.timeout(60000);
  let ds: Dataset;
  let bm25: Run;
  let splade: Run;
  before(async () => {
    ({ ds, bm25, splade } = await loadDl19Runs());
  });

  it('rank of the best positive agrees with RR from the evaluator; KL to the teacher is finite', () => {
    const d = runDifficulty(bm25, { qrels: ds.qrels, teacher: splade });
    assert.equal(d.length, 43);
    const rr = evaluate(ds.qrels!, bm25, ['RR']).perQuery;
    for (const q of d) {
      assert.equal(q.basis, 'qrels');
      assert.ok(Math.abs(q.rr - rr.get(q.queryId)!.RR) < 1e-12, q.queryId);
      assert.ok(Number.isFinite(q.klToTeacher) && q.klToTeacher >= 0);
    }
    const teacherSelf = runDifficulty(splade, { qrels: ds.qrels, teacher: splade });
    assert.ok(teacherSelf.every((q) => q.klToTeacher < 1e-9));
  });

  it('got wrong: default top-10 rule, mrr-below rule, teacher top-1 without labels', () => {
    const d = runDifficulty(bm25, { qrels: ds.qrels, relLevel: 2, teacher: splade });
    const wrong = d.filter((q) => gotWrong(q));
    assert.deepEqual(wrong.map((q) => q.queryId), d.filter((q) => q.bestPositiveRank === null || q.bestPositiveRank > 10).map((q) => q.queryId));
    assert.equal(d.filter((q) => gotWrong(q, { rule: 'mrr-below', x: 0.1 })).length, wrong.length);
    assert.ok(wrong.length > 0 && wrong.length < 43);
    const unlabelled = runDifficulty(bm25, { teacher: splade });
    assert.ok(unlabelled.every((q) => q.basis === 'teacher'));
    const q0 = unlabelled.find((q) => q.queryId === '264014')!;
    // SPLADE++'s top-1 for 264014 is 4834547, which BM25 ranks 3rd.
    assert.equal(q0.bestPositiveRank, 3);
    assert.ok(runDifficulty(bm25).every((q) => q.basis === 'none' && !gotWrong(q)));
  });

  it('without the KL, the same ranks and targets, and the teacher is read only for queries without a positive', () => {
    for (const opts of [{ qrels: ds.qrels, relLevel: 2 }, {}]) {
      const withKl = runDifficulty(bm25, { ...opts, teacher: splade });
      let reads = 0;
      const counted: Run = { name: splade.name, byQuery: { get: (q: string) => { reads += 1; return splade.byQuery.get(q); } } as unknown as Run['byQuery'] };
      const without = runDifficulty(bm25, { ...opts, teacher: counted, kl: false });
      assert.deepEqual(without, withKl.map((q) => ({ ...q, klToTeacher: NaN })));
      assert.equal(reads, without.filter((q) => q.basis !== 'qrels').length);
    }
  });

  it('histogram counts every query once', () => {
    const d = runDifficulty(bm25, { qrels: ds.qrels, relLevel: 2 });
    const h = difficultyHistogram(d);
    assert.deepEqual(h.map((b) => b.label), ['1', '2-3', '4-10', '11-100', '>100 or not retrieved', 'no target']);
    assert.equal(h.reduce((s, b) => s + b.count, 0), 43);
    assert.equal(h[0].count, d.filter((q) => q.bestPositiveRank === 1).length);
  });

});
