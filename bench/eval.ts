/**
 * Evaluation speed: measures/second on a seeded synthetic run of MS MARCO dev size (7k queries x
 * 1000 documents), and the wall time to evaluate the 8 bundled DL19 runs (reading excluded / included).
 */
import { dataRoot } from '../lib/data/paths';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Qrels, Run, RunEntry } from '../lib/data/types';
import { readTrecQrels, readTrecRun } from '../lib/data/trec';
import { evaluate, seededRandom } from '../lib/eval';

const MEASURES = ['nDCG@10', 'RR@10', 'R@100', 'R@1000', 'AP', 'P@5', 'Judged@10'];

function syntheticData(queries: number, depth: number, seed: number): { qrels: Qrels; run: Run } {
  const rand = seededRandom(seed);
  const judgments = new Map<string, Map<string, number>>();
  const byQuery = new Map<string, RunEntry[]>();
  for (let q = 0; q < queries; q++) {
    const qid = `q${q}`;
    const entries: RunEntry[] = [];
    const seen = new Set<string>();
    const judged = new Map<string, number>();
    for (let r = 0; r < depth; r++) {
      const docId = String(Math.floor(rand() * 8_800_000));
      if (seen.has(docId)) continue;
      seen.add(docId);
      entries.push({ docId, score: Math.round((100 - r * 0.05 + rand()) * 1000) / 1000, rank: r + 1 });
      if (rand() < 0.02) judged.set(docId, Math.floor(rand() * 4));
    }
    judged.set(`rel${q}`, 1 + Math.floor(rand() * 3)); // one relevant document never retrieved
    judgments.set(qid, judged);
    byQuery.set(qid, entries);
  }
  return { qrels: { name: 'synthetic', judgments }, run: { name: 'synthetic', byQuery } };
}

/** Runs the benchmark and returns its JSON report. */
export async function run(): Promise<object> {
  const queries = 7000;
  const depth = 1000;
  const { qrels, run: synthetic } = syntheticData(queries, depth, 42);
  const t0 = process.hrtime.bigint();
  const res = evaluate(qrels, synthetic, MEASURES);
  const syntheticSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const dir = join(dataRoot(), 'demo', 'dl19');
  const t1 = process.hrtime.bigint();
  const dlQrels = (await readTrecQrels(join(dir, 'qrels.trec'))).value;
  const runs = [];
  for (const f of readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.trec')).sort()) runs.push((await readTrecRun(join(dir, 'runs', f), { name: f.replace(/\.dl19\.trec$/, '') })).value);
  const t2 = process.hrtime.bigint();
  const means: Record<string, number> = {};
  for (const r of runs) means[r.name] = evaluate(dlQrels, r, ['nDCG@10', 'RR(rel=2)@10', 'R(rel=2)@100', 'AP(rel=2)']).mean['nDCG@10']!;
  const t3 = process.hrtime.bigint();
  return {
    name: 'eval',
    backend: 'js',
    threads: 1,
    synthetic: {
      queries, depth, measures: MEASURES.length, seconds: syntheticSeconds,
      queryMeasuresPerSecond: (res.queries * MEASURES.length) / syntheticSeconds,
      rankedDocsPerSecond: (res.queries * depth) / syntheticSeconds,
    },
    dl19: {
      runs: runs.length,
      readSeconds: Number(t2 - t1) / 1e9,
      evaluateSeconds: Number(t3 - t2) / 1e9,
      nDCG10: means,
    },
  };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (e) => { console.error(e); process.exitCode = 1; });
}
