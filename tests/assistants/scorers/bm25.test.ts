/** BM25 fields (lib/assistants/scorers/bm25.ts) and the `bm25:` family on a collection without titles: skipped with a note, never a crash. */
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bm25Scorer } from '../../../lib/assistants';
import type { Collection, Passage, QuerySet } from '../../../lib/data/types';
import { bm25Run } from '../../../lib/pipeline/bm25Runs';

function collection(name: string, passages: Passage[]): Collection {
  return { name, passages: new Map(passages.map((p) => [p.id, p])) };
}

const NO_TITLES = collection('untitled', [
  { id: 'd1', text: 'the cat sat on the mat' },
  { id: 'd2', text: 'dogs chase cats in the garden' },
  { id: 'd3', text: 'a mat for the garden' },
  { id: 'd4', text: 'quantum chromodynamics of gluons' },
]);
const QUERIES: QuerySet = { name: 'untitled', queries: new Map([['q1', { id: 'q1', text: 'cat on a mat' }], ['q2', { id: 'q2', text: 'gluons' }]]) };

describe('BM25 fields (Bm25Scorer, bm25Runs)', function () {
  this.timeout(60000);
  const cacheDir = mkdtempSync(join(tmpdir(), 'mta4dpr-bm25fields-'));

  it('indexes title + text, or one field, and skips a field empty everywhere with a note', async () => {
    const titled = collection('titled', [
      { id: 'a', title: 'gluons', text: 'the cat sat' },
      { id: 'b', title: 'cats', text: 'gluons and quarks' },
      { id: 'c', title: 'mats', text: 'a garden' },
    ]);
    const q = { id: 'q', text: 'gluons' };
    const both = await new Bm25Scorer('all').score(q, ['a', 'b', 'c'], titled);
    const title = await new Bm25Scorer('title', { fields: ['title'] }).score(q, ['a', 'b', 'c'], titled);
    const text = await new Bm25Scorer('text', { fields: ['text'] }).score(q, ['a', 'b', 'c'], titled);
    assert.ok(both[0] > 0 && both[1] > 0 && both[2] === 0, `title + text: ${both}`);
    assert.ok(title[0] > 0 && title[1] === 0, `title only: ${title}`);
    assert.ok(text[0] === 0 && text[1] > 0, `text only: ${text}`);
    const s = new Bm25Scorer('title', { fields: ['title'] });
    const none = await s.score(q, ['d1', 'd4'], NO_TITLES);
    assert.ok(none.every(Number.isNaN), 'no indexable field: no scores (missing), not zeros');
    assert.match(s.indexOf(NO_TITLES).notes.join('\n'), /untitled: field 'title' is empty in all 4 passages; skipped/);
    const dflt = new Bm25Scorer();
    assert.ok((await dflt.score({ id: 'q', text: 'gluons' }, ['d4'], NO_TITLES))[0] > 0);
    assert.deepEqual(dflt.indexOf(NO_TITLES).fields, ['text']);
    assert.notEqual(new Bm25Scorer('x', { fields: ['text'] }).cacheKey, dflt.cacheKey);
  });

  it('gives an empty bm25:BM25-title run with a note on a collection without titles (it used to throw inside wink)', async () => {
    const source = { name: 'untitled', collection: NO_TITLES, queries: QUERIES };
    const title = await bm25Run(source, 'bm25:BM25-title', { k: 3, cacheDir });
    assert.equal(title.run.byQuery.size, 0);
    assert.match(title.notes.join('\n'), /untitled bm25:BM25-title: .*field 'title' is empty/);
    const again = await bm25Run(source, 'bm25:BM25-title', { k: 3, cacheDir });
    assert.equal(again.cached, true);
    assert.deepEqual(again.notes, title.notes, 'a cached run keeps its notes');
    const all = await bm25Run(source, 'bm25:BM25', { k: 3, cacheDir });
    assert.deepEqual(all.run.byQuery.get('q2')!.map((e) => e.docId), ['d4']);
    assert.equal(all.run.byQuery.get('q1')![0].docId, 'd1');
  });
});
