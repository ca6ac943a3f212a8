/**
 * The got-wrong stage fed one ranked query at a time (stages/gotWrong.ts) against the whole-run
 * rules of lib/curriculum, on the real DL19 runs (student = BM25, teacher = SPLADE++).
 */
import { strict as assert } from 'node:assert';
import { parseExperimentConfig, systemConfig } from '../../lib/config';
import { difficultyHistogram, gotWrong, runDifficulty } from '../../lib/curriculum';
import type { Dataset } from '../../lib/data';
import type { Run } from '../../lib/data/types';
import { loadDl19Runs } from '../curriculum/dl19Runs';
import { GotWrongCounter } from '../../lib/pipeline/stages/gotWrong';

describe('pipeline/gotWrong: the streamed rule equals the whole-run rule', function () {
  this.timeout(60_000);
  let ds: Dataset;
  let bm25: Run;
  let splade: Run;
  before(async () => {
    ({ ds, bm25, splade } = await loadDl19Runs());
  });

  for (const rule of [{ rule: 'top-k', k: 10 }, { rule: 'top-k', k: 1 }, { rule: 'mrr-below', x: 0.5 }] as const) {
    it(`${JSON.stringify(rule)}: same histogram and got-wrong ids, held-out queries passed over`, () => {
      const e = parseExperimentConfig({ name: 'x', teacher: { name: 'T', run: 'T' }, iterations: { gotWrong: rule }, eval: { relLevel: 2 }, systems: [{ name: 'r' }] });
      const config = systemConfig(e, e.systems[0]);
      const ids = [...bm25.byQuery.keys()];
      const held = new Set(ids.filter((_, i) => i % 5 === 0));
      const counter = new GotWrongCounter(ds.qrels, held, splade, config);
      for (const q of ids) counter.add(q, bm25.byQuery.get(q)!);
      const train: Run = { name: 'bm25', byQuery: new Map(ids.filter((q) => !held.has(q)).map((q) => [q, bm25.byQuery.get(q)!])) };
      const d = runDifficulty(train, { qrels: ds.qrels, relLevel: 2, teacher: splade, distribution: config.distribution });
      const got = counter.result();
      assert.deepEqual(got.histogram, difficultyHistogram(d));
      assert.deepEqual(got.wrong, d.filter((x) => gotWrong(x, rule)).map((x) => x.queryId));
      assert.ok(got.wrong.length > 0 && got.histogram.reduce((a, b) => a + b.count, 0) === ids.length - held.size);
    });
  }
});
