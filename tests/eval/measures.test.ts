/** Hand-computed cases for each measure: ties, graded relevance, rel levels, unjudged and missing queries. */
import { strict as assert } from 'node:assert';
import { evaluate } from '../../lib/eval';
import type { Qrels, Run, RunEntry } from '../../lib/data/types';

function qrelsOf(o: Record<string, Record<string, number>>): Qrels {
  return { name: 'q', judgments: new Map(Object.entries(o).map(([q, d]) => [q, new Map(Object.entries(d))])) };
}
/** Entries given in file order as [docId, score]; ranks 1..n in that order. */
function runOf(o: Record<string, Array<[string, number]>>): Run {
  return { name: 'r', byQuery: new Map(Object.entries(o).map(([q, e]) => [q, e.map(([docId, score], i): RunEntry => ({ docId, score, rank: i + 1 }))])) };
}
const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

describe('eval: measures on hand-computed cases', () => {
  const qrels = qrelsOf({ q1: { d1: 3, d2: 2, d3: 0, d4: 1, d5: -1 } });
  // Ranking: d3 (grade 0), d1 (3), dX (unjudged), d4 (1), d5 (negative grade).
  const run = runOf({ q1: [['d3', 5], ['d1', 4], ['dX', 3], ['d4', 2], ['d5', 1]] });

  it('nDCG@k: gain = grade, log2 discount, ideal from all positive grades (negative = 0)', () => {
    const r = evaluate(qrels, run, ['nDCG@3', 'nDCG@5', 'nDCG'], {});
    const dcg3 = 3 / Math.log2(3);
    const idcg3 = 3 + 2 / Math.log2(3) + 1 / 2;
    close(r.mean['nDCG@3']!, dcg3 / idcg3);
    const dcg5 = dcg3 + 1 / Math.log2(5);
    close(r.mean['nDCG@5']!, dcg5 / idcg3); // only 3 positive grades: the ideal stops at rank 3
    close(r.mean['nDCG']!, dcg5 / idcg3);
  });

  it('RR, P, R, AP are binary at relLevel (default 1), with per-measure rel= overrides', () => {
    const r = evaluate(qrels, run, ['RR@10', 'RR@1', 'P@5', 'P@10', 'R@2', 'R@10', 'AP', 'AP@2', 'RR(rel=3)@10', 'AP(rel=2)'], {});
    close(r.mean['RR@10']!, 1 / 2);
    close(r.mean['RR@1']!, 0);
    close(r.mean['P@5']!, 2 / 5);
    close(r.mean['P@10']!, 2 / 10); // P divides by k even when fewer were retrieved
    close(r.mean['R@2']!, 1 / 3);
    close(r.mean['R@10']!, 2 / 3);
    close(r.mean['AP']!, (1 / 2 + 2 / 4) / 3);
    close(r.mean['AP@2']!, (1 / 2) / 3);
    close(r.mean['RR(rel=3)@10']!, 1 / 2);
    close(r.mean['AP(rel=2)']!, (1 / 2) / 2);
    const dl = evaluate(qrels, run, ['RR@10', 'R@10', 'AP', 'nDCG@3'], { relLevel: 2 });
    close(dl.mean['RR@10']!, 1 / 2);
    close(dl.mean['R@10']!, 1 / 2); // d1 of {d1, d2}
    close(dl.mean['AP']!, (1 / 2) / 2);
    close(dl.mean['nDCG@3']!, (3 / Math.log2(3)) / (3 + 2 / Math.log2(3) + 1 / 2)); // graded: unaffected by relLevel
    const three = evaluate(qrels, run, ['RR@10'], { relLevel: 3 });
    close(three.mean['RR@10']!, 1 / 2);
    const four = evaluate(qrels, run, ['RR@10', 'R@10'], { relLevel: 4 });
    close(four.mean['RR@10']!, 0);
    close(four.mean['R@10']!, 0);
  });

  it('Judged@k counts documents in the qrels (any grade) over k', () => {
    const r = evaluate(qrels, run, ['Judged@2', 'Judged@3', 'Judged@10'], {});
    close(r.mean['Judged@2']!, 1);
    close(r.mean['Judged@3']!, 2 / 3);
    close(r.mean['Judged@10']!, 4 / 10);
  });

  it('ties: score descending, then docid descending in strcmp order; or the rank column', () => {
    const q = qrelsOf({ q: { '10': 1, a: 0 } });
    // '9' > '10' as strings, so trec_eval puts 9 before 10 when their scores tie.
    const r = runOf({ q: [['10', 1.5], ['9', 1.5], ['a', 0.2]] });
    close(evaluate(q, r, ['RR@10'], {}).mean['RR@10']!, 1 / 2);
    close(evaluate(q, r, ['RR@10'], { order: 'rank' }).mean['RR@10']!, 1);
    // Upper-case sorts before lower-case in byte order: 'b' > 'B'.
    const q2 = qrelsOf({ q: { B: 1 } });
    const r2 = runOf({ q: [['B', 1], ['b', 1]] });
    close(evaluate(q2, r2, ['RR']).mean['RR']!, 1 / 2);
  });

  it('a query without any relevant document scores 0 and is averaged in, as in trec_eval', () => {
    const q = qrelsOf({ a: { d1: 1 }, b: { d1: 0, d2: 0 } });
    const r = runOf({ a: [['d1', 1]], b: [['d1', 1], ['d2', 0.5]] });
    const res = evaluate(q, r, ['nDCG@10', 'RR@10', 'AP', 'R@10', 'P@1']);
    assert.equal(res.queries, 2);
    assert.deepEqual(res.perQuery.get('b'), { 'nDCG@10': 0, 'RR@10': 0, AP: 0, 'R@10': 0, 'P@1': 0 });
    close(res.mean['nDCG@10']!, 0.5);
  });

  it('queries missing from the run are skipped by default and score 0 with missingAsZero (trec_eval -c)', () => {
    const q = qrelsOf({ a: { d1: 1 }, b: { d2: 2 }, c: { d3: 1 } });
    const r = runOf({ a: [['d1', 1]], z: [['d9', 1]] });
    const res = evaluate(q, r, ['nDCG@10', 'RR@10']);
    assert.equal(res.queries, 1);
    close(res.mean['nDCG@10']!, 1);
    assert.deepEqual(res.missingFromRun, ['b', 'c']);
    assert.deepEqual(res.unjudgedRunQueries, ['z']);
    const c = evaluate(q, r, ['nDCG@10', 'RR@10'], { missingAsZero: true });
    assert.equal(c.queries, 3);
    close(c.mean['nDCG@10']!, 1 / 3);
    assert.deepEqual(c.perQuery.get('b'), { 'nDCG@10': 0, 'RR@10': 0 });
  });

  it('an empty run evaluates no query (means 0, queries 0), or all qrels queries as 0 with missingAsZero', () => {
    const q = qrelsOf({ a: { d1: 1 } });
    const empty: Run = { name: 'empty', byQuery: new Map() };
    const res = evaluate(q, empty, ['nDCG@10']);
    assert.equal(res.queries, 0);
    assert.equal(res.mean['nDCG@10'], 0);
    const c = evaluate(q, empty, ['nDCG@10'], { missingAsZero: true });
    assert.equal(c.queries, 1);
    assert.equal(c.mean['nDCG@10'], 0);
  });

  it('keeps measure names exactly as given and rejects duplicates', () => {
    const res = evaluate(qrels, run, ['ndcg_cut_3', 'MRR@10', 'recip_rank']);
    assert.deepEqual(Object.keys(res.mean), ['ndcg_cut_3', 'MRR@10', 'recip_rank']);
    close(res.mean['ndcg_cut_3']!, evaluate(qrels, run, ['nDCG@3']).mean['nDCG@3']!);
    assert.throws(() => evaluate(qrels, run, ['AP', 'AP']), /listed twice/);
  });

  it('does not modify the run entries (file order is kept)', () => {
    const before = JSON.stringify([...run.byQuery]);
    evaluate(qrels, run, ['nDCG@10']);
    assert.equal(JSON.stringify([...run.byQuery]), before);
  });
});
