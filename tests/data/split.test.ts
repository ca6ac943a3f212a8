/** The seeded split of judged queries: deterministic, disjoint, complete, of the declared size (properties with fast-check). */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { splitQueryIds } from '../../lib/data/split';

const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 60 });
const split = fc.record({ testFraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }), seed: fc.integer() });

describe('data/split', () => {
  it('same ids and seed give the same sides, in any file order; sides are disjoint and cover every judged query', () => {
    fc.assert(fc.property(ids, split, fc.integer(), (judged, s, shuffleSeed) => {
      const a = splitQueryIds(judged, s);
      const shuffled = [...judged].sort((x, y) => ((x.length * 31 + shuffleSeed) % 7) - ((y.length * 31 + shuffleSeed) % 7) || (x < y ? 1 : -1));
      const b = splitQueryIds(shuffled, s);
      assert.deepEqual(new Set(a.test), new Set(b.test));
      assert.equal(a.train.filter((q) => a.test.includes(q)).length, 0);
      assert.deepEqual([...a.train, ...a.test].sort(), [...judged].sort());
      const expected = Math.min(judged.length - 1, Math.max(1, Math.round(s.testFraction * judged.length)));
      assert.equal(a.test.length, expected);
    }), { numRuns: 200 });
  });

  it('another seed draws another test side (for a set large enough to tell)', () => {
    const judged = Array.from({ length: 100 }, (_, i) => `q${i}`);
    const a = splitQueryIds(judged, { testFraction: 0.5, seed: 1 });
    const b = splitQueryIds(judged, { testFraction: 0.5, seed: 2 });
    assert.notDeepEqual(a.test, b.test);
    assert.deepEqual(splitQueryIds(judged, { testFraction: 0.5, seed: 1 }), a);
  });

  it('refuses fewer than 2 judged queries and repeated ids', () => {
    assert.throws(() => splitQueryIds(['only'], { testFraction: 0.5, seed: 0 }), /at least 2 judged queries, found 1/);
    assert.throws(() => splitQueryIds(['a', 'a'], { testFraction: 0.5, seed: 0 }), /distinct/);
  });
});
