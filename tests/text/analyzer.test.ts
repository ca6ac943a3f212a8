import assert from 'node:assert/strict';
import { analyze, sStem, termCounts } from '../../lib/text/analyzer';
import { bm25Idf, termStats } from '../../lib/text/termStats';

describe('text/analyzer', () => {
  it("Harman's S-stemmer strips plurals only", () => {
    const cases: Record<string, string> = {
      passages: 'passage', queries: 'query', flies: 'fly', cats: 'cat', glass: 'glass', virus: 'virus', bus: 'bus',
      running: 'running', boxes: 'boxe', toes: 'toe', trees: 'tree', bees: 'bee', cookies: 'cooky', is: 'is',
    };
    for (const [w, s] of Object.entries(cases)) assert.equal(sStem(w), s, w);
  });

  it('lower-cases, folds accents, drops stop words and punctuation, keeps repeats', () => {
    assert.deepEqual(analyze('The Cats and DOGS are running; café, cats!'), ['cat', 'dog', 'running', 'cafe', 'cat']);
    assert.deepEqual(analyze('The cats', { stem: false }), ['cats']);
    assert.deepEqual(analyze('the cats', { stopwords: new Set() }), ['the', 'cat']);
    assert.deepEqual(analyze('  ...  '), []);
  });

  it('counts distinct terms in first-occurrence order', () => {
    assert.deepEqual(termCounts('dogs chase cats; a cat chases dogs'), { terms: ['dog', 'chase', 'cat'], counts: [2, 2, 2], length: 6 });
  });

  it('collects document frequencies and the mean length; BM25 idf', () => {
    const s = termStats(['red apples', 'green apple tree', 'the red']);
    assert.equal(s.documents, 3);
    assert.equal(s.meanLength, 2); // 'the' is a stop word
    assert.deepEqual([...s.df].sort(), [['apple', 2], ['green', 1], ['red', 2], ['tree', 1]]);
    assert.equal(bm25Idf(3, 2), Math.log(1 + 1.5 / 2.5));
    assert.ok(bm25Idf(3, 0) > bm25Idf(3, 1) && bm25Idf(3, 3) > 0);
    assert.throws(() => termStats([]), /no texts/);
  });
});
