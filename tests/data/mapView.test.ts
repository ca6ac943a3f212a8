import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MapView } from '../../lib/data/mapView';

describe('data/mapView', () => {
  it('is the Map of mapped, kept entries in base order, whatever the base and the filter', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer())), fc.integer({ min: 1, max: 4 }), (entries, mod) => {
      const base = new Map(entries);
      const keep = (k: number) => k % mod === 0;
      const view = new MapView(base, (v: number, k: number) => `${k}:${v * 2}`, keep);
      const model = new Map([...base].filter(([k]) => keep(k)).map(([k, v]) => [k, `${k}:${v * 2}`]));
      assert.equal(view.size, model.size);
      assert.deepEqual([...view], [...model]);
      assert.deepEqual([...view.keys()], [...model.keys()]);
      assert.deepEqual([...view.values()], [...model.values()]);
      for (let k = -1; k <= 41; k++) {
        assert.equal(view.has(k), model.has(k));
        assert.equal(view.get(k), model.get(k));
      }
      const seen: Array<[number, string]> = [];
      view.forEach((v, k, m) => { assert.equal(m, view); seen.push([k, v]); });
      assert.deepEqual(seen, [...model]);
    }));
  });

  it('stores nothing: a change of the base shows through, and each get maps again', () => {
    const base = new Map([['a', 1]]);
    let calls = 0;
    const view = new MapView(base, (v: number) => { calls += 1; return v + 1; });
    assert.equal(view.get('a'), 2);
    base.set('a', 10);
    base.set('b', 0);
    assert.equal(view.get('a'), 11);
    assert.equal(view.size, 2);
    assert.equal(calls, 2);
    // An undefined value of a present key is still mapped; an absent key is not.
    const withUndefined = new MapView(new Map<string, number | undefined>([['u', undefined]]), (v) => (v === undefined ? 'none' : 'some'));
    assert.equal(withUndefined.get('u'), 'none');
    assert.equal(withUndefined.get('x'), undefined);
  });
});
