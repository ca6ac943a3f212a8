/**
 * Sharded encoding and merged search (`encode --shard i/n`, `search --shards`): three shards of a
 * real 600-passage slice equal the unsharded embeddings bit for bit, and the merged top k equals
 * exact search over the whole matrix (ids, scores and tie order); bad --shard values are usage errors.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../lib/backend';
import { command as encode } from '../../lib/cli/encode';
import { command as search } from '../../lib/cli/search';
import { UsageError } from '../../lib/cli/args';
import { loadDataset } from '../../lib/data/registry';
import { readTrecRun } from '../../lib/data/trec';
import { readNpy } from '../../lib/retrieval/npy';
import { exactTopK } from '../../lib/retrieval/topk';
import { parseShard, shardRange } from '../../lib/retrieval/shards';
import { writeTinyHfStudent } from '../models/helpers';

describe('cli: encode --shard i/n and search --shards', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-shards-'));
  const quiet = async (f: () => Promise<number>): Promise<number> => {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try { return await f(); } finally { process.stderr.write = write; }
  };
  before(async () => {
    await initBackend();
    const dl19 = await loadDataset('dl19');
    const passages = [...dl19.collection.passages.values()].slice(0, 600);
    writeFileSync(join(dir, 'corpus.tsv'), passages.map((p) => `${p.id}\t${p.text.replace(/\s+/g, ' ')}\n`).join(''));
    writeFileSync(join(dir, 'queries.tsv'), [...dl19.queries.queries.values()].slice(0, 12).map((q) => `${q.id}\t${q.text}\n`).join(''));
    await writeTinyHfStudent(join(dir, 'model'), 9, { pooling: 'mean' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parseShard / shardRange: contiguous slices covering every row once', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    for (const bad of ['3/3', '1', '-1/2', 'a/b', '0/0']) assert.throws(() => parseShard(bad), /--shard must be i\/n/);
    const ranges = [0, 1, 2, 3].map((i) => shardRange(10, { index: i, count: 4 }));
    assert.deepEqual(ranges, [{ start: 0, end: 2 }, { start: 2, end: 5 }, { start: 5, end: 7 }, { start: 7, end: 10 }]);
  });

  it('three shards equal the unsharded embeddings, and the merged search equals exact search over all of them', async () => {
    const args = ['--model', join(dir, 'model'), '--input', join(dir, 'corpus.tsv'), '--batch-size', '100'];
    assert.equal(await quiet(() => encode.run([...args, '--out', join(dir, 'all.npy')])), 0);
    const shards = [0, 1, 2].map((i) => join(dir, `shard-${i}.npy`));
    for (const [i, out] of shards.entries()) assert.equal(await quiet(() => encode.run([...args, '--out', out, '--shard', `${i}/3`, '--cache', join(dir, 'cache')])), 0);
    const all = readNpy(join(dir, 'all.npy'));
    const parts = shards.map((s) => readNpy(s));
    assert.deepEqual(parts.map((p) => p.rows), [200, 200, 200]);
    const joined = new Float32Array(all.data.length);
    let at = 0;
    for (const p of parts) { joined.set(p.data, at); at += p.data.length; }
    assert.ok(Buffer.from(joined.buffer).equals(Buffer.from(all.data.buffer, all.data.byteOffset, all.data.byteLength)));
    assert.equal(shards.map((s) => readFileSync(s.replace(/\.npy$/, '.ids.txt'), 'utf8')).join(''), readFileSync(join(dir, 'all.ids.txt'), 'utf8'));

    assert.equal(await quiet(() => search.run(['--model', join(dir, 'model'), '--shards', shards.join(','), '--queries', join(dir, 'queries.tsv'), '--out', join(dir, 'run.trec'), '--k', '20', '--tag', 't'])), 0);
    const run = (await readTrecRun(join(dir, 'run.trec'))).value;
    const qenc = readNpy(join(dir, 'all.npy'));
    assert.equal(run.byQuery.size, 12);
    // Exact search over the whole matrix, with the query embeddings the CLI would make.
    assert.equal(await quiet(() => encode.run(['--model', join(dir, 'model'), '--input', join(dir, 'queries.tsv'), '--kind', 'query', '--out', join(dir, 'q.npy')])), 0);
    const q = readNpy(join(dir, 'q.npy'));
    const ids = readFileSync(join(dir, 'all.ids.txt'), 'utf8').split('\n').slice(0, -1);
    const qids = readFileSync(join(dir, 'q.ids.txt'), 'utf8').split('\n').slice(0, -1);
    // Same passages with the same scores (the run file is read back in trec_eval's order, ties by
    // docid). A shard is scored by a product of another size, so a score may differ in float32's
    // last bit: compared within 1e-6, not by printed digits (a last-bit change can flip the 6th).
    exactTopK(q, qenc, 20).forEach((h, i) => {
      const got = new Map(run.byQuery.get(qids[i]!)!.map((e) => [e.docId, e.score]));
      const want = new Map(Array.from(h.indices, (r, j) => [ids[r]!, h.scores[j]!]));
      assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), qids[i]);
      for (const [d, s] of want) assert.ok(Math.abs(got.get(d)! - s) <= 1e-6, `${qids[i]} ${d}: ${got.get(d)} vs ${s}`);
    });
  });

  it('--shards with --corpus, or a GloVe model, is a usage error', async () => {
    await assert.rejects(search.run(['--model', join(dir, 'model'), '--shards', 'a.npy', '--corpus', 'c.tsv', '--queries', 'q', '--out', join(dir, 'x.trec')]), UsageError);
    await assert.rejects(encode.run(['--model', join(dir, 'model'), '--input', 'x', '--out', join(dir, 'y.npy'), '--shard', '4/4']), /--shard must be i\/n/);
  });
});
