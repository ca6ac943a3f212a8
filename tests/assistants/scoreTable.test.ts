/** Score tables from the real DL19 runs: values, missing pairs, disk cache and resume, save/load. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidatesFromRuns, loadDataset, readTrecRun, type Dataset } from '../../lib/data';
import { evaluate } from '../../lib/eval';
import {
  RankOnlyScorer, RunFileScorer, SCORE_LOG_FILE, buildScoreTable, heldScoreTable, loadScoreTable, missingCounts, queryDistributions, runFromTable, saveScoreTable,
  tableDistribution, type ScoreTable, type ScoreTableProgress,
} from '../../lib/assistants';
import type { CandidateLists } from '../../lib/data/types';

const SYSTEMS = ['SPLADE_P_P_ENSEMBLE_DISTIL', 'D_BERT_KD_TASB', 'BM25'];

describe('buildScoreTable on the real DL19 runs', function () {
  this.timeout(60000);
  let ds: Dataset;
  let candidates: CandidateLists;
  let scorers: RunFileScorer[];
  /** Built with the cache, then held in memory: the resume test below damages the cache it was read from. */
  let table: ScoreTable;
  let logged: ScoreTable;
  let dir: string;

  before(async () => {
    ds = await loadDataset('dl19');
    scorers = await Promise.all(SYSTEMS.map((s) => RunFileScorer.fromFile(ds.runFiles[s], s)));
    const runs = await Promise.all(SYSTEMS.map(async (s) => (await readTrecRun(ds.runFiles[s])).value));
    candidates = candidatesFromRuns(runs, { depth: 100 });
    dir = mkdtempSync(join(tmpdir(), 'mta4dpr-scores-'));
    logged = await buildScoreTable({ teacher: scorers[0], assistants: scorers.slice(1), queries: ds.queries, candidates, collection: ds.collection }, { cacheDir: dir });
    table = heldScoreTable(logged);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the run files\' scores, NaN for pairs a run did not retrieve', () => {
    assert.deepEqual(table.models.map((m) => [m.name, m.role]), [[SYSTEMS[0], 'teacher'], [SYSTEMS[1], 'assistant'], [SYSTEMS[2], 'assistant']]);
    assert.equal(table.byQuery.size, 43);
    const q = table.byQuery.get('264014')!;
    assert.equal(q.scores[0][q.docIds.indexOf('4834547')], 140998.0); // first line of the SPLADE++ file
    const m = missingCounts(table);
    const pairs = [...candidates.byQuery.values()].reduce((s, l) => s + l.length, 0);
    for (const s of SYSTEMS) assert.equal(m[s].pairs - m[s].missing, 4300, s); // 43 queries × 100 entries each
    assert.equal(m[SYSTEMS[0]].pairs, pairs);
  });

  it('ranks each column like its run: published DL19 nDCG@10 (SPLADE++ .7308, TAS-B .7210, BM25 .5058)', () => {
    const ndcg = SYSTEMS.map((s) => evaluate(ds.qrels!, runFromTable(table, s), ['nDCG@10']).mean['nDCG@10']);
    [0.7308, 0.721, 0.5058].forEach((v, i) => assert.ok(Math.abs(ndcg[i] - v) < 5e-5, `${SYSTEMS[i]} ${ndcg[i]}`));
  });

  it('reads a cached column back from its log on each access, the same values as scored, and names a log gone or changed since', async () => {
    const fresh = await buildScoreTable({ teacher: scorers[0], assistants: scorers.slice(1), queries: ds.queries, candidates, collection: ds.collection });
    assert.deepEqual([...logged.byQuery.keys()], [...fresh.byQuery.keys()]);
    for (const [qid, q] of fresh.byQuery) assert.deepEqual(logged.byQuery.get(qid), q);
    assert.notEqual(logged.byQuery.get('264014')!.scores[0], logged.byQuery.get('264014')!.scores[0], 'read anew, not held');
    // A column as a run reads that column's records alone, the same run as from the held table.
    for (const s of SYSTEMS) assert.deepEqual([...runFromTable(logged, s).byQuery], [...runFromTable(fresh, s).byQuery]);
    const other = mkdtempSync(join(tmpdir(), 'mta4dpr-scores-gone-'));
    try {
      const one: CandidateLists = { byQuery: new Map([['264014', candidates.byQuery.get('264014')!]]) };
      const small = await buildScoreTable({ teacher: scorers[0], assistants: [], queries: ds.queries, candidates: one, collection: ds.collection }, { cacheDir: other });
      const log = join(other, readdirSync(other)[0], SCORE_LOG_FILE);
      const bytes = readFileSync(log);
      bytes[bytes.length - 20] ^= 0xff;
      writeFileSync(log, bytes);
      assert.throws(() => small.byQuery.get('264014'), (e: Error) => e.message.startsWith(`${log}: the score record at byte 0 is gone or changed`));
      rmSync(other, { recursive: true, force: true });
      assert.throws(() => small.byQuery.get('264014'), (e: Error) => e.message.startsWith(`${log}: no such file`));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('reads every chunk from the cache on a rebuild, and recomputes only damaged or lost chunks (resume)', async () => {
    const build = async (events: ScoreTableProgress[], notes: string[] = []) => buildScoreTable(
      { teacher: scorers[0], assistants: scorers.slice(1), queries: ds.queries, candidates, collection: ds.collection },
      { cacheDir: dir, onProgress: (p) => events.push(p), onNote: (m) => notes.push(m) },
    );
    const events: ScoreTableProgress[] = [];
    const again = await build(events);
    assert.equal(events.length, 3 * 43);
    assert.ok(events.every((e) => e.cached));
    assert.deepEqual(again.byQuery.get('1037798')!.scores, table.byQuery.get('1037798')!.scores);
    const logs = readdirSync(dir).filter((f) => !f.endsWith('.json')).map((f) => join(dir, f, SCORE_LOG_FILE)).sort();
    assert.equal(logs.length, 3, 'one packed log per scorer');
    // A crash mid-append: the last record of one log is torn.
    const torn = readFileSync(logs[0]);
    writeFileSync(logs[0], torn.subarray(0, torn.length - 10));
    // A garbled byte inside the third record of another (header 40 bytes, n at byte 36, CRC after the scores).
    const garbled = readFileSync(logs[1]);
    let at = 0;
    for (let r = 0; r < 2; r++) at += 44 + 8 * garbled.readUInt32LE(at + 36);
    garbled[at + 50] ^= 0xff;
    writeFileSync(logs[1], garbled);
    const events2: ScoreTableProgress[] = [];
    const notes: string[] = [];
    const resumed = await build(events2, notes);
    assert.equal(events2.filter((e) => !e.cached).length, 2, 'the torn and the garbled chunk, nothing else');
    assert.equal(notes.length, 2);
    assert.match(notes[0], /stepped over \d+ bytes of damaged or unfinished records \(42 records intact\)/);
    for (const [qid, q] of table.byQuery) assert.deepEqual(resumed.byQuery.get(qid)!.scores, q.scores);
    const events3: ScoreTableProgress[] = [];
    await build(events3);
    assert.ok(events3.every((e) => e.cached), 'the recomputed chunks were appended after the damage');
  });

  it('reads a cache of the earlier layout (one JSON file per chunk) and moves it into the log', async () => {
    const old = mkdtempSync(join(tmpdir(), 'mta4dpr-scores-old-'));
    try {
      const one: CandidateLists = { byQuery: new Map([['264014', candidates.byQuery.get('264014')!]]) };
      const inputs = { teacher: scorers[0], assistants: [], queries: ds.queries, candidates: one, collection: ds.collection };
      await buildScoreTable(inputs, { cacheDir: old });
      const sub = join(old, readdirSync(old)[0]);
      const logged = readFileSync(join(sub, SCORE_LOG_FILE));
      const q = table.byQuery.get('264014')!;
      // The same chunk as the earlier layout wrote it (null = missing), under the same key, and no log.
      const key = logged.subarray(4, 36).toString('hex');
      writeFileSync(join(sub, `${key}.json`), JSON.stringify({ model: SYSTEMS[0], queryId: '264014', scores: Array.from(q.scores[0], (v) => (Number.isNaN(v) ? null : v)) }));
      rmSync(join(sub, SCORE_LOG_FILE));
      const events: ScoreTableProgress[] = [];
      const back = await buildScoreTable(inputs, { cacheDir: old, onProgress: (p) => events.push(p) });
      assert.deepEqual(events.map((e) => e.cached), [true]);
      assert.deepEqual(back.byQuery.get('264014')!.scores[0], q.scores[0]);
      assert.deepEqual(readFileSync(join(sub, SCORE_LOG_FILE)), logged, 'the chunk moved into the log, byte for byte');
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  it('a changed candidate list misses the cache for that query only', async () => {
    const changed = new Map(candidates.byQuery);
    changed.set('264014', candidates.byQuery.get('264014')!.slice(0, 50));
    const events: ScoreTableProgress[] = [];
    await buildScoreTable({ teacher: scorers[0], assistants: scorers.slice(1), queries: ds.queries, candidates: { byQuery: changed }, collection: ds.collection }, { cacheDir: dir, onProgress: (p) => events.push(p), onNote: () => {} });
    assert.deepEqual(events.filter((e) => !e.cached).map((e) => e.queryId), ['264014', '264014', '264014']);
  });

  it('saves and loads a table (NaN kept), rejecting a damaged file with its path', async () => {
    const path = join(dir, 'table.json');
    await saveScoreTable(path, table);
    const back = await loadScoreTable(path);
    assert.deepEqual(back.models, table.models);
    for (const [qid, q] of table.byQuery) {
      assert.deepEqual(back.byQuery.get(qid)!.docIds, q.docIds);
      q.scores.forEach((col, m) => assert.deepEqual(Array.from(back.byQuery.get(qid)!.scores[m]), Array.from(col)));
    }
    writeFileSync(path, JSON.stringify({ format: 'mta4dpr-score-table', version: 1, models: [{ name: 'x', role: 'teacher' }], queries: [{ queryId: 'q', docIds: ['a'], scores: [[1, 2]] }] }));
    await assert.rejects(loadScoreTable(path), (e: Error) => e.message.includes(path) && e.message.includes('does not match'));
  });

  it('views: a model\'s distribution and the teacher / assistants / fused distributions of a query', () => {
    const v = tableDistribution(table, 'BM25', '264014');
    assert.equal(v.missing, v.docIds.length - 100);
    assert.ok(Math.abs(v.distribution.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const d = queryDistributions(table, '264014');
    assert.deepEqual(Object.keys(d.candidates), ['D_BERT_KD_TASB', 'BM25', 'fused']);
    const drop = queryDistributions(table, '264014', { missing: { kind: 'drop' } });
    assert.ok(drop.docIds.length < d.docIds.length && drop.docIds.length > 0);
  });

  it('RankOnlyScorer scores RankGPT by −rank (its score column is a copy of BM25\'s)', async () => {
    const s = await RankOnlyScorer.fromFile(ds.runFiles['RankGPT-gpt-3.5-turbo'], 'RankGPT');
    const got = await s.score(ds.queries.queries.get('264014')!, ['684616', '1804644', 'not-a-doc'], ds.collection);
    assert.deepEqual(Array.from(got), [-1, -2, NaN]);
  });
});
