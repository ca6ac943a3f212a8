/**
 * Interleaved repetitions (ours, PyTorch, ours, PyTorch, …) so a ratio compares the two under the
 * same load, with the median, the spread and the load average beside every pair. Helper, not a
 * benchmark.
 */
import * as os from 'node:os';
import { median } from './_child';

/** Median and range of one side's repetitions. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

/** What {@link interleave} reports: both sides, their per-pair ratios and the 1-minute load average at each pair. */
export interface Interleaved {
  readonly ours: Spread;
  readonly torch: Spread;
  /** ours ÷ torch for each pair, and their median (throughputs: ≥ 1 means we are faster). */
  readonly pairRatios: readonly number[];
  readonly medianRatio: number;
  readonly loadAverage1m: readonly number[];
}

function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs };
}

/** Runs `reps` pairs of (ours(), torch()), each returning a throughput. */
export async function interleave(reps: number, ours: () => Promise<number>, torch: () => Promise<number>): Promise<Interleaved> {
  const a: number[] = [];
  const b: number[] = [];
  const load: number[] = [];
  for (let i = 0; i < reps; i++) {
    load.push(Math.round(os.loadavg()[0] * 100) / 100);
    a.push(await ours());
    b.push(await torch());
  }
  const pairRatios = a.map((x, i) => x / b[i]);
  return { ours: spread(a), torch: spread(b), pairRatios, medianRatio: median(pairRatios), loadAverage1m: load };
}
