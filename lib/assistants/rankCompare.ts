/**
 * Rank-based agreement between two models' orderings of one candidate list: Spearman's footrule
 * and rank-biased overlap (RBO), the alternatives to KL in assistant selection.
 */

/** Candidate indices ordered by score, best first; ties keep candidate order (stable). */
export function rankingOf(scores: ArrayLike<number>): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => {
    const d = scores[b] - scores[a];
    return d !== 0 && !Number.isNaN(d) ? d : a - b;
  });
}

function positions<T>(ranking: readonly T[], label: string): Map<T, number> {
  const pos = new Map<T, number>();
  ranking.forEach((x, i) => {
    if (pos.has(x)) throw new RangeError(`${label}: item ${String(x)} appears twice`);
    pos.set(x, i);
  });
  return pos;
}

/**
 * Spearman's footrule Σ_x |rank_A(x) − rank_B(x)| of two rankings of the same items, divided by its
 * maximum ⌊n²/2⌋ (reached by the reversed ranking): 0 = identical, 1 = reversed, in [0, 1].
 */
export function spearmanFootrule<T>(rankingA: readonly T[], rankingB: readonly T[]): number {
  const n = rankingA.length;
  if (rankingB.length !== n) throw new RangeError(`spearmanFootrule: lengths differ (${n} vs ${rankingB.length})`);
  if (n <= 1) return 0;
  const posB = positions(rankingB, 'spearmanFootrule');
  positions(rankingA, 'spearmanFootrule');
  let sum = 0;
  rankingA.forEach((x, i) => {
    const j = posB.get(x);
    if (j === undefined) throw new RangeError(`spearmanFootrule: item ${String(x)} is not in both rankings`);
    sum += Math.abs(i - j);
  });
  return sum / Math.floor((n * n) / 2);
}

/** Options of {@link rankBiasedOverlap}: persistence p (default 0.9) and extrapolation (default on). */
export interface RboOptions {
  readonly p?: number;
  readonly extrapolated?: boolean;
}

/**
 * Rank-biased overlap (Webber, Moffat & Zobel 2010). With `extrapolated` (default) it is RBO_ext,
 * their eq. 32 (uneven lengths allowed; 1 for identical lists); otherwise the truncated sum
 * (1 − p) Σ_{d≤l} p^{d−1} A_d, a lower bound. In [0, 1]; higher = more similar. Lists must not
 * contain duplicates; two empty lists count as identical.
 */
export function rankBiasedOverlap<T>(a: readonly T[], b: readonly T[], options: RboOptions = {}): number {
  const p = options.p ?? 0.9;
  const extrapolated = options.extrapolated ?? true;
  if (!(p > 0 && p < 1)) throw new RangeError(`rankBiasedOverlap: p must be in (0, 1), got ${p}`);
  positions(a, 'rankBiasedOverlap');
  positions(b, 'rankBiasedOverlap');
  const [S, L] = a.length <= b.length ? [a, b] : [b, a];
  const s = S.length;
  const l = L.length;
  if (l === 0) return 1;
  if (s === 0) return 0;
  const seenS = new Set<T>();
  const seenL = new Set<T>();
  let x = 0; // X_d: overlap of S[:min(d,s)] and L[:d]
  let xs = 0; // X_s
  let sumAgreement = 0; // Σ_{d=1}^{l} (X_d / d) p^d
  let sumTail = 0; // Σ_{d=s+1}^{l} X_s (d − s) / (s d) p^d
  let pd = 1;
  for (let d = 1; d <= l; d++) {
    pd *= p;
    const itemL = L[d - 1];
    if (d <= s) {
      const itemS = S[d - 1];
      if (itemS === itemL) x += 1;
      else {
        if (seenL.has(itemS)) x += 1;
        if (seenS.has(itemL)) x += 1;
      }
      seenS.add(itemS);
      seenL.add(itemL);
      if (d === s) xs = x;
    } else {
      if (seenS.has(itemL)) x += 1;
      seenL.add(itemL);
      sumTail += ((xs * (d - s)) / (s * d)) * pd;
    }
    sumAgreement += (x / d) * pd;
  }
  if (!extrapolated) return Math.min(1, ((1 - p) / p) * sumAgreement);
  const rbo = ((1 - p) / p) * (sumAgreement + sumTail) + ((x - xs) / l + xs / s) * pd;
  return Math.min(1, Math.max(0, rbo));
}

/** 1-based fractional ranks (best = 1); tied scores share the mean of their positions. */
export function midRanks(scores: ArrayLike<number>): Float64Array {
  const order = rankingOf(scores);
  const out = new Float64Array(scores.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    for (let k = i; k <= j; k++) out[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/**
 * Spearman's footrule between two models' scores of the same candidates, with tied scores at
 * their mid-rank (so filled-in missing scores, which tie, are not ordered arbitrarily), divided
 * by ⌊n²/2⌋: equals {@link spearmanFootrule} of the two rankings when there are no ties.
 */
export function footruleOfScores(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`footruleOfScores: lengths differ (${n} vs ${b.length})`);
  if (n <= 1) return 0;
  const ra = midRanks(a);
  const rb = midRanks(b);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(ra[i] - rb[i]);
  return sum / Math.floor((n * n) / 2);
}
