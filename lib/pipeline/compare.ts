/**
 * Paired comparisons of the results table: each row against each `compareTo` row on the same test
 * set, per measure, over per-query values averaged over seeds — with the t-test, a randomisation
 * test, the minimum detectable difference at 80% power and the queries the paper's gap would need.
 */
import type { QueryId } from '../data/types';
import { differenceSd, minimumDetectableDifference, pairedTTest, randomizationTest, requiredQueries } from '../eval';
import { PAPER_ASSISTANT_GAP } from './paper';

/** What a comparison needs of a row's outcome on one test set. */
export interface ComparedOutcome {
  readonly system: string;
  readonly dataset: string;
  /** seed → query → measure → value */
  readonly perSeed: Record<string, Record<QueryId, Record<string, number>>>;
}

/** A paired test of one row against a reference row on one measure (per-query values averaged over seeds). */
export interface Comparison {
  readonly system: string;
  readonly against: string;
  readonly dataset: string;
  readonly measure: string;
  readonly meanDifference: number;
  readonly queries: number;
  readonly tTestP: number;
  readonly randomizationP: number;
  /**
   * Smallest |mean difference| the paired t-test detects with 80% power at α = 0.05, from these
   * queries' observed differences (exact noncentral t, lib/eval/power.ts); null when they do not vary.
   */
  readonly minimumDetectable: number | null;
  /**
   * Test queries the same paired t-test would need to detect the paper's reported gain
   * ({@link PAPER_ASSISTANT_GAP}) with 80% power at these differences' spread; null when they do not vary.
   */
  readonly queriesForPaperGap: number | null;
  /** The claim "system differs from against", read from the numbers (see {@link comparisonVerdict}). */
  readonly verdict: ComparisonVerdict;
}

/** How a comparison reads: a significant gain, a significant loss, or a gap below what the queries can detect. */
export type ComparisonVerdict = 'holds' | 'does not hold' | 'below what this scale can detect';

/**
 * The verdict of "system beats against" at α = 0.05 (paired t-test) for a claimed gain of size
 * `claimedGap` (the paper's, {@link PAPER_ASSISTANT_GAP}): `holds` when significantly better;
 * `does not hold` when significantly worse, or when not significant although the test had 80% power
 * for a gap of the claimed size (minimum detectable difference ≤ claimedGap: such a gain would have
 * shown); otherwise `below what this scale can detect` (a gain of the claimed size could hide in the
 * noise of these queries).
 */
export function comparisonVerdict(meanDifference: number, tTestP: number, minimumDetectable: number | null, claimedGap: number): ComparisonVerdict {
  if (tTestP < 0.05) return meanDifference > 0 ? 'holds' : 'does not hold';
  if (minimumDetectable !== null && minimumDetectable <= claimedGap) return 'does not hold';
  return 'below what this scale can detect';
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Per query, the mean over seeds of one measure. */
export function seedAveraged(o: ComparedOutcome, measure: string): Map<QueryId, number> {
  const seeds = Object.keys(o.perSeed);
  const out = new Map<QueryId, number>();
  for (const q of Object.keys(o.perSeed[seeds[0]])) out.set(q, mean(seeds.map((s) => o.perSeed[s][q][measure])));
  return out;
}

/** One paired comparison of `o` against `base` on `measure`, over the queries both have. */
export function compareOutcomes(o: ComparedOutcome, base: ComparedOutcome, measure: string): Comparison {
  const a = seedAveraged(o, measure);
  const b = seedAveraged(base, measure);
  const qs = [...a.keys()].filter((q) => b.has(q));
  const xa = qs.map((q) => a.get(q)!);
  const xb = qs.map((q) => b.get(q)!);
  const meanDifference = mean(xa) - mean(xb);
  const tTestP = pairedTTest(xa, xb).p;
  const sd = qs.length >= 2 ? differenceSd(xa.map((x, i) => x - xb[i]!)) : 0;
  const minimumDetectable = sd > 0 ? minimumDetectableDifference(sd, qs.length).mdd : null;
  return {
    system: o.system, against: base.system, dataset: o.dataset, measure, queries: qs.length, meanDifference, tTestP,
    randomizationP: randomizationTest(xa, xb, { trials: 10000, seed: 1 }).p,
    minimumDetectable,
    queriesForPaperGap: sd > 0 ? requiredQueries(PAPER_ASSISTANT_GAP.value, sd) : null,
    verdict: comparisonVerdict(meanDifference, tTestP, minimumDetectable, PAPER_ASSISTANT_GAP.value),
  };
}

/** Every row against every `compareTo` row on the same test set, for each measure. */
export function comparisonsOf(outcomes: readonly ComparedOutcome[], compareTo: readonly string[], measures: readonly string[]): Comparison[] {
  const out: Comparison[] = [];
  for (const ref of compareTo) {
    for (const o of outcomes) {
      const base = outcomes.find((b) => b.system === ref && b.dataset === o.dataset);
      if (!base || base === o) continue;
      for (const m of measures) out.push(compareOutcomes(o, base, m));
    }
  }
  return out;
}
