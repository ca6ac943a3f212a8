/** Missing-score policy, fusion, per-batch selection and the assistant pool. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  AssistantPool, TestLeakError, fillMissing, fuseDistributions, klDivergence, rankingOf, selectAssistant, toDistribution,
  type MissingPolicy, type SelectionQuery,
} from '../../lib/assistants';

const scoresWithHoles = fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 40 })
  .filter((xs) => xs.some((x) => x !== null))
  .map((xs) => Float64Array.from(xs, (x) => (x === null ? NaN : x)));
const policies: MissingPolicy[] = [{ kind: 'min-minus-margin' }, { kind: 'min-minus-margin', margin: 0.001 }, { kind: 'rank' }, { kind: 'drop' }];
const finiteScores = (n: number) => fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }).map((x) => Float64Array.from(x));

describe('fillMissing', () => {
  it('default: the query minimum minus one std', () => {
    const f = fillMissing(Float64Array.of(3, NaN, 1));
    assert.equal(f.missing, 1);
    assert.equal(f.scores[1], 1 - 1); // min 1, population std of {3, 1} = 1
  });
  it('rank: −rank for scored, −(m+1) for missing', () => {
    assert.deepEqual(Array.from(fillMissing(Float64Array.of(0.2, NaN, 0.9), { kind: 'rank' }).scores), [-2, -3, -1]);
  });
  it('property: an unscored passage never outranks a scored one (every policy, also after the softmax)', () => {
    fc.assert(fc.property(scoresWithHoles, fc.constantFrom(...policies), (raw, policy) => {
      const f = fillMissing(raw, policy);
      const kept = Array.from(raw.keys()).filter((i) => policy.kind !== 'drop' || f.scored[i]);
      if (policy.kind === 'drop') assert.ok(kept.every((i) => f.scored[i]));
      const d = toDistribution(Float64Array.from(kept, (i) => f.scores[i]));
      kept.forEach((i, a) => kept.forEach((j, b) => {
        if (f.scored[i] && !f.scored[j]) {
          assert.ok(f.scores[j] < f.scores[i], `unscored ${f.scores[j]} ≥ scored ${f.scores[i]}`);
          assert.ok(d[b] <= d[a]);
        }
      }));
    }));
  });
  it('keeps a margin below SPLADE-size minimums', () => {
    const f = fillMissing(Float64Array.of(140998, NaN, 140998), { kind: 'min-minus-margin', margin: 1e-12 });
    assert.ok(f.scores[1] < 140998);
  });
});

describe('fuseDistributions', () => {
  it('mean of distributions by default (hand-checked)', () => {
    const a = Float64Array.of(1, 2, 3);
    const b = Float64Array.of(3, 2, 1);
    const f = fuseDistributions([a, b]);
    const da = toDistribution(a);
    const db = toDistribution(b);
    f.forEach((x, i) => assert.ok(Math.abs(x - (da[i] + db[i]) / 2) < 1e-15));
  });
  it('property: fusion of one assistant is that assistant', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }).chain(finiteScores), (s) => {
      const d = toDistribution(s);
      for (const method of ['mean', 'zscore-mean', 'weighted'] as const) {
        const f = fuseDistributions([s], { method, weights: [2] });
        f.forEach((x, i) => assert.ok(Math.abs(x - d[i]) < 1e-12, method));
      }
      assert.deepEqual(rankingOf(fuseDistributions([s], { method: 'rrf' })), rankingOf(s));
    }));
  });
  it('RRF with k = 60 puts the consensus first', () => {
    const f = fuseDistributions([Float64Array.of(3, 2, 1), Float64Array.of(2, 3, 1), Float64Array.of(3, 1, 2)], { method: 'rrf' });
    assert.deepEqual(rankingOf(f), [0, 1, 2]);
  });
  it('weighted mean needs weights', () => {
    assert.throws(() => fuseDistributions([Float64Array.of(1, 2)], { method: 'weighted' }), /weights/);
  });
});

describe('selectAssistant', () => {
  const batch = (t: number[], cands: Record<string, number[]>): SelectionQuery => ({
    teacher: toDistribution(Float64Array.from(t)),
    candidates: Object.fromEntries(Object.entries(cands).map(([k, v]) => [k, toDistribution(Float64Array.from(v))])),
  });
  const b = [batch([5, 4, 3, 2, 1], { near: [5, 4, 3, 1, 2], far: [1, 2, 3, 4, 5] })];
  it('picks argmin KL, argmin footrule, argmax RBO', () => {
    for (const measure of ['kl', 'footrule', 'rbo'] as const) assert.equal(selectAssistant(b, { measure }).chosen, 'near', measure);
    const r = selectAssistant(b, { measure: 'footrule' });
    assert.equal(r.distances.far, 1);
  });
  it('fixed and seeded random (reproducible) ablations', () => {
    assert.equal(selectAssistant(b, { measure: 'fixed', fixed: 'far' }).chosen, 'far');
    assert.throws(() => selectAssistant(b, { measure: 'fixed', fixed: 'nope' }), /not one of/);
    const picks = (seed: number) => Array.from({ length: 5 }, (_, i) => selectAssistant(b, { measure: 'random', seed: seed + i }).chosen);
    assert.deepEqual(picks(7), picks(7));
  });
  it('property: with fused among the candidates, KL selection never picks something farther than fused', () => {
    const dist = (n: number) => finiteScores(n).map((s) => toDistribution(s));
    fc.assert(fc.property(fc.integer({ min: 2, max: 20 }).chain((n) => fc.tuple(
      fc.array(fc.tuple(dist(n), fc.array(finiteScores(n), { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 4 }),
    )), ([queries]) => {
      const k = Math.min(...queries.map(([, a]) => a.length));
      const sel: SelectionQuery[] = queries.map(([t, a]) => {
        const c: Record<string, Float64Array> = {};
        a.slice(0, k).forEach((s, i) => { c[`A${i}`] = toDistribution(s); });
        c.fused = fuseDistributions(a.slice(0, k));
        return { teacher: t, candidates: c };
      });
      const r = selectAssistant(sel);
      assert.ok(r.distances[r.chosen] <= r.distances.fused);
      // Convexity: fused is never farther than the assistants' average.
      const avg = Object.entries(r.distances).filter(([n]) => n !== 'fused').reduce((s, [, v]) => s + v, 0) / k;
      assert.ok(r.distances.fused <= avg + 1e-12);
      const direct = sel.reduce((s, q) => s + klDivergence(q.teacher, q.candidates[r.chosen]), 0) / sel.length;
      assert.ok(Math.abs(direct - r.distances[r.chosen]) < 1e-12);
    }));
  });
});

describe('AssistantPool', () => {
  const quality = async (m: number, q: readonly string[]) => m * q.length;
  it('weakest / replaceWorst only when the student is better', async () => {
    const pool = new AssistantPool<number>(['q1', 'q2'], ['t1'], quality);
    await pool.add('A', 3);
    await pool.add('B', 1);
    assert.equal(pool.weakest().name, 'B');
    assert.deepEqual(await pool.replaceWorst('S1', 0.5), { replaced: null, weakestQuality: 2, candidateQuality: 1 });
    const r = await pool.replaceWorst('S2', 2);
    assert.equal(r.replaced, 'B');
    assert.deepEqual(pool.members().map((m) => m.name), ['A', 'S2']);
    assert.equal(pool.history.length, 2);
  });
  it('throws when asked to evaluate on test queries', async () => {
    assert.throws(() => new AssistantPool<number>(['q1', 't1'], ['t1'], quality), TestLeakError);
    const pool = new AssistantPool<number>(['q1'], ['t1'], quality);
    await assert.rejects(pool.evaluate(1, ['q1', 't1']), TestLeakError);
  });
});
