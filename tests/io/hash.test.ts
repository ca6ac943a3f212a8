import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { sha256, sha256Joined } from '../../lib/io/hash';

describe('io/hash', () => {
  it('sha256Joined equals sha256 of the count and the joined parts (cache keys unchanged by streaming)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 20 }), fc.nat(), (parts, count) => {
      assert.equal(sha256Joined(count, parts), sha256(count, parts.join('\u0001')));
    }));
  });

  it('sha256Joined takes any iterable, read once', () => {
    function* gen() { yield 'a'; yield 'b'; }
    assert.equal(sha256Joined(2, gen()), sha256(2, 'a\u0001b'));
  });
});
