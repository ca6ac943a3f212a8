/**
 * table.ts helpers on a hand-made score table (teacher + two assistants, two queries, some scores
 * missing as run files leave them): column selection and order, filling below each query's
 * minimum with per-model counts, query restriction and the student replacing a column.
 */
import { strict as assert } from 'node:assert';
import type { ScoreTable } from '../../lib/assistants/types';
import { parseExperimentConfig, systemConfig } from '../../lib/config';
import { missingPolicy, replaceColumn, restrictQueries, selectColumns } from '../../lib/pipeline/table';
import { fillScoreTable as fillTable } from '../../lib/assistants/missing';

const N = NaN;

/** q1: 4 candidates, q2: 3; the teacher scores everything, A misses 2 + 1, B misses 1 + 3 (all of q2). */
function handMade(): ScoreTable {
  return {
    models: [{ name: 'T', role: 'teacher' }, { name: 'A', role: 'assistant' }, { name: 'B', role: 'assistant' }],
    byQuery: new Map([
      ['q1', { queryId: 'q1', docIds: ['d1', 'd2', 'd3', 'd4'], scores: [Float64Array.of(4, 3, 2, 1), Float64Array.of(10, N, 6, N), Float64Array.of(N, 0.5, 0.2, 0.9)] }],
      ['q2', { queryId: 'q2', docIds: ['e1', 'e2', 'e3'], scores: [Float64Array.of(1e5, 9e4, 8e4), Float64Array.of(N, 2, 4), Float64Array.of(N, N, N)] }],
    ]),
  };
}

function rowsOf(t: ScoreTable, q: string): number[][] {
  return t.byQuery.get(q)!.scores.map((s) => Array.from(s));
}

describe('pipeline/table', () => {
  it('selectColumns keeps the named columns in the given order and rejects unknown names', () => {
    const t = handMade();
    const s = selectColumns(t, ['B', 'T']);
    assert.deepEqual(s.models.map((m) => m.name), ['B', 'T']);
    assert.deepEqual(rowsOf(s, 'q1'), [[N, 0.5, 0.2, 0.9], [4, 3, 2, 1]]);
    assert.deepEqual(s.byQuery.get('q2')!.docIds, ['e1', 'e2', 'e3']);
    assert.throws(() => selectColumns(t, ['T', 'C']), /no column 'C' \(columns: T, A, B\)/);
  });

  it('fillTable (fixed margin) puts missing scores below each query\'s minimum and counts them per model', () => {
    const t = handMade();
    const { table, filled } = fillTable(t, { kind: 'min-minus-margin', margin: 1 });
    assert.deepEqual(filled, { T: 0, A: 3, B: 4 });
    assert.deepEqual(rowsOf(table, 'q1'), [[4, 3, 2, 1], [10, 5, 6, 5], [-0.8, 0.5, 0.2, 0.9]]);
    // A model with no score for a query: every candidate ties.
    assert.deepEqual(rowsOf(table, 'q2'), [[1e5, 9e4, 8e4], [1, 2, 4], [0, 0, 0]]);
    // The input is left as it was.
    assert.ok(Number.isNaN(t.byQuery.get('q1')!.scores[1][1]));
  });

  it('fillTable with the default std margin: below the minimum by one (population) std of the scored values', () => {
    const cfg = systemConfig(parseExperimentConfig({ name: 'x', teacher: { name: 'T', run: 'T' }, systems: [{ name: 'r' }] }), { name: 'r', kind: 'trained', overrides: {} });
    const { table, filled } = fillTable(handMade(), missingPolicy(cfg));
    assert.equal(filled.A + filled.B + filled.T, 7);
    // A on q1 has scores 10 and 6: std 2, min 6 → missing 4.
    assert.deepEqual(rowsOf(table, 'q1')[1], [10, 4, 6, 4]);
    const b = rowsOf(table, 'q1')[2];
    const std = Math.sqrt(((0.5 - 1.6 / 3) ** 2 + (0.2 - 1.6 / 3) ** 2 + (0.9 - 1.6 / 3) ** 2) / 3);
    assert.ok(Math.abs(b[0] - (0.2 - std)) < 1e-12, `filled ${b[0]}, expected ${0.2 - std}`);
    for (const q of ['q1', 'q2']) for (const s of table.byQuery.get(q)!.scores) assert.ok(s.every(Number.isFinite));
  });

  it('the rank policy replaces scores by -rank, missing ones after every scored one; drop is refused for training', () => {
    const { table, filled } = fillTable(handMade(), { kind: 'rank' });
    assert.deepEqual(filled, { T: 0, A: 3, B: 4 });
    assert.deepEqual(rowsOf(table, 'q1'), [[-1, -2, -3, -4], [-1, -3, -2, -3], [-4, -2, -3, -1]]);
    const base = parseExperimentConfig({ name: 'x', teacher: { name: 'T', run: 'T' }, missing: { policy: 'drop' }, systems: [{ name: 'r' }] });
    assert.throws(() => missingPolicy(systemConfig(base, base.systems[0])), /'drop' removes pairs/);
  });

  it('restrictQueries keeps only the given queries\' blocks', () => {
    const r = restrictQueries(handMade(), new Set(['q2', 'q9']));
    assert.deepEqual([...r.byQuery.keys()], ['q2']);
    assert.equal(r.models.length, 3);
  });

  it('replaceColumn swaps one column for the student\'s scores, asking for a query\'s candidates when it is read', () => {
    const asked: Array<[string, readonly string[]]> = [];
    const r = replaceColumn(handMade(), 'A', { name: 'student-it1', role: 'assistant' }, (q, docIds) => {
      asked.push([q, docIds]);
      return Float64Array.from(docIds, (_d, j) => -j);
    });
    assert.deepEqual(r.models.map((m) => m.name), ['T', 'student-it1', 'B']);
    assert.deepEqual(asked, [], 'a view: nothing is asked before a query is read');
    for (const _ of r.byQuery.values());
    assert.deepEqual(asked, [['q1', ['d1', 'd2', 'd3', 'd4']], ['q2', ['e1', 'e2', 'e3']]]);
    assert.deepEqual(rowsOf(r, 'q1'), [[4, 3, 2, 1], [-0, -1, -2, -3], [N, 0.5, 0.2, 0.9]]);
    assert.throws(() => replaceColumn(handMade(), 'Z', { name: 's', role: 'assistant' }, () => new Float64Array()), /no column 'Z'/);
  });
});
