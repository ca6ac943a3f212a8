/**
 * Kullback–Leibler divergence between candidate-list distributions, the default distance of
 * assistant selection (docs/method.md §1).
 */

/**
 * Default smoothing of the second argument: q is mixed with the uniform distribution,
 * q' = (1 − ε)·q + ε/n. This floors every q'_i at ε/n (so KL is finite when q underflows to 0)
 * and, being affine in q, keeps KL(p ‖ ·) convex — the fused-assistant argument relies on that.
 */
export const KL_EPSILON = 1e-9;

/**
 * KL(p ‖ q) = Σ p_i · ln(p_i / q'_i) in nats, with q' the ε-smoothed q (see {@link KL_EPSILON});
 * terms with p_i = 0 contribute 0. Both arguments must have the same length.
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, epsilon = KL_EPSILON): number {
  if (p.length !== q.length) throw new RangeError(`klDivergence: lengths differ (${p.length} vs ${q.length})`);
  const n = p.length;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    if (pi <= 0) continue;
    const qi = (1 - epsilon) * q[i] + epsilon / n;
    kl += pi * Math.log(pi / qi);
  }
  // Rounding can make KL of (almost) equal distributions a hair below 0.
  return Math.max(0, kl);
}
