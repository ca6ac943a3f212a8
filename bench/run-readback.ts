/**
 * What reading a split's runs back from disk costs (lib/data/runIndex.ts) against holding them
 * (lib/data/runColumns.ts): reading the files, the candidate union, and one lookup pass over every
 * query of every run, in turn, held then on disk, `--reps` times. Prints one JSON line per pass.
 *
 * usage: npx tsx bench/run-readback.ts --runs DIR [--reps 2]   (DIR: a miniature's runs/train folder,
 *        e.g. /tmp/scale/root/data/p100000-q100000-d20/msmarco-passage/runs/train from bench/scale.ts)
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { candidatesFromRuns } from '../lib/data/candidates';
import { readTrecRun } from '../lib/data/trec';

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { runs: { type: 'string' }, reps: { type: 'string', default: '2' } } });
  if (!v.runs) throw new Error('--runs DIR is required');
  const files = readdirSync(v.runs).filter((f) => f.endsWith('.trec')).sort().map((f) => join(v.runs!, f));
  for (let rep = 0; rep < Number(v.reps); rep++) {
    for (const onDisk of [false, true]) {
      const t0 = Date.now();
      const runs = [];
      for (const f of files) runs.push((await readTrecRun(f, { onDisk })).value);
      const t1 = Date.now();
      const candidates = candidatesFromRuns(runs, { depth: 100 });
      const t2 = Date.now();
      let entries = 0;
      for (const r of runs) for (const q of candidates.byQuery.keys()) entries += r.byQuery.get(q)?.length ?? 0;
      const t3 = Date.now();
      console.log(JSON.stringify({ onDisk, runs: files.length, queries: candidates.byQuery.size, entries, readSeconds: (t1 - t0) / 1000, unionSeconds: (t2 - t1) / 1000, lookupPassSeconds: (t3 - t2) / 1000, load1: loadavg()[0] }));
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
