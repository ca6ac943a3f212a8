/**
 * Exact search throughput: queries/second of inner-product top-100 over a 100,000 × 768 float32
 * matrix (seeded random vectors; the cost does not depend on the values), with the BLAS engine
 * (native kernels: sgemm blocks + selection in C) and the JS loop. Where PyTorch is found, its
 * torch.topk(q @ corpus.T) repetitions are interleaved with the BLAS engine's (bench/_interleave.ts).
 * Prints JSON.
 * usage: npx tsx bench/search.ts [--rows N] [--queries N] [--reps N]
 */
import { parseArgs } from 'node:util';
import { nativeKernelStatus, nativeSgemm, nativeThreads } from '../lib/backend/native-kernels';
import { mulberry32, type EmbeddingMatrix } from '../lib/models';
import { exactTopK } from '../lib/retrieval/topk';
import { interleave } from './_interleave';
import { startTorchServer } from './_torch-server';

function randomMatrix(rows: number, dim: number, seed: number): EmbeddingMatrix {
  const r = mulberry32(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = r() - 0.5;
  return { rows, dim, data };
}

function measure(engine: 'blas' | 'js', queries: EmbeddingMatrix, corpus: EmbeddingMatrix, k: number): Record<string, unknown> {
  exactTopK({ ...queries, rows: 1, data: queries.data.subarray(0, queries.dim) }, corpus, k, { engine }); // warm-up
  const t0 = process.hrtime.bigint();
  exactTopK(queries, corpus, k, { engine });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { engine, threads: engine === 'blas' ? nativeThreads() : 1, queries: queries.rows, seconds, queriesPerSecond: queries.rows / seconds };
}

/** Runs the benchmark and returns its JSON report. */
export async function run(argv: string[] = []): Promise<object> {
  const { values } = parseArgs({ args: argv, options: { rows: { type: 'string' }, queries: { type: 'string' }, reps: { type: 'string' } }, strict: true });
  const rows = Number(values.rows ?? 100_000);
  const nq = Number(values.queries ?? 256);
  const reps = Number(values.reps ?? 5);
  const dim = 768;
  const k = 100;
  const corpus = randomMatrix(rows, dim, 1);
  const queries = randomMatrix(nq, dim, 2);
  const results: Array<Record<string, unknown>> = [];
  if (nativeSgemm()) {
    const torch = await startTorchServer();
    if (typeof torch === 'string') {
      results.push({ ...measure('blas', queries, corpus, k), torch: { skipped: torch } });
    } else {
      try {
        const first = measure('blas', queries, corpus, k);
        const pairs = await interleave(reps, async () => measure('blas', queries, corpus, k).queriesPerSecond as number,
          async () => (await torch.measure({ work: 'search', rows, dim, queries: nq, k })).queriesPerSecond as number);
        // The headline figure is the median of the interleaved repetitions.
        results.push({ ...first, queriesPerSecond: pairs.ours.median, interleaved: pairs, torch: { ...torch.info, queriesPerSecond: pairs.torch.median } });
      } finally {
        torch.close();
      }
    }
  } else {
    results.push({ engine: 'blas', skipped: `native kernels unavailable: ${nativeKernelStatus().reason}` });
  }
  // The JS loop takes ~0.1 s a query here: 16 queries are enough for its rate.
  results.push(measure('js', { ...queries, rows: Math.min(16, nq), data: queries.data.subarray(0, Math.min(16, nq) * dim) }, corpus, k));
  return { bench: 'search', corpus: { rows, dim }, k, results, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

if (require.main === module) {
  run(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
