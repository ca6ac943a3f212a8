import assert from 'node:assert/strict';
import {
  detectableFromDifferences, differenceSd, minimumDetectableDifference, pairedTTestPower, requiredQueries, studentTTwoSidedQuantile,
} from '../../lib/eval/power';
import { normalCdf } from '../../lib/eval/special-functions';

// Reference values: scipy 1.17.1, stats.nct (both tails: sf(c) + cdf(−c)) with c = t.ppf(0.975, n − 1),
// MDD by brentq; they agree with R's power.t.test(type = "paired", strict = TRUE) (e.g. the textbook
// n = 33.367 for a standardised effect of 0.5, so 34 whole queries).
describe('eval/power', () => {
  it('normal CDF and t quantiles match tables', () => {
    assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-12);
    assert.ok(Math.abs(normalCdf(-0.8416212335729143) - 0.2) < 1e-12);
    assert.ok(Math.abs(studentTTwoSidedQuantile(0.05, 42) - 2.018081702818444) < 1e-9);
    assert.ok(Math.abs(studentTTwoSidedQuantile(0.05, 1) - 12.706204736174698) < 1e-8);
  });

  it('exact power matches the noncentral t', () => {
    assert.ok(Math.abs(pairedTTestPower(0.5, 1, 34) - 0.8077775012792738) < 1e-6);
    assert.ok(Math.abs(pairedTTestPower(0.1, 0.2, 20) - 0.564504418439021) < 1e-6);
    // Both tails count: with 2 pairs and a small effect the power is barely above α.
    assert.ok(Math.abs(pairedTTestPower(0.3, 1, 2) - 0.05441466766810165) < 1e-6);
    assert.ok(Math.abs(pairedTTestPower(0, 1, 30) - 0.05) < 1e-6);
  });

  it('minimum detectable differences match the noncentral t', () => {
    const cases: Array<[number, number, number]> = [[1, 43, 0.43732177973307934], [1, 10, 0.9960013714554435], [0.15, 97, 0.04310143028438738], [1, 3, 3.2640435496995712]];
    for (const [sd, n, mdd] of cases) {
      const r = minimumDetectableDifference(sd, n);
      assert.ok(Math.abs(r.mdd - mdd) < 1e-6 * sd, `sd ${sd} n ${n}: ${r.mdd} vs ${mdd}`);
      // The t-corrected normal approximation is close from n = 10 on (it ignores the second tail
      // and the noncentral shape, so it can fall either side).
      if (n >= 10) assert.ok(Math.abs(r.approximate - r.mdd) < 0.01 * r.mdd, `approximation ${r.approximate}`);
    }
  });

  it('queries needed for a gap (Cohen: d = 0.2 / 0.5 / 0.8 → 199 / 34 / 15)', () => {
    assert.equal(requiredQueries(0.5, 1), 34);
    assert.equal(requiredQueries(0.2, 1), 199);
    assert.equal(requiredQueries(0.8, 1), 15);
    assert.equal(requiredQueries(-0.5, 1), 34);
    assert.equal(requiredQueries(0.012, 0.15), 1229);
  });

  it('MDD shrinks as 1/√n towards (z_0.975 + z_0.8)·sd', () => {
    const z = 1.959963984540054 + 0.8416212335729143;
    let prev = Infinity;
    for (const n of [5, 10, 20, 40, 80, 160, 320, 640]) {
      const scaled = minimumDetectableDifference(0.3, n).mdd * Math.sqrt(n) / 0.3;
      // √n · MDD / sd decreases (the t correction fades) and stays above the normal limit.
      assert.ok(scaled < prev && scaled > z, `n ${n}: ${scaled}`);
      prev = scaled;
    }
    assert.ok(prev - z < 0.01, `at n = 640: ${prev}`);
    const quadrupled = minimumDetectableDifference(0.3, 400).mdd / minimumDetectableDifference(0.3, 100).mdd;
    assert.ok(Math.abs(quadrupled - 0.5) < 0.005, `4× the queries: ratio ${quadrupled}`);
  });

  it('works from observed differences and rejects bad input', () => {
    const d = [0.1, -0.05, 0.2, 0, 0.03, -0.1, 0.07, 0.12];
    const r = detectableFromDifferences(d);
    assert.equal(r.n, 8);
    assert.ok(Math.abs(r.sd - differenceSd(d)) < 1e-15);
    assert.ok(Math.abs(pairedTTestPower(r.mdd, r.sd, 8) - 0.8) < 1e-6);
    assert.throws(() => detectableFromDifferences([0.1]), /at least 2/);
    assert.throws(() => minimumDetectableDifference(0, 10), /standard deviation/);
    assert.throws(() => minimumDetectableDifference(1, 10, { alpha: 1.5 }), /alpha/);
    assert.throws(() => requiredQueries(0, 1), /non-zero/);
  });
});
