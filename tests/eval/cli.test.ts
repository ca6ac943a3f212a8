/** `mta4dpr eval` end to end through the CLI dispatcher, with stdout/stderr captured. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli';

const DL19 = join(__dirname, '..', '..', 'data', 'demo', 'dl19');

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('eval: mta4dpr eval CLI', () => {
  const qrels = join(DL19, 'qrels.trec');
  it('--json prints the metric names exactly as given at full precision', async () => {
    const r = await runCli(['eval', '--qrels', qrels, '--run', join(DL19, 'runs', 'BM25.dl19.trec'), '--metrics', 'nDCG@10,RR(rel=2)@10,AP', '--json']);
    assert.equal(r.code, 0, r.err);
    const o = JSON.parse(r.out) as Record<string, number>;
    assert.deepEqual(Object.keys(o), ['nDCG@10', 'RR(rel=2)@10', 'AP']);
    assert.equal(o['nDCG@10']!.toFixed(4), '0.5058');
    assert.ok(String(o['nDCG@10']).length > 10);
  });

  it('--per-query --json adds per-query values; --rel-level and --order are applied; ties are warned about', async () => {
    const run = join(DL19, 'runs', 'REP_LLAMA.dl19.trec');
    const byScore = await runCli(['eval', '--qrels', qrels, '--run', run, '--metrics', 'nDCG@10,RR@10', '--json', '--per-query', '--rel-level', '2']);
    assert.equal(byScore.code, 0);
    assert.match(byScore.err, /43 queries have tied scores/);
    const o = JSON.parse(byScore.out) as { 'nDCG@10': number; 'RR@10': number; perQuery: Record<string, Record<string, number>> };
    assert.equal(o['nDCG@10'].toFixed(4), '0.7384');
    assert.equal(Object.keys(o.perQuery).length, 43);
    const lvl1 = JSON.parse((await runCli(['eval', '--qrels', qrels, '--run', run, '--metrics', 'RR@10', '--json'])).out) as Record<string, number>;
    assert.notEqual(lvl1['RR@10'], o['RR@10']);
    const byRank = await runCli(['eval', '--qrels', qrels, '--run', run, '--metrics', 'nDCG@10', '--json', '--order', 'rank']);
    assert.equal((JSON.parse(byRank.out) as Record<string, number>)['nDCG@10']!.toFixed(4), '0.7439');
    assert.doesNotMatch(byRank.err, /tied scores/);
  });

  it('prints an aligned table without --json', async () => {
    const r = await runCli(['eval', '--qrels', qrels, '--run', join(DL19, 'runs', 'SPLADE_P_P_ENSEMBLE_DISTIL.dl19.trec'), '--metrics', 'nDCG@10,AP']);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    assert.match(lines[0]!, /^query\s+nDCG@10\s+AP$/);
    assert.match(lines[2]!, /^all \(43 queries\)\s+0\.7308\s+0\.\d{4}$/);
  });

  it('fails clearly on bad flags, unknown measures and broken files', async () => {
    const run = join(DL19, 'runs', 'BM25.dl19.trec');
    const unknown = await runCli(['eval', '--qrels', qrels, '--run', run, '--metrics', 'nDCG@10,MAPP']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown measure 'MAPP'/);
    const missing = await runCli(['eval', '--run', run]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /missing required flag --qrels/);
    const badFlag = await runCli(['eval', '--qrels', qrels, '--run', run, '--bogus']);
    assert.equal(badFlag.code, 2);
    const badOrder = await runCli(['eval', '--qrels', qrels, '--run', run, '--order', 'random']);
    assert.equal(badOrder.code, 2);
    assert.match(badOrder.err, /--order must be 'score' or 'rank'/);
    const badLevel = await runCli(['eval', '--qrels', qrels, '--run', run, '--rel-level', 'two']);
    assert.equal(badLevel.code, 2);
    const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-eval-'));
    const broken = join(dir, 'broken.trec');
    writeFileSync(broken, '264014 Q0 5611210 1 15.7 rank\n264014 Q0 6641238 2 high rank\n');
    const b = await runCli(['eval', '--qrels', qrels, '--run', broken]);
    assert.equal(b.code, 1);
    assert.match(b.err, new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: score must be a number, got 'high'`));
    const none = join(dir, 'other.trec');
    writeFileSync(none, 'nope Q0 d 1 1 t\n');
    const n = await runCli(['eval', '--qrels', qrels, '--run', none]);
    assert.equal(n.code, 1);
    assert.match(n.err, /no queries with both results and judgments/);
  });
});
