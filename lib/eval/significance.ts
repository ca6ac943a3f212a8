/**
 * Paired significance tests between two systems' per-query values: Student's paired t-test and a
 * sign-flip randomisation test with a seeded generator (same seed, same p-value).
 */
import type { QueryId } from '../data/types';
import { Rng } from '../random/rng';
import { studentTTwoSided } from './special-functions';

/** Two value arrays aligned by query id, and the queries only one side had. */
export interface PairedValues {
  readonly queries: QueryId[];
  readonly a: number[];
  readonly b: number[];
  /** Queries present on only one side (or without the measure there), left out of the test. */
  readonly dropped: QueryId[];
}

/** Aligns two per-query result maps on `measure`, in A's query order, reporting dropped queries. */
export function pairedValues(
  perQueryA: ReadonlyMap<QueryId, Record<string, number>>,
  perQueryB: ReadonlyMap<QueryId, Record<string, number>>,
  measure: string,
): PairedValues {
  const queries: QueryId[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const dropped: QueryId[] = [];
  for (const [qid, va] of perQueryA) {
    const x = va[measure];
    const y = perQueryB.get(qid)?.[measure];
    if (x === undefined || y === undefined) { dropped.push(qid); continue; }
    queries.push(qid); a.push(x); b.push(y);
  }
  for (const qid of perQueryB.keys()) if (!perQueryA.has(qid)) dropped.push(qid);
  return { queries, a, b, dropped };
}

/** Result of a paired test; `p` is two-sided. */
export interface PairedTestResult {
  readonly n: number;
  /** mean(a - b). */
  readonly meanDifference: number;
  readonly p: number;
}

/** Paired t-test result, with its statistic. */
export interface TTestResult extends PairedTestResult {
  readonly t: number;
  readonly df: number;
}

function differences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`paired test needs equal lengths, got ${a.length} and ${b.length}`);
  if (a.length < 2) throw new Error(`paired test needs at least 2 pairs, got ${a.length}`);
  return a.map((x, i) => x - b[i]!);
}

/** Two-sided paired Student t-test on a - b. All-equal pairs give t = 0, p = 1. */
export function pairedTTest(a: readonly number[], b: readonly number[]): TTestResult {
  const d = differences(a, b);
  const n = d.length;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const variance = d.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1);
  const df = n - 1;
  if (variance === 0) return { n, meanDifference: mean, t: mean === 0 ? 0 : Math.sign(mean) * Infinity, df, p: mean === 0 ? 1 : 0 };
  const t = mean / Math.sqrt(variance / n);
  return { n, meanDifference: mean, t, df, p: studentTTwoSided(t, df) };
}

/** A small, fast, seedable PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** Randomisation test options. */
export interface RandomizationOptions {
  /** Number of random sign assignments (default 10000). */
  readonly trials?: number;
  /** Seed of the generator (default 42). */
  readonly seed?: number;
}

/** Randomisation result, with the settings that produced it. */
export interface RandomizationResult extends PairedTestResult {
  readonly trials: number;
  readonly seed: number;
}

/**
 * Paired randomisation test: flips the sign of each difference at random and counts how often the
 * |mean| reaches the observed one; p = (count + 1) / (trials + 1), so it is never exactly 0.
 */
export function randomizationTest(a: readonly number[], b: readonly number[], opts: RandomizationOptions = {}): RandomizationResult {
  const trials = opts.trials ?? 10000;
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`trials must be a positive integer, got ${trials}`);
  const d = Float64Array.from(differences(a, b));
  const n = d.length;
  const observed = Math.abs(d.reduce((s, x) => s + x, 0));
  // Compare sums with a relative tolerance so floating noise does not decide ties.
  const threshold = observed - 1e-12 * Math.max(1, observed);
  const rand = seededRandom(seed);
  let atLeast = 0;
  for (let t = 0; t < trials; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rand() < 0.5 ? d[i]! : -d[i]!;
    if (Math.abs(s) >= threshold) atLeast += 1;
  }
  return { n, meanDifference: d.reduce((s, x) => s + x, 0) / n, p: (atLeast + 1) / (trials + 1), trials, seed };
}
