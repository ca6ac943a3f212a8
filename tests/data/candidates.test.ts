import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { candidatesFromRuns, candidatesFromQrels } from '../../lib/data/candidates';
import { checkReferences } from '../../lib/data/validate';
import { readTrecRun } from '../../lib/data/trec';
import { loadDataset } from '../../lib/data/registry';
import type { Run, RunEntry } from '../../lib/data/types';

function run(name: string, byQuery: Record<string, Array<[string, number]>>): Run {
  return {
    name,
    byQuery: new Map(Object.entries(byQuery).map(([q, es]) => [q, es.map(([docId, rank]): RunEntry => ({ docId, rank, score: -rank }))])),
  };
}

describe('data/candidates + checkReferences', () => {
  it('interleaves the runs by rank column, each passage once, in run order', () => {
    const a = run('A', { q1: [['d2', 2], ['d1', 1], ['d3', 3]], q2: [['x', 1]] });
    const b = run('B', { q1: [['d9', 1], ['d1', 2], ['d8', 3]], q3: [['y', 1]] });
    const c = candidatesFromRuns([a, b], { depth: 2 });
    assert.deepEqual([...c.byQuery], [['q1', ['d1', 'd9', 'd2']], ['q2', ['x']], ['q3', ['y']]]);
    assert.deepEqual([...candidatesFromRuns([b, a], { depth: 3 }).byQuery.get('q1')!], ['d9', 'd1', 'd2', 'd8', 'd3']);
    assert.deepEqual([...candidatesFromRuns([a, b], { depth: 1, queries: ['q3', 'q9'] }).byQuery], [['q3', ['y']], ['q9', []]]);
    assert.throws(() => candidatesFromRuns([a], { depth: 0 }), /depth must be a positive integer/);
    // A million queries listed (MS MARCO has 503k training queries): no spread into one call.
    const many = Array.from({ length: 1_000_000 }, (_, i) => `m${i}`);
    assert.equal(candidatesFromRuns([a], { depth: 1, queries: many }).byQuery.size, 1_000_000);
  });

  it('pools the real dl19-mini runs: top-10 of 4 systems, each list a duplicate-free subset of the union', async () => {
    const ds = await loadDataset('dl19-mini');
    const runs = await Promise.all(Object.values(ds.runFiles).map(async (p) => (await readTrecRun(p)).value));
    const pool = candidatesFromRuns(runs, { depth: 10 });
    assert.equal(pool.byQuery.size, 5);
    for (const [q, list] of pool.byQuery) {
      assert.equal(new Set(list).size, list.length);
      assert.ok(list.length >= 10 && list.length <= 40, `${q}: ${list.length}`);
      for (const r of runs) for (const e of r.byQuery.get(q)!.filter((x) => x.rank <= 10)) assert.ok(list.includes(e.docId));
    }
    for (const r of runs) assert.equal(checkReferences(r, ds.queries, ds.collection).unknownPassages, 0, r.name);
  });

  it('candidatesFromQrels keeps judged passages in file order, optionally only relevant ones', () => {
    const qrels = { name: 'q', judgments: new Map([['1', new Map([['a', 0], ['b', 2], ['c', 1]])]]) };
    assert.deepEqual(candidatesFromQrels(qrels).byQuery.get('1'), ['a', 'b', 'c']);
    assert.deepEqual(candidatesFromQrels(qrels, { minGrade: 1 }).byQuery.get('1'), ['b', 'c']);
  });

  it('checkReferences counts unknown query and passage ids and throws under strict', () => {
    const queries = { name: 'Q', queries: new Map([['1', { id: '1', text: 't' }]]) };
    const collection = { name: 'C', passages: new Map([['a', { id: 'a', text: 't' }]]) };
    const r = run('R', { '1': [['a', 1], ['zz', 2]], '2': [['a', 1]] });
    const check = checkReferences(r, queries, collection);
    assert.equal(check.unknownQueries, 1);
    assert.equal(check.unknownPassages, 1);
    assert.deepEqual(check.warnings, ['run R: 1 of 2 query ids not in queries Q (e.g. 2)', 'run R: 1 of 3 entries (1 distinct passages) not in collection C (e.g. zz)']);
    assert.throws(() => checkReferences(r, queries, collection, { strict: true }), { message: check.warnings.join('; ') });
  });
});
