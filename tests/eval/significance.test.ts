/** Significance tests: the incomplete beta / Student t against known values and independent numerics. */
import { strict as assert } from 'node:assert';
import {
  regularizedIncompleteBeta, studentTTwoSided, logGamma, pairedTTest, randomizationTest, pairedValues,
} from '../../lib/eval';

/** Two-sided t tail by Simpson integration of the t density: an independent check. */
function tTailByIntegration(t: number, df: number): number {
  const c = Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2)) / Math.sqrt(df * Math.PI);
  const f = (x: number): number => c * Math.pow(1 + (x * x) / df, -(df + 1) / 2);
  const n = 20000;
  const h = Math.abs(t) / n;
  let s = f(0) + f(Math.abs(t));
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i * h);
  return 1 - 2 * (s * h) / 3;
}

describe('eval: significance', () => {
  it('regularized incomplete beta matches closed forms', () => {
    assert.ok(Math.abs(regularizedIncompleteBeta(0.5, 2, 3) - 11 / 16) < 1e-12);
    assert.ok(Math.abs(regularizedIncompleteBeta(0.3, 1, 1) - 0.3) < 1e-12);
    assert.ok(Math.abs(regularizedIncompleteBeta(0.2, 1, 4) - (1 - 0.8 ** 4)) < 1e-12);
    assert.ok(Math.abs(regularizedIncompleteBeta(0.9, 5, 0.5) + regularizedIncompleteBeta(0.1, 0.5, 5) - 1) < 1e-12);
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
    assert.throws(() => regularizedIncompleteBeta(1.5, 2, 3), /0 <= x <= 1/);
  });

  it('Student t two-sided p: known values and numerical integration', () => {
    assert.equal(studentTTwoSided(2.0, 10).toFixed(4), '0.0734');
    assert.ok(Math.abs(studentTTwoSided(1, 1) - 0.5) < 1e-12); // Cauchy: P(|T| >= 1) = 1/2
    assert.equal(studentTTwoSided(2.228138852, 10).toFixed(5), '0.05000');
    assert.equal(studentTTwoSided(0, 5), 1);
    for (const [t, df] of [[0.5, 3], [2.5, 7], [-3.1, 42], [1.2, 120]] as const) {
      assert.ok(Math.abs(studentTTwoSided(t, df) - tTailByIntegration(t, df)) < 1e-8, `t=${t} df=${df}`);
    }
  });

  it('paired t-test: statistic, df and p on a worked example', () => {
    const r = pairedTTest([1, 2, 3, 4], [0, 0, 0, 0]);
    assert.equal(r.df, 3);
    assert.ok(Math.abs(r.t - 2.5 / Math.sqrt(5 / 3 / 4)) < 1e-12);
    assert.ok(Math.abs(r.p - tTailByIntegration(r.t, 3)) < 1e-8);
    assert.equal(pairedTTest([0.3, 0.5], [0.3, 0.5]).p, 1);
    assert.throws(() => pairedTTest([1], [2]), /at least 2/);
    assert.throws(() => pairedTTest([1, 2], [2]), /equal lengths/);
  });

  it('randomisation test: seeded, agrees with exact enumeration, identical systems give p = 1', () => {
    const a = [0.9, 0.4, 0.7, 0.55, 0.8, 0.3, 0.65, 0.5];
    const b = [0.6, 0.5, 0.4, 0.45, 0.7, 0.35, 0.5, 0.2];
    const d = a.map((x, i) => x - b[i]!);
    const obs = Math.abs(d.reduce((s, x) => s + x, 0));
    let count = 0;
    for (let mask = 0; mask < 256; mask++) {
      const s = d.reduce((acc, x, i) => acc + ((mask >> i) & 1 ? -x : x), 0);
      if (Math.abs(s) >= obs - 1e-12) count += 1;
    }
    const exact = count / 256;
    const r = randomizationTest(a, b, { trials: 20000, seed: 7 });
    assert.ok(Math.abs(r.p - exact) < 0.01, `${r.p} vs exact ${exact}`);
    assert.deepEqual(randomizationTest(a, b, { trials: 500, seed: 3 }), randomizationTest(a, b, { trials: 500, seed: 3 }));
    assert.notEqual(randomizationTest(a, b, { trials: 500, seed: 3 }).p, randomizationTest(a, b, { trials: 500, seed: 4 }).p);
    assert.equal(randomizationTest(a, a, { trials: 100 }).p, 1);
    const big = Array.from({ length: 30 }, (_, i) => i / 30);
    assert.equal(randomizationTest(big.map((x) => x + 1), big, { trials: 999 }).p, 1 / 1000);
  });

  it('pairedValues aligns by query id and reports dropped queries', () => {
    const A = new Map([['q1', { m: 1 }], ['q2', { m: 2 }], ['q3', { m: 3 }]]);
    const B = new Map([['q3', { m: 30 }], ['q1', { m: 10 }], ['q4', { m: 40 }]]);
    const p = pairedValues(A, B, 'm');
    assert.deepEqual(p.queries, ['q1', 'q3']);
    assert.deepEqual(p.a, [1, 3]);
    assert.deepEqual(p.b, [10, 30]);
    assert.deepEqual(p.dropped, ['q2', 'q4']);
  });
});
