/**
 * `mta4dpr search` / `encode` end to end with the untrained GloVe student on dl19-mini: a valid TREC
 * run (every query, k rows, ranks 1..k, scores non-increasing) evaluated with lib/eval.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command as search } from '../../lib/cli/search';
import { command as encode } from '../../lib/cli/encode';
import { readTrecQrels, readTrecRun } from '../../lib/data/trec';
import { evaluate } from '../../lib/eval';
import { readNpy } from '../../lib/retrieval';

const MINI = join(__dirname, '../../data/fixtures/dl19-mini');

describe('cli/search and encode (GloVe student, dl19-mini)', () => {
  it('writes a valid TREC run that lib/eval scores', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'search-')), 'run.trec');
    const code = await search.run(['--model', 'glove:default', '--corpus', join(MINI, 'passages.jsonl'), '--queries', join(MINI, 'queries.tsv'), '--out', out, '--k', '20']);
    assert.equal(code, 0);
    const run = (await readTrecRun(out)).value;
    const qids = readFileSync(join(MINI, 'queries.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')[0]);
    assert.deepEqual([...run.byQuery.keys()].sort(), [...qids].sort());
    for (const entries of run.byQuery.values()) {
      assert.equal(entries.length, 20);
      entries.forEach((e, i) => assert.equal(e.rank, i + 1));
      for (let i = 1; i < entries.length; i++) assert.ok(entries[i - 1].score >= entries[i].score);
    }
    const qrels = (await readTrecQrels(join(MINI, 'qrels.trec'))).value;
    const ndcg = evaluate(qrels, run, ['nDCG@10']).mean['nDCG@10'];
    assert.ok(ndcg > 0 && ndcg <= 1);
  });

  it('encode writes a float32 .npy in input order plus ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'encode-'));
    writeFileSync(join(dir, 'in.tsv'), 'b\tthe second text\na\tthe first text\n');
    const code = await encode.run(['--model', 'glove:default', '--input', join(dir, 'in.tsv'), '--out', join(dir, 'e.npy'), '--kind', 'query']);
    assert.equal(code, 0);
    const m = readNpy(join(dir, 'e.npy'));
    assert.equal(m.rows, 2);
    assert.equal(readFileSync(join(dir, 'e.ids.txt'), 'utf8'), 'b\na\n');
  });
});
