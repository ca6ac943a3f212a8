import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { truncateSync } from 'node:fs';
import { CandidateListsBuilder, StoredCandidateLists } from '../../lib/data/storedCandidates';
import { InputError } from '../../lib/io/errors';

/** Ids as odd as data files allow: tabs, quotes, backslashes, non-ASCII. */
const idArb = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('D1', 'a\tb', '"q"', 'x\\y', 'ünï', '🙂', '0'));
const listsArb = fc.uniqueArray(fc.tuple(idArb, fc.array(idArb, { maxLength: 7 })), { selector: ([q]) => q, maxLength: 30 });

describe('data/storedCandidates: candidate lists past a size leave memory', () => {
  it('hands back the same lists, keys and order whether held or spilled, at any threshold', () => {
    fc.assert(fc.property(listsArb, fc.integer({ min: 0, max: 40 }), (lists, heldMax) => {
      const builder = new CandidateListsBuilder(heldMax);
      for (const [q, l] of lists) builder.add(q, l);
      const map = builder.finish();
      const total = lists.reduce((n, [, l]) => n + l.length, 0);
      assert.equal(map instanceof StoredCandidateLists, total > heldMax);
      assert.equal(map.size, lists.length);
      assert.deepEqual([...map.keys()], lists.map(([q]) => q));
      assert.deepEqual([...map], lists);
      for (const [q, l] of lists) {
        assert.ok(map.has(q));
        assert.deepEqual(map.get(q), l);
      }
      assert.equal(map.get('not a query \u0000'), undefined);
      assert.equal(map.has('not a query \u0000'), false);
    }), { numRuns: 200 });
  });

  it('refuses a query added twice, held or spilled', () => {
    for (const heldMax of [100, 0]) {
      const builder = new CandidateListsBuilder(heldMax);
      builder.add('q1', ['d1']);
      assert.throws(() => builder.add('q1', ['d2']), /query q1 added twice/);
    }
  });

  it('names the spill file when a list comes back cut short', () => {
    const builder = new CandidateListsBuilder(0);
    builder.add('q1', ['d1', 'd2']);
    builder.add('q2', ['d3']);
    const map = builder.finish() as StoredCandidateLists;
    truncateSync(map.path, 5);
    assert.throws(() => map.get('q2'), (e: unknown) => e instanceof InputError && e.file === map.path && /query q2 is cut short/.test(e.message));
  });
});
