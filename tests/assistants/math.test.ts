/** Hand-computed values and properties of distributions, KL, footrule and RBO. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { klDivergence, rankBiasedOverlap, spearmanFootrule, footruleOfScores, toDistribution, softmax, zscore, minmax, rankingOf } from '../../lib/assistants';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

/** Positive-weight vectors normalised to probability distributions. */
const distribution = (n: number) => fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: n, maxLength: n })
  .map((w) => { const s = w.reduce((a, b) => a + b, 0); return Float64Array.from(w, (x) => x / s); });

describe('toDistribution', () => {
  it('z-scores then softmax(z/0.5) by default (hand-computed)', () => {
    const d = toDistribution(Float64Array.of(1, 2, 3));
    const z = Math.sqrt(3 / 2); // (3 − 2) / sqrt(2/3)
    const e = [Math.exp(-2 * z), 1, Math.exp(2 * z)];
    const s = e[0] + e[1] + e[2];
    e.forEach((x, i) => close(d[i], x / s, 1e-12));
  });
  it('gives the uniform distribution for a constant list under every normalisation', () => {
    for (const normalise of ['zscore', 'minmax', 'raw'] as const) {
      const d = toDistribution(Float64Array.of(140998, 140998, 140998, 140998), { normalise });
      d.forEach((x) => close(x, 0.25, 1e-15));
    }
  });
  it('is invariant to the scale of raw scores with z-score but not raw (SPLADE-size scores)', () => {
    const a = toDistribution(Float64Array.of(1.4, 1.3, 1.2));
    const b = toDistribution(Float64Array.of(140000, 130000, 120000));
    a.forEach((x, i) => close(x, b[i], 1e-12));
    assert.ok(toDistribution(Float64Array.of(140000, 130000, 120000), { normalise: 'raw', temperature: 1 })[0] > 0.999999);
  });
  it('rejects NaN (missing scores must be filled first)', () => {
    assert.throws(() => toDistribution(Float64Array.of(1, NaN)), /fillMissing/);
  });
  it('normalisations: z-score has mean 0 / std 1, min-max spans [0, 1]', () => {
    const z = zscore([2, 4, 4, 4, 5, 5, 7, 9]);
    close(z.reduce((a, b) => a + b, 0), 0, 1e-12);
    close(z[0], -1.5, 1e-12);
    assert.deepEqual(Array.from(minmax([3, 1, 2])), [1, 0, 0.5]);
  });
  it('property: a distribution sums to 1 and preserves the score order', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.constantFrom('zscore', 'minmax', 'raw'), (xs, normalise) => {
      const d = toDistribution(Float64Array.from(xs), { normalise: normalise as 'zscore' });
      close(d.reduce((a, b) => a + b, 0), 1, 1e-9);
      for (let i = 0; i < xs.length; i++) for (let j = 0; j < xs.length; j++) if (xs[i] > xs[j]) assert.ok(d[i] >= d[j]);
    }));
  });
});

describe('klDivergence', () => {
  it('matches a hand-computed value: KL([.5,.5] ‖ [.25,.75]) = ½ln2 + ½ln(2/3)', () => {
    close(klDivergence([0.5, 0.5], [0.25, 0.75]), 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 1e-8);
  });
  it('is 0 for equal distributions and finite when q has zeros (ε floor)', () => {
    assert.equal(klDivergence([0.2, 0.8], [0.2, 0.8]), 0);
    const kl = klDivergence([0.5, 0.5], [1, 0]);
    assert.ok(Number.isFinite(kl) && kl > 5);
    close(kl, 0.5 * Math.log(0.5 / (1 - 1e-9 + 0.5e-9)) + 0.5 * Math.log(0.5 / 0.5e-9), 1e-6);
  });
  it('property (convexity): KL(P_T ‖ mean_k P_Ak) ≤ mean_k KL(P_T ‖ P_Ak)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 30 }).chain((n) => fc.tuple(distribution(n), fc.array(distribution(n), { minLength: 1, maxLength: 6 }))), ([p, qs]) => {
      const mean = new Float64Array(p.length);
      qs.forEach((q) => q.forEach((x, i) => { mean[i] += x / qs.length; }));
      const lhs = klDivergence(p, mean);
      const rhs = qs.reduce((a, q) => a + klDivergence(p, q), 0) / qs.length;
      assert.ok(lhs <= rhs + 1e-12, `${lhs} > ${rhs}`);
    }));
  });
});

describe('spearmanFootrule', () => {
  it('hand-computed: [a,b,c,d] vs [b,a,d,c] = 4 / ⌊16/2⌋ = 0.5', () => {
    assert.equal(spearmanFootrule(['a', 'b', 'c', 'd'], ['b', 'a', 'd', 'c']), 0.5);
  });
  it('property: 0 exactly for identical rankings, 1 exactly for reversed ones', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer(), { minLength: 2, maxLength: 200 }), (r) => {
      assert.equal(spearmanFootrule(r, r.slice()), 0);
      assert.equal(spearmanFootrule(r, r.slice().reverse()), 1);
    }));
  });
  it('property: in [0, 1] for any permutation', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 60 }).chain((r) => fc.tuple(fc.constant(r), fc.shuffledSubarray(r, { minLength: r.length }))), ([a, b]) => {
      const f = spearmanFootrule(a, b);
      assert.ok(f >= 0 && f <= 1);
    }));
  });
  it('rejects rankings of different items', () => {
    assert.throws(() => spearmanFootrule(['a', 'b'], ['a', 'c']), /not in both/);
  });
});

describe('rankBiasedOverlap', () => {
  it('hand-computed, equal lengths: [1,2,3] vs [1,3,2], p = 0.5 → 0.875 (ext), 0.75 (truncated)', () => {
    // A_1 = 1, A_2 = 1/2, A_3 = 1: (1−p)/p·Σ A_d p^d = .5 + .125 + .125; + A_3 p^3 = .125
    close(rankBiasedOverlap([1, 2, 3], [1, 3, 2], { p: 0.5 }), 0.875, 1e-12);
    close(rankBiasedOverlap([1, 2, 3], [1, 3, 2], { p: 0.5, extrapolated: false }), 0.75, 1e-12);
  });
  it('hand-computed, uneven lengths (eq. 32): [a,b] vs [b,c,a], p = 0.5 → 1/3', () => {
    // X = 0, 1, 2; X_s = 1; Σ X_d/d p^d = 1/8 + 1/12; tail 1·1/(2·3)·1/8; ((2−1)/3 + 1/2)·1/8
    close(rankBiasedOverlap(['a', 'b'], ['b', 'c', 'a'], { p: 0.5 }), 1 / 3, 1e-12);
    close(rankBiasedOverlap(['b', 'c', 'a'], ['a', 'b'], { p: 0.5 }), 1 / 3, 1e-12);
  });
  it('disjoint lists give 0', () => {
    assert.equal(rankBiasedOverlap(['a', 'b'], ['c', 'd']), 0);
  });
  it('property: RBO ∈ [0, 1], 1 for identical lists (p = 0.9), symmetric', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }), fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }), (a, b) => {
      close(rankBiasedOverlap(a, a.slice()), 1, 1e-12);
      const r = rankBiasedOverlap(a, b);
      assert.ok(r >= 0 && r <= 1);
      close(r, rankBiasedOverlap(b, a), 1e-12);
    }));
  });
});

describe('rankingOf / softmax', () => {
  it('orders best first with stable ties', () => {
    assert.deepEqual(rankingOf([0.1, 0.5, 0.5, 0.2]), [1, 2, 3, 0]);
  });
  it('softmax is stable for huge inputs', () => {
    const s = softmax([1e308, 1e308]);
    close(s[0], 0.5);
  });
});

describe('footruleOfScores', () => {
  it('equals the ranking footrule without ties and uses mid-ranks with ties', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer(), { minLength: 2, maxLength: 40 }).chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length }))), ([a, b]) => {
      const fa = Float64Array.from(a);
      const fb = Float64Array.from(b);
      close(footruleOfScores(fa, fb), spearmanFootrule(rankingOf(fa), rankingOf(fb)), 1e-12);
    }));
    // ranks a: 1, 2.5, 2.5 ; b: 3, 1.5, 1.5 → (2 + 1 + 1) / ⌊9/2⌋ = 1
    assert.equal(footruleOfScores([3, 1, 1], [0, 2, 2]), 1);
    assert.equal(footruleOfScores([1, 1, 1], [3, 2, 1]), (1 + 0 + 1) / 4);
  });
});
