/** BM25-family runs (lib/pipeline/bm25Runs.ts) on the scifact-mini fixture: valid, cached, used by splits. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadDataset } from '../../lib/data';
import type { Run } from '../../lib/data/types';
import { evaluate } from '../../lib/eval';
import { ModelRefSchema, type Bm25ModelRef } from '../../lib/config/model';
import { bm25FamilyQuality, bm25Run, bm25RunNameOf, bm25RunPath, DEFAULT_BM25_FAMILY, isBm25RunName, parseBm25RunName } from '../../lib/pipeline/bm25Runs';
import { candidateSystems } from '../../lib/pipeline/splits';
import { parseExperimentConfig, baseConfig } from '../../lib/config';
import { loadSplit } from '../../lib/pipeline/splits';

function assertValidRun(run: Run, k: number, docIds: ReadonlySet<string>): void {
  assert.ok(run.byQuery.size > 0, `${run.name}: no query retrieved anything`);
  for (const [q, entries] of run.byQuery) {
    assert.ok(entries.length > 0 && entries.length <= k, `${run.name} ${q}: ${entries.length} entries, want 1..${k}`);
    assert.deepEqual(entries.map((e) => e.rank), entries.map((_e, i) => i + 1), `${run.name} ${q}: ranks not 1..n`);
    entries.forEach((e, i) => {
      assert.ok(Number.isFinite(e.score) && e.score > 0, `${run.name} ${q}: score ${e.score}`);
      if (i > 0) assert.ok(e.score <= entries[i - 1].score, `${run.name} ${q}: scores not descending at rank ${i + 1}`);
      assert.ok(docIds.has(e.docId), `${run.name} ${q}: unknown document ${e.docId}`);
    });
    assert.equal(new Set(entries.map((e) => e.docId)).size, entries.length, `${run.name} ${q}: repeated document`);
  }
}

describe('BM25-family runs (bm25Runs)', function () {
  this.timeout(120000);
  const cacheDir = mkdtempSync(join(tmpdir(), 'mta4dpr-bm25runs-'));

  it('parses family names and rejects others', () => {
    assert.deepEqual(parseBm25RunName('bm25:BM25'), { runName: 'bm25:BM25', k1: 0.9, b: 0.4, field: 'all' });
    assert.deepEqual(parseBm25RunName('bm25:BM25-k1.2-b0.75-title'), { runName: 'bm25:BM25-k1.2-b0.75-title', k1: 1.2, b: 0.75, field: 'title' });
    assert.ok(isBm25RunName('bm25:BM25-text') && !isBm25RunName('BM25'));
    for (const bad of ['BM25', 'bm25:BM25-k1.2', 'bm25:bm25', 'bm25:BM25-k1-b2', 'bm25:BM25-abstract']) assert.throws(() => parseBm25RunName(bad), /BM25/);
  });

  it('a bm25 scorer reference names the family run with its parameters, which then gives its candidates', () => {
    const ref = (r: Record<string, unknown>) => ModelRefSchema.parse({ name: 'B', kind: 'bm25', ...r }) as Bm25ModelRef;
    assert.equal(bm25RunNameOf(ref({})), 'bm25:BM25');
    assert.equal(bm25RunNameOf(ref({ k1: 1.2, b: 0.75 })), 'bm25:BM25-k1.2-b0.75');
    assert.equal(bm25RunNameOf(ref({ fields: ['title'] })), 'bm25:BM25-title');
    assert.equal(bm25RunNameOf(ref({ k1: 1, b: 0.5, fields: ['text'] })), 'bm25:BM25-k1-b0.5-text');
    assert.equal(bm25RunNameOf(ref({ fields: ['text', 'title'] })), undefined, 'no family member indexes text before title');
    for (const r of [{}, { k1: 1.2, b: 0.75, fields: ['text'] }]) {
      const name = bm25RunNameOf(ref(r))!;
      const v = parseBm25RunName(name);
      assert.deepEqual([v.k1, v.b], [ref(r).k1, ref(r).b], `${name} parses back to the reference's parameters`);
    }
    const config = baseConfig(parseExperimentConfig({
      name: 'x', teacher: { name: 'T', kind: 'bm25', k1: 1.2, b: 0.75 },
      assistants: [{ name: 'A', run: 'TAS-B' }, { name: 'C', kind: 'bm25', fields: ['title'] }], systems: [{ name: 'r' }],
    }));
    assert.deepEqual(candidateSystems(config), ['bm25:BM25-k1.2-b0.75', 'TAS-B', 'bm25:BM25-title']);
  });

  it('writes valid ranked, scored top-k runs for every family member', async () => {
    const ds = await loadDataset('scifact-mini');
    const ids = new Set(ds.collection.passages.keys());
    for (const name of DEFAULT_BM25_FAMILY) {
      const r = await bm25Run(ds, name, { k: 5, cacheDir });
      assert.equal(r.cached, false);
      assert.equal(r.run.name, name);
      assertValidRun(r.run, 5, ids);
      // The written file is a TREC run of exactly these entries.
      const lines = readFileSync(r.path, 'utf8').trim().split('\n');
      assert.equal(lines.length, [...r.run.byQuery.values()].reduce((a, e) => a + e.length, 0));
      assert.match(lines[0], /^\S+ Q0 \S+ 1 \S+ bm25:/);
    }
    // Retrieval is real: on these claims BM25 finds a judged abstract in the top 5 for most queries.
    const bm25 = (await bm25Run(ds, 'bm25:BM25', { k: 5, cacheDir })).run;
    const recall = evaluate(ds.qrels!, bm25, ['R@5'], { relLevel: 1, missingAsZero: true }).mean['R@5'];
    assert.ok(recall >= 0.5, `BM25 R@5 on scifact-mini ${recall}`);
    // A field variant is a different retriever, not a renamed copy.
    const title = (await bm25Run(ds, 'bm25:BM25-title', { k: 5, cacheDir })).run;
    assert.ok([...bm25.byQuery].some(([q, e]) => JSON.stringify(e.map((x) => x.docId)) !== JSON.stringify(title.byQuery.get(q)?.map((x) => x.docId))));
  });

  it('reads a second call from the cache file; the key follows the parameters and k', async () => {
    const ds = await loadDataset('scifact-mini');
    const first = await bm25Run(ds, 'bm25:BM25-k1.2-b0.75', { k: 5, cacheDir });
    const again = await bm25Run(ds, 'bm25:BM25-k1.2-b0.75', { k: 5, cacheDir });
    assert.equal(again.cached, true);
    assert.equal(again.path, first.path);
    assert.deepEqual([...again.run.byQuery], [...first.run.byQuery]);
    // The cached call really reads the file: an edited score comes back.
    const text = readFileSync(first.path, 'utf8');
    const [qid, , doc] = text.split('\n')[0].split(' ');
    writeFileSync(first.path, text.replace(/^(\S+ Q0 \S+ 1 )\S+/, '$1123456'));
    const edited = await bm25Run(ds, 'bm25:BM25-k1.2-b0.75', { k: 5, cacheDir });
    assert.equal(edited.run.byQuery.get(qid)!.find((e) => e.docId === doc)!.score, 123456);
    writeFileSync(first.path, text);
    const paths = new Set([
      first.path,
      bm25RunPath(ds, 'bm25:BM25-k1.2-b0.75', { k: 10, cacheDir }),
      bm25RunPath(ds, 'bm25:BM25-k1.2-b0.8', { k: 5, cacheDir }),
      bm25RunPath(ds, 'bm25:BM25-k1.2-b0.75-text', { k: 5, cacheDir }),
    ]);
    assert.equal(paths.size, 4);
    assert.match(basename(first.path), /^scifact-mini\.BM25-k1\.2-b0\.75\.top5\.[0-9a-f]{16}\.trec$/);
  });

  it('measures every member on the same judged queries (to choose a teacher on training data)', async () => {
    const ds = await loadDataset('scifact-mini');
    const q = await bm25FamilyQuality(ds, ['bm25:BM25', 'bm25:BM25-title'], ['nDCG@10'], 1, { k: 5, cacheDir });
    assert.deepEqual(q.map((r) => r.run), ['bm25:BM25', 'bm25:BM25-title']);
    for (const r of q) {
      assert.equal(r.queries, ds.qrels!.judgments.size);
      assert.ok(r.metrics['nDCG@10'] > 0 && r.metrics['nDCG@10'] <= 1);
    }
  });

  it('lets loadSplit use bm25: runs, and the default family for "all" on a dataset without run files', async () => {
    const saved = process.env.MTA4DPR_BM25_CACHE;
    process.env.MTA4DPR_BM25_CACHE = cacheDir;
    try {
      const named = await loadSplit(['scifact-mini'], ['bm25:BM25', 'bm25:BM25-text'], 3);
      assert.deepEqual([...named.runs.keys()].sort(), ['bm25:BM25', 'bm25:BM25-text']);
      for (const [q, list] of named.candidates.byQuery) {
        assert.ok(list.length >= 3 && list.length <= 6, `${q}: ${list.length} candidates from two top-3 lists`);
      }
      const all = await loadSplit(['scifact-mini'], 'all', 100);
      assert.deepEqual([...all.runs.keys()].sort(), [...DEFAULT_BM25_FAMILY].sort());
      assert.ok(all.candidates.byQuery.size > 0);
      await assert.rejects(loadSplit(['scifact-mini'], ['BM25'], 3), /no run for BM25/);
    } finally {
      if (saved === undefined) delete process.env.MTA4DPR_BM25_CACHE;
      else process.env.MTA4DPR_BM25_CACHE = saved;
    }
  });
});
