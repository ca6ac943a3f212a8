/**
 * Paired comparisons (lib/pipeline/compare.ts): the verdict rule against the paper's claimed gap,
 * and one comparison's fields recomputed from its per-query values.
 */
import { strict as assert } from 'node:assert';
import { differenceSd, minimumDetectableDifference, pairedTTest, requiredQueries } from '../../lib/eval';
import { compareOutcomes, comparisonVerdict } from '../../lib/pipeline/compare';
import { PAPER_ASSISTANT_GAP } from '../../lib/pipeline/paper';

describe('pipeline/compare', () => {
  it('the paper gap is MTA4DPR − w/o assistants on MS MARCO dev RR@10 (41.1 − 39.9)', () => {
    assert.equal(PAPER_ASSISTANT_GAP.value, 0.012);
  });

  it('comparisonVerdict: significant either way; not significant reads "does not hold" only when a gap of the claimed size was detectable', () => {
    assert.equal(comparisonVerdict(0.02, 0.01, 0.01, 0.012), 'holds');
    assert.equal(comparisonVerdict(-0.02, 0.01, 0.01, 0.012), 'does not hold');
    assert.equal(comparisonVerdict(0.001, 0.7, 0.004, 0.012), 'does not hold');
    assert.equal(comparisonVerdict(0.001, 0.7, 0.05, 0.012), 'below what this scale can detect');
    assert.equal(comparisonVerdict(0, 1, null, 0.012), 'below what this scale can detect');
  });

  it('compareOutcomes: seed-averaged per-query differences, their test, MDD and the queries the paper gap needs', () => {
    const a: Record<string, Record<string, Record<string, number>>> = { 1: {}, 2: {} };
    const b: Record<string, Record<string, Record<string, number>>> = { 1: {} };
    for (let q = 0; q < 30; q++) {
      a[1][`q${q}`] = { m: 0.5 + 0.01 * Math.sin(q) };
      a[2][`q${q}`] = { m: 0.5 + 0.01 * Math.cos(q) };
      b[1][`q${q}`] = { m: 0.49 + 0.005 * Math.sin(3 * q) };
    }
    const c = compareOutcomes({ system: 'A', dataset: 'd', perSeed: a }, { system: 'B', dataset: 'd', perSeed: b }, 'm');
    const xa = Array.from({ length: 30 }, (_, q) => (a[1][`q${q}`].m + a[2][`q${q}`].m) / 2);
    const xb = Array.from({ length: 30 }, (_, q) => b[1][`q${q}`].m);
    const sd = differenceSd(xa.map((x, i) => x - xb[i]));
    assert.equal(c.queries, 30);
    assert.ok(Math.abs(c.meanDifference - (xa.reduce((s, x) => s + x, 0) - xb.reduce((s, x) => s + x, 0)) / 30) < 1e-15);
    assert.equal(c.tTestP, pairedTTest(xa, xb).p);
    assert.equal(c.minimumDetectable, minimumDetectableDifference(sd, 30).mdd);
    assert.equal(c.queriesForPaperGap, requiredQueries(0.012, sd));
    assert.equal(c.verdict, comparisonVerdict(c.meanDifference, c.tTestP, c.minimumDetectable, 0.012));
  });
});
