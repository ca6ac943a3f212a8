/**
 * The hashed lexical student, measured on the DL protocol (each test query's pool = union of the
 * top-100 of every bundled run, re-ranked; nDCG@10 by lib/eval, relLevel 2), printing JSON:
 * - start: training-free nDCG@10 on DL19 (idf from the DL20 collection) and DL20 (idf from DL19),
 *   per dim and seed, with the time to encode each pool;
 * - gotWrong: DL20 training queries (held-out slice excluded) whose best positive is outside the
 *   start's top 10 of their training candidates (lib/curriculum's rule);
 * - kd: `train()` from SPLADE++ scores of the DL20 training candidates (β = 1 only), DL19 before/after.
 * usage: npx tsx bench/lexical.ts [--dims 1024,4096] [--seeds 1,2,3] [--steps 300] [--lr 0.05]
 *        [--tau 0.05] [--kd-dims 4096] [--no-kd] [--no-start]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend } from '../lib/backend';
import { RunFileScorer } from '../lib/assistants/scorers/runFile';
import { buildScoreTable } from '../lib/assistants/scoreTable';
import { DEFAULT_MISSING, fillScoreTable } from '../lib/assistants/missing';
import { runFromTable } from '../lib/assistants/tableView';
import { gotWrong, runDifficulty } from '../lib/curriculum';
import type { QueryId, Run } from '../lib/data/types';
import { evaluate, pairedTTest } from '../lib/eval';
import { createHashedLexicalStudent, type HashedLexicalEncoder } from '../lib/models/lexical';
import { labelledQueries, loadSplit, type Split } from '../lib/pipeline/splits';
import { splitTexts } from '../lib/pipeline/student';
import { restrictQueries } from '../lib/pipeline/table';
import { Rng } from '../lib/random/rng';
import { rerankCandidates } from '../lib/retrieval/rerank';
import { buildTrainingGroups, train } from '../lib/train';

const RUNS = { teacher: 'SPLADE_P_P_ENSEMBLE_DISTIL', assistants: ['D_BERT_KD_TASB', 'OPEN_AI_ADA2', 'BM25_RM3', 'BM25'] };
const REL_LEVEL = 2;

const { values: a } = parseArgs({
  options: {
    dims: { type: 'string', default: '1024,4096' }, seeds: { type: 'string', default: '1,2,3' },
    steps: { type: 'string', default: '300' }, lr: { type: 'string', default: '0.05' }, tau: { type: 'string', default: '0.05' },
    'kd-dims': { type: 'string', default: '4096' }, 'no-kd': { type: 'boolean', default: false }, 'no-start': { type: 'boolean', default: false },
  },
});
const list = (s: string) => s.split(',').map(Number);

function perQuery(split: Split, run: Run, queries?: readonly QueryId[]): Map<QueryId, number> {
  const keep = queries && new Set(queries);
  const sub: Run = keep ? { name: run.name, byQuery: new Map([...run.byQuery].filter(([q]) => keep.has(q))) } : run;
  const r = evaluate(split.qrels!, sub, ['nDCG@10'], { relLevel: REL_LEVEL });
  return new Map([...r.perQuery].map(([q, m]) => [q, m['nDCG@10']]));
}
const mean = (xs: Iterable<number>) => { const v = [...xs]; return v.reduce((s, x) => s + x, 0) / v.length; };
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

async function testScore(model: HashedLexicalEncoder, test: Split): Promise<{ ndcg: number; perQuery: Map<QueryId, number>; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const run = await rerankCandidates(model, test, [...test.candidates.byQuery.keys()]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const pq = perQuery(test, run);
  return { ndcg: mean(pq.values()), perQuery: pq, seconds };
}

async function main(): Promise<void> {
  await initBackend();
  const dl19 = await loadSplit(['dl19'], 'all', 100);
  const dl20 = await loadSplit(['dl20'], 'all', 100);
  const train20 = await loadSplit(['dl20'], [RUNS.teacher, ...RUNS.assistants], 30);
  const texts = { dl19: splitTexts(dl19), dl20: splitTexts(train20) };
  const out: Record<string, unknown> = {
    protocol: 'pool = union of top-100 of every bundled run; nDCG@10 relLevel 2; DL19 test with idf from DL20 passages, DL20 test with idf from DL19 passages',
    loadBefore: loadavg().map(r4),
    pools: { dl19: { queries: dl19.candidates.byQuery.size, passages: new Set([...dl19.candidates.byQuery.values()].flat()).size }, dl20: { queries: dl20.candidates.byQuery.size, passages: new Set([...dl20.candidates.byQuery.values()].flat()).size } },
  };

  // Held-out slice exactly as the pipeline draws it (20% of the labelled training queries, seed 0).
  const labelled = labelledQueries(train20, REL_LEVEL);
  const heldOut = new Rng(0).sample(labelled, Math.max(1, Math.round(0.2 * labelled.length))).sort();
  const trainIds = [...train20.candidates.byQuery.keys()].filter((q) => !heldOut.includes(q));

  const start: Record<string, unknown>[] = [];
  const wrong: Record<string, unknown>[] = [];
  for (const dim of a['no-start'] ? [] : list(a.dims!)) {
    for (const seed of list(a.seeds!)) {
      const m19 = createHashedLexicalStudent({ config: { dim }, idfTexts: texts.dl20, seed });
      const m20 = createHashedLexicalStudent({ config: { dim }, idfTexts: texts.dl19, seed });
      const s19 = await testScore(m19, dl19);
      const s20 = await testScore(m20, dl20);
      start.push({ dim, seed, dl19: r4(s19.ndcg), dl20: r4(s20.ndcg), encodeSeconds: { dl19: r4(s19.seconds), dl20: r4(s20.seconds) }, load: r4(loadavg()[0]) });
      // Got wrong at the start: the pipeline's training candidates (top-30 union), top-10 rule.
      const run = await rerankCandidates(m19, train20, trainIds);
      const diff = runDifficulty(run, { qrels: train20.qrels, relLevel: REL_LEVEL });
      const judged = diff.filter((d) => d.basis === 'qrels');
      wrong.push({ dim, seed, trainQueries: trainIds.length, judged: judged.length, wrongTop10: judged.filter((d) => gotWrong(d, { rule: 'top-k', k: 10 })).length, wrongTop1: judged.filter((d) => gotWrong(d, { rule: 'top-k', k: 1 })).length });
      m19.dispose();
      m20.dispose();
      process.stderr.write(`start dim ${dim} seed ${seed}: DL19 ${s19.ndcg.toFixed(4)} DL20 ${s20.ndcg.toFixed(4)}\n`);
    }
  }
  out.start = start;
  out.gotWrong = wrong;
  const bm25 = { dl19: r4(mean(perQuery(dl19, dl19.runs.get('BM25')!).values())), dl20: r4(mean(perQuery(dl20, dl20.runs.get('BM25')!).values())) };
  out.bm25Run = bm25;

  if (!a['no-kd']) {
    const table = fillScoreTable(await buildScoreTable({
      teacher: new RunFileScorer('SPLADE++', train20.runs.get(RUNS.teacher)!, `run:${RUNS.teacher}:dl20`),
      assistants: [], queries: train20.queries, candidates: train20.candidates, collection: train20.collection,
    }), DEFAULT_MISSING).table;
    const { groups, report } = buildTrainingGroups(restrictQueries(table, new Set(trainIds)), train20.queries, train20.collection, train20.qrels, { negatives: 7, relLevel: REL_LEVEL, seed: 0 });
    const kd: Record<string, unknown>[] = [];
    for (const dim of list(a['kd-dims']!)) {
      for (const seed of list(a.seeds!)) {
        const model = createHashedLexicalStudent({ config: { dim }, idfTexts: texts.dl20, seed });
        const before = await testScore(model, dl19);
        const heldBefore = mean(perQuery(train20, await rerankCandidates(model, train20, heldOut)).values());
        const t0 = Date.now();
        const result = await train(model, groups, {
          steps: Number(a.steps), batchSize: 4, lr: Number(a.lr), seed, progress: 'none',
          loss: { alpha: 0, beta: 1, gamma: 0, studentTemperature: Number(a.tau) },
        });
        const trainSeconds = (Date.now() - t0) / 1000;
        const after = await testScore(model, dl19);
        const heldRun = await rerankCandidates(model, train20, heldOut);
        const trainRun = await rerankCandidates(model, train20, trainIds);
        const wrongAfter = runDifficulty(trainRun, { qrels: train20.qrels, relLevel: REL_LEVEL }).filter((d) => gotWrong(d, { rule: 'top-k', k: 10 })).length;
        const qs = [...before.perQuery.keys()];
        const t = pairedTTest(qs.map((q) => after.perQuery.get(q)!), qs.map((q) => before.perQuery.get(q)!));
        kd.push({
          dim, seed, steps: result.steps, dl19Before: r4(before.ndcg), dl19After: r4(after.ndcg), p: r4(t.p),
          heldOutBefore: r4(heldBefore), heldOutAfter: r4(mean(perQuery(train20, heldRun).values())), wrongTop10After: wrongAfter,
          finalLoss: r4(result.lastRecord!.loss), trainSeconds, load: r4(loadavg()[0]),
        });
        process.stderr.write(`kd dim ${dim} seed ${seed}: DL19 ${before.ndcg.toFixed(4)} → ${after.ndcg.toFixed(4)} (${trainSeconds.toFixed(0)} s)\n`);
        model.dispose();
      }
    }
    out.kd = { groups: groups.length, skipped: report.skippedQueries.length, heldOut: heldOut.length, bm25HeldOut: r4(mean(perQuery(train20, train20.runs.get('BM25')!, heldOut).values())), steps: Number(a.steps), lr: Number(a.lr), studentTemperature: Number(a.tau), runs: kd };
  }
  out.loadAfter = loadavg().map(r4);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
