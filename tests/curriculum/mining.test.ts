/** Hard-negative mining on real data: SciFact train with wink BM25, DL19 with the SPLADE++ teacher guard. */
import { strict as assert } from 'node:assert';
import { loadDataset, readTrecRun, type Dataset } from '../../lib/data';
import type { QueryId, Run, RunEntry } from '../../lib/data/types';
import { Bm25Scorer } from '../../lib/assistants';
import { mineHardNegatives } from '../../lib/curriculum';

describe('mineHardNegatives: BM25 on the SciFact train queries', function () {
  this.timeout(120000);
  let ds: Dataset;
  let run: Run;
  before(async () => {
    ds = await loadDataset('scifact-train');
    const bm25 = new Bm25Scorer();
    const byQuery = new Map<QueryId, RunEntry[]>();
    for (const q of ds.queries.queries.values()) byQuery.set(q.id, bm25.search(q, ds.collection, 30).map((h, i) => ({ docId: h.docId, score: h.score, rank: i + 1 })));
    run = { name: 'bm25', byQuery };
  });

  it('never returns a judged-relevant document (and the window did contain some)', () => {
    const { candidates, report } = mineHardNegatives(run, ds.qrels, { depth: [1, 30], count: 8, seed: 1 });
    assert.equal(report.queries, ds.queries.queries.size);
    assert.ok(report.skippedRelevant > 300, `only ${report.skippedRelevant} relevant documents met`);
    for (const [qid, negs] of candidates.byQuery) {
      const judged = ds.qrels!.judgments.get(qid);
      for (const d of negs) assert.ok(!((judged?.get(d) ?? 0) > 0), `${qid}: ${d} is judged relevant`);
      assert.equal(new Set(negs).size, negs.length);
    }
    assert.equal(report.mined, [...candidates.byQuery.values()].reduce((s, l) => s + l.length, 0));
  });

  it('respects the depth window, is reproducible per seed and varies across seeds', () => {
    const a = mineHardNegatives(run, ds.qrels, { depth: [5, 20], count: 4, seed: 7 }).candidates;
    const b = mineHardNegatives(run, ds.qrels, { depth: [5, 20], count: 4, seed: 7 }).candidates;
    const c = mineHardNegatives(run, ds.qrels, { depth: [5, 20], count: 4, seed: 8 }).candidates;
    assert.deepEqual([...a.byQuery], [...b.byQuery]);
    assert.notDeepEqual([...a.byQuery], [...c.byQuery]);
    for (const [qid, negs] of a.byQuery) {
      const window = new Set(run.byQuery.get(qid)!.slice(4, 20).map((e) => e.docId));
      for (const d of negs) assert.ok(window.has(d));
    }
  });
});

describe('mineHardNegatives: false-negative guard with the SPLADE++ teacher (DL19)', function () {
  this.timeout(60000);
  it('skips passages the teacher scores within the margin of the lowest positive', async () => {
    const ds = await loadDataset('dl19');
    const bm25 = (await readTrecRun(ds.runFiles.BM25)).value;
    const splade = (await readTrecRun(ds.runFiles.SPLADE_P_P_ENSEMBLE_DISTIL)).value;
    const teacherScores = new Map([...splade.byQuery].map(([q, es]) => [q, new Map(es.map((e) => [e.docId, e.score]))]));
    const margin = 1000;
    const { candidates, report } = mineHardNegatives(bm25, ds.qrels, { depth: [1, 100], count: 20, seed: 0, teacherScores, marginBelowPositive: margin });
    assert.ok(report.skippedFalseNegatives > 0);
    for (const [qid, negs] of candidates.byQuery) {
      const judged = ds.qrels!.judgments.get(qid)!;
      const pos = [...judged].filter(([, g]) => g > 0).map(([d]) => teacherScores.get(qid)!.get(d)).filter((s): s is number => s !== undefined);
      for (const d of negs) {
        assert.ok(!((judged.get(d) ?? 0) > 0));
        const t = teacherScores.get(qid)!.get(d);
        if (pos.length > 0 && t !== undefined) assert.ok(t < Math.min(...pos) - margin);
      }
    }
  });
});
