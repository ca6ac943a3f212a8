import { strict as assert } from 'node:assert';
import { buildTrainingGroups, concatGroups, planTrainingGroups } from '../../lib/train/groups';
import type { ScoreTable } from '../../lib/assistants/types';
import { makeFixture } from './fixture';

describe('train/buildTrainingGroups', () => {
  const fx = makeFixture();

  it('puts the best judged passage first and samples negatives that are not judged relevant', () => {
    const { groups, report } = buildTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, { negatives: 5, seed: 3 });
    assert.equal(groups.length, 12);
    assert.equal(report.skippedQueries.length, 0);
    for (const g of groups) {
      const q = Number(g.queryId.slice(1));
      assert.equal(g.docIds[0], `d${q}_0`);
      assert.equal(g.labels[0], 3);
      assert.equal(g.passages.length, 6);
      assert.ok(!g.docIds.slice(1).includes(`d${q}_1`), 'grade-1 passage must not be a negative');
      assert.equal(new Set(g.docIds).size, 6);
      assert.equal(g.teacher[0], fx.table.byQuery.get(g.queryId)!.scores[0][0]);
      assert.deepEqual(Object.keys(g.assistants), ['overlap', 'noise']);
      assert.equal(g.assistants.overlap.length, 6);
    }
    assert.equal(report.excludedCandidates['judged relevant'], 12);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const ids = (seed: number) => buildTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, { negatives: 3, seed }).groups.map((g) => g.docIds.join());
    assert.deepEqual(ids(1), ids(1));
    assert.notDeepEqual(ids(1), ids(2));
  });

  it('relLevel 2 makes the grade-1 passage an eligible negative', () => {
    const { report } = buildTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, { negatives: 8, relLevel: 2 });
    assert.equal(report.excludedCandidates['judged relevant'], undefined);
  });

  it("uses the teacher's top-1 without labels", () => {
    const { groups } = buildTrainingGroups(fx.table, fx.queries, fx.collection, undefined, { negatives: 2 });
    for (const g of groups) assert.equal(g.teacher[0], Math.max(...fx.table.byQuery.get(g.queryId)!.scores[0]));
  });

  it('reports skipped queries and excluded candidates instead of dropping them silently', () => {
    const block = fx.table.byQuery.get('q0')!;
    const teacher = Float64Array.from(block.scores[0]);
    teacher[5] = NaN;
    const table: ScoreTable = {
      models: fx.table.models,
      byQuery: new Map([
        ['q0', { ...block, scores: [teacher, ...block.scores.slice(1)] }],
        ['missing', { queryId: 'missing', docIds: [], scores: [new Float64Array(0), new Float64Array(0), new Float64Array(0)] }],
      ]),
    };
    const { groups, report } = buildTrainingGroups(table, fx.queries, fx.collection, fx.qrels, { negatives: 8 });
    assert.equal(groups.length, 0);
    assert.deepEqual(report.skippedQueries.map((s) => s.queryId), ['q0', 'missing']);
    assert.match(report.skippedQueries[0].reason, /only 7 eligible negatives, 8 needed/);
    assert.equal(report.excludedCandidates['no teacher score'], 1);
  });

  it('plans the groups it builds: the same groups, made on access, and findable by query', () => {
    const opts = { negatives: 4, seed: 9 };
    const built = buildTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, opts);
    const planned = planTrainingGroups(fx.table, fx.queries, fx.collection, fx.qrels, opts);
    assert.equal(planned.groups.length, built.groups.length);
    assert.deepEqual(planned.report, built.report);
    assert.deepEqual([...planned.groups], built.groups);
    assert.deepEqual(planned.groups.at(-1), built.groups[built.groups.length - 1]);
    assert.equal(planned.groups.at(built.groups.length), undefined);
    assert.notEqual(planned.groups.at(0), planned.groups.at(0), 'built anew on each access');
    const byQuery = planned.groups.byQuery();
    assert.deepEqual([...byQuery.keys()], built.groups.map((g) => g.queryId));
    assert.deepEqual(byQuery.get(built.groups[3].queryId), built.groups[3]);
    assert.equal(byQuery.has('no such query'), false);
    const both = concatGroups(planned.groups, built.groups.slice(0, 2));
    assert.equal(both.length, built.groups.length + 2);
    assert.deepEqual(both.at(built.groups.length + 1), built.groups[1]);
    assert.deepEqual(both.at(-1), built.groups[1]);
  });
});

