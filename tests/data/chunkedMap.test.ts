import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ChunkedMap } from '../../lib/data/chunkedMap';

type Op = { kind: 'set'; key: number; value: number } | { kind: 'delete'; key: number } | { kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 30 }), value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('data/chunkedMap', () => {
  it('behaves as a Map under any sequence of set / delete / clear (insertion order, sizes, lookups)', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 1, max: 5 }), (ops, capacity) => {
      const model = new Map<number, number>();
      const chunked = new ChunkedMap<number, number>(undefined, capacity);
      for (const o of ops) {
        if (o.kind === 'set') { model.set(o.key, o.value); chunked.set(o.key, o.value); }
        else if (o.kind === 'delete') assert.equal(chunked.delete(o.key), model.delete(o.key));
        else { model.clear(); chunked.clear(); }
        assert.equal(chunked.size, model.size);
      }
      assert.deepEqual([...chunked], [...model]);
      assert.deepEqual([...chunked.keys()], [...model.keys()]);
      assert.deepEqual([...chunked.values()], [...model.values()]);
      for (let k = 0; k <= 30; k++) {
        assert.equal(chunked.has(k), model.has(k));
        assert.equal(chunked.get(k), model.get(k));
      }
      const seen: Array<[number, number]> = [];
      chunked.forEach((v, k, m) => { assert.equal(m, chunked); seen.push([k, v]); });
      assert.deepEqual(seen, [...model]);
    }));
  });

  it('spreads entries over inner Maps of the given capacity and still finds every key', () => {
    const m = new ChunkedMap<string, number>(Array.from({ length: 10 }, (_, i) => [`k${i}`, i] as const), 3);
    assert.equal(m.size, 10);
    assert.equal((m as unknown as { chunks: unknown[] }).chunks.length, 4);
    assert.equal(m.get('k0'), 0);
    assert.equal(m.get('k9'), 9);
    m.set('k0', 100);
    assert.deepEqual([...m.keys()][0], 'k0', 'an update keeps the entry where it was');
  });

  it('keeps undefined values apart from absent keys across inner Maps', () => {
    const m = new ChunkedMap<string, number | undefined>([['a', undefined], ['b', 1], ['c', 2]], 1);
    assert.equal(m.has('a'), true);
    assert.equal(m.get('a'), undefined);
    assert.equal(m.get('c'), 2);
    assert.equal(m.has('z'), false);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new ChunkedMap(undefined, 0), /capacity must be a positive integer/);
  });
});
