import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RunColumns } from '../../lib/data/runColumns';
import type { RunEntry } from '../../lib/data/types';

const entry = fc.record({ docId: fc.string({ maxLength: 4 }), score: fc.double(), rank: fc.integer() }).map((e): RunEntry => ({ ...e }));

describe('data/runColumns', () => {
  it('reads back as the Map of entry arrays it was filled like (push and set, order kept)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('q1', 'q2', 'q3'), entry, fc.boolean())), (ops) => {
      const model = new Map<string, RunEntry[]>();
      const cols = new RunColumns();
      for (const [q, e, replace] of ops) {
        if (replace) { model.set(q, [e]); cols.set(q, [e]); }
        else { model.set(q, [...(model.get(q) ?? []), e]); cols.push(q, e.docId, e.score, e.rank); }
      }
      cols.compact();
      assert.equal(cols.size, model.size);
      assert.deepEqual([...cols], [...model]);
      assert.deepEqual([...cols.keys()], [...model.keys()]);
      assert.deepEqual([...cols.values()], [...model.values()]);
      for (const q of ['q1', 'q2', 'q3', 'q4']) {
        assert.equal(cols.has(q), model.has(q));
        assert.deepEqual(cols.get(q), model.get(q));
        assert.deepEqual(cols.docIdsOf(q), model.get(q)?.map((e) => e.docId));
      }
      const seen: Array<[string, readonly RunEntry[]]> = [];
      cols.forEach((v, k, m) => { assert.equal(m, cols); seen.push([k, v]); });
      assert.deepEqual(seen, [...model]);
    }));
  });

  it('hands out a fresh array each time: a caller that sorts its copy changes nothing', () => {
    const cols = new RunColumns();
    cols.push('q', 'a', 1, 1);
    cols.push('q', 'b', 2, 2);
    (cols.get('q') as RunEntry[]).sort((x, y) => y.score - x.score);
    assert.deepEqual(cols.get('q')!.map((e) => e.docId), ['a', 'b']);
  });
});
