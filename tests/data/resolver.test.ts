/** datasetResolver: the exact spec on Cranfield in SMART format, splits, embedded fallback, prototype names, content hashes. */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetSpecsSchema } from '../../lib/config/dataset';
import { datasetResolver } from '../../lib/data/resolver';
import { loadDataset } from '../../lib/data/registry';
import { tempDir } from './tmpFiles';

const cran = join(__dirname, '..', '..', 'data', 'fixtures', 'cranfield');
const own = join(__dirname, '..', 'fixtures', 'own-data');

/** A config folder holding Cranfield as x/ALL, x/QRY, x/REL, as a user would lay it out. */
function cranfieldFolder(): string {
  const dir = tempDir('mta4dpr-resolver-');
  mkdirSync(join(dir, 'x'));
  copyFileSync(join(cran, 'cran.all.1400'), join(dir, 'x/ALL'));
  copyFileSync(join(cran, 'cran.qry'), join(dir, 'x/QRY'));
  copyFileSync(join(cran, 'cranqrel'), join(dir, 'x/REL'));
  return dir;
}

const EXACT = { mine: { format: 'smart', documents: 'x/ALL', queries: 'x/QRY', qrels: 'x/REL', split: { testFraction: 0.5, seed: 42 } } };

describe('data/resolver', () => {
  it('resolves the exact spec of the issue on Cranfield: mine, mine/train, mine/test over the whole collection', async () => {
    const dir = cranfieldFolder();
    const r = datasetResolver(DatasetSpecsSchema.parse(EXACT), dir);
    assert.deepEqual(r.names().slice(0, 3), ['mine', 'mine/train', 'mine/test']);
    assert.ok(r.names().includes('cranfield') && r.names().includes('dl19'));
    const [whole, train, test] = await Promise.all([r.load('mine'), r.load('mine/train'), r.load('mine/test')]);
    const embedded = await loadDataset('cranfield');
    assert.deepEqual(whole.qrels!.judgments, embedded.qrels!.judgments);
    assert.equal(train.collection, whole.collection);
    assert.equal(test.collection.passages.size, 1398);
    assert.equal(train.queries.queries.size + test.queries.queries.size, 225);
    assert.equal(test.queries.queries.size, 113);
    assert.ok([...train.queries.queries.keys()].every((q) => !test.queries.queries.has(q)));
    assert.deepEqual([...test.qrels!.judgments.keys()], [...test.queries.queries.keys()]);
    assert.equal(train.name, 'mine/train');
    assert.match(test.notes.at(-1)!, /split of 225 judged queries \(testFraction 0\.5, seed 42\): 112 train, 113 test/);
    // A second resolver (a rerun) draws the same queries.
    const again = await datasetResolver(DatasetSpecsSchema.parse(EXACT), dir).load('mine/test');
    assert.deepEqual([...again.queries.queries.keys()], [...test.queries.queries.keys()]);
    assert.equal(again.contentHash, test.contentHash);
    assert.notEqual(train.contentHash, test.contentHash);
    assert.notEqual(whole.contentHash, test.contentHash);
  });

  it('falls back to the embedded names; constructor, __proto__ and undeclared splits are unknown datasets listing the known ones', async () => {
    const r = datasetResolver(DatasetSpecsSchema.parse({ beirish: { format: 'beir', dir: 'beir' } }), own);
    assert.equal((await r.load('dl19-mini')).name, 'dl19-mini');
    for (const bad of ['constructor', '__proto__', 'toString', 'constructor/train', '__proto__/test', 'beirish/dev', 'nope']) {
      await assert.rejects(r.load(bad), { message: new RegExp(`^unknown dataset "${bad.replace(/[/]/g, '\\/')}"; known: beirish, dl19, `) });
    }
    await assert.rejects(r.load('beirish/train'), /dataset "beirish" declares no "split"/);
  });

  it('contentHash changes when one byte of one passage changes, and not when only the folder or a name does', async () => {
    const dir = tempDir('mta4dpr-hash-');
    mkdirSync(join(dir, 'm'));
    for (const f of ['collection.tsv', 'queries.tsv', 'qrels.tsv', 'bm25.trec']) copyFileSync(join(own, 'msmarco', f), join(dir, 'm', f));
    const spec = { format: 'msmarco', documents: 'm/collection.tsv', queries: 'm/queries.tsv', qrels: 'm/qrels.tsv', runs: { BM25: 'm/bm25.trec' }, split: { testFraction: 0.34, seed: 3 } };
    const hashes = async (name: string, d: string): Promise<string[]> => {
      const r = datasetResolver(DatasetSpecsSchema.parse({ [name]: spec }), d);
      return Promise.all([name, `${name}/train`, `${name}/test`].map(async (n) => (await r.load(n)).contentHash));
    };
    const before = await hashes('a', dir);
    assert.deepEqual(await hashes('renamed', dir), before, 'a name is not content');
    const moved = tempDir('mta4dpr-hash-moved-');
    mkdirSync(join(moved, 'm'));
    for (const f of ['collection.tsv', 'queries.tsv', 'qrels.tsv', 'bm25.trec']) copyFileSync(join(dir, 'm', f), join(moved, 'm', f));
    assert.deepEqual(await hashes('a', moved), before, 'a folder is not content');
    const path = join(dir, 'm', 'collection.tsv');
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf('\t') + 1;
    writeFileSync(path, text.slice(0, at) + (text[at] === 'X' ? 'Y' : 'X') + text.slice(at + 1));
    const after = await hashes('a', dir);
    for (let i = 0; i < 3; i++) assert.notEqual(after[i], before[i]);
    writeFileSync(path, text);
    assert.deepEqual(await hashes('a', dir), before, 'restoring the byte restores the hash');
    const run = join(dir, 'm', 'bm25.trec');
    writeFileSync(run, readFileSync(run, 'utf8').replace(' 10 bm25', ' 11 bm25'));
    assert.notEqual((await hashes('a', dir))[0], before[0], 'run files are part of the content');
  });

  it('embedded datasets carry a content hash too', async () => {
    const a = await loadDataset('dl19-mini');
    assert.match(a.contentHash, /^[0-9a-f]{64}$/);
    assert.notEqual(a.contentHash, (await loadDataset('scifact-mini')).contentHash);
  });
});
