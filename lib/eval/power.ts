/**
 * Power of the two-sided paired t-test, computed exactly from the noncentral t distribution (as
 * R's `power.t.test(type = "paired", strict = TRUE)`): the minimum mean difference detectable at a
 * given power from the observed per-query differences, and the number of queries a gap needs.
 * Power(δ) = P(|T'| > t_{1−α/2, n−1}), T' noncentral t with n − 1 degrees of freedom and
 * noncentrality δ√n/s; integrated over the χ distribution of the sample sd (Simpson's rule), so
 * no normal approximation enters (the approximation (t_{1−α/2} + t_{power})·s/√n is returned beside it).
 */
import { logGamma, normalCdf, studentTTwoSided } from './special-functions';

/** Significance level and target power (defaults α = 0.05, power = 0.8). */
export interface PowerOptions {
  readonly alpha?: number;
  readonly power?: number;
}

function checkAlpha(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`power: alpha must be in (0, 1), got ${alpha}`);
  return alpha;
}

function checkLevels(o: PowerOptions): { alpha: number; power: number } {
  const alpha = checkAlpha(o.alpha ?? 0.05);
  const power = o.power ?? 0.8;
  if (!(power > alpha && power < 1)) throw new Error(`power: power must be in (alpha, 1), got ${power}`);
  return { alpha, power };
}

function checkN(n: number): void {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`power: needs at least 2 paired queries (an integer), got ${n}`);
}

/** Upper quantile c with P(|T_df| > c) = `twoSidedP` (bisection on the t tail; |error| < 1e-12). */
export function studentTTwoSidedQuantile(twoSidedP: number, df: number): number {
  if (!(twoSidedP > 0 && twoSidedP < 1)) throw new Error(`t quantile needs p in (0, 1), got ${twoSidedP}`);
  let lo = 0;
  let hi = 1;
  while (studentTTwoSided(hi, df) > twoSidedP) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, df) > twoSidedP) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Power of the two-sided paired t-test with `n` pairs, true mean difference `difference` and
 * difference standard deviation `sd`: both rejection tails of the noncentral t, exactly.
 */
export function pairedTTestPower(difference: number, sd: number, n: number, opts: { readonly alpha?: number } = {}): number {
  checkN(n);
  if (!(sd > 0)) throw new Error(`power: the differences' standard deviation must be > 0, got ${sd}`);
  const alpha = checkAlpha(opts.alpha ?? 0.05);
  const df = n - 1;
  const c = studentTTwoSidedQuantile(alpha, df);
  const ncp = (Math.abs(difference) * Math.sqrt(n)) / sd;
  // T' = (Z + ncp) / (W/√df) with W ~ χ_df: P(|T'| > c) = E_W[Φ(ncp − cW/√df) + Φ(−ncp − cW/√df)].
  // The χ density of W (not the χ² of W²) has no singularity at 0 even for df = 1.
  const lnNorm = Math.log(2) - (df / 2) * Math.LN2 - logGamma(df / 2);
  const top = Math.sqrt(df) + 12;
  const steps = 4000;
  const h = top / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const w = i * h;
    const dens = w === 0 ? (df === 1 ? Math.exp(lnNorm) : 0) : Math.exp(lnNorm + (df - 1) * Math.log(w) - (w * w) / 2);
    const s = c * (w / Math.sqrt(df));
    const f = dens * (normalCdf(ncp - s) + normalCdf(-ncp - s));
    sum += f * (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2);
  }
  return Math.min(1, (sum * h) / 3);
}

/** Minimum detectable difference, and what it rests on. */
export interface DetectableDifference {
  readonly n: number;
  readonly sd: number;
  readonly alpha: number;
  readonly power: number;
  /** Smallest |mean difference| the test detects with the given power (exact noncentral t). */
  readonly mdd: number;
  /** (t_{1−α/2, n−1} + t_{power, n−1}) · sd / √n: the usual approximation, for comparison. */
  readonly approximate: number;
}

/** Sample standard deviation (n − 1) of per-query differences. */
export function differenceSd(differences: readonly number[]): number {
  checkN(differences.length);
  const m = differences.reduce((s, x) => s + x, 0) / differences.length;
  return Math.sqrt(differences.reduce((s, x) => s + (x - m) ** 2, 0) / (differences.length - 1));
}

/**
 * Minimum mean difference detectable by a two-sided paired t-test over `n` queries whose
 * differences have standard deviation `sd` (bisection on the exact power; |error| < 1e-9·sd).
 */
export function minimumDetectableDifference(sd: number, n: number, opts: PowerOptions = {}): DetectableDifference {
  const { alpha, power } = checkLevels(opts);
  checkN(n);
  if (!(sd > 0)) throw new Error(`power: the differences' standard deviation must be > 0, got ${sd}`);
  const df = n - 1;
  const approximate = ((studentTTwoSidedQuantile(alpha, df) + studentTTwoSidedQuantile(2 * (1 - power), df)) * sd) / Math.sqrt(n);
  let lo = 0;
  let hi = 2 * approximate;
  while (pairedTTestPower(hi, sd, n, { alpha }) < power) hi *= 2;
  while (hi - lo > 1e-9 * sd) {
    const mid = (lo + hi) / 2;
    if (pairedTTestPower(mid, sd, n, { alpha }) < power) lo = mid;
    else hi = mid;
  }
  return { n, sd, alpha, power, mdd: hi, approximate };
}

/** The minimum detectable difference of observed per-query differences (a_i − b_i). */
export function detectableFromDifferences(differences: readonly number[], opts: PowerOptions = {}): DetectableDifference {
  return minimumDetectableDifference(differenceSd(differences), differences.length, opts);
}

/**
 * Smallest number of queries whose paired t-test detects a mean difference `gap` with the given
 * power when the differences' sd is `sd` (exact power; searched over integers, n ≤ `maxQueries`).
 */
export function requiredQueries(gap: number, sd: number, opts: PowerOptions & { readonly maxQueries?: number } = {}): number {
  const { alpha, power } = checkLevels(opts);
  if (!(Math.abs(gap) > 0)) throw new Error(`power: the gap to detect must be non-zero, got ${gap}`);
  if (!(sd > 0)) throw new Error(`power: the differences' standard deviation must be > 0, got ${sd}`);
  const max = opts.maxQueries ?? 1e7;
  const ok = (n: number) => pairedTTestPower(gap, sd, n, { alpha }) >= power;
  let hi = 2;
  while (!ok(hi)) {
    if (hi >= max) throw new Error(`power: more than ${max} queries would be needed for a gap of ${gap} at sd ${sd}`);
    hi = Math.min(max, hi * 2);
  }
  let lo = Math.max(2, Math.floor(hi / 2));
  if (ok(lo)) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
