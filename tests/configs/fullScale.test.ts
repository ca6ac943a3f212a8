/**
 * The full-scale configs (configs/msmarco-full.json, configs/nq-full.json): they validate, every
 * row is a valid configuration, they describe the paper's student and say why they cannot run
 * here; and their data path works on small files in the real formats (MS MARCO TSV + TREC qrels
 * written to a temp folder, the DPR-format NQ fixture with answer-based top-k accuracy).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runSystemOf } from '../../lib/config/model';
import { dataRoot, projectRoot } from '../../lib/data/paths';
import { FULL_SCALE_DATASETS } from '../../lib/data/fullScale';
import { answerMeasureDepth } from '../../lib/eval/answers';
import { loadDataset } from '../../lib/data/registry';
import { readTsvCollection, readTsvQueries } from '../../lib/data/tsv';
import { readTrecQrels, readTrecRun } from '../../lib/data/trec';
import { readDprRetrieverFile } from '../../lib/data/dpr';
import type { Run } from '../../lib/data/types';
import { evaluate, parseMeasure, topKAccuracy } from '../../lib/eval';
import { DISTILBERT_BASE } from '../../lib/models';
import { loadExperimentConfig, systemConfig } from '../../lib/config';

const CONFIGS = ['msmarco-full', 'nq-full'];

/** A run that ranks each query's docIds in the given order. */
function runOf(lists: ReadonlyMap<string, readonly string[]>): Run {
  return { name: 'order', byQuery: new Map([...lists].map(([q, l]) => [q, l.map((docId, i) => ({ docId, score: l.length - i, rank: i + 1 }))])) };
}

describe('configs/*-full.json', () => {
  for (const name of CONFIGS) {
    describe(name, () => {
      const path = join(projectRoot(), 'configs', `${name}.json`);
      const config = loadExperimentConfig(path);

      it('validates, and every row is a valid configuration', () => {
        assert.equal(config.name, name);
        const rows = config.systems.map((s) => systemConfig(config, s));
        assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'row names are unique');
        for (const ref of config.compareTo) assert.ok(config.systems.some((s) => s.name === ref), `compareTo '${ref}' is not a row`);
        for (const s of config.systems.filter((x) => x.kind === 'run')) {
          assert.ok(s.run && [config.teacher, ...config.assistants].some((m) => runSystemOf(m) === s.run), `run row '${s.name}' is not one of the models`);
        }
        // The ablation rows differ from the base where they say.
        const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
        assert.equal(byName['KD (teacher only)'].loss.gamma, 0);
        assert.equal(byName['KD (teacher only)'].train.stepsPerIteration, 3 * config.train.stepsPerIteration);
        assert.deepEqual([byName['MTA4DPR w/o assistants'].loss.gamma, byName['MTA4DPR w/o assistants'].iterations.count], [0, 3]);
      });

      it('is the paper\'s student: DistilBERT from HF weights, dot product with temperature 1, 3 iterations', () => {
        const m = systemConfig(config, config.systems.find((s) => s.name === 'MTA4DPR')!);
        assert.deepEqual(m.student, { preset: 'distilbert-base', init: 'hf', hfModel: 'models/distilbert-base-uncased', overrides: {} });
        assert.equal(DISTILBERT_BASE.similarity, 'dot');
        assert.deepEqual([DISTILBERT_BASE.hidden, DISTILBERT_BASE.layers], [768, 6]);
        assert.equal(m.loss.studentTemperature, 1);
        assert.equal(m.iterations.count, 3);
        assert.deepEqual([m.loss.alpha, m.loss.beta, m.loss.gamma], [1, 1, 1]);
        assert.ok(m.train.batchSize >= 32 && m.train.stepsPerIteration >= 1000);
        for (const metric of m.eval.metrics) if (answerMeasureDepth(metric) === undefined) assert.doesNotThrow(() => parseMeasure(metric), metric);
      });

      it('names full-scale data the registry does not have (they resolve under --data-root), and says so with estimates', async () => {
        const names = [...config.data.train, ...config.data.test];
        for (const d of names) {
          assert.ok(d.split('/')[0] in FULL_SCALE_DATASETS, `${d}: not a lib/data/fullScale.ts dataset`);
          // Not embedded: they resolve under a data root in the official layout (tests/data/officialLayout.test.ts).
          await assert.rejects(loadDataset(d), /unknown dataset/);
        }
        assert.match(config.description ?? '', /NOT RUN AT FULL SCALE HERE.*--data-root/);
        assert.match(config.description ?? '', /ESTIMATES/);
        assert.match(config.description ?? '', /GPU/);
        assert.match(config.description ?? '', /GB/);
      });
    });
  }

  describe('MS MARCO data path on tiny files in the real formats', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'mta4dpr-msmarco-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads collection.tsv(.gz), queries.dev.small.tsv and qrels.dev.small.tsv, and scores a run with the config\'s measures', async () => {
      // Layout of the real files: `pid\ttext`, `qid\ttext`, `qid\t0\tpid\t1`.
      const collection = join(dir, 'collection.tsv.gz');
      writeFileSync(collection, gzipSync(Buffer.from([
        '0\tThe presence of communication amid scientific minds was equally important to the success of the Manhattan Project.',
        '1\tThe Manhattan Project and its atomic bomb helped bring an end to World War II.',
        '2\tEssay on the Manhattan Project - The Manhattan Project was to see if making an atomic bomb was possible.',
        '3\tColorado River is the principal river of the southwestern United States.',
        'broken line without a tab',
        '',
      ].join('\n'))));
      const queries = join(dir, 'queries.dev.small.tsv');
      writeFileSync(queries, '1048585\twhat was the manhattan project\n2\twhich river flows through the grand canyon\n');
      const qrels = join(dir, 'qrels.dev.small.tsv');
      writeFileSync(qrels, '1048585\t0\t1\t1\n2\t0\t3\t1\n');
      const c = await readTsvCollection(collection);
      assert.equal(c.value.passages.size, 4);
      assert.equal(c.report.skipped.length, 1, 'the malformed line is reported, not read');
      const q = await readTsvQueries(queries);
      assert.deepEqual([...q.value.queries.keys()], ['1048585', '2']);
      const j = await readTrecQrels(qrels);
      assert.deepEqual([...j.value.judgments].map(([k, m]) => [k, [...m]]), [['1048585', [['1', 1]]], ['2', [['3', 1]]]]);
      // A run in TREC format: the relevant passage at rank 2 for the first query, rank 1 for the second.
      const runPath = join(dir, 'run.dev.trec');
      writeFileSync(runPath, '1048585 Q0 0 1 9.5 bm25\n1048585 Q0 1 2 9.1 bm25\n1048585 Q0 2 3 8.0 bm25\n2 Q0 3 1 7.0 bm25\n2 Q0 0 2 1.0 bm25\n');
      const run = (await readTrecRun(runPath)).value;
      const config = loadExperimentConfig(join(projectRoot(), 'configs', 'msmarco-full.json'));
      const r = evaluate(j.value, run, config.eval.metrics, { relLevel: config.eval.relLevel });
      assert.equal(r.mean['RR@10'], (1 / 2 + 1) / 2);
      assert.equal(r.mean['R@1000'], 1);
      assert.ok(Math.abs(r.mean['nDCG@10'] - (1 / Math.log2(3) + 1) / 2) < 1e-12);
    });
  });

  describe('NQ data path on the DPR-format fixture', () => {
    const fixture = join(dataRoot(), 'fixtures/dpr-nq-mini/nq-dev.mini.jsonl');

    it('reads questions with answers and candidates, and topKAccuracy scores runs over them', async () => {
      const { value } = await readDprRetrieverFile(fixture);
      const qs = value.queries;
      assert.equal(qs.queries.size, 3);
      assert.ok([...qs.queries.values()].every((x) => (x.answers?.length ?? 0) > 0));
      // File order (positives first): every question answered at rank 1.
      const forward = topKAccuracy(runOf(value.candidates.byQuery), qs, value.collection, [1, 20]);
      assert.deepEqual(forward.accuracy, { 1: 1, 20: 1 });
      assert.deepEqual([forward.questions, forward.unknownPassages, forward.missingFromRun.length], [3, 0, 0]);
      // Reversed: negatives first. In each list the first answer-bearing passage is then at rank 16
      // (checked independently in Python over the fixture's positive/hard/negative contexts).
      const reversed = new Map([...value.candidates.byQuery].map(([q, l]) => [q, [...l].reverse()]));
      for (const mode of ['normalized', 'dpr-tokens'] as const) {
        assert.deepEqual(topKAccuracy(runOf(reversed), qs, value.collection, [1, 15, 16, 20], mode).accuracy, { 1: 0, 15: 0, 16: 1, 20: 1 });
      }
      // A question missing from the run counts as a miss, as in DPR.
      const partial = new Map([...value.candidates.byQuery].filter(([q]) => q !== '2'));
      const p = topKAccuracy(runOf(partial), qs, value.collection, [20]);
      assert.deepEqual([p.accuracy['20'], p.missingFromRun], [2 / 3, ['2']]);
      // The positives are also the qrels the pipeline would train with: every judged positive is a candidate.
      for (const [q, m] of value.qrels.judgments) for (const d of m.keys()) assert.ok(value.candidates.byQuery.get(q)!.includes(d));
    });
  });
});
